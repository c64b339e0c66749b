"""Sliding sums over fixed windows, kept as a few buckets so memory stays bounded."""

from collections import deque
from dataclasses import dataclass, field


@dataclass(slots=True)
class BucketWindow:
    """A running total over the last `span` seconds, in buckets of `bucket` seconds.

    Adding and reading are O(1) amortised; memory is span / bucket numbers.
    """

    span: float = 86400.0
    bucket: float = 3600.0
    buckets: deque[tuple[float, float]] = field(default_factory=deque)

    def add(self, time: float, amount: float) -> None:
        """Add an amount at a time."""
        start = time - time % self.bucket
        if self.buckets and self.buckets[-1][0] == start:
            self.buckets[-1] = (start, self.buckets[-1][1] + amount)
        else:
            self.buckets.append((start, amount))
        self._prune(time)

    def total(self, time: float) -> float:
        """The sum over the window that ends at `time`."""
        self._prune(time)
        return sum(amount for _, amount in self.buckets)

    def _prune(self, time: float) -> None:
        """Drop buckets that lie wholly before the window."""
        while self.buckets and self.buckets[0][0] + self.bucket <= time - self.span:
            self.buckets.popleft()
