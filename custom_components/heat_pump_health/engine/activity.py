"""Whether the compressor is running, from the best source the unit offers."""

from dataclasses import dataclass
from typing import Any

from .observations import ClimateReading

RUNNING_ACTIONS = frozenset({"heating", "cooling", "defrosting", "preheating", "drying"})
IDLE_ACTIONS = frozenset({"idle", "off", "fan"})

# Standby and running power must be this far apart (W) before a learned threshold is trusted.
MIN_POWER_SPLIT = 50.0
# The running mean of a cluster stops moving faster than this once it has seen enough samples.
MIN_LEARNING_RATE = 0.01


@dataclass(slots=True)
class PowerClusters:
    """Two running means, standby and running power, whose midpoint is the running threshold.

    A one-dimensional online 2-means: O(1) per reading, two numbers of state.
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
        if watts <= (self.low + self.high) / 2:
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
        return (self.low + self.high) / 2

    def as_dict(self) -> dict[str, Any]:
        """Return the state as plain data."""
        return {
            "low": self.low,
            "high": self.high,
            "low_samples": self.low_samples,
            "high_samples": self.high_samples,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PowerClusters:
        """Restore the state saved by `as_dict`."""
        return cls(
            low=data["low"],
            high=data["high"],
            low_samples=int(data["low_samples"]),
            high_samples=int(data["high_samples"]),
        )


@dataclass(slots=True)
class ActivitySources:
    """The latest reading of each activity source; `running` picks the most direct one."""

    compressor: bool | None = None
    power: float | None = None
    climate: ClimateReading | None = None

    def running(self, power_threshold: float | None) -> bool | None:
        """Running from a running sensor, else power against the threshold, else hvac_action."""
        if self.compressor is not None:
            return self.compressor
        if self.power is not None and power_threshold is not None:
            return self.power > power_threshold
        action = self.climate.hvac_action if self.climate is not None else None
        if action in RUNNING_ACTIONS:
            return True
        if action in IDLE_ACTIONS:
            return False
        return None
