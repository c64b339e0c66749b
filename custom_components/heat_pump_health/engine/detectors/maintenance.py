"""Filter and service reminders, counted from the dates the owner records."""

import math

from ..durations import DAY
from ..findings import UNKNOWN, Condition, Guidance, Maintenance, Severity
from .base import Context

# Average month length, for service intervals given in months.
MONTH = 30.44 * DAY


def filter_due(context: Context, _raised: bool) -> Condition:
    """The filter was last cleaned or replaced longer ago than the configured interval."""
    return _due(context, Maintenance.FILTER, context.config.filter_days * DAY, Guidance.DIY)


def service_due(context: Context, _raised: bool) -> Condition:
    """The last professional service is older than the configured interval."""
    interval = context.config.service_months * MONTH
    return _due(context, Maintenance.SERVICE, interval, Guidance.PROFESSIONAL)


def _due(context: Context, kind: Maintenance, interval: float, guidance: Guidance) -> Condition:
    """Due once the interval has passed since the recorded date; unknown with no date."""
    last = context.state.maintenance.get(kind)
    if last is None:
        return UNKNOWN
    days = (context.now - last) / DAY
    return Condition(
        context.now - last >= interval,
        Severity.INFO,
        guidance,
        {"days_since": math.floor(days), "interval_days": round(interval / DAY)},
    )
