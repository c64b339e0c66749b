"""Power interrupted: the supply is gone (breaker, fuse, outage) while the unit should run.

Gone means power at or near zero, or the power source unavailable; a step between the unit's
own low levels (a circulation pump stopping, standby falling from 20-90 W to 5-15 W) is not.
Nor is a stop while the unit reports a fault of its own: it stopped itself (`unit_fault`).
"""

from ..durations import DAY, MINUTE
from ..findings import ABSENT, UNKNOWN, Condition, Evidence, Guidance, Severity
from ..model import UnitState
from ..observations import Role
from ..readings import Season
from ..season import season_of
from .base import Context
from .unit_fault import reports_fault

# Power at or below this (W) is no supply: what a meter reads with nothing drawn. Anything more
# is the unit's own electronics, however far below its usual standby (a pump that stopped).
NO_POWER = 2.0
# A learned standby this high (W), twice what no supply reads, is always drawn, so power gone
# below it is news even without demand.
KNOWN_STANDBY = 4.0
# The room this far off the setpoint means the unit should be running (K).
DEMAND = 1.0
# What the thermostat reports while it calls for the unit.
CALLING = frozenset({"heating", "cooling"})
# Interruptions within this window escalate: a breaker that trips again after a reset.
REPEAT_WINDOW = DAY
REPEATED = 2
# An outage shorter than this is not counted.
MIN_OUTAGE = 5 * MINUTE
# How sure a verdict is without a learned standby, and from an unavailable source alone.
UNLEARNED_CONFIDENCE = 0.7
UNAVAILABLE_CONFIDENCE = 0.5


def power_interrupted(context: Context, _raised: bool) -> Condition:
    """No power drawn, or none reported, while the unit should run or normally draws standby."""
    state, now = context.state, context.now
    readings = state.readings
    if readings.hvac_mode == "off" or reports_fault(context):
        return ABSENT
    deficit = readings.off_setpoint(
        Season.COOL if season_of(state, now) is Season.COOL else Season.HEAT
    )
    short = deficit is not None and deficit >= DEMAND
    should_run = short or readings.hvac_action in CALLING
    power = readings.number(Role.POWER)
    if power is None:
        unavailable_since = _unavailable_since(state)
        if unavailable_since is None or not should_run:
            return UNKNOWN
        return _outage(
            state, now, None, unavailable_since, short=short, confidence=UNAVAILABLE_CONFIDENCE
        )
    if power > NO_POWER:
        return ABSENT
    standby = state.levels.standby
    standby_known = standby is not None and standby >= KNOWN_STANDBY and not context.learning
    if not (standby_known or should_run):
        return UNKNOWN
    since = state.outage_since if state.outage_since is not None else now
    confidence = 1.0 if standby_known else UNLEARNED_CONFIDENCE
    return _outage(state, now, power, since, short=short, confidence=confidence)


def _outage(
    state: UnitState,
    now: float,
    power: float | None,
    since: float,
    *,
    short: bool,
    confidence: float,
) -> Condition:
    """The verdict on an outage: urgent only when it repeats and the room already falls short.

    An unavailable source is no measured outage: a warning at most.
    """
    repeats = sum(1 for start in state.outages if start > now - REPEAT_WINDOW)
    repeated = repeats >= REPEATED and power is not None
    if repeated and short:
        severity, guidance = Severity.CRITICAL, Guidance.EMERGENCY
    else:
        severity = Severity.WARNING
        guidance = Guidance.PROFESSIONAL if repeated else Guidance.DIY
    evidence: Evidence = {
        "power": None if power is None else round(power, 1),
        "minutes": round((now - since) / MINUTE),
        "interruptions_last_day": repeats,
    }
    if power is None:
        evidence["unavailable"] = True
    return Condition(True, severity, guidance, evidence, confidence)


def _unavailable_since(state: UnitState) -> float | None:
    """Since when the power source has been unavailable, or None while it reports."""
    reading = state.readings.numbers.get(Role.POWER)
    return None if reading is None else reading.unavailable_since


def track_outages(state: UnitState, now: float) -> None:
    """Note when the supply went, and count each outage that lasted `MIN_OUTAGE` once."""
    power = state.readings.number(Role.POWER)
    if power is None or power > NO_POWER:
        state.outage_since = None
        return
    if state.outage_since is None:
        state.outage_since = now
    elif now - state.outage_since >= MIN_OUTAGE and (
        not state.outages or state.outages[-1] != state.outage_since
    ):
        state.outages.append(state.outage_since)
