"""Baselines learned from the unit's own history, robust to outliers and bounded in size.

Two kinds: a value against outdoor temperature (runtime, COP, defrost rate, temperature split),
kept as the median of recent samples per temperature bin; and daily energy against heating and
cooling degree-days, fitted with a robust (Huber) regression. Both say when they are still
learning, and detectors that need them stay silent until then.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
import math
from statistics import median
from typing import ClassVar

from .rings import Ring

# A bin keeps this many samples; once full it takes only one new sample in `SLOW_LEARNING`,
# so a fault that develops over weeks is not learned as normal while a change over a season is.
BIN_SAMPLES = 24
SLOW_LEARNING = 64
MIN_BIN_SAMPLES = 6
# A bin still learning borrows from the nearest learned bin this many bins away.
NEIGHBOURS = 2
# After this many rejected samples in a row, a bin accepts that normal has moved.
MAX_REJECTED = 48


class Samples(Ring[float]):
    """A bin's samples, one float a row."""

    __slots__ = ()
    width: ClassVar[int] = 1
    item_type: ClassVar[object] = float

    def to_row(self, item: float) -> Sequence[float]:
        """A sample is a row of one."""
        return (item,)

    def from_row(self, row: Sequence[float]) -> float:
        """The sample a row holds."""
        return row[0]


@dataclass(slots=True)
class Bin:
    """Samples of one temperature bin, in room allocated when the bin is first seen."""

    samples: Samples = field(default_factory=lambda: Samples(BIN_SAMPLES))
    seen: int = 0
    rejected: int = 0


@dataclass(slots=True)
class BinnedBaseline:
    """A value's typical level per outdoor temperature bin.

    With `reject` set, a sample further than that share from the expected value is an outlier
    and is not learned (unless outliers persist, see `MAX_REJECTED`).
    """

    width: float = 2.0
    reject: float | None = None
    bins: dict[int, Bin] = field(default_factory=dict)

    def add(self, temperature: float, value: float) -> None:
        """Learn one sample at an outdoor temperature."""
        if not (math.isfinite(temperature) and math.isfinite(value)):
            return
        index = math.floor(temperature / self.width)
        target = self.bins.get(index)
        if target is None:
            target = self.bins[index] = Bin()
        expected = self.expected(temperature)
        if (
            self.reject is not None
            and expected is not None
            and abs(value - expected) > self.reject * abs(expected)
            and target.rejected < MAX_REJECTED
        ):
            target.rejected += 1
            return
        target.rejected = 0
        target.seen += 1
        if len(target.samples) < BIN_SAMPLES or target.seen % SLOW_LEARNING == 0:
            target.samples.append(value)

    def expected(self, temperature: float, neighbours: int = NEIGHBOURS) -> float | None:
        """The typical value at a temperature, or None while it is still learning there."""
        index = math.floor(temperature / self.width)
        for distance in range(neighbours + 1):
            for candidate in {index - distance, index + distance}:
                target = self.bins.get(candidate)
                if target is not None and len(target.samples) >= MIN_BIN_SAMPLES:
                    return median(target.samples)
        return None

    def learned_range(self) -> tuple[float, float] | None:
        """The lower edges of the coldest and warmest bins that have learned, if any."""
        learned = [
            index for index, target in self.bins.items() if len(target.samples) >= MIN_BIN_SAMPLES
        ]
        if not learned:
            return None
        return min(learned) * self.width, max(learned) * self.width

    def peak(self) -> float | None:
        """The highest typical value of any learned bin, if any has learned."""
        learned = [
            median(target.samples)
            for target in self.bins.values()
            if len(target.samples) >= MIN_BIN_SAMPLES
        ]
        return max(learned, default=None)

    def reset(self) -> None:
        """Forget everything (after a repair changes what normal is)."""
        self.bins.clear()


# Degree-day bases (°C): heating below, cooling above.
HEATING_BASE = 15.5
COOLING_BASE = 22.0
# A year of days, so this winter is judged against last winter as well as against autumn.
ENERGY_DAYS = 365
MIN_ENERGY_DAYS = 21
# The fit is trusted only for weather it has seen: at least this many learned days within
# this many degree-days of the day judged, and nothing much harsher than the harshest day
# learned. The first cold snap of a season is learned, not judged.
NEARBY_DEGREE_DAYS = 4.0
MIN_NEARBY_DAYS = 3
BEYOND_SEEN = 1.0
type Coefficients = tuple[float, float, float, float, float]
HUBER_K = 1.5
# Once fitted, a day further from the fit than this many robust standard deviations (and
# this share of the expected energy) is not learned, so a fault that raises energy is not
# taught as normal; after `MAX_REJECTED_DAYS` such days in a row, normal has moved.
OUTLIER_SIGMAS = 3.0
OUTLIER_SHARE = 0.15
MAX_REJECTED_DAYS = 14
MIN_JUDGED_KWH = 1.0
# The square term is fitted only once days of this many different degree-day values are seen.
QUADRATIC_MIN_SPREAD = 10
# Days with this many degree-days or more count as heating or cooling days for the spread.
ACTIVE_DEGREE_DAYS = 0.5
MIN_ACTIVE_DAYS = 10
FIT_ROUNDS = 8


def degrees(outdoor: float) -> tuple[float, float]:
    """Heating and cooling degrees at one outdoor temperature; summed over a day, degree-days.

    Integrating them over the day's readings, rather than taking the day's mean, counts the
    cold nights of a mild day, which the heat pump does heat for.
    """
    return max(0.0, HEATING_BASE - outdoor), max(0.0, outdoor - COOLING_BASE)


type EnergyDay = tuple[float, float, float]


class EnergyDays(Ring[EnergyDay]):
    """Learned days as (heating degree-days, cooling degree-days, kWh)."""

    __slots__ = ()
    width: ClassVar[int] = 3
    item_type: ClassVar[object] = EnergyDay
    saved_as_row: ClassVar[bool] = True

    def to_row(self, item: EnergyDay) -> Sequence[float]:
        """A day is stored as it is."""
        return item

    def from_row(self, row: Sequence[float]) -> EnergyDay:
        """The day a row holds."""
        return (row[0], row[1], row[2])


@dataclass(slots=True)
class EnergyBaseline:
    """Daily energy = base + a·HDD + b·HDD² + c·CDD + d·CDD², fitted robustly to the last days.

    The square terms follow the heat pump's efficiency falling in the cold (and in the heat),
    which makes its energy grow faster than the degree-days.
    """

    days: EnergyDays = field(default_factory=lambda: EnergyDays(ENERGY_DAYS))
    coefficients: Coefficients | None = None
    # robust spread of a day's energy around the fit (kWh), for telling noise from change
    scale: float | None = None
    # the unit's big days: the 90th percentile of daily energy learned (kWh)
    big_day: float | None = None
    rejected: int = 0

    def add(self, hdd: float, cdd: float, kwh: float) -> None:
        """Learn one complete day, unless it is far off what the fit expects (an outlier)."""
        if not all(math.isfinite(value) for value in (hdd, cdd, kwh)) or kwh < 0:
            return
        expected = self.expected(hdd, cdd)
        if (
            expected is not None
            and expected >= MIN_JUDGED_KWH
            and abs(kwh - expected) > self._outlier_limit(expected)
            and self.rejected < MAX_REJECTED_DAYS
        ):
            self.rejected += 1
            return
        self.rejected = 0
        self.days.append((hdd, cdd, kwh))
        if len(self.days) >= MIN_ENERGY_DAYS:
            self.coefficients, self.scale = _huber_fit(list(self.days))
            energies = sorted(day[2] for day in self.days)
            self.big_day = energies[int(0.9 * (len(energies) - 1))]

    def _outlier_limit(self, expected: float) -> float:
        """How far (kWh) a day may be from the fit and still be learned."""
        return max(OUTLIER_SIGMAS * (self.scale or 0.0), OUTLIER_SHARE * expected)

    @property
    def learning(self) -> bool:
        """Whether too few days have been seen to trust the fit."""
        return self.coefficients is None

    def expected(self, hdd: float, cdd: float) -> float | None:
        """Expected daily kWh for a day of these degree-days, or None when unsure."""
        if self.coefficients is None:
            return None
        support = sum(
            1
            for day_hdd, day_cdd, _ in self.days
            if abs(day_hdd - hdd) <= NEARBY_DEGREE_DAYS and abs(day_cdd - cdd) <= NEARBY_DEGREE_DAYS
        )
        if support < MIN_NEARBY_DAYS:
            return None
        # Energy grows faster than the fit in weather harsher than any seen: do not reach there.
        if (
            hdd > max(day[0] for day in self.days) + BEYOND_SEEN
            or cdd > max(day[1] for day in self.days) + BEYOND_SEEN
        ):
            return None
        return max(0.0, _predict(self.coefficients, hdd, cdd))

    def reset(self) -> None:
        """Forget everything."""
        self.days.clear()
        self.coefficients = self.scale = self.big_day = None
        self.rejected = 0


def _features(hdd: float, cdd: float) -> Coefficients:
    """The regression's columns for one day."""
    return 1.0, hdd, hdd * hdd, cdd, cdd * cdd


def _predict(coefficients: Coefficients, hdd: float, cdd: float) -> float:
    """The fitted daily energy."""
    return sum(c * x for c, x in zip(coefficients, _features(hdd, cdd), strict=True))


def _huber_fit(
    days: list[tuple[float, float, float]],
) -> tuple[Coefficients, float]:
    """Iteratively reweighted least squares with Huber weights, and the residuals' robust scale.

    Columns with no spread in the data drop out.
    """
    weights = [1.0] * len(days)
    columns = [0]
    for index, linear, square in ((0, 1, 2), (1, 3, 4)):
        values = {round(day[index], 1) for day in days}
        if len(values) > 1:
            columns.append(linear)
        if len(values) > QUADRATIC_MIN_SPREAD:
            columns.append(square)
    coefficients = (median(day[2] for day in days), 0.0, 0.0, 0.0, 0.0)
    scale = 0.0
    for _ in range(FIT_ROUNDS):
        fitted = _weighted_least_squares(days, weights, columns)
        if fitted is None:
            break
        coefficients = fitted
        residuals = [day[2] - _predict(fitted, day[0], day[1]) for day in days]
        scale = _robust_scale(days, residuals)
        weights = [min(1.0, HUBER_K * scale / max(abs(residual), 1e-12)) for residual in residuals]
    return coefficients, scale


def _robust_scale(days: list[tuple[float, float, float]], residuals: list[float]) -> float:
    """The residuals' robust standard deviation, over days that needed heating or cooling.

    Days that needed neither all use the same standby energy and fit exactly; counting them
    would make every heating day look like news.
    """
    active = [
        abs(residual)
        for day, residual in zip(days, residuals, strict=True)
        if day[0] + day[1] >= ACTIVE_DEGREE_DAYS
    ]
    spread = active if len(active) >= MIN_ACTIVE_DAYS else [abs(r) for r in residuals]
    return 1.4826 * median(spread) or 1e-6


def _weighted_least_squares(
    days: list[tuple[float, float, float]], weights: list[float], columns: list[int]
) -> Coefficients | None:
    """Solve the weighted normal equations for the columns in use (Gauss-Jordan)."""
    size = len(columns)
    matrix = [[0.0] * (size + 1) for _ in range(size)]
    for weight, (hdd, cdd, kwh) in zip(weights, days, strict=True):
        row = _features(hdd, cdd)
        features = [row[column] for column in columns]
        for i in range(size):
            for j in range(size):
                matrix[i][j] += weight * features[i] * features[j]
            matrix[i][size] += weight * features[i] * kwh
    for pivot in range(size):
        best = max(range(pivot, size), key=lambda index: abs(matrix[index][pivot]))
        if abs(matrix[best][pivot]) < 1e-9:
            return None
        matrix[pivot], matrix[best] = matrix[best], matrix[pivot]
        for row_index in range(size):
            if row_index != pivot:
                factor = matrix[row_index][pivot] / matrix[pivot][pivot]
                for column in range(pivot, size + 1):
                    matrix[row_index][column] -= factor * matrix[pivot][column]
    result = [0.0, 0.0, 0.0, 0.0, 0.0]
    for index, column in enumerate(columns):
        result[column] = matrix[index][size] / matrix[index][index]
    return result[0], result[1], result[2], result[3], result[4]
