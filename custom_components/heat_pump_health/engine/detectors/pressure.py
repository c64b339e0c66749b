"""Low water pressure: a sealed heating circuit that is low, or losing water day after day.

Sealed systems are filled to 1-1.5 bar cold and rise a few tenths when hot. Below about 1 bar
the owner tops up (most manuals say how); pressure that keeps falling after that is a leak or a
failed expansion vessel, a technician's job. Readings under 0.2 bar are taken as a sensor that
is not reading, not as pressure: many unit integrations report 0 while the unit's controller
is off, and a circuit that really empties falls through 1 bar first.
"""

from collections import deque
from dataclasses import dataclass, field
from statistics import median

from ..durations import DAY, MIN_HOUR, MINUTE
from ..findings import ABSENT, UNKNOWN, Condition, Evidence, FindingKey, Guidance, Severity
from ..model import Memory
from ..observations import Role
from ..periods import Period
from .base import Context

# Below this (bar) a reading is a sensor that is not reading.
IMPLAUSIBLE = 0.2
# Above this (bar) no sealed heating circuit runs: its relief valve opens at 3 bar.
MAX_PRESSURE = 10.0
# Low: top up below the first (bar); once raised, it clears at the second.
LOW = 1.0
LOW_CLEAR = 1.2
# Critical below this (bar) once it has lasted `CRITICAL_AFTER`: one odd reading is not enough.
CRITICAL = 0.5
CRITICAL_AFTER = 10 * MINUTE
# Falling: the daily low drops at least this much a day (bar) over at least `TREND_DAYS`, and
# steadily: each half of those days fell at least `STEADY_FALL` (bar), so a single step (the
# circuit settling cooler once heating stops for the season) is no leak. Once raised, it
# clears when the fall slows under the second rate or stops in either half.
FALLING_PER_DAY = 0.05
FALLING_CLEAR_PER_DAY = 0.02
STEADY_FALL = 0.04
TREND_DAYS = 4
# The trend is judged on the last `TREND_DAYS` + 1 daily lows, spread over at most a week and
# the last of them recent. A rise this large (bar) from one day to the next is a top-up: the
# trend starts afresh after it.
MAX_TREND_SPAN = 7 * DAY
MAX_TREND_AGE = 2 * DAY
TOP_UP = 0.2


def plausible_pressure(bar: float) -> bool:
    """Whether a reading can be a sealed circuit's pressure (bar), not a sensor not reading."""
    return IMPLAUSIBLE <= bar <= MAX_PRESSURE


@dataclass(slots=True)
class DailyLow:
    """The lowest hourly mean pressure of one local day (bar), when the circuit is coolest."""

    time: float
    bar: float


@dataclass(slots=True)
class PressureMemory(Memory):
    """The daily lows of the last days, and since when the pressure has been critically low.

    The lowest hourly mean of a day is taken, not its mean: water expands as it heats, so the
    coolest hour compares like with like from day to day, and an hour's mean is not moved by
    one odd reading.
    """

    days: deque[DailyLow] = field(default_factory=lambda: deque(maxlen=TREND_DAYS + 1))
    day_low: float | None = None
    critical_since: float | None = None

    def hour_closed(self, hour: Period, end: float, *, raised: bool) -> None:
        """The hour's mean pressure, towards the day's low."""
        mean = hour.mean_pressure
        if mean is None or hour.pressure_seconds < MIN_HOUR:
            return
        self.day_low = mean if self.day_low is None else min(self.day_low, mean)

    def day_closed(self, day: Period, end: float, *, raised: bool) -> None:
        """Keep the day's low for the trend."""
        if self.day_low is not None:
            self.days.append(DailyLow(end, self.day_low))
        self.day_low = None

    def note(self, now: float, bar: float | None) -> float:
        """Follow how long the pressure has been critically low; return that, in seconds."""
        if bar is None:
            return 0.0 if self.critical_since is None else now - self.critical_since
        if bar >= CRITICAL:
            self.critical_since = None
            return 0.0
        if self.critical_since is None:
            self.critical_since = now
        return now - self.critical_since


@dataclass(frozen=True, slots=True)
class Trend:
    """How fast the daily low falls (bar a day, positive when falling) over how many days.

    `steadiness`: the smaller of the falls over the first and the second half of the days (bar).
    """

    per_day: float
    days: int
    steadiness: float


def falling_trend(days: deque[DailyLow], now: float) -> Trend | None:
    """The trend of the last daily lows, or None with too few recent days to tell.

    The median of the slopes between every two days (Theil-Sen), robust to one odd day.
    """
    recent = list(days)
    for index in range(len(recent) - 1, 0, -1):
        if recent[index].bar - recent[index - 1].bar >= TOP_UP:
            recent = recent[index:]
            break
    if len(recent) < TREND_DAYS + 1:
        return None
    span = recent[-1].time - recent[0].time
    if span > MAX_TREND_SPAN or now - recent[-1].time > MAX_TREND_AGE:
        return None
    slopes = [
        (later.bar - earlier.bar) / ((later.time - earlier.time) / DAY)
        for position, earlier in enumerate(recent)
        for later in recent[position + 1 :]
    ]
    middle = recent[len(recent) // 2].bar
    steadiness = min(recent[0].bar - middle, middle - recent[-1].bar)
    return Trend(-median(slopes), round(span / DAY), steadiness)


def low_water_pressure(context: Context, raised: bool) -> Condition:
    """Pressure critically low for a while, falling day after day, or below about 1 bar."""
    readings = context.state.readings
    if Role.WATER_PRESSURE not in readings.numbers:
        return UNKNOWN  # no pressure sensor
    reading = readings.number(Role.WATER_PRESSURE)
    bar = reading if reading is not None and plausible_pressure(reading) else None
    memory = context.state.memory(FindingKey.LOW_WATER_PRESSURE, PressureMemory)
    critical_for = memory.note(context.now, bar)
    trend = falling_trend(memory.days, context.now)
    falling = (
        trend is not None
        and trend.per_day >= (FALLING_CLEAR_PER_DAY if raised else FALLING_PER_DAY)
        and trend.steadiness >= STEADY_FALL
    )
    evidence: Evidence = {
        "pressure": None if bar is None else round(bar, 2),
        "fall_per_day": None if trend is None else round(max(0.0, trend.per_day), 2),
        "days": None if trend is None else trend.days,
    }
    if bar is not None and bar < CRITICAL and critical_for >= CRITICAL_AFTER:
        return Condition(True, Severity.CRITICAL, Guidance.PROFESSIONAL, evidence)
    if falling:
        return Condition(True, Severity.WARNING, Guidance.PROFESSIONAL, evidence)
    if bar is None:
        return UNKNOWN
    if bar < (LOW_CLEAR if raised else LOW):
        return Condition(True, Severity.WARNING, Guidance.DIY, evidence)
    return ABSENT
