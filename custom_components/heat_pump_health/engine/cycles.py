"""Compressor cycles: starts, run and off durations, and runtime per local day."""

from collections import deque
from dataclasses import dataclass, field
from datetime import tzinfo
from statistics import median
from typing import Any

from .calendar import day_bounds

# Bounded memory: enough recent starts and runs for hour and day statistics of a unit that
# cycles every few minutes, and no more.
MAX_RECENT = 512
HOUR = 3600.0
DAY = 86400.0


@dataclass(slots=True)
class CycleTracker:
    """Turns a running/not-running signal into cycles and daily runtime."""

    running: bool | None = None
    since: float | None = None
    starts: deque[float] = field(default_factory=lambda: deque(maxlen=MAX_RECENT))
    runs: deque[tuple[float, float]] = field(default_factory=lambda: deque(maxlen=MAX_RECENT))
    offs: deque[tuple[float, float]] = field(default_factory=lambda: deque(maxlen=MAX_RECENT))
    total_starts: int = 0
    total_runtime: float = 0.0
    day_start: float | None = None
    day_end: float | None = None
    runtime_today: float = 0.0
    starts_today: int = 0

    def update(self, time: float, running: bool | None, zone: tzinfo) -> None:
        """Record the running state at a time; unknown keeps the last known state."""
        self.advance(time, zone)
        if running is None or running == self.running:
            return
        if self.running is None or self.since is None:
            self.running, self.since = running, time
            return
        duration = time - self.since
        if running:
            self.offs.append((time, duration))
            self.starts.append(time)
            self.total_starts += 1
            self.starts_today += 1
        else:
            self.runs.append((time, duration))
            self.total_runtime += duration
            self.runtime_today += time - max(self.since, self.day_start or self.since)
        self.running, self.since = running, time

    def advance(self, time: float, zone: tzinfo) -> None:
        """Move the clock forward, closing the local day when midnight has passed."""
        if self.day_end is None or self.day_start is None:
            self.day_start, self.day_end = day_bounds(time, zone)
            return
        if time < self.day_end:
            return
        self.day_start, self.day_end = day_bounds(time, zone)
        self.runtime_today = 0.0
        self.starts_today = 0

    def runtime_today_at(self, time: float) -> float:
        """Seconds run since local midnight, including a run still going."""
        ongoing = 0.0
        if self.running and self.since is not None:
            ongoing = max(0.0, time - max(self.since, self.day_start or self.since))
        return self.runtime_today + ongoing

    def starts_within(self, time: float, window: float) -> int:
        """Compressor starts in the window that ends at `time`."""
        return sum(1 for start in self.starts if start > time - window)

    def median_run(self, time: float, window: float = DAY) -> float | None:
        """Median length of the runs that ended within the window, in seconds."""
        durations = [duration for end, duration in self.runs if end > time - window]
        return median(durations) if durations else None

    def median_off(self, time: float, window: float = DAY) -> float | None:
        """Median length of the pauses that ended within the window, in seconds."""
        durations = [duration for end, duration in self.offs if end > time - window]
        return median(durations) if durations else None

    def as_dict(self) -> dict[str, Any]:
        """Return the state as plain data."""
        return {
            "running": self.running,
            "since": self.since,
            "starts": list(self.starts),
            "runs": [list(run) for run in self.runs],
            "offs": [list(off) for off in self.offs],
            "total_starts": self.total_starts,
            "total_runtime": self.total_runtime,
            "day_start": self.day_start,
            "day_end": self.day_end,
            "runtime_today": self.runtime_today,
            "starts_today": self.starts_today,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CycleTracker:
        """Restore the state saved by `as_dict`."""
        tracker = cls(
            running=data["running"],
            since=data["since"],
            total_starts=int(data["total_starts"]),
            total_runtime=float(data["total_runtime"]),
            day_start=data["day_start"],
            day_end=data["day_end"],
            runtime_today=float(data["runtime_today"]),
            starts_today=int(data["starts_today"]),
        )
        tracker.starts.extend(float(start) for start in data["starts"])
        tracker.runs.extend((float(end), float(length)) for end, length in data["runs"])
        tracker.offs.extend((float(end), float(length)) for end, length in data["offs"])
        return tracker
