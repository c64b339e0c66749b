"""Every detector, described once: the rest of the engine and the integration derive from here.

Each entry says which finding it raises, what it needs, how its verdicts become a finding and
what it learns for itself (see `Detector`). The order here is the order findings are reported
in when several change at once, and the order they are judged in: a detector comes after the
findings it defers to.

Adding a detector: one module with its verdict (and its memory, if it learns anything of its
own), one entry here, a `FindingKey`, and its translations and icons.
"""

from ..durations import DAY, HOUR, MINUTE
from ..findings import FindingKey
from ..observations import Role
from .aux_heat import aux_heat_overuse
from .base import DEFAULT_MENU, Context, Detector, Timing
from .comfort import not_cooling, not_heating
from .cycling import nonstop_running, short_cycling
from .defrost import defrost_missing, defrost_too_frequent, defrost_too_long
from .energy import EfficiencyMemory, efficiency_drop, runaway_energy
from .flow import FlowMemory, low_flow_rate
from .leak import water_leak
from .maintenance import filter_due, service_due
from .pressure import PressureMemory, low_water_pressure
from .sensors import RoomSensorMemory, sensor_fault
from .split import SplitMemory, low_temperature_split, weak_airflow
from .supply import power_interrupted, track_outages
from .unit_fault import UnitFaultMemory, unit_fault

# Role groups, any one role of a group will do.
CLIMATE = frozenset({Role.CLIMATE})
OUTDOOR = frozenset({Role.OUTDOOR_TEMPERATURE})
ELECTRIC = frozenset({Role.ENERGY, Role.POWER})
SUPPLY = frozenset({Role.SUPPLY_TEMPERATURE})
RETURN = frozenset({Role.RETURN_TEMPERATURE})
# Defrost is seen from the unit's own signal, the thermostat, or inferred from the split (for
# which the supply temperature needs the return too, see `applicable_findings`).
DEFROST_SEEN = frozenset({Role.DEFROST, Role.CLIMATE, Role.SUPPLY_TEMPERATURE})
NEVER = float("inf")

DETECTORS: tuple[Detector, ...] = (
    Detector(
        key=FindingKey.WATER_LEAK,
        detect=water_leak,
        timing=Timing(sustain=0, clear=5 * MINUTE),
        needs=(frozenset({Role.LEAK}),),
    ),
    Detector(
        key=FindingKey.UNIT_FAULT,
        detect=unit_fault,
        timing=Timing(sustain=5 * MINUTE, clear=10 * MINUTE),
        needs=(frozenset({Role.UNIT_ERROR}),),
        memory=UnitFaultMemory,
    ),
    Detector(
        key=FindingKey.POWER_INTERRUPTED,
        detect=power_interrupted,
        timing=Timing(sustain=5 * MINUTE, clear=10 * MINUTE),
        needs=(frozenset({Role.POWER}),),
    ),
    Detector(
        key=FindingKey.NOT_HEATING,
        detect=not_heating,
        timing=Timing(sustain=HOUR, clear=30 * MINUTE),
        needs=(CLIMATE,),
        defers_to=(FindingKey.POWER_INTERRUPTED,),
    ),
    Detector(
        key=FindingKey.NOT_COOLING,
        detect=not_cooling,
        timing=Timing(sustain=HOUR, clear=30 * MINUTE),
        needs=(CLIMATE,),
        defers_to=(FindingKey.POWER_INTERRUPTED,),
    ),
    Detector(
        key=FindingKey.SHORT_CYCLING,
        detect=short_cycling,
        timing=Timing(sustain=0, clear=2 * HOUR),
    ),
    Detector(
        key=FindingKey.NONSTOP_RUNNING,
        detect=nonstop_running,
        timing=Timing(sustain=30 * MINUTE, clear=HOUR),
        needs=(CLIMATE,),
    ),
    Detector(
        key=FindingKey.RUNAWAY_ENERGY,
        detect=runaway_energy,
        timing=Timing(sustain=0, clear=0, stale=7 * DAY),
        needs=(ELECTRIC, OUTDOOR),
        hourly=True,
        baseline=True,
    ),
    Detector(
        key=FindingKey.EFFICIENCY_DROP,
        detect=efficiency_drop,
        timing=Timing(sustain=0, clear=6 * HOUR, stale=7 * DAY),
        needs=(frozenset({Role.HEAT_OUTPUT}), ELECTRIC),
        hourly=True,
        baseline=True,
        memory=EfficiencyMemory,
    ),
    Detector(
        key=FindingKey.DEFROST_TOO_FREQUENT,
        detect=defrost_too_frequent,
        timing=Timing(sustain=HOUR, clear=2 * HOUR),
        needs=(DEFROST_SEEN,),
    ),
    Detector(
        key=FindingKey.DEFROST_TOO_LONG,
        detect=defrost_too_long,
        timing=Timing(sustain=0, clear=HOUR),
        needs=(DEFROST_SEEN,),
    ),
    Detector(
        key=FindingKey.DEFROST_MISSING,
        detect=defrost_missing,
        timing=Timing(sustain=30 * MINUTE, clear=0),
        needs=(DEFROST_SEEN, OUTDOOR),
    ),
    Detector(
        key=FindingKey.WEAK_AIRFLOW,
        detect=weak_airflow,
        timing=Timing(sustain=HOUR, clear=2 * HOUR),
        needs=(SUPPLY, RETURN),
        hourly=True,
        baseline=True,
        memory=SplitMemory,
    ),
    Detector(
        key=FindingKey.LOW_TEMPERATURE_SPLIT,
        detect=low_temperature_split,
        timing=Timing(sustain=HOUR, clear=2 * HOUR),
        needs=(SUPPLY, RETURN),
        hourly=True,
        baseline=True,
    ),
    Detector(
        key=FindingKey.LOW_FLOW_RATE,
        detect=low_flow_rate,
        timing=Timing(sustain=HOUR, clear=2 * HOUR),
        needs=(frozenset({Role.FLOW_RATE}), OUTDOOR),
        hourly=True,
        baseline=True,
        memory=FlowMemory,
    ),
    Detector(
        key=FindingKey.LOW_WATER_PRESSURE,
        detect=low_water_pressure,
        timing=Timing(sustain=10 * MINUTE, clear=30 * MINUTE),
        needs=(frozenset({Role.WATER_PRESSURE}),),
        memory=PressureMemory,
    ),
    Detector(
        key=FindingKey.AUX_HEAT_OVERUSE,
        detect=aux_heat_overuse,
        timing=Timing(sustain=0, clear=HOUR),
        needs=(frozenset({Role.AUX_HEAT, Role.POWER}), OUTDOOR),
    ),
    Detector(
        key=FindingKey.SENSOR_FAULT,
        detect=sensor_fault,
        timing=Timing(sustain=15 * MINUTE, clear=30 * MINUTE),
        enabled_by_default=False,
        memory=RoomSensorMemory,
    ),
    Detector(
        key=FindingKey.FILTER_DUE,
        detect=filter_due,
        timing=Timing(sustain=0, clear=0, stale=NEVER),
        repair_menu=("replaced", "checked"),
    ),
    Detector(
        key=FindingKey.SERVICE_DUE,
        detect=service_due,
        timing=Timing(sustain=0, clear=0, stale=NEVER),
        repair_menu=("serviced", "checked"),
    ),
)

BY_KEY: dict[FindingKey, Detector] = {detector.key: detector for detector in DETECTORS}
# Findings judged against a learned baseline: "Service done" and `reset_baselines` end them.
BASELINE_FINDINGS: tuple[FindingKey, ...] = tuple(d.key for d in DETECTORS if d.baseline)
# Findings whose problem sensor starts disabled: few owners follow them on a dashboard.
DISABLED_BY_DEFAULT = frozenset(d.key for d in DETECTORS if not d.enabled_by_default)


def repair_menu(key: FindingKey) -> tuple[str, ...]:
    """The options of a finding's Repairs flow, in order."""
    detector = BY_KEY.get(key)
    return detector.repair_menu if detector is not None else DEFAULT_MENU


def _check_order() -> None:
    """Every finding a detector defers to is judged before it, in the same evaluation."""
    judged: set[FindingKey] = set()
    for detector in DETECTORS:
        if missing := set(detector.defers_to) - judged:
            raise ValueError(f"{detector.key} defers to {sorted(missing)}, judged after it")
        judged.add(detector.key)


_check_order()

__all__ = [
    "BASELINE_FINDINGS",
    "BY_KEY",
    "DETECTORS",
    "DISABLED_BY_DEFAULT",
    "Context",
    "Detector",
    "Timing",
    "repair_menu",
    "track_outages",
]
