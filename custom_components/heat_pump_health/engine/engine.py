"""The health engine: one object per heat pump, fed observations in time order."""

from dataclasses import dataclass, field
from datetime import UTC, tzinfo
import math
from typing import Any

from .activity import ActivitySources, PowerClusters
from .config import EngineConfig
from .cycles import DAY, HOUR, CycleTracker
from .observations import ClimateReading, Observation, Role

STATE_VERSION = 1
# How much history the engine wants before it calls its statistics settled.
LEARNING_PERIOD = DAY


class StateVersionError(ValueError):
    """Saved state comes from a version this engine cannot read."""


@dataclass(frozen=True, slots=True)
class HealthSnapshot:
    """The statistics at one moment, for entities, diagnostics and reports.

    Bookkeeping fields do not take part in equality, so an unchanged picture compares equal.
    """

    time: float | None = field(compare=False)
    learning: bool
    learning_progress: float
    running: bool | None
    power_threshold: float | None
    starts_last_hour: int
    starts_today: int
    runtime_today_hours: float
    median_run_minutes: float | None
    median_off_minutes: float | None
    total_starts: int
    observations: int = field(compare=False)
    late_observations: int = field(compare=False)


class HealthEngine:
    """Consumes observations of one heat pump and keeps its statistics."""

    def __init__(self, config: EngineConfig | None = None, zone: tzinfo = UTC) -> None:
        """Start with nothing learned."""
        self.config = config or EngineConfig()
        self.zone = zone
        self._sources = ActivitySources()
        self._clusters = PowerClusters()
        self._cycles = CycleTracker()
        self._first_time: float | None = None
        self._last_time: float | None = None
        self._observations = 0
        self._late = 0

    def update(self, observation: Observation) -> bool:
        """Take one observation; return False when it arrived late and was dropped."""
        time = observation.time
        if self._last_time is not None and time < self._last_time:
            self._late += 1
            return False
        if self._first_time is None:
            self._first_time = time
        self._last_time = time
        self._observations += 1
        self._record(observation)
        running = self._sources.running(self._power_threshold)
        self._cycles.update(time, running, self.zone)
        return True

    def advance(self, time: float) -> None:
        """Let time pass with no new reading (day boundaries, windows)."""
        if self._last_time is not None and time < self._last_time:
            return
        self._last_time = time
        self._cycles.advance(time, self.zone)

    def _record(self, observation: Observation) -> None:
        """Keep the latest value of the role the observation belongs to."""
        value = observation.value
        match observation.role:
            case Role.COMPRESSOR:
                self._sources.compressor = value if isinstance(value, bool) else None
            case Role.POWER:
                watts = _number(value)
                self._sources.power = watts
                if watts is not None and watts >= 0:
                    self._clusters.update(watts)
            case Role.CLIMATE:
                self._sources.climate = value if isinstance(value, ClimateReading) else None
            case _:
                pass

    @property
    def _power_threshold(self) -> float | None:
        """The configured running threshold, else the learned one."""
        if self.config.power_running_threshold is not None:
            return self.config.power_running_threshold
        return self._clusters.threshold

    def snapshot(self, time: float | None = None) -> HealthSnapshot:
        """Return the statistics as of `time` (default: the last observation)."""
        now = time if time is not None else self._last_time
        seen = 0.0
        if now is not None and self._first_time is not None:
            seen = max(0.0, now - self._first_time)
        progress = min(1.0, seen / LEARNING_PERIOD)
        cycles = self._cycles
        median_run = cycles.median_run(now) if now is not None else None
        median_off = cycles.median_off(now) if now is not None else None
        return HealthSnapshot(
            time=now,
            learning=progress < 1.0,
            learning_progress=progress,
            running=cycles.running,
            power_threshold=self._power_threshold,
            starts_last_hour=cycles.starts_within(now, HOUR) if now is not None else 0,
            starts_today=cycles.starts_today,
            runtime_today_hours=(cycles.runtime_today_at(now) / HOUR) if now is not None else 0.0,
            median_run_minutes=median_run / 60 if median_run is not None else None,
            median_off_minutes=median_off / 60 if median_off is not None else None,
            total_starts=cycles.total_starts,
            observations=self._observations,
            late_observations=self._late,
        )

    def as_dict(self) -> dict[str, Any]:
        """Return everything learned as plain, JSON-serialisable data."""
        return {
            "version": STATE_VERSION,
            "first_time": self._first_time,
            "last_time": self._last_time,
            "observations": self._observations,
            "late": self._late,
            "power_clusters": self._clusters.as_dict(),
            "cycles": self._cycles.as_dict(),
        }

    @classmethod
    def from_dict(
        cls, data: dict[str, Any], config: EngineConfig | None = None, zone: tzinfo = UTC
    ) -> HealthEngine:
        """Restore an engine from `as_dict` output; configuration is not part of the state."""
        if data.get("version") != STATE_VERSION:
            raise StateVersionError(f"unsupported engine state version {data.get('version')!r}")
        engine = cls(config, zone)
        engine._first_time = data["first_time"]
        engine._last_time = data["last_time"]
        engine._observations = int(data["observations"])
        engine._late = int(data["late"])
        engine._clusters = PowerClusters.from_dict(data["power_clusters"])
        engine._cycles = CycleTracker.from_dict(data["cycles"])
        return engine


def _number(value: object) -> float | None:
    """A finite float, or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None
