"""Hour and day totals, integrated from the latest readings between observations.

Hours feed the outdoor-temperature baselines; days feed the energy baseline and the daily
history (13 months of it, 96 bytes a day, allocated up front).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from .rings import Ring, optional, restored

HOUR_KWH = 3_600_000.0  # watt-seconds in a kWh
# Energy counter steps above this rate (kW) are a replaced or glitching counter, not energy.
MAX_COUNTER_KW = 50.0
# A drop to below this share of the last value is a counter reset; a smaller drop is a glitch.
RESET_SHARE = 0.1
DAILY_HISTORY = 400


@dataclass(slots=True)
class Period:
    """Totals over one hour (or one part of an hour, split at local midnight)."""

    start: float = 0.0
    seconds: float = 0.0
    runtime: float = 0.0
    heating_runtime: float = 0.0
    outdoor_seconds: float = 0.0
    outdoor_sum: float = 0.0
    heating_degree_seconds: float = 0.0
    cooling_degree_seconds: float = 0.0
    power_seconds: float = 0.0
    power_ws: float = 0.0
    # compressor frequency while running: seconds read and their sum (its own unit times seconds)
    frequency_seconds: float = 0.0
    frequency_sum: float = 0.0
    counter_kwh: float = 0.0
    counter_seen: bool = False
    heat_seconds: float = 0.0
    heat_ws: float = 0.0
    heat_counter_kwh: float = 0.0
    heat_counter_seen: bool = False
    aux_seconds: float = 0.0
    aux_mild_seconds: float = 0.0
    defrosts: int = 0
    defrost_seconds: float = 0.0
    starts: int = 0
    split_seconds: float = 0.0
    split_sum: float = 0.0
    offset_seconds: float = 0.0
    offset_sum: float = 0.0
    # seconds in which the room was off its setpoint while the unit ran
    missed_seconds: float = 0.0
    # seconds with the thermostat switched off
    off_seconds: float = 0.0
    # water flow (L/min) while running steadily with the pump moving water
    flow_seconds: float = 0.0
    flow_sum: float = 0.0
    # water pressure (bar), plausible readings only
    pressure_seconds: float = 0.0
    pressure_sum: float = 0.0
    # heating the cylinder (see `hot_water`): seconds, and its share of electric energy and heat
    hot_water_seconds: float = 0.0
    hot_water_power_ws: float = 0.0
    hot_water_counter_kwh: float = 0.0
    hot_water_heat_ws: float = 0.0
    hot_water_heat_counter_kwh: float = 0.0

    def add(self, other: Period) -> None:
        """Add another period's totals to this one."""
        for name in _SUMMED:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.counter_seen = self.counter_seen or other.counter_seen
        self.heat_counter_seen = self.heat_counter_seen or other.heat_counter_seen

    @property
    def outdoor_mean(self) -> float | None:
        """Time-weighted mean outdoor temperature."""
        return self.outdoor_sum / self.outdoor_seconds if self.outdoor_seconds > 0 else None

    @property
    def degree_days(self) -> tuple[float, float] | None:
        """Heating and cooling degree-days, scaled to a whole day from the time observed."""
        if self.outdoor_seconds <= 0:
            return None
        return (
            self.heating_degree_seconds / self.outdoor_seconds,
            self.cooling_degree_seconds / self.outdoor_seconds,
        )

    @property
    def electric_kwh(self) -> float | None:
        """Electric energy: the counter when there is one, else integrated power."""
        if self.counter_seen:
            return self.counter_kwh
        if self.power_seconds > 0:
            return self.power_ws / HOUR_KWH
        return None

    @property
    def heat_kwh(self) -> float | None:
        """Heat delivered: the heat counter when there is one, else integrated heat power."""
        if self.heat_counter_seen:
            return self.heat_counter_kwh
        if self.heat_seconds > 0:
            return self.heat_ws / HOUR_KWH
        return None

    @property
    def hot_water_electric_kwh(self) -> float:
        """Electric energy spent heating the cylinder, from the source `electric_kwh` uses."""
        if self.counter_seen:
            return self.hot_water_counter_kwh
        return self.hot_water_power_ws / HOUR_KWH

    @property
    def hot_water_heat_kwh(self) -> float:
        """Heat delivered to the cylinder, from the source `heat_kwh` uses."""
        if self.heat_counter_seen:
            return self.hot_water_heat_counter_kwh
        return self.hot_water_heat_ws / HOUR_KWH

    @property
    def space_electric_kwh(self) -> float | None:
        """Electric energy without hot water's share: space heating (or cooling) alone."""
        total = self.electric_kwh
        return None if total is None else max(0.0, total - self.hot_water_electric_kwh)

    @property
    def space_heat_kwh(self) -> float | None:
        """Heat delivered without the cylinder's share."""
        total = self.heat_kwh
        return None if total is None else max(0.0, total - self.hot_water_heat_kwh)

    @property
    def mean_split(self) -> float | None:
        """Mean supply-return split while running steadily."""
        return self.split_sum / self.split_seconds if self.split_seconds > 0 else None

    @property
    def mean_flow(self) -> float | None:
        """Mean water flow while running steadily with the pump moving water (L/min)."""
        return self.flow_sum / self.flow_seconds if self.flow_seconds > 0 else None

    @property
    def mean_pressure(self) -> float | None:
        """Mean water pressure over the plausible readings (bar)."""
        return self.pressure_sum / self.pressure_seconds if self.pressure_seconds > 0 else None

    @property
    def mean_offset(self) -> float | None:
        """Mean difference between the room sensor and the thermostat's reading."""
        return self.offset_sum / self.offset_seconds if self.offset_seconds > 0 else None


_SUMMED = tuple(
    name
    for name, kind in Period.__annotations__.items()
    if kind in ("float", "int", float, int) and name != "start"
)


@dataclass(slots=True)
class Counter:
    """A cumulative kWh counter turned into increments, surviving resets and replacements."""

    last: float | None = None
    last_time: float | None = None

    def increment(self, time: float, kwh: float) -> float:
        """KWh added since the previous reading (0 for glitches and replaced counters)."""
        last, last_time = self.last, self.last_time
        self.last_time = time
        if last is None or last_time is None:
            self.last = kwh
            return 0.0
        delta = kwh - last
        if delta < 0:
            if kwh <= last * RESET_SHARE:
                self.last = kwh
                return max(0.0, kwh) if kwh <= MAX_COUNTER_KW * (time - last_time) / 3600 else 0.0
            return 0.0  # a small drop: keep the higher reading, so nothing is counted twice
        self.last = kwh
        if delta > MAX_COUNTER_KW * (time - last_time) / 3600 + 0.5:
            return 0.0
        return delta


@dataclass(frozen=True, slots=True)
class DailyRecord:
    """One local day of the unit's life, kept for 13 months."""

    date: str
    runtime_hours: float
    starts: int
    defrosts: int
    defrost_minutes: float
    aux_hours: float
    outdoor_mean: float | None
    energy_kwh: float | None
    expected_kwh: float | None
    heat_kwh: float | None
    complete: bool
    off_hours: float = 0.0

    @property
    def cop(self) -> float | None:
        """Heat delivered per electric energy over the day."""
        if self.heat_kwh is None or not self.energy_kwh:
            return None
        return self.heat_kwh / self.energy_kwh


class DailyRecords(Ring[DailyRecord]):
    """Daily records, each stored as twelve floats (the date as its day number)."""

    __slots__ = ()
    width: ClassVar[int] = 12
    item_type: ClassVar[object] = DailyRecord

    def to_row(self, item: DailyRecord) -> Sequence[float]:
        """The record's values in field order; a missing value is NaN."""
        return (
            date.fromisoformat(item.date).toordinal(),
            item.runtime_hours,
            item.starts,
            item.defrosts,
            item.defrost_minutes,
            item.aux_hours,
            optional(item.outdoor_mean),
            optional(item.energy_kwh),
            optional(item.expected_kwh),
            optional(item.heat_kwh),
            float(item.complete),
            item.off_hours,
        )

    def from_row(self, row: Sequence[float]) -> DailyRecord:
        """The record a row holds."""
        return DailyRecord(
            date=date.fromordinal(int(row[0])).isoformat(),
            runtime_hours=row[1],
            starts=int(row[2]),
            defrosts=int(row[3]),
            defrost_minutes=row[4],
            aux_hours=row[5],
            outdoor_mean=restored(row[6]),
            energy_kwh=restored(row[7]),
            expected_kwh=restored(row[8]),
            heat_kwh=restored(row[9]),
            complete=bool(row[10]),
            off_hours=row[11],
        )


@dataclass(slots=True)
class DailyHistory:
    """The most recent `DAILY_HISTORY` days."""

    days: DailyRecords = field(default_factory=lambda: DailyRecords(DAILY_HISTORY))
