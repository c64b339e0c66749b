"""Defrost too frequent, too long, or missing when the outdoor coil must be icing."""

from statistics import median

from ..durations import DAY, HOUR, MINUTE
from ..findings import ABSENT, UNKNOWN, Condition, Guidance, Severity
from ..readings import Season
from ..season import season_of
from .base import Context, confidence

# Too frequent: the median runtime from one defrost start to the next, over the last ones.
FREQUENT_SAMPLES = 6
FREQUENT_WITHIN = 12 * HOUR
FREQUENT_CLEAR_FACTOR = 1.25
# Too long: the median of the last defrosts, or one defrost running past twice the limit.
LONG_SAMPLES = 3
# Defrost findings can only be confirmed while the unit defrosts; after this long without a
# defrost the verdict is unknown (and the finding goes stale).
DEFROST_RELEVANT = 2 * DAY
# Missing: heating runtime in icing weather since the last defrost, at least this long and at
# least this many times the unit's usual spacing.
MISSING_MIN_RUNTIME = 3 * HOUR
MISSING_SPACING_FACTOR = 3.0
# Capacity counts as falling when the split of the last hours is down to this share of its
# normal, or (with no split sources) the room has fallen this far below the setpoint.
CAPACITY_FALLEN_SHARE = 0.7
CAPACITY_WINDOW = 2 * HOUR
ROOM_FALLEN = 1.0


def defrost_too_frequent(context: Context, raised: bool) -> Condition:
    """Defrosts that follow each other after less runtime than the configured minimum."""
    tracker, now = context.state.defrost, context.now
    recent = [runtime for start, runtime in tracker.intervals if start > now - FREQUENT_WITHIN]
    if len(recent) < FREQUENT_SAMPLES:
        return ABSENT if _defrosting_lately(context) else UNKNOWN
    spacing = median(recent[-FREQUENT_SAMPLES:]) / MINUTE
    limit = context.config.defrost_min_interval_minutes
    if raised:
        limit *= FREQUENT_CLEAR_FACTOR
    return Condition(
        spacing < limit,
        Severity.WARNING,
        Guidance.DIY,
        {
            "runtime_between_defrosts_minutes": round(spacing, 1),
            "defrosts_last_12_hours": len(recent),
            "outdoor_temperature": _outdoor(context),
        },
        confidence(len(recent), 2 * FREQUENT_SAMPLES),
    )


def defrost_too_long(context: Context, _raised: bool) -> Condition:
    """Defrosts that take longer than the configured maximum."""
    tracker, now = context.state.defrost, context.now
    limit = context.config.defrost_max_minutes
    ongoing = tracker.ongoing(now) / MINUTE
    samples = min(len(tracker.durations), LONG_SAMPLES)
    if ongoing > 2 * limit:
        typical = ongoing
    elif samples < LONG_SAMPLES or not _defrosting_lately(context):
        return UNKNOWN
    else:
        recent = list(tracker.durations)[-LONG_SAMPLES:]
        typical = median(seconds / MINUTE for _, seconds in recent)
    return Condition(
        typical > limit,
        Severity.WARNING,
        Guidance.PROFESSIONAL,
        {
            "defrost_minutes": round(typical, 1),
            "limit_minutes": limit,
            "outdoor_temperature": _outdoor(context),
        },
        confidence(samples, LONG_SAMPLES),
    )


def defrost_missing(context: Context, _raised: bool) -> Condition:
    """Hours of heating in icing weather with no defrost while capacity falls."""
    state = context.state
    tracker = state.defrost
    if not tracker.known or context.learning:
        return UNKNOWN
    if tracker.active:
        return ABSENT
    if not context.icing or season_of(state, context.now) is not Season.HEAT:
        return UNKNOWN
    spacings = [runtime for _, runtime in tracker.intervals]
    usual = median(spacings) if spacings else 0.0
    needed = max(MISSING_MIN_RUNTIME, MISSING_SPACING_FACTOR * usual)
    if state.icing_runtime < needed:
        return ABSENT
    falling, evidence = _capacity_falling(context)
    if falling is None:
        return UNKNOWN
    return Condition(
        falling,
        Severity.WARNING,
        Guidance.PROFESSIONAL,
        {
            "icing_runtime_hours": round(state.icing_runtime / HOUR, 1),
            "usual_runtime_between_defrosts_minutes": round(usual / MINUTE) if usual else None,
            "outdoor_temperature": _outdoor(context),
            **evidence,
        },
        confidence(len(spacings), 10),
    )


def _capacity_falling(context: Context) -> tuple[bool | None, dict[str, float | None]]:
    """Whether the heat delivered is falling: the split against its normal, else the room.

    The split is judged against the unit's normal split at the same outdoor temperature, so
    colder weather (which lowers capacity too) is not taken for frost.
    """
    state = context.state
    if state.readings.split is not None:
        recent = context.now - CAPACITY_WINDOW
        samples = [sample for sample in state.splits if sample.time > recent]
        if not samples:
            return None, {}
        split = median(sample.value for sample in samples)
        normal = median(sample.expected for sample in samples)
        return split <= CAPACITY_FALLEN_SHARE * normal, {
            "split": round(split, 1),
            "normal_split": round(normal, 1),
        }
    deficit = state.readings.heating_deficit()
    if deficit is None:
        return None, {}
    return deficit >= ROOM_FALLEN and context.running, {"below_setpoint": round(deficit, 1)}


def _defrosting_lately(context: Context) -> bool:
    """Whether the unit defrosted recently enough for defrost verdicts to mean anything."""
    last = context.state.defrost.last_end
    return context.state.defrost.active or (
        last is not None and context.now - last < DEFROST_RELEVANT
    )


def _outdoor(context: Context) -> float | None:
    """The outdoor temperature, rounded for evidence."""
    outdoor = context.state.readings.outdoor
    return None if outdoor is None else round(outdoor, 1)
