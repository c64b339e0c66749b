"""Power interrupted: the supply is gone (breaker, fuse, outage) while the unit should run."""

from ..durations import DAY, MINUTE
from ..findings import ABSENT, UNKNOWN, Condition, Guidance, Severity
from ..model import UnitState
from ..observations import Role
from ..readings import Season
from .base import Context

# Power this low (W), or this share of the learned standby, means no supply at all.
NO_POWER = 2.0
STANDBY_SHARE = 0.3
# A standby this high (W) is normally drawn, so dropping below it means the supply is gone
# even without demand.
KNOWN_STANDBY = 5.0
# The room this far off the setpoint means the unit should be running (K).
DEMAND = 1.0
# Interruptions within this window escalate: a breaker that trips again after a reset.
REPEAT_WINDOW = DAY
REPEATED = 2
# An outage shorter than this is not counted.
MIN_OUTAGE = 5 * MINUTE


def power_interrupted(context: Context, _raised: bool) -> Condition:
    """No power drawn, when the unit normally draws standby power or the room calls for it."""
    state, now = context.state, context.now
    readings = state.readings
    power = readings.number(Role.POWER)
    if power is None:
        return UNKNOWN
    if readings.hvac_mode == "off":
        return ABSENT
    standby = state.clusters.low
    floor = max(NO_POWER, STANDBY_SHARE * standby) if standby is not None else NO_POWER
    if power > floor:
        return ABSENT
    standby_known = standby is not None and standby >= KNOWN_STANDBY and not context.learning
    season = Season.COOL if readings.season is Season.COOL else Season.HEAT
    deficit = readings.off_setpoint(season)
    demand = deficit is not None and deficit >= DEMAND
    if not (standby_known or demand):
        return UNKNOWN
    since = state.outage_since if state.outage_since is not None else now
    repeats = sum(1 for start in state.outages if start > now - REPEAT_WINDOW)
    repeated = repeats >= REPEATED
    return Condition(
        True,
        Severity.CRITICAL if repeated else Severity.WARNING,
        Guidance.EMERGENCY if repeated else Guidance.DIY,
        {
            "power": round(power, 1),
            "minutes": round((now - since) / MINUTE),
            "interruptions_last_day": repeats,
        },
        1.0 if standby_known else 0.7,
    )


def track_outages(state: UnitState, now: float) -> None:
    """Note when the supply went, and count each outage that lasted `MIN_OUTAGE` once."""
    power = state.readings.number(Role.POWER)
    standby = state.clusters.low
    floor = max(NO_POWER, STANDBY_SHARE * standby) if standby is not None else NO_POWER
    if power is None or power > floor:
        state.outage_since = None
        return
    if state.outage_since is None:
        state.outage_since = now
    elif now - state.outage_since >= MIN_OUTAGE and (
        not state.outages or state.outages[-1] != state.outage_since
    ):
        state.outages.append(state.outage_since)
