"""Defrost cycles: from the unit when it says so, else inferred from the temperature split."""

from collections import deque
from dataclasses import dataclass, field

# Inference: while heating, a supply temperature this far below the return means the indoor
# coil has turned cold, which is what a reverse-cycle defrost does (3-12 K on hydronic units).
INFER_START_SPLIT = -1.0
INFER_END_SPLIT = 0.0
# Recovery is over once the supply is back within this of where it was before the defrost.
RECOVERY_MARGIN = 1.0
RECENT = 32


@dataclass(slots=True)
class DefrostTracker:
    """Counts defrosts and measures their duration, spacing in runtime, and recovery."""

    active: bool = False
    since: float | None = None
    explicit_source: bool = False
    count: int = 0
    total_seconds: float = 0.0
    count_today: int = 0
    seconds_today: float = 0.0
    last_end: float | None = None
    runtime_at_last_start: float | None = None
    supply_before: float | None = None
    recovering_since: float | None = None
    # (end time, seconds) of recent defrosts
    durations: deque[tuple[float, float]] = field(default_factory=lambda: deque(maxlen=RECENT))
    # (start time, runtime seconds since the previous defrost started)
    intervals: deque[tuple[float, float]] = field(default_factory=lambda: deque(maxlen=RECENT))
    recoveries: deque[float] = field(default_factory=lambda: deque(maxlen=RECENT))

    def update(
        self,
        time: float,
        explicit: bool | None,
        *,
        heating: bool,
        split: float | None,
        supply: float | None,
        runtime: float,
    ) -> None:
        """Follow the defrost state; `explicit` is the unit's own signal when it has one."""
        if explicit is not None:
            self.explicit_source = True
            self._set(time, explicit, supply, runtime)
        elif not self.explicit_source:
            self._infer(time, heating, split, supply, runtime)
        self._recover(time, supply)

    def _infer(
        self, time: float, heating: bool, split: float | None, supply: float | None, runtime: float
    ) -> None:
        """Infer defrost from the supply temperature falling below the return while heating."""
        if split is None:
            return
        if not self.active and heating and split <= INFER_START_SPLIT:
            self._set(time, True, supply, runtime)
        elif self.active and split >= INFER_END_SPLIT:
            self._set(time, False, supply, runtime)

    def _set(self, time: float, defrosting: bool, supply: float | None, runtime: float) -> None:
        """Start or end a defrost."""
        if defrosting == self.active:
            return
        if defrosting:
            self.active, self.since = True, time
            self.count += 1
            self.count_today += 1
            if self.runtime_at_last_start is not None:
                self.intervals.append((time, max(0.0, runtime - self.runtime_at_last_start)))
            self.runtime_at_last_start = runtime
            if self.recovering_since is None:
                self.supply_before = supply
            self.recovering_since = None
            return
        self.active = False
        if self.since is not None:
            duration = time - self.since
            self.durations.append((time, duration))
            self.total_seconds += duration
            self.seconds_today += duration
        self.last_end = time
        self.recovering_since = time if self.supply_before is not None else None

    def _recover(self, time: float, supply: float | None) -> None:
        """Measure how long the supply takes to come back after a defrost."""
        if self.recovering_since is None or supply is None or self.supply_before is None:
            return
        if supply >= self.supply_before - RECOVERY_MARGIN:
            self.recoveries.append(time - self.recovering_since)
            self.recovering_since = None

    def new_day(self) -> None:
        """Start counting a new local day."""
        self.count_today = 0
        self.seconds_today = 0.0

    def ongoing(self, time: float) -> float:
        """Seconds the current defrost has lasted, or 0."""
        return time - self.since if self.active and self.since is not None else 0.0

    @property
    def known(self) -> bool:
        """Whether this unit's defrosts can be seen at all (reported, or inferred before)."""
        return self.explicit_source or self.count > 0
