"""Weak airflow and a low temperature split: the indoor unit's split against its normal band."""

from statistics import median

from ..findings import UNKNOWN, Condition, Evidence, FindingKey, Guidance, Severity
from ..model import HourSample
from .base import HOUR, Context, confidence

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


def _recent(context: Context) -> list[HourSample]:
    """Hourly split samples (magnitudes, with the expected value) within the window."""
    return [sample for sample in context.state.splits if sample.time > context.now - SPLIT_WINDOW]


def weak_airflow(context: Context) -> Condition:
    """A split well above normal while running: too little air (or water) through the unit."""
    samples = _recent(context)
    if len(samples) < MIN_SPLIT_HOURS:
        return UNKNOWN
    split = median(sample.value for sample in samples)
    normal = median(sample.expected for sample in samples)
    active = context.active(FindingKey.WEAK_AIRFLOW)
    factor = HIGH_CLEAR_FACTOR if active else HIGH_FACTOR
    margin = 0.0 if active else HIGH_MARGIN
    present = split > normal * factor and split - normal >= margin
    return Condition(
        present,
        Severity.WARNING,
        Guidance.DIY,
        _evidence(split, normal, len(samples)),
        confidence(len(samples), 3),
    )


def low_temperature_split(context: Context) -> Condition:
    """A split well below normal while running: the unit moves less heat than it should."""
    samples = _recent(context)
    if len(samples) < MIN_SPLIT_HOURS:
        return UNKNOWN
    split = median(sample.value for sample in samples)
    normal = median(sample.expected for sample in samples)
    active = context.active(FindingKey.LOW_TEMPERATURE_SPLIT)
    share = LOW_CLEAR_SHARE if active else LOW_SHARE
    margin = 0.0 if active else LOW_MARGIN
    return Condition(
        split < normal * share and normal - split >= margin,
        Severity.WARNING,
        Guidance.PROFESSIONAL,
        _evidence(split, normal, len(samples)),
        confidence(len(samples), 3),
    )


def _evidence(split: float, normal: float, hours: int) -> Evidence:
    """The numbers behind a split verdict."""
    return {"split": round(split, 1), "normal_split": round(normal, 1), "hours": hours}
