"""Whether the compressor is running, from the best source the unit offers."""

from dataclasses import dataclass, field
import math

RUNNING_ACTIONS = frozenset({"heating", "cooling", "defrosting", "preheating", "drying"})
IDLE_ACTIONS = frozenset({"idle", "off", "fan"})

HOUR = 3600.0
# Histogram of power: 20 bins a decade (12 % wide) from 1 W to 100 kW; bin 0 holds 1 W and less.
BINS_PER_DECADE = 20
BINS = 5 * BINS_PER_DECADE
# A reading counts for at most this long: a source gone silent does not own the histogram.
HOLD_CAP = HOUR
# Old weight halves over this much observed time, so a new pump or a new season is learned.
HALF_LIFE = 14 * 24 * HOUR
DECAY_EVERY = HOUR
# The threshold is read from the histogram at most this often (observed time), O(BINS) each.
RECOMPUTE_EVERY = 600.0
# Observed power the histogram needs before levels are read from it.
MIN_OBSERVED = 2 * HOUR
# A bin separates two levels when its smoothed weight is at most this share of the lower of
# the highest peaks on either side of it.
VALLEY_RATIO = 0.1
# A gap narrower than this (bins: a factor of 1.4 in power) is a modulating compressor's sparse
# spread, not a space between two levels.
MIN_GAP_BINS = 3
# The gap chosen has at least this share of the time spent above the lowest gap, unless the
# level right below it is standby or an auxiliary (a pump, a fan, a base-plate heater: below
# this, W), so that a unit mostly at standby, or with a level below standby, still splits...
UPPER_SHARE = 0.5
AUXILIARY_CEILING = 200.0
# ...and above it the power reaches compressor watts: its 90th percentile at least this (W).
# Standby, a circulation pump, a fan or a base-plate heater stay below it.
MIN_COMPRESSOR_PEAK = 400.0
# A unit drawing this much (W) is running, learned or not; a learned threshold never exceeds it.
ABSOLUTE_RUNNING = 1000.0
# While nothing is learned, this little (W) is standby: not running.
IDLE_CEILING = 25.0
# At or below this (W) a unit with a learned standby has lost its supply: not a level it draws.
NO_SUPPLY = 1.0
# A compressor frequency (Hz or %) above this is a turning compressor; at or below it, idle.
FREQUENCY_RUNNING = 0.5
# At this share of its learned highest frequency or more, an inverter is at full capacity.
FULL_FREQUENCY = 0.9
# The learned highest frequency halves over this long: a compressor's top speed is a property
# of the unit, and a mild month at part speed must not make part speed look like full speed
# (the split normal learned there would then be held against real full load in the cold).
PEAK_HALF_LIFE = 365 * 24 * HOUR


def bin_of(watts: float) -> int:
    """The histogram bin of a reading."""
    if watts <= 1.0:
        return 0
    return min(BINS - 1, int(math.log10(watts) * BINS_PER_DECADE))


def bin_watts(index: int) -> float:
    """The lower edge of a bin (W)."""
    return float(10 ** (index / BINS_PER_DECADE))


def bin_middle(index: int) -> float:
    """The geometric middle of a bin (W)."""
    return math.sqrt(bin_watts(index) * bin_watts(index + 1))


@dataclass(slots=True)
class PowerLevels:
    """The unit's power levels (standby, auxiliaries, compressor) and the running threshold.

    Readings, weighted by how long each held, go into a decaying log-power histogram. Each level
    a unit draws is a peak, with an (almost) empty gap between two levels. The threshold is the
    middle of the highest gap that still has most of the time above the lowest gap above it and
    above which the power reaches compressor watts; a modulating compressor's spread has dips
    but no wide gap, so it is never split. Bounded state: at most `BINS` weights, saved sparse.
    """

    # hours of power readings by histogram bin, decayed
    weights: dict[int, float] = field(default_factory=dict)
    last_watts: float | None = None
    last_time: float | None = None
    decayed_at: float | None = None
    computed_at: float | None = None
    threshold: float | None = None
    # the lowest level the unit draws (W), below all others: what it draws on standby
    standby: float | None = None

    def observe(self, time: float, watts: float | None, *, learn: bool = True) -> None:
        """Weigh the previous reading by how long it held, then take the new one."""
        last = self.last_watts
        if last is not None and self.last_time is not None and learn and not self._no_supply(last):
            held = min(max(0.0, time - self.last_time), HOLD_CAP)
            if held > 0:
                index = bin_of(last)
                self.weights[index] = self.weights.get(index, 0.0) + held / HOUR
        self.last_watts = watts if watts is not None and watts >= 0 else None
        self.last_time = time
        if self.decayed_at is None:
            self.decayed_at = time
        elif time - self.decayed_at >= DECAY_EVERY:
            factor = 0.5 ** ((time - self.decayed_at) / HALF_LIFE)
            self.weights = {index: weight * factor for index, weight in self.weights.items()}
            self.decayed_at = time
        if self.computed_at is None or time - self.computed_at >= RECOMPUTE_EVERY:
            self.computed_at = time
            self._recompute()

    def _no_supply(self, watts: float) -> bool:
        """Whether a reading is an outage rather than a level: nothing, where standby is known."""
        return watts <= NO_SUPPLY and self.standby is not None and self.standby > NO_SUPPLY

    def _recompute(self) -> None:
        """Read threshold and standby from the histogram; keep the last ones where none shows."""
        weights = [self.weights.get(index, 0.0) for index in range(BINS)]
        if sum(weights) < MIN_OBSERVED / HOUR:
            return
        found = gaps(weights)
        wide = [gap for gap in found if gap[1] - gap[0] + 1 >= MIN_GAP_BINS]
        if wide:
            lowest = wide[0][0]
            standby = max(range(lowest), key=weights.__getitem__)
            if weights[standby] > 0 and bin_middle(standby) < MIN_COMPRESSOR_PEAK:
                self.standby = bin_middle(standby)
        if not found:
            return
        above_lowest = sum(weights[found[0][1] + 1 :])
        for low, high in reversed(wide):
            above = sum(weights[high + 1 :])
            if above <= 0 or _quantile(weights, high + 1, above, 0.9) < MIN_COMPRESSOR_PEAK:
                continue
            if above < UPPER_SHARE * above_lowest and not _auxiliary_below(weights, found, low):
                continue
            split = math.sqrt(bin_watts(low) * bin_watts(high + 1))
            self.threshold = min(split, ABSOLUTE_RUNNING)
            return


def gaps(weights: list[float]) -> list[tuple[int, int]]:
    """Ranges of bins (first, last) that separate two levels, lowest first."""
    count = len(weights)
    smooth = [
        (weights[max(i - 1, 0)] + 2 * weights[i] + weights[min(i + 1, count - 1)]) / 4
        for i in range(count)
    ]
    below = [0.0] * count  # the highest peak strictly below each bin
    for i in range(1, count):
        below[i] = max(below[i - 1], smooth[i - 1])
    above = [0.0] * count  # the highest peak strictly above each bin
    for i in range(count - 2, -1, -1):
        above[i] = max(above[i + 1], smooth[i + 1])
    found: list[tuple[int, int]] = []
    for i in range(1, count - 1):
        peak = min(below[i], above[i])
        if peak > 0 and smooth[i] <= VALLEY_RATIO * peak:
            if found and found[-1][1] == i - 1:
                found[-1] = (found[-1][0], i)
            else:
                found.append((i, i))
    return found


def _auxiliary_below(weights: list[float], found: list[tuple[int, int]], low: int) -> bool:
    """Whether the level right below a gap is standby or an auxiliary, not the compressor.

    Such a gap cannot split the compressor's own spread, however little the unit ran: the
    time share rule is for gaps higher up.
    """
    start = max((high + 1 for _, high in found if high < low), default=0)
    if start >= low:
        return False
    level = max(range(start, low), key=weights.__getitem__)
    return weights[level] > 0 and bin_middle(level) < AUXILIARY_CEILING


def _quantile(weights: list[float], start: int, mass: float, share: float) -> float:
    """The power (W, bin middle) below which `share` of the time above bin `start` was spent."""
    seen = 0.0
    for index in range(start, len(weights)):
        seen += weights[index]
        if seen >= share * mass:
            return bin_middle(index)
    return bin_watts(len(weights))


@dataclass(slots=True)
class FrequencyPeak:
    """The highest compressor frequency the unit reaches, in its own unit (Hz or %).

    The highest frequency held for two readings in a row (one glitch is no top speed),
    decaying by half over `PEAK_HALF_LIFE`, so a unit slowed down for good is followed within a
    year. Bounded state: three numbers.
    """

    peak: float = 0.0
    time: float | None = None
    last: float | None = None

    def observe(self, time: float, value: float | None) -> None:
        """Decay the peak to `time`, then raise it to a running speed held above it."""
        if self.time is not None and time > self.time:
            self.peak *= 0.5 ** ((time - self.time) / PEAK_HALF_LIFE)
        if self.time is None or time > self.time:
            self.time = time
        if value is None:
            return
        if value > FREQUENCY_RUNNING and self.last is not None and self.last > FREQUENCY_RUNNING:
            self.peak = max(self.peak, min(value, self.last))
        self.last = value

    def share(self, value: float | None) -> float | None:
        """A reading as a share of the learned peak, or None before a running one was seen."""
        if value is None or self.peak <= FREQUENCY_RUNNING:
            return None
        return max(0.0, value) / self.peak

    def at_full(self, value: float | None) -> bool:
        """Whether a reading is at full capacity: near the learned peak."""
        share = self.share(value)
        return share is not None and share >= FULL_FREQUENCY


def running_from(
    compressor: bool | None,
    power: float | None,
    threshold: float | None,
    action: str | None,
    *,
    frequency: float | None = None,
) -> bool | None:
    """Running from a running sensor, else compressor frequency, else power, else hvac_action."""
    if compressor is not None:
        return compressor
    if frequency is not None:
        return frequency > FREQUENCY_RUNNING
    if power is not None and (by_power := running_from_power(power, threshold)) is not None:
        return by_power
    if action in RUNNING_ACTIONS:
        return True
    if action in IDLE_ACTIONS:
        return False
    return None


def running_from_power(power: float, threshold: float | None) -> bool | None:
    """Running from power alone, or None where only the thermostat can tell.

    Power against the threshold where one is known (a learned one never exceeds the absolute
    floor; a configured one is the owner's word); else a unit drawing kilowatts is running
    and one drawing standby watts is not.
    """
    if threshold is not None:
        return power > threshold
    if power >= ABSOLUTE_RUNNING:
        return True
    if power <= IDLE_CEILING:
        return False
    return None
