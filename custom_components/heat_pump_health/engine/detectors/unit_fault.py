"""The unit's own fault: its problem sensor is on, or its error sensor shows a code.

An error sensor's state means no fault when it is one of the usual "all clear" states
(`NO_FAULT`), a number equal to zero, nothing but dashes and separators (`-;-;-;-;-`), or one
the owner added (`EngineConfig.unit_error_ok_states`); compared without case and surrounding
spaces. Anything else is the unit's code or text for a fault.
"""

from dataclasses import dataclass
import math

from ..durations import MINUTE
from ..findings import ABSENT, UNKNOWN, Condition, FindingKey, Guidance, Severity
from ..model import Memory
from ..observations import Role
from ..readings import Season
from ..season import season_of
from .base import Context

NO_FAULT = frozenset({"0", "", "none", "ok", "normal", "no error"})
# What a display shows in place of a code when there is none.
PLACEHOLDER = frozenset("-;:/.,_ ")
# Critical once the compressor has stood still this long during a fault while heat (or
# cooling) is called for, or the room is this far off its setpoint (K).
STOPPED_CRITICAL = 30 * MINUTE
DEMAND = 1.0
CALLING = frozenset({"heating", "cooling"})


def no_fault(state: str, extra: tuple[str, ...] = ()) -> bool:
    """Whether an error sensor's state means that the unit has no fault."""
    text = state.strip().casefold()
    if text in NO_FAULT or set(text) <= PLACEHOLDER:
        return True
    if any(text == ok.strip().casefold() for ok in extra):
        return True
    try:
        number = float(text)
    except ValueError:
        return False
    return number == 0 or math.isnan(number)


def reported_fault(context: Context) -> tuple[bool | None, str | None]:
    """Whether the unit reports a fault (None: it says nothing), and its code when it is text."""
    readings = context.state.readings
    flag = readings.flags.get(Role.UNIT_ERROR)
    if flag is not None:
        return flag, None
    text = readings.texts.get(Role.UNIT_ERROR)
    if text is None:
        return None, None
    return not no_fault(text, context.config.unit_error_ok_states), text.strip()


def reports_fault(context: Context) -> bool:
    """Whether the unit reports a fault of its own now: a stop is then no power cut."""
    return reported_fault(context)[0] is True


@dataclass(slots=True)
class UnitFaultMemory(Memory):
    """Since when the unit has reported its fault, to tell how long it has stood still."""

    since: float | None = None


def unit_fault(context: Context, _raised: bool) -> Condition:
    """The unit reports a fault: a technician's job; critical once it stops the heating."""
    faulty, code = reported_fault(context)
    if faulty is None:
        return UNKNOWN
    memory = context.state.memory(FindingKey.UNIT_FAULT, UnitFaultMemory)
    if not faulty:
        memory.since = None
        return ABSENT
    if memory.since is None:
        memory.since = context.now
    severity = Severity.CRITICAL if _stopped_heating(context, memory.since) else Severity.WARNING
    return Condition(True, severity, Guidance.PROFESSIONAL, {"code": code})


def _stopped_heating(context: Context, fault_since: float) -> bool:
    """Whether the compressor has stood still through the fault long enough, with demand."""
    state, now = context.state, context.now
    cycles = state.cycles
    if cycles.running is not False or cycles.since is None:
        return False
    if now - max(cycles.since, fault_since) < STOPPED_CRITICAL:
        return False
    readings = state.readings
    if readings.hvac_mode == "off":
        return False
    season = Season.COOL if season_of(state, now) is Season.COOL else Season.HEAT
    deficit = readings.off_setpoint(season)
    return readings.hvac_action in CALLING or (deficit is not None and deficit >= DEMAND)
