"""Compressor cycles: starts, run and off durations, duty cycle and runtime per local day."""

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from statistics import median

from .durations import DAY

# Bounded memory: enough recent starts and runs for hour and day statistics of a unit that
# cycles every few minutes, and no more.
MAX_RECENT = 512
# A pause shorter than this is not a cycle end: compressors have anti-short-cycle timers of
# several minutes, so a shorter gap is the unit reversing for a defrost, or a flickering signal.
MIN_PAUSE = 90.0


@dataclass(slots=True)
class CycleTracker:
    """Turns a running/not-running signal into cycles and daily runtime.

    A stop becomes final only once it has lasted `MIN_PAUSE`; until then it is pending, and
    a restart (or a defrost) within that time continues the same run.
    """

    running: bool | None = None
    since: float | None = None
    pending_stop: float | None = None
    starts: deque[float] = field(default_factory=lambda: deque(maxlen=MAX_RECENT))
    runs: deque[tuple[float, float]] = field(default_factory=lambda: deque(maxlen=MAX_RECENT))
    offs: deque[tuple[float, float]] = field(default_factory=lambda: deque(maxlen=MAX_RECENT))
    total_starts: int = 0
    total_runtime: float = 0.0
    day_start: float | None = None
    runtime_today: float = 0.0
    starts_today: int = 0

    def update(self, time: float, running: bool | None) -> None:
        """Record the running state at a time; unknown keeps the last known state."""
        self.advance(time)
        if running is None:
            return
        if self.pending_stop is not None:
            if running:
                self.pending_stop = None
            return
        if running == self.running:
            return
        if self.running is None or self.since is None:
            self.running, self.since = running, time
            return
        if running:
            self.offs.append((time, time - self.since))
            self.starts.append(time)
            self.total_starts += 1
            self.starts_today += 1
            self.running, self.since = True, time
        else:
            self.pending_stop = time

    def advance(self, time: float) -> None:
        """Move the clock forward: a stop that has lasted `MIN_PAUSE` becomes final."""
        if self.pending_stop is not None and time - self.pending_stop >= MIN_PAUSE:
            self._stop(self.pending_stop)

    def new_day(self, day_start: float) -> None:
        """Start counting a new local day (the engine calls this at midnight)."""
        self.day_start = day_start
        self.runtime_today = 0.0
        self.starts_today = 0

    def _stop(self, time: float) -> None:
        """Close the current run at `time`."""
        self.pending_stop = None
        if self.since is None:
            return
        duration = time - self.since
        self.runs.append((time, duration))
        self.total_runtime += duration
        if self.day_start is not None and time >= self.day_start:
            self.runtime_today += time - max(self.since, self.day_start)
        self.running, self.since = False, time

    def run_length(self, time: float) -> float:
        """Seconds the current run has lasted, or 0 when not running."""
        if not self.running or self.since is None:
            return 0.0
        return max(0.0, time - self.since)

    def runtime_today_at(self, time: float) -> float:
        """Seconds run since local midnight, including a run still going."""
        ongoing = 0.0
        if self.running and self.since is not None:
            end = self.pending_stop if self.pending_stop is not None else time
            ongoing = max(0.0, end - max(self.since, self.day_start or self.since))
        return self.runtime_today + ongoing

    def runtime_within(self, time: float, window: float) -> float:
        """Seconds run in the window that ends at `time`, including a run still going."""
        begin = time - window
        total = 0.0
        for end, duration in reversed(self.runs):
            if end <= begin:
                break
            total += end - max(end - duration, begin)
        if self.running and self.since is not None:
            end = self.pending_stop if self.pending_stop is not None else time
            total += max(0.0, end - max(self.since, begin))
        return total

    def starts_within(self, time: float, window: float) -> int:
        """Compressor starts in the window that ends at `time`."""
        count = 0
        for start in reversed(self.starts):
            if start <= time - window:
                break
            count += 1
        return count

    def median_run(
        self, time: float, window: float = DAY, skip: Callable[[float], bool] | None = None
    ) -> float | None:
        """Median length of the runs that ended within the window, in seconds.

        `skip` leaves out the runs whose start time it accepts.
        """
        return _median_since(self.runs, time - window, skip)

    def median_off(self, time: float, window: float = DAY) -> float | None:
        """Median length of the pauses that ended within the window, in seconds."""
        return _median_since(self.offs, time - window)


def _median_since(
    spans: deque[tuple[float, float]],
    begin: float,
    skip: Callable[[float], bool] | None = None,
) -> float | None:
    """Median duration of the (end, duration) spans that ended after `begin`.

    Spans are kept in the order they ended, so the scan stops at the first older one.
    """
    durations: list[float] = []
    for end, duration in reversed(spans):
        if end <= begin:
            break
        if skip is None or not skip(end - duration):
            durations.append(duration)
    return median(durations) if durations else None
