"""Sensor faults: sources silent, unavailable, frozen, impossible or disagreeing."""

from collections import deque
from dataclasses import dataclass, field
from statistics import median

from ..durations import HOUR, MIN_HOUR
from ..findings import ABSENT, Condition, FindingKey, Guidance, Severity
from ..model import RECENT_HOURS, HourSample, Memory
from ..observations import Role
from ..periods import Period
from .base import Context

# Readings outside these ranges cannot be real (°C, and W for power).
PLAUSIBLE: dict[Role, tuple[float, float]] = {
    Role.OUTDOOR_TEMPERATURE: (-60.0, 60.0),
    Role.INDOOR_TEMPERATURE: (-10.0, 50.0),
    Role.SUPPLY_TEMPERATURE: (-40.0, 95.0),
    Role.RETURN_TEMPERATURE: (-40.0, 95.0),
    Role.POWER: (-50.0, 100_000.0),
}
# A temperature that has not changed at all for this long while the unit ran is frozen. Not
# the room's: a thermostat that does its job holds it steady for days.
STUCK_AFTER: dict[Role, float] = {
    Role.OUTDOOR_TEMPERATURE: 24 * HOUR,
    Role.SUPPLY_TEMPERATURE: 24 * HOUR,
    Role.RETURN_TEMPERATURE: 24 * HOUR,
}
STUCK_MIN_RUNTIME = 2 * HOUR
# A reading is frozen only where the unit's activity should have moved it: it stayed the
# same across at least this many compressor starts and as many stops. An inverter that never
# stops holds its temperatures steady, and that is no fault.
STUCK_MIN_CYCLES = 2
# Sources that report often enough that hours of silence mean trouble.
WATCHED = (
    Role.POWER,
    Role.OUTDOOR_TEMPERATURE,
    Role.INDOOR_TEMPERATURE,
    Role.SUPPLY_TEMPERATURE,
    Role.RETURN_TEMPERATURE,
)
# The room sensor and the thermostat disagree when their difference moves this far (K) from
# the difference learned in the first day, over the last hours.
DISAGREE = 2.5
DISAGREE_WINDOW = 3 * HOUR
MIN_DISAGREE_HOURS = 2
# Hours of room-sensor versus thermostat readings used to learn their normal difference.
OFFSET_HOURS = 12


@dataclass(slots=True)
class RoomSensorMemory(Memory):
    """The room sensor's normal difference from the thermostat, and recent hours of it."""

    learning: deque[float] = field(default_factory=lambda: deque(maxlen=24))
    reference: float | None = None
    offsets: deque[HourSample] = field(default_factory=lambda: deque(maxlen=RECENT_HOURS))

    def hour_closed(self, hour: Period, end: float, *, raised: bool) -> None:
        """The hour's mean difference: learned first, then watched against what was learned."""
        offset = hour.mean_offset
        if offset is None or hour.offset_seconds < MIN_HOUR:
            return
        if self.reference is None:
            self.learning.append(offset)
            if len(self.learning) >= OFFSET_HOURS:
                self.reference = median(self.learning)
            return
        self.offsets.append(HourSample(end, offset, self.reference))


def sensor_fault(context: Context, _raised: bool) -> Condition:
    """The first sensor problem found, or absent when every source looks sound."""
    for check in (_impossible, _silent, _stuck, _disagreeing):
        if (problem := check(context)) is not None:
            role, kind, value = problem
            return Condition(
                True,
                Severity.WARNING,
                Guidance.DIY,
                {"sensor": role.value, "problem": kind, "value": value},
            )
    return ABSENT


type Problem = tuple[Role, str, float | None] | None


def _impossible(context: Context) -> Problem:
    """A reading outside what the quantity can physically be."""
    for role, (low, high) in PLAUSIBLE.items():
        value = context.state.readings.number(role)
        if value is not None and not low <= value <= high:
            return role, "impossible", round(value, 1)
    return None


def _silent(context: Context) -> Problem:
    """A source that stopped reporting, or has been unavailable, for the stale time."""
    limit = context.config.sensor_stale_hours * HOUR
    for role in WATCHED:
        reading = context.state.readings.numbers.get(role)
        if reading is None or reading.seen is None:
            continue
        if (
            reading.unavailable_since is not None
            and context.now - reading.unavailable_since >= limit
        ):
            return role, "unavailable", round((context.now - reading.unavailable_since) / HOUR, 1)
        if not context.changes_only and context.now - reading.seen >= limit:
            return role, "stale", round((context.now - reading.seen) / HOUR, 1)
    return None


def _stuck(context: Context) -> Problem:
    """A temperature frozen at one value for a day or more, across starts and stops."""
    cycles = context.state.cycles
    for role, after in STUCK_AFTER.items():
        reading = context.state.readings.numbers.get(role)
        if reading is None or reading.unchanged_since is None or reading.unavailable_since:
            continue
        since = reading.unchanged_since
        if context.now - since < after:
            continue
        if (
            cycles.runtime_within(context.now, after) >= STUCK_MIN_RUNTIME
            and cycles.starts_within(context.now, context.now - since) >= STUCK_MIN_CYCLES
            and _stops_since(context, since) >= STUCK_MIN_CYCLES
        ):
            return role, "stuck", reading.value
    return None


def _stops_since(context: Context, since: float) -> int:
    """Compressor stops after `since`, counted up to `STUCK_MIN_CYCLES`."""
    stops = 0
    for end, _ in reversed(context.state.cycles.runs):
        if end <= since or stops >= STUCK_MIN_CYCLES:
            break
        stops += 1
    return stops


def _disagreeing(context: Context) -> Problem:
    """The room sensor and the thermostat's own reading drifting apart."""
    memory = context.state.memory(FindingKey.SENSOR_FAULT, RoomSensorMemory)
    if memory.reference is None:
        return None
    begin = context.now - DISAGREE_WINDOW
    recent: list[float] = []
    for sample in reversed(memory.offsets):  # newest first, up to the window's start
        if sample.time <= begin:
            break
        recent.append(sample.value)
    if len(recent) < MIN_DISAGREE_HOURS:
        return None
    drift = median(recent) - memory.reference
    if abs(drift) >= DISAGREE:
        return Role.INDOOR_TEMPERATURE, "disagrees", round(drift, 1)
    return None
