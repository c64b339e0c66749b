"""Hot water: the unit heating its cylinder, counted apart from space heating.

A three-way valve (the `hot_water` role) sends the flow to the cylinder. The unit heats hot
water while the valve is there, the compressor runs and no defrost is under way. Hot water is
hotter and less efficient than space heating, so the baselines leave it out, and the short
cycling detector leaves its starts and runs out.

Some units turn the valve to the cylinder during a defrost, to take heat from it: a valve
episode counts as a hot-water run only once it has heated the cylinder for `MIN_RUN`. The
compressor often keeps running across a switch between space heating and hot water; a switch
is no start. A compressor start with the valve at the cylinder, or one that the valve follows
within `START_GRACE` (it moves once the compressor is up), is a hot-water start.
"""

from collections import deque
from dataclasses import dataclass, field

from .cycles import MAX_RECENT
from .durations import DAY, HOUR, MINUTE

MIN_RUN = 5 * MINUTE
START_GRACE = 3 * MINUTE
# After a hot-water run the water in the circuit is still hot from it: the split, the flow and
# the flow temperature are not learned for this long.
AFTER_HOT_WATER = 10 * MINUTE
# The immersion heater of a weekly anti-legionella run heats the cylinder with the valve there,
# or just after the heat pump's part of the run: backup heat this soon after is not space heating.
# Some units run the immersion heater on its own schedule, the valve elsewhere: with a hot-water
# source, the first burst of backup heat in `LEGIONELLA_EVERY` is taken as that run, for up to
# `IMMERSION_ALONE`. Real overuse comes back day after day and is still seen.
IMMERSION_AFTER = 60 * MINUTE
IMMERSION_ALONE = 3 * HOUR
LEGIONELLA_EVERY = 6 * DAY
# Starts are matched to runs by their start time, to within this (s).
SAME_START = 1.0


@dataclass(slots=True)
class HotWaterTracker:
    """Hot-water runs, starts and runtime, today and in all.

    `heating` is decided with the compressor and defrost state (see `update`); `add` counts
    the time between two readings.
    """

    # Whether a hot-water source has ever reported: without one, nothing here is known.
    seen: bool = False
    valve: bool = False
    heating: bool = False
    # When the valve last left the cylinder, and when heating the cylinder last stopped.
    valve_closed: float | None = None
    last_end: float | None = None
    # The current valve episode: seconds heated, whether it is a run, the start it began with.
    episode_seconds: float = 0.0
    in_run: bool = False
    pending_start: float | None = None
    starts: deque[float] = field(default_factory=lambda: deque(maxlen=MAX_RECENT))
    total_runs: int = 0
    total_starts: int = 0
    total_runtime: float = 0.0
    runs_today: int = 0
    starts_today: int = 0
    runtime_today: float = 0.0
    # Backup heat: since when it runs, and the last burst taken as the weekly anti-legionella run.
    aux_since: float | None = None
    legionella: float | None = None

    def update(
        self,
        time: float,
        valve: bool,
        *,
        running: bool,
        defrosting: bool,
        run_since: float | None,
    ) -> None:
        """Take the valve, compressor and defrost state at `time`.

        `run_since` is when the compressor's current run began (None when it is not running).
        """
        if valve and not self.valve:
            self._open_episode()
        elif self.valve and not valve:
            self._close_episode(time)
        if valve and running and run_since is not None and run_since >= time - START_GRACE:
            self._note_start(run_since)
        self.valve = valve
        heating = valve and running and not defrosting
        if self.heating and not heating:
            self.last_end = time
        self.heating = heating

    def add(self, seconds: float) -> None:
        """Count `seconds` of the cylinder being heated (the caller checks `heating`)."""
        self.episode_seconds += seconds
        if self.in_run:
            self.runtime_today += seconds
            self.total_runtime += seconds
        elif self.episode_seconds >= MIN_RUN:
            self.in_run = True
            self.total_runs += 1
            self.runs_today += 1
            self.runtime_today += self.episode_seconds
            self.total_runtime += self.episode_seconds
            if self.pending_start is not None:
                self._count_start(self.pending_start)

    def new_day(self) -> None:
        """Start counting a new local day."""
        self.runs_today = 0
        self.starts_today = 0
        self.runtime_today = 0.0

    def recently(self, time: float, window: float) -> bool:
        """Whether the cylinder is being heated, or was within `window` before `time`."""
        return self.heating or (self.last_end is not None and time - self.last_end < window)

    def note_aux(self, time: float, *, running: bool) -> None:
        """Follow backup heat: its first burst in six days may be the weekly immersion run."""
        if not running:
            self.aux_since = None
            return
        if self.aux_since is not None:
            return
        self.aux_since = time
        last = self.legionella
        if self.seen and (last is None or time - last >= LEGIONELLA_EVERY):
            self.legionella = time

    def immersion_time(self, time: float) -> bool:
        """Whether backup heat now is the cylinder's (see `IMMERSION_AFTER`, `IMMERSION_ALONE`)."""
        closed, alone = self.valve_closed, self.legionella
        return (
            self.valve
            or (closed is not None and time - closed < IMMERSION_AFTER)
            or (alone is not None and alone == self.aux_since and time - alone < IMMERSION_ALONE)
        )

    def starts_within(self, time: float, window: float) -> int:
        """Hot-water starts in the window that ends at `time`."""
        return sum(1 for start in self.starts if start > time - window)

    def started_run(self, start: float) -> bool:
        """Whether the compressor run that began at `start` was a hot-water start."""
        return any(abs(start - known) <= SAME_START for known in self.starts)

    def _open_episode(self) -> None:
        """The valve turned to the cylinder."""
        self.episode_seconds = 0.0
        self.in_run = False
        self.pending_start = None

    def _note_start(self, run_since: float) -> None:
        """A compressor run that began with the valve at the cylinder, or just before it moved.

        Counted once the episode is a run: a valve turned during a defrost starts nothing.
        """
        if self.in_run:
            if not self.started_run(run_since):
                self._count_start(run_since)
        elif self.pending_start is None:
            self.pending_start = run_since

    def _count_start(self, start: float) -> None:
        """Count a hot-water start."""
        self.starts.append(start)
        self.total_starts += 1
        self.starts_today += 1

    def _close_episode(self, time: float) -> None:
        """The valve left the cylinder."""
        self.valve_closed = time
        self.episode_seconds = 0.0
        self.in_run = False
        self.pending_start = None
