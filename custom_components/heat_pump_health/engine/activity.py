"""Whether the compressor is running, from the best source the unit offers."""

from dataclasses import dataclass
import math

RUNNING_ACTIONS = frozenset({"heating", "cooling", "defrosting", "preheating", "drying"})
IDLE_ACTIONS = frozenset({"idle", "off", "fan"})

# Standby and running power must be this far apart (W) before a learned threshold is trusted.
MIN_POWER_SPLIT = 50.0
# Standby below this (W) is treated as this, so the split stays meaningful for units that
# draw nothing at all when idle.
MIN_STANDBY = 5.0
# The running mean of a cluster stops moving faster than this once it has seen enough samples.
MIN_LEARNING_RATE = 0.01


@dataclass(slots=True)
class PowerClusters:
    """Two running means, standby and running power, split at their geometric mean.

    A one-dimensional online 2-means on a log scale: O(1) per reading, four numbers of state.
    The geometric mean sits well below the running mean, so an inverter at low modulation
    still counts as running while a fan or a crankcase heater alone does not.
    """

    low: float | None = None
    high: float | None = None
    low_samples: int = 0
    high_samples: int = 0

    def update(self, watts: float) -> None:
        """Move the nearer cluster towards the reading."""
        if self.low is None or self.high is None:
            self.low = self.high = watts
            self.low_samples = self.high_samples = 1
            return
        if self.low == self.high and watts != self.low:
            # one level seen so far: the first different reading opens the other cluster
            if watts > self.high:
                self.high = watts
            else:
                self.low = watts
            return
        if watts <= _split(self.low, self.high):
            self.low_samples += 1
            self.low += (watts - self.low) * max(1 / self.low_samples, MIN_LEARNING_RATE)
        else:
            self.high_samples += 1
            self.high += (watts - self.high) * max(1 / self.high_samples, MIN_LEARNING_RATE)

    @property
    def threshold(self) -> float | None:
        """Watts between standby and running, or None while the two are not yet apart."""
        if self.low is None or self.high is None or self.high - self.low < MIN_POWER_SPLIT:
            return None
        return _split(self.low, self.high)


def _split(low: float, high: float) -> float:
    """The geometric mean of standby and running power."""
    return math.sqrt(max(low, MIN_STANDBY) * max(high, MIN_STANDBY))


def running_from(
    compressor: bool | None, power: float | None, threshold: float | None, action: str | None
) -> bool | None:
    """Running from a running sensor, else power against the threshold, else hvac_action."""
    if compressor is not None:
        return compressor
    if power is not None and threshold is not None:
        return power > threshold
    if action in RUNNING_ACTIONS:
        return True
    if action in IDLE_ACTIONS:
        return False
    return None
