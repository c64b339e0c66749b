"""Sensor noise that never touches the simulation's own random numbers.

Each value is drawn from a stream of its own, seeded by a key and the time bucket, so it
depends only on the moment it is read: reading it or not changes nothing else in the run.
"""

import math
import random


class HeldNoise:
    """Gaussian noise of standard deviation `sd`, held for `period` seconds at a time."""

    __slots__ = ("_bucket", "_key", "_period", "_sd", "_value")

    def __init__(self, key: str, sd: float, period: float) -> None:
        """Noise for the source named by `key` (seed included)."""
        self._key = key
        self._sd = sd
        self._period = period
        self._bucket: int | None = None
        self._value = 0.0

    def at(self, time: float) -> float:
        """The noise at `time`."""
        bucket = math.floor(time / self._period)
        if bucket != self._bucket:
            self._bucket = bucket
            self._value = random.Random(f"{self._key}/{bucket}").gauss(0.0, self._sd)
        return self._value
