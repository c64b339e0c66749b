"""The health engine: time-ordered observations in, statistics and findings out.

Nothing in this package imports Home Assistant. Live state changes, recorder backfill, the
replay tool and the tests all drive the same `HealthEngine` through `HealthEngine.update`.
"""

from .config import EngineConfig
from .engine import HealthEngine, HealthSnapshot, Totals
from .findings import Finding, FindingKey, Guidance, Maintenance, Severity
from .observations import ClimateReading, EnergyTotal, Observation, Role

__all__ = [
    "ClimateReading",
    "EnergyTotal",
    "EngineConfig",
    "Finding",
    "FindingKey",
    "Guidance",
    "HealthEngine",
    "HealthSnapshot",
    "Maintenance",
    "Observation",
    "Role",
    "Severity",
    "Totals",
]
