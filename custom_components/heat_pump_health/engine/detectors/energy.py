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
# Typical units, for a drop there from the start: healthy air-source units reach 48.5 % of the
# ideal (Carnot) COP at their flow and outdoor temperatures (the median of a fleet of about 300;
# 40 % at its 1st percentile), with the refrigerant 2 K above the flow and 6 K below outdoors.
TYPICAL_CARNOT_SHARE = 0.485
CONDENSING_OFFSET = 2.0
EVAPORATING_OFFSET = 6.0
# The fleet heats water. Air leaves an indoor coil much further below the refrigerant than
# water leaves a plate exchanger, so for an air unit the refrigerant is taken this far above
# its supply air (a judgement, not a fleet figure). No healthy unit's running COP exceeds
# about this (the fleet's 99th percentile, 5.1): a mild day is not held to an ideal beyond it.
AIR_CONDENSING_OFFSET = 10.0
TYPICAL_COP_CAP = 5.0
# A day's COP below this share of the typical COP counts as low; on this many of the last
# days judged (within the window) the finding is raised, and clears above the second share.
TYPICAL_RAISE = 0.6
TYPICAL_CLEAR = 0.7
TYPICAL_DAYS = 3
MIN_LOW_DAYS = 2
TYPICAL_WINDOW = 4 * DAY
# A day is judged against typical units with this much electric energy (kWh), this many flow
# readings while running, a flow this much warmer than outdoors (heating), and backup heat for
# no more than this long (an hour of a 3 kW element moves a big day's COP by a few percent).
MAX_TYPICAL_AUX = HOUR
MIN_TYPICAL_KWH = 2.0
MIN_FLOW_READINGS = 4
MIN_LIFT = 5.0
TYPICAL_CONFIDENCE = 0.6
# The fleet's share of Carnot is a year's, defrosts included; a day of frequent defrosts in
# humid weather near freezing costs a healthy unit far more of its COP than the year's average.
# Time in defrost delivers no heat, takes some back, and the recovery after it runs less
# efficiently: a day's typical COP is lowered by this many times its share of runtime spent
# defrosting, at most by the second figure (judgements: a simulated healthy unit spending 16 %
# of its runtime defrosting reached 59 % of the plain figure).
DEFROST_COST = 1.5
MAX_DEFROST_ALLOWANCE = 0.25
ABSOLUTE_ZERO = 273.15


@dataclass(slots=True)
class TypicalDay:
    """One day's COP next to what typical units reach at its flow and outdoor temperature."""

    time: float
    cop: float
    typical: float
    runtime_hours: float


@dataclass(slots=True)
class EfficiencyMemory(Memory):
    """The unit's COP against outdoor temperature, and recent hours against it."""

    baseline: BinnedBaseline = field(default_factory=lambda: BinnedBaseline(reject=0.3))
    samples: deque[HourSample] = field(default_factory=lambda: deque(maxlen=RECENT_HOURS))
    # The day's flow temperatures at hour closes while running (fed by `learning`), and the
    # last days' COP next to what typical units reach at that flow and outdoor temperature.
    flows: deque[float] = field(default_factory=lambda: deque(maxlen=24))
    water: bool = False
    typical_days: deque[TypicalDay] = field(default_factory=lambda: deque(maxlen=TYPICAL_DAYS))

    def hour_closed(self, hour: Period, end: float, *, raised: bool) -> None:
        """The COP of a running hour with no backup heat nor hot water, next to the baseline.

        Hot water is hotter, so less efficient: an hour with some says nothing of the rest.

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
            or hour.hot_water_seconds > 0
        ):
            return
        cop = heat / electric
        expected = self.baseline.expected(outdoor)
        if expected is not None and expected > 0:
            self.samples.append(HourSample(end, cop, expected))
        if not raised:
            self.baseline.add(outdoor, cop)

    def day_closed(self, day: Period, end: float, *, raised: bool) -> None:
        """The day's COP next to what typical units reach at its flow and outdoor temperature.

        Hot water's share of energy and heat is left out: the flows are space heating's.
        """
        flows = list(self.flows)
        self.flows.clear()
        outdoor, electric, heat = day.outdoor_mean, day.space_electric_kwh, day.space_heat_kwh
        if (
            outdoor is None
            or electric is None
            or heat is None
            or electric < MIN_TYPICAL_KWH
            or len(flows) < MIN_FLOW_READINGS
            or day.aux_seconds > MAX_TYPICAL_AUX
        ):
            return
        flow = median(flows)
        if flow - outdoor < MIN_LIFT:
            return
        typical = typical_cop(flow, outdoor, water=self.water)
        if day.runtime > 0:
            defrosting = day.defrost_seconds / day.runtime
            typical *= 1 - min(MAX_DEFROST_ALLOWANCE, DEFROST_COST * defrosting)
        self.typical_days.append(TypicalDay(end, heat / electric, typical, day.runtime / HOUR))


def typical_cop(flow: float, outdoor: float, *, water: bool) -> float:
    """The COP a typical healthy unit reaches at a flow (or supply air) and outdoor temperature."""
    condensing = flow + (CONDENSING_OFFSET if water else AIR_CONDENSING_OFFSET)
    evaporating = outdoor - EVAPORATING_OFFSET
    ideal = (condensing + ABSOLUTE_ZERO) / (condensing - evaporating)
    return min(TYPICAL_COP_CAP, TYPICAL_CARNOT_SHARE * ideal)


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
    """COP well below this unit's own at the same outdoor temperatures, or far below typical."""
    own = _own_efficiency(context, raised)
    if own.present:
        return own
    typical = _typical_efficiency(context, raised)
    if typical.present or own.present is None:
        return typical
    return own


def _typical_efficiency(context: Context, raised: bool) -> Condition:
    """Daily COP against what typical units reach at the same flow and outdoor temperatures."""
    memory = context.state.memory(FindingKey.EFFICIENCY_DROP, EfficiencyMemory)
    recent = [day for day in memory.typical_days if day.time > context.now - TYPICAL_WINDOW]
    if len(recent) < MIN_LOW_DAYS:
        return UNKNOWN
    share = TYPICAL_CLEAR if raised else TYPICAL_RAISE
    low = [day for day in recent if day.cop < share * day.typical]
    shown = low if len(low) >= MIN_LOW_DAYS else recent
    cop = median(day.cop for day in shown)
    expected = median(day.typical for day in shown)
    return Condition(
        len(low) >= MIN_LOW_DAYS,
        Severity.WARNING,
        Guidance.PROFESSIONAL,
        {
            "cop": round(cop, 2),
            "expected_cop": round(expected, 2),
            "drop_percent": round((1 - cop / expected) * 100),
            "hours": round(sum(day.runtime_hours for day in shown)),
            "reference": "typical",
        },
        min(TYPICAL_CONFIDENCE, confidence(len(recent), TYPICAL_DAYS)),
    )


def _own_efficiency(context: Context, raised: bool) -> Condition:
    """COP against this unit's own COP at the same outdoor temperatures."""
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
            "reference": "own",
        },
        confidence(len(samples), 24),
    )
