"""A hot-water cylinder heated by the unit through a three-way valve, and its schedule.

Reheats start at fixed local hours (05:00 and 17:00 by default): the use since the last one
has cooled the cylinder, and the valve sends the unit's flow to the cylinder's coil until the
cylinder is back at its setpoint (~20-45 minutes for a 7 kW unit), its flow at 45-55 °C and
its COP about a quarter below space heating's (the unit's COP follows its flow temperature). A
weekly anti-legionella run heats it to 60 °C with the immersion heater alone, whatever the
weather.
"""

from dataclasses import dataclass
import math
import random

from .weather import DAY

HOUR = 3600.0
WATER_J_PER_L_K = 4180.0
# A unit gives up on a reheat that has not finished in this long (a fault, a tiny unit).
MAX_REHEAT_S = 3 * HOUR
# How much a reheat's use differs from the typical one, either way.
USE_SPREAD = 0.25


@dataclass(frozen=True, slots=True)
class CylinderSpec:
    """The cylinder and when it is heated. Hours are local; weekday 0 is Monday, 6 Sunday."""

    volume_l: float = 150.0
    setpoint_c: float = 50.0  # a reheat stops here
    reheat_hours: tuple[float, ...] = (5.0, 17.0)
    reheat_kwh: float = 3.0  # the use a typical reheat makes up for
    approach_k: float = 2.0  # the coil's mean water above the cylinder
    legionella_weekday: int | None = 6  # None: no anti-legionella run
    legionella_hour: float = 11.0
    legionella_c: float = 60.0
    immersion_w: float = 3000.0

    @property
    def j_per_k(self) -> float:
        """Heat capacity of the cylinder's water."""
        return self.volume_l * WATER_J_PER_L_K


class Cylinder:
    """The cylinder's temperature, the valve (`reheating`) and the immersion heater.

    `update` is called before the unit steps and decides what the cylinder asks for;
    `heat` adds what the unit delivered to it in that step.
    """

    __slots__ = (
        "_events",
        "_key",
        "_offset",
        "_reheat_since",
        "immersion",
        "reheating",
        "spec",
        "temperature_c",
    )

    def __init__(self, spec: CylinderSpec, seed: int, start: float, utc_offset: float) -> None:
        """A cylinder at its setpoint at `start`; its use is drawn from a stream of its own."""
        self.spec = spec
        self._key = f"{seed}/hot_water"
        self._offset = utc_offset
        self.temperature_c = spec.setpoint_c
        self.reheating = False
        self.immersion = False
        self._reheat_since = start
        self._events = self._next_events(start)

    def _next_events(self, after: float) -> list[tuple[float, bool]]:
        """The next local day's (time, legionella) events after `after`, in time order."""
        spec = self.spec
        events: list[tuple[float, bool]] = []
        day = math.floor((after + self._offset) / DAY) * DAY - self._offset
        while not events:
            weekday = int(((day + self._offset) / DAY + 3) % 7)  # 1970-01-01 was a Thursday
            hours = [(hour, False) for hour in spec.reheat_hours]
            if weekday == spec.legionella_weekday:
                hours.append((spec.legionella_hour, True))
            events = sorted(
                (day + hour * HOUR, hot) for hour, hot in hours if day + hour * HOUR > after
            )
            day += DAY
        return events

    def update(self, time: float) -> None:
        """Start what is due at `time`: a reheat after the use since the last, or the boost."""
        spec = self.spec
        if self.reheating and (
            self.temperature_c >= spec.setpoint_c or time - self._reheat_since >= MAX_REHEAT_S
        ):
            self.reheating = False
        if self.immersion and self.temperature_c >= spec.legionella_c:
            self.immersion = False
        if time < self._events[0][0]:
            return
        due, legionella = self._events.pop(0)
        if not self._events:
            self._events = self._next_events(due)
        if legionella:
            self.immersion = True
            return
        use = random.Random(f"{self._key}/{round(due)}").uniform(1 - USE_SPREAD, 1 + USE_SPREAD)
        self.temperature_c = min(
            self.temperature_c, spec.setpoint_c - spec.reheat_kwh * 3.6e6 * use / spec.j_per_k
        )
        self.reheating = True
        self._reheat_since = time

    def heat(self, heat_w: float, dt: float) -> None:
        """Warm the cylinder by `heat_w` for `dt` seconds."""
        self.temperature_c += heat_w * dt / self.spec.j_per_k
