"""A heat pump and house simulator that speaks the health engine's language.

Pure Python with no Home Assistant import. A `Scenario` (unit, house, thermostat, climate,
start, days, seed, exposed roles, faults) is simulated step by step::

    run = simulate(Scenario(climate=ClimateName.COLD, days=3, faults=(Fault(kind, 1.0),)))
    for observation in run.observations():  # streamed, in time order
        engine.update(observation)
    run.truth  # runs, defrosts, aux heat, hot water, fault windows and hourly stats

`ha_states` gives the same run as Home Assistant state dicts.
"""

from .cylinder import CylinderSpec
from .faults import Fault, FaultKind, SensorTarget
from .ha_states import DEFAULT_ENTITY_IDS, SIGNAL_ENTITY_IDS, ha_states
from .house import HouseSpec
from .scenario import ALL_ROLES, BASIC_ROLES, Scenario
from .simulation import Simulation
from .streams import Run, simulate
from .thermostat import HvacMode, ThermostatSpec
from .truth import FaultWindow, HourStats, Interval, Truth
from .unit import Distribution, UnitKind, UnitSpec
from .weather import ClimateName

__all__ = [
    "ALL_ROLES",
    "BASIC_ROLES",
    "DEFAULT_ENTITY_IDS",
    "SIGNAL_ENTITY_IDS",
    "ClimateName",
    "CylinderSpec",
    "Distribution",
    "Fault",
    "FaultKind",
    "FaultWindow",
    "HourStats",
    "HouseSpec",
    "HvacMode",
    "Interval",
    "Run",
    "Scenario",
    "SensorTarget",
    "Simulation",
    "ThermostatSpec",
    "Truth",
    "UnitKind",
    "UnitSpec",
    "ha_states",
    "simulate",
]
