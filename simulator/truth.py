"""Ground truth of a run: what really happened, for tests and the detection benchmark."""

from dataclasses import dataclass, field
from typing import NamedTuple

from .faults import FaultKind, SensorTarget


class Interval(NamedTuple):
    """A span of time in epoch seconds."""

    start: float
    end: float

    @property
    def seconds(self) -> float:
        """How long it lasted."""
        return self.end - self.start


class FaultWindow(NamedTuple):
    """When an injected fault acted (one window per breaker trip)."""

    kind: FaultKind
    start: float
    end: float
    target: SensorTarget | None


class HourStats(NamedTuple):
    """One hour of the run.

    Temperatures are means of the true values; heat includes aux heat and counts defrost as
    negative (and cooling too).
    """

    start: float
    mode: str
    outdoor_c: float
    indoor_c: float
    target_c: float
    heat_kwh: float
    electric_kwh: float
    aux_kwh: float
    run_seconds: float
    starts: int
    defrosts: int


@dataclass(slots=True)
class Truth:
    """Compressor runs (a defrost is part of its run), defrosts, aux heat, faults and hours.

    With a hot-water cylinder: `hot_water` holds the reheats (the valve turned to the
    cylinder), `hot_water_starts` the compressor starts a reheat caused (a run already going
    for space heating just carries on; these starts are in `runs` too), and `legionella` the
    immersion heater's anti-legionella runs (in `aux` too, as the aux signal is on).
    It fills in while the run's observations are consumed, and is complete once they end.
    """

    runs: list[Interval] = field(default_factory=list)
    defrosts: list[Interval] = field(default_factory=list)
    aux: list[Interval] = field(default_factory=list)
    faults: list[FaultWindow] = field(default_factory=list)
    hours: list[HourStats] = field(default_factory=list)
    hot_water: list[Interval] = field(default_factory=list)
    hot_water_starts: list[float] = field(default_factory=list)
    legionella: list[Interval] = field(default_factory=list)

    def starts_between(self, start: float, end: float) -> int:
        """Compressor starts in [start, end)."""
        return sum(1 for run in self.runs if start <= run.start < end)
