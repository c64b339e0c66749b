"""Not heating and not cooling: the room drifts off its setpoint and the unit delivers nothing."""

from ..durations import HOUR
from ..findings import ABSENT, UNKNOWN, Condition, Guidance, Severity
from ..readings import Season
from .base import Context

# The room must be this far off the setpoint before the unit is judged (K).
OFF_SETPOINT = 1.5
# A running unit whose split is below this (K) while running steadily delivers nothing.
NO_SPLIT = 1.0
# No heat in extreme weather is an emergency: outdoor at or beyond these (°C), or the room.
EXTREME_COLD = -10.0
EXTREME_HEAT = 35.0
ROOM_COLD = 12.0
ROOM_HOT = 32.0


def not_heating(context: Context, _raised: bool) -> Condition:
    """In heating mode, the room well below the setpoint and no heat coming."""
    return _judge(context, Season.HEAT)


def not_cooling(context: Context, _raised: bool) -> Condition:
    """In cooling mode, the room well above the setpoint and no cooling coming."""
    return _judge(context, Season.COOL)


def _judge(context: Context, season: Season) -> Condition:
    """Shared verdict: demand, and either no running or running without effect.

    A power cut explains all of it: the registry makes both defer to `power_interrupted`.
    """
    readings = context.state.readings
    off_setpoint = readings.off_setpoint(season)
    if off_setpoint is None or readings.season not in (season, None):
        return UNKNOWN
    if context.learning and context.state.cycles.running is None:
        return UNKNOWN
    # A call alone is no shortfall: an inverter that never idles, judged "not running" while
    # its threshold is unlearned, keeps the room at its setpoint.
    if off_setpoint < OFF_SETPOINT:
        return ABSENT
    split = readings.split
    if not context.running:
        reason = "not_running"
    elif context.steady and split is not None and abs(split) < NO_SPLIT:
        reason = "no_split"
    elif (
        split is None
        and context.state.cycles.run_length(context.now) >= HOUR
        and _not_improving(context, season)
    ):
        reason = "running_without_effect"
    else:
        return ABSENT
    outdoor, indoor = readings.outdoor, readings.indoor
    extreme = (
        (outdoor is not None and outdoor <= EXTREME_COLD)
        or (indoor is not None and indoor <= ROOM_COLD)
        if season is Season.HEAT
        else (outdoor is not None and outdoor >= EXTREME_HEAT)
        or (indoor is not None and indoor >= ROOM_HOT)
    )
    return Condition(
        True,
        Severity.CRITICAL,
        Guidance.EMERGENCY if extreme else Guidance.PROFESSIONAL,
        {
            "off_setpoint": round(off_setpoint, 1),
            "reason": reason,
            "indoor_temperature": None if indoor is None else round(indoor, 1),
            "outdoor_temperature": None if outdoor is None else round(outdoor, 1),
        },
        1.0 if split is not None or reason == "not_running" else 0.6,
    )


def _not_improving(context: Context, season: Season) -> bool:
    """Whether the room has not moved towards the setpoint over the last hour or more."""
    indoor = context.state.readings.indoor
    earlier = [value for time, value in context.state.indoor_marks if time <= context.now - HOUR]
    if indoor is None or not earlier:
        return False
    change = indoor - earlier[-1]
    return change <= 0 if season is Season.HEAT else change >= 0
