"""Local calendar days over epoch seconds, so 'today' follows the user's time zone and DST."""

from datetime import date, datetime, time, timedelta, tzinfo


def local_day(timestamp: float, zone: tzinfo) -> date:
    """Return the local date at a timestamp."""
    return datetime.fromtimestamp(timestamp, zone).date()


def day_bounds(timestamp: float, zone: tzinfo) -> tuple[float, float]:
    """Return the epoch seconds of local midnight before and after a timestamp."""
    day = local_day(timestamp, zone)
    start = datetime.combine(day, time(0), tzinfo=zone).timestamp()
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).timestamp()
    return start, end
