"""Everything the engine has learned about one heat pump, as one serialisable dataclass."""

from collections import deque
from dataclasses import dataclass, field

from .activity import FrequencyPeak, PowerLevels
from .aux import AuxHeatTracker
from .baselines import BinnedBaseline, EnergyBaseline
from .cycles import CycleTracker
from .defrost import DefrostTracker
from .findings import Finding, FindingKey, Maintenance
from .hot_water import HotWaterTracker
from .periods import Counter, DailyHistory, Period
from .readings import Readings
from .season import SeasonSigns
from .windows import BucketWindow

RECENT_HOURS = 72
OUTDOOR_HOURS = 1


@dataclass(slots=True)
class TrackedFinding:
    """A detector's finding over time: pending before it raises, clearing before it ends."""

    pending_since: float | None = None
    clearing_since: float | None = None
    unknown_since: float | None = None
    finding: Finding | None = None


@dataclass(slots=True)
class HourSample:
    """An hourly figure next to what the baseline expected at that outdoor temperature."""

    time: float
    value: float
    expected: float


@dataclass(slots=True)
class Memory:
    """What one detector learns for itself, saved with the rest of the state.

    A detector that declares a memory (a dataclass deriving from this) gets it from
    `UnitState.memory`; the engine calls the hooks as hours and days close. `raised` says
    whether the detector's finding is open, when learning usually pauses so that a fault is
    not taught as normal.
    """

    def hour_closed(self, hour: Period, end: float, *, raised: bool) -> None:
        """Learn from a closed hour (or the part of an hour before local midnight)."""

    def day_closed(self, day: Period, end: float, *, raised: bool) -> None:
        """Learn from a closed local day."""


@dataclass(slots=True)
class UnitState:
    """The learned state of one unit; `to_plain`/`from_plain` save and restore it."""

    first_time: float | None = None
    last_time: float | None = None
    next_evaluation: float | None = None
    observations: int = 0
    late: int = 0
    readings: Readings = field(default_factory=Readings)
    levels: PowerLevels = field(default_factory=PowerLevels)
    frequency: FrequencyPeak = field(default_factory=FrequencyPeak)
    cycles: CycleTracker = field(default_factory=CycleTracker)
    defrost: DefrostTracker = field(default_factory=DefrostTracker)
    season_signs: SeasonSigns = field(default_factory=SeasonSigns)
    aux: AuxHeatTracker = field(default_factory=AuxHeatTracker)
    hot_water: HotWaterTracker = field(default_factory=HotWaterTracker)
    counter: Counter = field(default_factory=Counter)
    heat_counter: Counter = field(default_factory=Counter)
    heat_is_counter: bool = False
    climate_reports_defrost: bool = False
    energy_total: float = 0.0
    energy_seen: bool = False
    # kWh integrated from the power sensor, for units with no energy counter
    power_energy_total: float = 0.0
    power_seen: bool = False
    hour: Period = field(default_factory=Period)
    day: Period = field(default_factory=Period)
    hour_end: float | None = None
    day_end: float | None = None
    history: DailyHistory = field(default_factory=DailyHistory)
    energy_baseline: EnergyBaseline = field(default_factory=EnergyBaseline)
    runtime_baseline: BinnedBaseline = field(default_factory=BinnedBaseline)
    # mean power (W) in hours the setpoint was held: how hard the unit worked to keep up
    load_baseline: BinnedBaseline = field(default_factory=BinnedBaseline)
    splits: deque[HourSample] = field(default_factory=lambda: deque(maxlen=RECENT_HOURS))
    indoor_marks: deque[tuple[float, float]] = field(default_factory=lambda: deque(maxlen=3))
    # the mean outdoor temperature of the last closed hour(s): nonstop_running judges the load
    # at the harsher of it and now
    outdoor_hours: deque[float] = field(default_factory=lambda: deque(maxlen=OUTDOOR_HOURS))
    icing_runtime: float = 0.0
    aux_mild: BucketWindow = field(default_factory=BucketWindow)
    outage_since: float | None = None
    outages: deque[float] = field(default_factory=lambda: deque(maxlen=16))
    maintenance: dict[Maintenance, float] = field(default_factory=dict)
    tracked: dict[FindingKey, TrackedFinding] = field(default_factory=dict)
    # Each detector's own memory, by its finding key (see `Memory`); saved by `persistence`.
    memories: dict[FindingKey, Memory] = field(default_factory=dict)

    def is_open(self, key: FindingKey) -> bool:
        """Whether a finding is open now."""
        tracked = self.tracked.get(key)
        return tracked is not None and tracked.finding is not None

    def memory[M: Memory](self, key: FindingKey, kind: type[M]) -> M:
        """The memory of the detector raising `key`, made fresh the first time it is asked."""
        memory = self.memories.get(key)
        if not isinstance(memory, kind):
            memory = self.memories[key] = kind()
        return memory
