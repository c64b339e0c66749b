"""Water leak: the moisture sensor under the unit is wet."""

from ..findings import ABSENT, UNKNOWN, Condition, Guidance, Severity
from ..observations import Role
from .base import Context


def water_leak(context: Context, _raised: bool) -> Condition:
    """Raised as soon as the leak sensor reports water; an emergency."""
    wet = context.state.readings.flags.get(Role.LEAK)
    if wet is None:
        return UNKNOWN
    if not wet:
        return ABSENT
    return Condition(True, Severity.CRITICAL, Guidance.EMERGENCY, {"sensor": Role.LEAK.value})
