"""Quiet hours: a daily span of local time in which only urgent findings are sent at once.

The span may cross midnight (22:00 to 07:00). Its end is a point in time the announcer waits
for, not something a clock tick checks.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from typing import Any

from homeassistant.util import dt as dt_util

from .const import CONF_QUIET_HOURS_END, CONF_QUIET_HOURS_START


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A daily span of local time in which only urgent findings are sent at once."""

    start: time
    end: time
    zone: tzinfo

    @classmethod
    def from_options(cls, options: Mapping[str, Any], zone: tzinfo) -> QuietHours | None:
        """The configured quiet hours; none unless both ends are set and differ."""
        start = dt_util.parse_time(str(options.get(CONF_QUIET_HOURS_START) or ""))
        end = dt_util.parse_time(str(options.get(CONF_QUIET_HOURS_END) or ""))
        if start is None or end is None or start == end:
            return None
        return cls(start, end, zone)

    def end_after(self, moment: float) -> float | None:
        """When the quiet hours around `moment` end; None if `moment` is outside them."""
        local = datetime.fromtimestamp(moment, self.zone)
        clock = local.time()
        if self.start < self.end:
            inside = self.start <= clock < self.end
        else:
            inside = clock >= self.start or clock < self.end
        if not inside:
            return None
        day = local.date() if clock < self.end else local.date() + timedelta(days=1)
        end = datetime.combine(day, self.end, self.zone).timestamp()
        # In the hour repeated in autumn the end may already lie behind: they are over.
        return end if end > moment else None

    def release(self, moment: float) -> float:
        """When what falls due at `moment` may go out: then, or when its quiet hours end."""
        end = self.end_after(moment)
        return moment if end is None else end
