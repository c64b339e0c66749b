"""Every detector, with the timing that turns its verdicts into findings.

Each detector is a function of the engine's state at one moment. The order here is the order
findings are reported in when several change at once.
"""

from ..findings import FindingKey
from .aux_heat import aux_heat_overuse
from .base import DAY, HOUR, MINUTE, Context, Detector, Timing
from .comfort import not_cooling, not_heating
from .cycling import nonstop_running, short_cycling
from .defrost import defrost_missing, defrost_too_frequent, defrost_too_long
from .energy import efficiency_drop, runaway_energy
from .leak import water_leak
from .maintenance import filter_due, service_due
from .sensors import sensor_fault
from .split import low_temperature_split, weak_airflow
from .supply import power_interrupted, track_outages

DETECTORS: tuple[Detector, ...] = (
    Detector(FindingKey.WATER_LEAK, water_leak, Timing(sustain=0, clear=5 * MINUTE)),
    Detector(FindingKey.POWER_INTERRUPTED, power_interrupted, Timing(5 * MINUTE, 10 * MINUTE)),
    Detector(FindingKey.NOT_HEATING, not_heating, Timing(HOUR, 30 * MINUTE)),
    Detector(FindingKey.NOT_COOLING, not_cooling, Timing(HOUR, 30 * MINUTE)),
    Detector(FindingKey.SHORT_CYCLING, short_cycling, Timing(0, 2 * HOUR)),
    Detector(FindingKey.NONSTOP_RUNNING, nonstop_running, Timing(30 * MINUTE, HOUR)),
    Detector(FindingKey.RUNAWAY_ENERGY, runaway_energy, Timing(0, 0, stale=7 * DAY), hourly=True),
    Detector(
        FindingKey.EFFICIENCY_DROP,
        efficiency_drop,
        Timing(0, 6 * HOUR, stale=7 * DAY),
        hourly=True,
    ),
    Detector(FindingKey.DEFROST_TOO_FREQUENT, defrost_too_frequent, Timing(HOUR, 2 * HOUR)),
    Detector(FindingKey.DEFROST_TOO_LONG, defrost_too_long, Timing(0, HOUR)),
    Detector(FindingKey.DEFROST_MISSING, defrost_missing, Timing(30 * MINUTE, 0)),
    Detector(FindingKey.WEAK_AIRFLOW, weak_airflow, Timing(HOUR, 2 * HOUR), hourly=True),
    Detector(
        FindingKey.LOW_TEMPERATURE_SPLIT, low_temperature_split, Timing(HOUR, 2 * HOUR), hourly=True
    ),
    Detector(FindingKey.AUX_HEAT_OVERUSE, aux_heat_overuse, Timing(0, HOUR)),
    Detector(FindingKey.SENSOR_FAULT, sensor_fault, Timing(15 * MINUTE, 30 * MINUTE)),
    Detector(FindingKey.FILTER_DUE, filter_due, Timing(0, 0, stale=float("inf"))),
    Detector(FindingKey.SERVICE_DUE, service_due, Timing(0, 0, stale=float("inf"))),
)

__all__ = ["DETECTORS", "Context", "Detector", "Timing", "track_outages"]
