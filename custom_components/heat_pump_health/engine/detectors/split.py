"""Weak airflow and a low temperature split: the indoor unit's split against its normal band."""

from statistics import median

from ..durations import HOUR
from ..findings import UNKNOWN, Condition, Guidance, Severity
from .base import Context, confidence

# The split is judged on the hourly means of steady running over this window.
SPLIT_WINDOW = 3 * HOUR
MIN_SPLIT_HOURS = 2
# High split (weak airflow): above this multiple of normal and at least this many kelvin more.
HIGH_FACTOR = 1.3
HIGH_MARGIN = 3.0
HIGH_CLEAR_FACTOR = 1.15
# Low split (lost capacity): below this share of normal and at least this many kelvin less.
LOW_SHARE = 0.7
LOW_MARGIN = 1.5
LOW_CLEAR_SHARE = 0.8


def _recent_split(context: Context) -> tuple[float, float, int] | None:
    """Median hourly split of the window, the normal split it is judged against, and hours."""
    recent = context.now - SPLIT_WINDOW
    samples = [sample for sample in context.state.splits if sample.time > recent]
    if len(samples) < MIN_SPLIT_HOURS:
        return None
    split = median(sample.value for sample in samples)
    return split, median(sample.expected for sample in samples), len(samples)


def weak_airflow(context: Context, raised: bool) -> Condition:
    """A split well above normal while running: too little air (or water) through the unit."""
    if (recent := _recent_split(context)) is None:
        return UNKNOWN
    split, normal, _ = recent
    factor = HIGH_CLEAR_FACTOR if raised else HIGH_FACTOR
    margin = 0.0 if raised else HIGH_MARGIN
    return _verdict(split > normal * factor and split - normal >= margin, Guidance.DIY, recent)


def low_temperature_split(context: Context, raised: bool) -> Condition:
    """A split well below normal while running: the unit moves less heat than it should."""
    if (recent := _recent_split(context)) is None:
        return UNKNOWN
    split, normal, _ = recent
    share = LOW_CLEAR_SHARE if raised else LOW_SHARE
    margin = 0.0 if raised else LOW_MARGIN
    present = split < normal * share and normal - split >= margin
    return _verdict(present, Guidance.PROFESSIONAL, recent)


def _verdict(present: bool, guidance: Guidance, recent: tuple[float, float, int]) -> Condition:
    """A split verdict with the numbers behind it."""
    split, normal, hours = recent
    return Condition(
        present,
        Severity.WARNING,
        guidance,
        {"split": round(split, 1), "normal_split": round(normal, 1), "hours": hours},
        confidence(hours, 3),
    )
