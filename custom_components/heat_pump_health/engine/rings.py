"""Bounded histories stored as rows of floats in one array allocated up front.

A year of daily records kept as objects would grow the engine's memory by a few hundred bytes
every day until the history is full; in a preallocated ring the memory is the same on the first
day as after the thirteenth month, and about a third of it.
"""

from abc import ABC, abstractmethod
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, ClassVar

# Optional values are stored as NaN: the engine keeps only finite numbers, so NaN means None.
MISSING = float("nan")


class Ring[T](ABC):
    """The last `capacity` items, each stored as `width` floats; the oldest drops off."""

    __slots__ = ("_cells", "_length", "_start", "capacity")
    width: ClassVar[int]
    # What one item is, for restoring saved state (see `state.from_plain`); when its saved
    # form is its row, rows are restored as they are, without building an item first.
    item_type: ClassVar[Any]
    saved_as_row: ClassVar[bool] = False

    def __init__(self, capacity: int, items: Iterable[T] = ()) -> None:
        """Allocate every row now; then take `items` in order."""
        self.capacity = capacity
        self._cells = array("d", bytes(8 * self.width * capacity))
        self._start = 0
        self._length = 0
        self.extend(items)

    @abstractmethod
    def to_row(self, item: T) -> Sequence[float]:
        """The floats one item is stored as."""

    @abstractmethod
    def from_row(self, row: Sequence[float]) -> T:
        """The item a stored row holds."""

    def append(self, item: T) -> None:
        """Add the newest item, dropping the oldest when full."""
        self.append_row(self.to_row(item))

    def append_row(self, row: Sequence[float]) -> None:
        """Add the newest item as its row of floats."""
        if len(row) != self.width:
            raise ValueError(f"a row of {self.width} values, not {len(row)}")
        if self._length < self.capacity:
            slot = (self._start + self._length) % self.capacity
            self._length += 1
        else:
            slot = self._start
            self._start = (self._start + 1) % self.capacity
        at = slot * self.width
        self._cells[at : at + self.width] = array("d", row)

    def extend(self, items: Iterable[T]) -> None:
        """Add items, oldest first."""
        for item in items:
            self.append(item)

    def clear(self) -> None:
        """Forget every item; the memory stays allocated."""
        self._start = 0
        self._length = 0

    def recent(self, count: int) -> list[T]:
        """The newest `count` items (fewer if fewer are kept), oldest first."""
        count = max(0, min(count, self._length))
        return [self._item_at(index) for index in range(self._length - count, self._length)]

    def _item_at(self, index: int) -> T:
        at = (self._start + index) % self.capacity * self.width
        return self.from_row(self._cells[at : at + self.width])

    def __len__(self) -> int:
        """How many items are kept."""
        return self._length

    def __iter__(self) -> Iterator[T]:
        """The items, oldest first."""
        for index in range(self._length):
            yield self._item_at(index)

    def __getitem__(self, index: int) -> T:
        """One item by position; negative positions count from the newest."""
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("ring index out of range")
        return self._item_at(index)

    def __eq__(self, other: object) -> bool:
        """Equal to a ring of the same kind holding the same items."""
        if not isinstance(other, Ring) or type(other) is not type(self):
            return NotImplemented
        return self.capacity == other.capacity and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        """The kind, capacity and size, without dumping every row."""
        return f"{type(self).__name__}({self._length} of {self.capacity})"


def optional(value: float | None) -> float:
    """A value for a row, None stored as NaN."""
    return MISSING if value is None else value


def restored(value: float) -> float | None:
    """A value from a row, NaN read back as None."""
    return None if value != value else value  # noqa: PLR0124 (NaN is the only value unequal to itself)
