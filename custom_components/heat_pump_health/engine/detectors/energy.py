"""Runaway energy and falling efficiency: the unit against its own weather-normalised past."""

from collections import deque
from dataclasses import dataclass, field
import math
from statistics import median

from ..baselines import BinnedBaseline
from ..durations import DAY, HOUR, MIN_HOUR
from ..findings import UNKNOWN, Condition, FindingKey, Guidance, Severity
from ..model import RECENT_HOURS, HourSample, Memory
from ..periods import Period
from .base import Context, confidence

# Runaway energy is judged on the sum of the last this many days, so one odd day is not
# enough; at least `MIN_JUDGED_DAYS` of them must be complete and in weather the baseline knows.
ENERGY_DAYS = 5
MIN_JUDGED_DAYS = 3
# Days with less use than this (kWh), or than this share of the unit's big days, say little
# about energy (shoulder-season days swing widely): they are not judged.
MIN_DAILY_KWH = 1.0
MIN_BIG_DAY_SHARE = 0.25
# The excess must also be worth telling and more than the unit's day-to-day noise: at least
# this many kWh a day, and this many robust standard deviations of the window's sum.
MIN_EXCESS_KWH_PER_DAY = 2.5
SIGNIFICANCE = 3.0
# Once raised, runaway energy clears when the excess falls below this share of the threshold.
ENERGY_CLEAR_SHARE = 0.5
# Efficiency: the median of recent hourly COP against the baseline at the same outdoor
# temperature; raised below the first ratio, cleared above the second.
EFFICIENCY_RAISE = 0.85
EFFICIENCY_CLEAR = 0.92
EFFICIENCY_WINDOW = 2 * DAY
MIN_EFFICIENCY_HOURS = 12
# An hour is a COP sample only with this much electric energy (kWh) and compressor runtime.
MIN_COP_KWH = 0.05
MIN_SAMPLE_RUNTIME = 0.5 * HOUR


@dataclass(slots=True)
class EfficiencyMemory(Memory):
    """The unit's COP against outdoor temperature, and recent hours against it."""

    baseline: BinnedBaseline = field(default_factory=lambda: BinnedBaseline(reject=0.3))
    samples: deque[HourSample] = field(default_factory=lambda: deque(maxlen=RECENT_HOURS))

    def hour_closed(self, hour: Period, end: float, *, raised: bool) -> None:
        """The COP of a running hour with no backup heat, next to what the baseline expected.

        While the finding is open the baseline does not learn, so a drop is not taught as
        normal.
        """
        outdoor = hour.outdoor_mean
        electric, heat = hour.electric_kwh, hour.heat_kwh
        if (
            hour.seconds < MIN_HOUR
            or outdoor is None
            or heat is None
            or electric is None
            or electric < MIN_COP_KWH
            or hour.runtime < MIN_SAMPLE_RUNTIME
            or hour.aux_seconds > 0
        ):
            return
        cop = heat / electric
        expected = self.baseline.expected(outdoor)
        if expected is not None and expected > 0:
            self.samples.append(HourSample(end, cop, expected))
        if not raised:
            self.baseline.add(outdoor, cop)


def runaway_energy(context: Context, raised: bool) -> Condition:
    """Daily energy well above what this unit used on days of the same weather."""
    state, config = context.state, context.config
    window = state.history.days.recent(ENERGY_DAYS)
    judged = [
        (day.energy_kwh, day.expected_kwh)
        for day in window
        if day.complete and day.energy_kwh is not None and day.expected_kwh is not None
    ]
    if len(window) < ENERGY_DAYS or len(judged) < MIN_JUDGED_DAYS:
        return UNKNOWN
    total_used = sum(used for used, _ in judged)
    total_expected = sum(expected for _, expected in judged)
    days = len(judged)
    big_day = state.energy_baseline.big_day or 0.0
    if total_expected < max(MIN_DAILY_KWH, MIN_BIG_DAY_SHARE * big_day) * days:
        return UNKNOWN
    excess_percent = (total_used / total_expected - 1) * 100
    limit = config.runaway_energy_percent
    noise = SIGNIFICANCE * (state.energy_baseline.scale or 0.0) * math.sqrt(days)
    floor = max(MIN_EXCESS_KWH_PER_DAY * days, noise)
    if raised:
        limit *= ENERGY_CLEAR_SHARE
        floor = 0.0
    return Condition(
        excess_percent >= limit and total_used - total_expected >= floor,
        Severity.WARNING,
        Guidance.DIY,
        {
            "days": days,
            "energy_kwh": round(total_used, 1),
            "expected_kwh": round(total_expected, 1),
            "excess_percent": round(excess_percent),
        },
        confidence(len(state.energy_baseline.days), 60),
    )


def efficiency_drop(context: Context, raised: bool) -> Condition:
    """COP well below this unit's own COP at the same outdoor temperatures."""
    now = context.now
    memory = context.state.memory(FindingKey.EFFICIENCY_DROP, EfficiencyMemory)
    samples = [sample for sample in memory.samples if sample.time > now - EFFICIENCY_WINDOW]
    if len(samples) < MIN_EFFICIENCY_HOURS:
        return UNKNOWN
    ratio = median(sample.value / sample.expected for sample in samples)
    limit = EFFICIENCY_CLEAR if raised else EFFICIENCY_RAISE
    return Condition(
        ratio < limit,
        Severity.WARNING,
        Guidance.PROFESSIONAL,
        {
            "cop": round(median(sample.value for sample in samples), 2),
            "expected_cop": round(median(sample.expected for sample in samples), 2),
            "drop_percent": round((1 - ratio) * 100),
            "hours": len(samples),
        },
        confidence(len(samples), 24),
    )
