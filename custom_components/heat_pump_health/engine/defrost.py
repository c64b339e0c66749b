"""Defrost cycles: from the unit when it says so, else inferred from the temperature split."""

from collections import deque
from dataclasses import dataclass, field

# Inference: while heating, a supply temperature this far below the return means the indoor
# coil has turned cold, which is what a reverse-cycle defrost does (3-12 K on hydronic units).
INFER_START_SPLIT = -1.5
# ...when the supply itself fell this far below its highest value of the lookback (a defrost
# cools the flow), while the return did not fall more than RETURN_FALL (a switching valve, or
# a cold circuit opening, pulls the return down with the flow).
FLOW_FALL = 2.0
RETURN_FALL = 2.0
LOOKBACK = 5 * 60.0
PEAK_BUCKET = 60.0
PEAK_BUCKETS = 6
# A dip counts once seen again this long after its first sighting (and within CONFIRM_WITHIN),
# or once it held unchanged longer than CONFIRM_WITHIN: a glitch of one reading is no defrost.
CONFIRM = 20.0
CONFIRM_WITHIN = 120.0
# An inferred defrost ends once the supply is back at or above the return this long, or once
# the compressor has been stopped this long (a unit that stops right after a defrost leaves its
# pump circulating, the supply level with the return or a little below it, for hours).
INFER_END_SPLIT = 0.0
END_HOLD = 120.0
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
    # Inference: (minute start, highest value) of supply and return over the lookback, the
    # values held since the last reading, a dip seen but not yet confirmed (since, and the
    # supply before it), since when the supply has been back above the return, and when in
    # that time it was back to where it was before.
    flow_peaks: deque[tuple[float, float]] = field(
        default_factory=lambda: deque(maxlen=PEAK_BUCKETS)
    )
    return_peaks: deque[tuple[float, float]] = field(
        default_factory=lambda: deque(maxlen=PEAK_BUCKETS)
    )
    held_flow: float | None = None
    held_return: float | None = None
    dip_since: float | None = None
    dip_seen: float | None = None
    dip_supply: float | None = None
    back_since: float | None = None
    back_recovered: float | None = None
    stopped_since: float | None = None

    def update(
        self,
        time: float,
        explicit: bool | None,
        *,
        heating: bool,
        running: bool | None,
        split: float | None,
        supply: float | None,
        runtime: float,
    ) -> None:
        """Follow the defrost state; `explicit` is the unit's own signal when it has one."""
        if explicit is not None:
            self.explicit_source = True
            self._set(time, explicit, supply, runtime)
        elif not self.explicit_source:
            self._note_stop(time, running)
            self._infer(time, heating, split, supply, runtime)
        self._recover(time, supply)

    def _note_stop(self, time: float, running: bool | None) -> None:
        """Note since when the compressor has been stopped during an inferred defrost."""
        if not self.active or running is not False:
            self.stopped_since = None
        elif self.stopped_since is None:
            self.stopped_since = time

    def _infer(
        self, time: float, heating: bool, split: float | None, supply: float | None, runtime: float
    ) -> None:
        """Infer defrost from the supply falling below the return while heating.

        Readings are held until the next one, and this runs on every change of them, so a
        dip seen at one call and not at the next lasted until that next call.
        """
        back = None if split is None or supply is None else supply - split
        flow_peak = _note(self.flow_peaks, self.held_flow, supply, time)
        return_peak = _note(self.return_peaks, self.held_return, back, time)
        self.held_flow, self.held_return = supply, back
        if split is None or supply is None or back is None:
            return
        if self.active:
            self._infer_end(time, split)
            if self.active:
                return
        low = (
            heating
            and split <= INFER_START_SPLIT
            and (return_peak is None or return_peak - back <= RETURN_FALL)
        )
        if self.dip_since is not None and self._confirm_dip(time, low):
            self._set(self.dip_since, True, self.dip_supply, runtime)
            self.dip_since = self.dip_seen = self.dip_supply = None
            self._infer_end(time, split)
            return
        fell = flow_peak is not None and flow_peak - supply >= FLOW_FALL
        if low and fell and self.dip_since is None:
            self.dip_since, self.dip_supply = time, flow_peak
        self.dip_seen = time if low and self.dip_since is not None else None

    def _confirm_dip(self, time: float, low: bool) -> bool:
        """Whether the dip first seen at `dip_since` is a defrost; forget it once it is stale.

        Confirmed when seen again CONFIRM to CONFIRM_WITHIN after the first sighting (or later,
        seen at every reading since the last), or when its last reading held unchanged
        longer than CONFIRM_WITHIN.
        """
        assert self.dip_since is not None
        since_first = time - self.dip_since
        seen_before = self.dip_seen is not None
        if low and since_first >= CONFIRM and (seen_before or since_first <= CONFIRM_WITHIN):
            return True
        if self.dip_seen is not None and time - self.dip_seen > CONFIRM_WITHIN:
            return True
        if since_first > CONFIRM_WITHIN:
            self.dip_since = self.dip_seen = self.dip_supply = None
        return False

    def _infer_end(self, time: float, split: float) -> None:
        """End an inferred defrost once the supply has been back above the return long enough."""
        if self.settle(time):
            return
        if split >= INFER_END_SPLIT:
            self.back_since = self.back_since if self.back_since is not None else time
        else:
            self.back_since = self.back_recovered = None

    def settle(self, time: float) -> bool:
        """End an inferred defrost whose supply has held above the return long enough by `time`.

        Called as time passes too, since the readings that ended it may not change again for
        long. The end is dated when the supply came back, and so is the recovery when the
        supply came back all the way while waiting; a compressor stopped as long ends it where
        it stopped. Says whether it ended the defrost.
        """
        if not self.active:
            return False
        back_since, recovered, stopped = self.back_since, self.back_recovered, self.stopped_since
        ends = [
            since
            for since in (back_since, stopped)
            if since is not None and time - since >= END_HOLD
        ]
        if not ends:
            return False
        end = min(ends)
        self._end(end)
        if recovered is not None and end == back_since:
            self.recoveries.append(recovered - end)
            self.recovering_since = None
        self.back_since = self.back_recovered = self.stopped_since = None
        return True

    def _set(self, time: float, defrosting: bool, supply: float | None, runtime: float) -> None:
        """Start or end a defrost."""
        if defrosting == self.active:
            return
        if not defrosting:
            self._end(time)
            return
        self.active, self.since = True, time
        self.count += 1
        self.count_today += 1
        if self.runtime_at_last_start is not None:
            self.intervals.append((time, max(0.0, runtime - self.runtime_at_last_start)))
        self.runtime_at_last_start = runtime
        if self.recovering_since is None:
            self.supply_before = supply
        self.recovering_since = None

    def _end(self, time: float) -> None:
        """End the defrost under way."""
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
        if supply is None or self.supply_before is None:
            return
        back = supply >= self.supply_before - RECOVERY_MARGIN
        if self.active and self.back_since is not None and self.back_recovered is None and back:
            self.back_recovered = time  # an inferred defrost waiting to end
        elif self.recovering_since is not None and back:
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


def _note(
    peaks: deque[tuple[float, float]], held: float | None, value: float | None, time: float
) -> float | None:
    """Keep the minute's highest value (the one held until now too); the lookback's highest."""
    minute = time - time % PEAK_BUCKET
    for candidate in (held, value):
        if candidate is None:
            continue
        if peaks and peaks[-1][0] == minute:
            if candidate > peaks[-1][1]:
                peaks[-1] = (minute, candidate)
        else:
            peaks.append((minute, candidate))
    recent = [peak for start, peak in peaks if start >= minute - LOOKBACK]
    return max(recent, default=None)
