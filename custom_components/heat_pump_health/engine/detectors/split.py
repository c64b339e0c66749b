"""Weak airflow and a low temperature split: the indoor unit's split against its normal band.

Two references. The unit's own normal, learned per season, load band and outdoor temperature
bin, judges only in conditions it has seen. Beyond what healthy units ever show (a reference
limit, from field figures), a split is also too high on day one, before anything is learned:
such a verdict says it compares with typical units and is less certain.
"""

from collections import deque
from dataclasses import dataclass, field
from statistics import median

from ..baselines import BinnedBaseline
from ..durations import HOUR
from ..findings import UNKNOWN, Condition, FindingKey, Guidance, Severity
from ..model import RECENT_HOURS, HourSample, Memory
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
# What healthy units show at most (K): the rise across an indoor coil in heating is 8-17 K and
# the drop in cooling 8-12 K; a hydronic unit's flow-return difference at steady heating stays
# near 5 K (a real air-to-water unit's week: 5.3 K at most, 7 K heating hot water).
AIR_HEATING_LIMIT = 25.0
AIR_COOLING_LIMIT = 15.0
WATER_HEATING_LIMIT = 10.0
# Once raised on a reference limit, the split must fall this far under it to clear (K).
REFERENCE_CLEAR_MARGIN = 2.0
# A verdict against typical units needs every hour of the window, and is at most this sure.
MIN_REFERENCE_HOURS = 3
REFERENCE_CONFIDENCE = 0.6
# The unit heats water, not air, once its return was this warm (°C) while heating: room air
# coming back never is. (Not the supply: air behind a clogged filter can leave at 50 °C.)
WATER_RETURN = 28.0
# An hour at this share of the highest running power seen or more is at full load (W/W); with a
# compressor frequency, at this share of its learned highest frequency.
FULL_LOAD = 0.8


@dataclass(slots=True)
class SplitMemory(Memory):
    """The unit's normal split by season and load band, and what it tells of the medium.

    Learned hour by hour in `learning` (which knows the season and the load); hours judged
    against a reference limit are kept here, those against the unit's own normal in
    `UnitState.splits`.
    """

    normals: dict[str, BinnedBaseline] = field(default_factory=dict)
    water: bool = False
    # the highest mean running power of an hour seen (W), for telling full load from part load
    peak_watts: float = 0.0
    typical: deque[HourSample] = field(default_factory=lambda: deque(maxlen=RECENT_HOURS))

    def normal(self, band: str) -> BinnedBaseline:
        """The split baseline of one season and load band, made the first time it is asked."""
        baseline = self.normals.get(band)
        if baseline is None:
            baseline = self.normals[band] = BinnedBaseline(reject=0.3)
        return baseline


def reference_limit(*, heating: bool, water: bool) -> float | None:
    """The most a healthy unit's split shows, or None where there is no reference."""
    if water:
        return WATER_HEATING_LIMIT if heating else None
    return AIR_HEATING_LIMIT if heating else AIR_COOLING_LIMIT


def _recent(samples: deque[HourSample], context: Context) -> list[HourSample]:
    """The samples within the split window."""
    begin = context.now - SPLIT_WINDOW
    return [sample for sample in samples if sample.time > begin]


def _recent_split(context: Context) -> tuple[float, float, int] | None:
    """Median hourly split of the window, the normal split it is judged against, and hours."""
    samples = _recent(context.state.splits, context)
    if len(samples) < MIN_SPLIT_HOURS:
        return None
    split = median(sample.value for sample in samples)
    return split, median(sample.expected for sample in samples), len(samples)


def weak_airflow(context: Context, raised: bool) -> Condition:
    """A split well above normal, or beyond what healthy units show: too little air or water."""
    own = _own_weak_airflow(context, raised)
    if own.present:
        return own
    typical = _typical_weak_airflow(context, raised)
    if typical.present or own.present is None:
        return typical
    return own


def _own_weak_airflow(context: Context, raised: bool) -> Condition:
    """The split against the unit's own normal in the same conditions."""
    if (recent := _recent_split(context)) is None:
        return UNKNOWN
    split, normal, _ = recent
    factor = HIGH_CLEAR_FACTOR if raised else HIGH_FACTOR
    margin = 0.0 if raised else HIGH_MARGIN
    return _verdict(split > normal * factor and split - normal >= margin, Guidance.DIY, recent)


def _typical_weak_airflow(context: Context, raised: bool) -> Condition:
    """The split against the most typical units show: a fault there from the start shows too."""
    memory = context.state.memory(FindingKey.WEAK_AIRFLOW, SplitMemory)
    samples = _recent(memory.typical, context)
    if len(samples) < MIN_REFERENCE_HOURS:
        return UNKNOWN
    split = median(sample.value for sample in samples)
    limit = median(sample.expected for sample in samples)
    present = split > (limit - REFERENCE_CLEAR_MARGIN if raised else limit)
    return Condition(
        present,
        Severity.WARNING,
        Guidance.DIY,
        {
            "split": round(split, 1),
            "normal_split": round(limit, 1),
            "hours": len(samples),
            "reference": "typical",
        },
        min(REFERENCE_CONFIDENCE, confidence(len(samples), MIN_REFERENCE_HOURS)),
    )


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
    """A split verdict against the unit's own normal, with the numbers behind it."""
    split, normal, hours = recent
    return Condition(
        present,
        Severity.WARNING,
        guidance,
        {
            "split": round(split, 1),
            "normal_split": round(normal, 1),
            "hours": hours,
            "reference": "own",
        },
        confidence(hours, 3),
    )


def load_band(
    memory: SplitMemory, running_watts: float | None, frequency_share: float | None = None
) -> str:
    """Full load near the highest running power seen, else part load; without power, unknown.

    With a compressor frequency, its share of the learned highest frequency tells the load
    instead of power. A unit working flat out (in the cold, or catching up) moves its heat at
    another split than on a mild day: each load has its own normal.
    """
    if running_watts is not None and running_watts > 0:
        memory.peak_watts = max(memory.peak_watts, running_watts)
    if frequency_share is not None:
        return "full" if frequency_share >= FULL_LOAD else "part"
    if running_watts is None or running_watts <= 0:
        return "any"
    return "full" if running_watts >= FULL_LOAD * memory.peak_watts else "part"
