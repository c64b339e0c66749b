"""Outdoor weather over a year: temperature, humidity and sunshine, deterministic from a seed.

A seasonal sine, a daily sine and smooth random weather fronts. The weather at a given moment does
not depend on when a run starts, so a few days in January look the same in a short scenario and in
a full-year run with the same seed.
"""

from dataclasses import dataclass
from enum import StrEnum
import math
import random

DAY = 86_400.0
YEAR = 365.2425 * DAY
# 1970-01-20: on average the coldest day of the year in the northern hemisphere.
_COLDEST_DAY = 19 * DAY
# Local hour of the daily minimum; the maximum comes twelve hours later.
_COLDEST_HOUR = 4.0
_TAU = 2 * math.pi


class ClimateName(StrEnum):
    """The weather profiles a scenario can choose."""

    MILD = "mild"
    COLD = "cold"
    EXTREME_COLD = "extreme_cold"
    HOT = "hot"
    HUMID_NEAR_FREEZING = "humid_near_freezing"


@dataclass(frozen=True, slots=True)
class WeatherProfile:
    """One climate: temperatures in °C, relative humidity in %."""

    annual_mean_c: float
    seasonal_amplitude_k: float
    daily_amplitude_k: float
    front_k: float  # standard deviation of the slow weather fronts
    front_days: float  # typical spacing of the fronts
    wobble_k: float  # standard deviation of the day-to-day wobble
    humidity_winter: float
    humidity_summer: float
    humidity_per_k: float  # humidity falls as the day warms
    design_heat_c: float  # heating design temperature, for sizing the unit
    design_cool_c: float  # cooling design temperature


PROFILES: dict[ClimateName, WeatherProfile] = {
    # Maritime: January around 8 °C, nights rarely near freezing, summers around 20 °C.
    ClimateName.MILD: WeatherProfile(14.0, 5.5, 4.0, 2.5, 4.0, 1.0, 72.0, 66.0, 2.5, 0.0, 29.0),
    # Continental and dry: January around -9 °C, cold snaps to -25 °C.
    ClimateName.COLD: WeatherProfile(4.0, 13.0, 5.0, 4.0, 5.0, 1.5, 62.0, 60.0, 2.5, -20.0, 30.0),
    # Subarctic: January around -24 °C, weeks between -20 and -32 °C.
    ClimateName.EXTREME_COLD: WeatherProfile(
        -3.0, 21.0, 4.0, 4.5, 6.0, 1.5, 72.0, 65.0, 2.0, -33.0, 27.0
    ),
    # Hot summers: July afternoons of 33-38 °C, mild winters.
    ClimateName.HOT: WeatherProfile(21.0, 8.5, 6.5, 2.0, 4.0, 1.0, 62.0, 48.0, 2.5, 3.0, 38.0),
    # Foggy winters hovering around freezing at 85-98 % humidity.
    ClimateName.HUMID_NEAR_FREEZING: WeatherProfile(
        8.0, 7.0, 2.5, 2.5, 4.0, 1.0, 92.0, 80.0, 2.0, -8.0, 27.0
    ),
}


@dataclass(frozen=True, slots=True)
class WeatherSample:
    """The weather at one moment. `sun` is 0 (night, overcast) to 1 (clear summer noon)."""

    temperature_c: float
    humidity: float
    sun: float


class SmoothNoise:
    """Smooth random values: Gaussian knots every `period` seconds, eased between.

    Knots come from a string-seeded generator, so a value depends only on the seed and the time.
    """

    __slots__ = ("_knots", "_period", "_prefix")

    def __init__(self, seed: int, name: str, period: float) -> None:
        """Name one independent stream of knots."""
        self._prefix = f"{seed}/{name}"
        self._period = period
        self._knots: dict[int, float] = {}

    def at(self, time: float) -> float:
        """The value at `time` (standard deviation about 0.8)."""
        x = time / self._period
        i = math.floor(x)
        f = x - i
        a = self._knot(i)
        return a + (self._knot(i + 1) - a) * f * f * (3.0 - 2.0 * f)

    def _knot(self, i: int) -> float:
        value = self._knots.get(i)
        if value is None:
            value = self._knots[i] = random.Random(f"{self._prefix}/{i}").gauss(0.0, 1.0)
        return value


class Weather:
    """A climate's weather for one seed, at any moment; `utc_offset` places the local day."""

    __slots__ = ("_front", "_humidity", "_offset", "_wobble", "profile")

    def __init__(self, climate: ClimateName, seed: int, utc_offset: float = 0.0) -> None:
        """Pick the profile and seed the random streams."""
        self.profile = PROFILES[climate]
        self._offset = utc_offset
        self._front = SmoothNoise(seed, f"{climate}/front", self.profile.front_days * DAY)
        self._wobble = SmoothNoise(seed, f"{climate}/wobble", DAY)
        self._humidity = SmoothNoise(seed, f"{climate}/humidity", 1.5 * DAY)

    def season(self, time: float) -> float:
        """0 on the coldest day of the year, 1 on the warmest."""
        return 0.5 - 0.5 * math.cos(_TAU * (time + self._offset - _COLDEST_DAY) / YEAR)

    def local_hour(self, time: float) -> float:
        """Hour of the local day, 0-24."""
        return ((time + self._offset) % DAY) / 3600.0

    def sample(self, time: float) -> WeatherSample:
        """Temperature, humidity and sunshine at `time` (seconds since the epoch)."""
        p = self.profile
        season = self.season(time)
        hour = self.local_hour(time)
        daily = -p.daily_amplitude_k * math.cos(_TAU * (hour - _COLDEST_HOUR) / 24.0)
        temperature = (
            p.annual_mean_c
            + p.seasonal_amplitude_k * (2.0 * season - 1.0)
            + daily
            + p.front_k * self._front.at(time)
            + p.wobble_k * self._wobble.at(time)
        )
        wet = self._humidity.at(time)
        humidity = (
            p.humidity_winter
            + (p.humidity_summer - p.humidity_winter) * season
            - p.humidity_per_k * daily
            + 6.0 * wet
        )
        humidity = min(100.0, max(20.0, humidity))
        # Days run from 8 h in winter to 16 h in summer, centred on local noon.
        half_day = 4.0 + 4.0 * season
        light = math.cos(math.pi * (hour - 12.0) / (2.0 * half_day))
        clear = min(1.0, max(0.1, 0.6 - 0.4 * wet))
        sun = max(0.0, light) * (0.45 + 0.55 * season) * clear if abs(hour - 12) < half_day else 0.0
        return WeatherSample(temperature, humidity, sun)

    def daily_mean(self, day_start: float) -> float:
        """Mean temperature of the day that starts at `day_start`, from hourly samples."""
        return (
            sum(self.sample(day_start + (h + 0.5) * 3600.0).temperature_c for h in range(24)) / 24
        )


def vapour_pressure(temperature_c: float) -> float:
    """Saturation vapour pressure over water in hPa (Magnus)."""
    return 6.112 * math.exp(17.62 * temperature_c / (243.12 + temperature_c))
