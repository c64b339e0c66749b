"""Aux heat overuse: backup heat running in weather mild enough not to need it."""

from ..durations import HOUR, MINUTE
from ..findings import ABSENT, UNKNOWN, Condition, Guidance, Severity
from ..observations import Role
from .base import Context

# Raised when aux heat ran this long in mild weather (outside defrost) over the last day, and
# cleared when it falls under the second figure.
OVERUSE = 1 * HOUR
OVERUSE_CLEAR = 15 * MINUTE


def aux_heat_overuse(context: Context, raised: bool) -> Condition:
    """Aux heat above its lockout temperature for more than an hour a day."""
    state = context.state
    readings = state.readings
    can_tell = (
        Role.AUX_HEAT in readings.flags
        or readings.number(Role.AUX_HEAT) is not None
        or state.aux.inference_limit is not None
    )
    if not can_tell or (readings.outdoor is None and not raised):
        return UNKNOWN
    mild = state.aux_mild.total(context.now)
    limit = OVERUSE_CLEAR if raised else OVERUSE
    if mild < limit:
        return ABSENT
    return Condition(
        True,
        Severity.WARNING,
        Guidance.DIY,
        {
            "aux_hours_last_day": round(mild / HOUR, 1),
            "lockout_temperature": context.config.aux_heat_max_outdoor_temperature,
            "outdoor_temperature": None if readings.outdoor is None else round(readings.outdoor, 1),
            "inferred": state.aux.inferred,
        },
    )
