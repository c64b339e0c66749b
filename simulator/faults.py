"""Injectable faults: what each one changes, and when.

A `Fault` is a kind, a window in days from the scenario's start and a kind-specific size (the
defaults in `DEFAULT_SIZE`). `FaultSchedule` folds the active faults into one `Effects` value
that the unit, thermostat and sensors read.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
import math

from .weather import DAY

HOUR = 3600.0
# Dirty filters and leaks develop over time; these refresh the effects often enough to be smooth.
EFFECTS_REFRESH_S = 600.0
FILTER_CLOGGING_DAYS = 1.0
LEAK_FLOOR = 0.65


class FaultKind(StrEnum):
    """What can go wrong."""

    SHORT_CYCLING = "short_cycling"
    DIRTY_FILTER = "dirty_filter"
    REFRIGERANT_LEAK = "refrigerant_leak"
    CAPACITY_LOSS = "capacity_loss"
    ENERGY_WASTE = "energy_waste"
    DEFROST_NONE = "defrost_none"
    DEFROST_TOO_FREQUENT = "defrost_too_frequent"
    DEFROST_TOO_LONG = "defrost_too_long"
    AUX_LOCKOUT_HIGH = "aux_lockout_high"
    BREAKER_TRIP = "breaker_trip"
    STUCK_SENSOR = "stuck_sensor"
    DRIFTING_SENSOR = "drifting_sensor"
    DEAD_COMPRESSOR = "dead_compressor"
    WATER_LEAK = "water_leak"
    CLOGGED_STRAINER = "clogged_strainer"
    PRESSURE_LOSS = "pressure_loss"
    UNIT_ERROR = "unit_error"


class SensorTarget(StrEnum):
    """Temperature sources a sensor fault can hit. CLIMATE is the thermostat's own sensor."""

    INDOOR = "indoor"
    OUTDOOR = "outdoor"
    SUPPLY = "supply"
    RETURN = "return"
    CLIMATE = "climate"


DEFAULT_SIZE: dict[FaultKind, float] = {
    FaultKind.SHORT_CYCLING: 10.0,  # cycles an hour of a misconfigured thermostat
    FaultKind.DIRTY_FILTER: 0.45,  # airflow (or water flow) left, reached over a day
    FaultKind.REFRIGERANT_LEAK: 0.015,  # capacity lost per day, down to LEAK_FLOOR
    FaultKind.CAPACITY_LOSS: 0.8,  # share of capacity lost at once
    FaultKind.ENERGY_WASTE: 1.5,  # electric power for the same heat
    FaultKind.DEFROST_NONE: 0.0,
    FaultKind.DEFROST_TOO_FREQUENT: 12.0,  # minutes of runtime between defrosts
    FaultKind.DEFROST_TOO_LONG: 28.0,  # minutes each defrost lasts
    FaultKind.AUX_LOCKOUT_HIGH: 12.0,  # °C below which aux heat runs on every call
    FaultKind.BREAKER_TRIP: 3.0,  # hours each outage lasts
    FaultKind.STUCK_SENSOR: 0.0,
    FaultKind.DRIFTING_SENSOR: 1.5,  # K per day
    FaultKind.DEAD_COMPRESSOR: 0.0,
    FaultKind.WATER_LEAK: 0.0,
    FaultKind.CLOGGED_STRAINER: 0.45,  # water flow left, reached over a day (as a dirty filter)
    FaultKind.PRESSURE_LOSS: 0.15,  # bar lost per day by a sealed water circuit
    FaultKind.UNIT_ERROR: 7.0,  # the code's number ("E7"); the compressor stops while it lasts
}


@dataclass(frozen=True, slots=True)
class Fault:
    """One injected fault, active from `start_day` until `end_day` (None: to the end).

    Breaker trips repeat `count` times, `interval_hours` apart; each lasts `size` hours.
    Sensor faults hit `target` (default: the separate indoor sensor). `age_days` is how long
    the fault had been developing when its window opened: a filter clogged before the monitor
    was installed starts at `start_day` 0 with an age of a day or more, at its full size.
    """

    kind: FaultKind
    start_day: float
    end_day: float | None = None
    size: float | None = None
    target: SensorTarget | None = None
    count: int = 1
    interval_hours: float = 24.0
    age_days: float = 0.0

    @property
    def magnitude(self) -> float:
        """The size, or the kind's default."""
        return DEFAULT_SIZE[self.kind] if self.size is None else self.size

    @property
    def sensor(self) -> SensorTarget:
        """The sensor a sensor fault hits."""
        return SensorTarget(self.target or SensorTarget.INDOOR)

    def windows(self, origin: float, end: float) -> list[tuple[float, float]]:
        """When it acts, as (start, end) epoch seconds, clipped to a run that ends at `end`."""
        start = origin + self.start_day * DAY
        stop = end if self.end_day is None else min(end, origin + self.end_day * DAY)
        if self.kind != FaultKind.BREAKER_TRIP:
            return [(start, stop)] if start < stop else []
        trips = []
        for i in range(self.count):
            trip = start + i * self.interval_hours * HOUR
            if trip >= stop:
                break
            trips.append((trip, min(end, trip + self.magnitude * HOUR)))
        return trips


@dataclass(slots=True)
class Effects:
    """Everything the active faults change at one moment; the defaults mean healthy."""

    capacity: float = 1.0
    cop: float = 1.0
    power: float = 1.0
    airflow: float = 1.0
    cycles_per_hour: float = 0.0  # > 0: a time-proportioning thermostat at that rate
    defrost_never: bool = False
    defrost_interval_s: float | None = None
    defrost_duration_s: float | None = None
    aux_lockout_c: float | None = None  # aux runs on every call below this
    tripped: bool = False
    dead_compressor: bool = False
    leak: bool = False
    pressure_loss_bar: float = 0.0
    error_code: str | None = None  # the unit's own fault: it locks out, nothing runs
    drift_k: dict[SensorTarget, float] = field(default_factory=dict)
    stuck: frozenset[SensorTarget] = frozenset()


class FaultSchedule:
    """The scenario's faults on its time line; `effects_at` folds those active at a moment."""

    __slots__ = ("_boundaries", "_faults")

    def __init__(self, faults: Iterable[Fault], origin: float) -> None:
        """Place each fault's windows on the time line of a run that starts at `origin`."""
        self._faults = [(fault, fault.windows(origin, math.inf)) for fault in faults]
        self._boundaries = sorted(
            {edge for _, windows in self._faults for window in windows for edge in window}
        )

    def next_refresh(self, time: float) -> float:
        """When the effects should next be recomputed: a window edge or the periodic refresh."""
        due = time + EFFECTS_REFRESH_S
        for edge in self._boundaries:
            if edge > time:
                return min(due, edge)
        return due

    def effects_at(self, time: float) -> Effects:
        """The combined effects of every fault active at `time`."""
        effects = Effects()
        for fault, windows in self._faults:
            for start, stop in windows:
                if start <= time < stop:
                    _apply(fault, fault.age_days + (time - start) / DAY, effects)
        return effects


def _apply(fault: Fault, days: float, effects: Effects) -> None:  # noqa: PLR0912
    """Add one active fault, `days` after its start, to `effects`."""
    size = fault.magnitude
    match fault.kind:
        case FaultKind.SHORT_CYCLING:
            effects.cycles_per_hour = size
        case FaultKind.DIRTY_FILTER | FaultKind.CLOGGED_STRAINER:
            # A water unit's flow is its airflow: the same heat through less water, and less
            # of it, as the split widens.
            clogged = min(1.0, days / FILTER_CLOGGING_DAYS)
            effects.airflow *= 1.0 - (1.0 - size) * clogged
        case FaultKind.REFRIGERANT_LEAK:
            charge = max(LEAK_FLOOR, 1.0 - size * days)
            effects.capacity *= charge
            effects.cop *= charge**0.8
        case FaultKind.CAPACITY_LOSS:
            effects.capacity *= 1.0 - size
            effects.cop *= 0.85
        case FaultKind.ENERGY_WASTE:
            effects.power *= size
        case FaultKind.DEFROST_NONE:
            effects.defrost_never = True
        case FaultKind.DEFROST_TOO_FREQUENT:
            effects.defrost_interval_s = size * 60.0
        case FaultKind.DEFROST_TOO_LONG:
            effects.defrost_duration_s = size * 60.0
        case FaultKind.AUX_LOCKOUT_HIGH:
            effects.aux_lockout_c = size
        case FaultKind.BREAKER_TRIP:
            effects.tripped = True
        case FaultKind.STUCK_SENSOR:
            effects.stuck |= {fault.sensor}
        case FaultKind.DRIFTING_SENSOR:
            effects.drift_k[fault.sensor] = effects.drift_k.get(fault.sensor, 0.0) + size * days
        case FaultKind.DEAD_COMPRESSOR:
            effects.dead_compressor = True
        case FaultKind.WATER_LEAK:
            effects.leak = True
        case FaultKind.PRESSURE_LOSS:
            effects.pressure_loss_bar += size * days
        case FaultKind.UNIT_ERROR:
            effects.error_code = unit_error_code(size)


def unit_error_code(size: float) -> str:
    """The code a unit shows for a UNIT_ERROR fault of this size: 7 is "E7"."""
    return f"E{round(size)}"
