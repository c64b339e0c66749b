"""What the simulated heat pump's entities show, read off the simulation and rounded.

The same readings feed the live entities and the history written into the recorder, so both
look alike. Temperatures are rounded to 0.1 °C, power to 1 W and energy to 0.01 kWh, as a
real sensor would report them; an entity's state changes when its rounded reading does. A
unit with signals of its own (the air-to-water profile) adds them as its controller reports
them: frequency to 1 Hz, flow to 0.1 L/min, pressure to 0.01 bar, the error code as text ("0":
no fault), and the valve to the cylinder.

The power meter reads within a watt or so of the truth, as real meters do: a perfectly steady
standby would be recorded once per pause (the recorder keeps changes only), and Heat Pump
Health, learning from that history, would see standby power too rarely to learn it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from .simulator import Distribution, UnitSpec
from .simulator.live import LiveSimulation

type SensorValue = float | int | bool | str


@dataclass(frozen=True, slots=True)
class ClimateValue:
    """The thermostat: mode, what it does, target and the temperature it reads."""

    hvac_mode: str
    hvac_action: str
    target: float
    current: float


type Value = SensorValue | ClimateValue
type Readings = dict[str, Value]


def _noise(time: float) -> float:
    """A meter's reading error at `time`: -1.5 to +1.5 W, the same for the same moment."""
    return (int(time) * 2654435761 % 4294967296) / 4294967296 * 3.0 - 1.5


def _power(sim: LiveSimulation) -> int:
    """The meter's reading: the electric power with its small error (never below zero)."""
    watts = sim.unit.power_w
    return 0 if watts <= 0.0 else max(0, round(watts + _noise(sim.time)))


def _climate(sim: LiveSimulation) -> ClimateValue:
    thermostat = sim.thermostat
    return ClimateValue(
        thermostat.mode.value,
        sim.hvac_action,
        thermostat.target_c,
        round(sim.thermostat_reading, 1),
    )


# Key (the role in Heat Pump Health) -> how to read it; energy is added to the meter's base.
READERS: dict[str, Callable[[LiveSimulation], Value]] = {
    "climate": _climate,
    "power": _power,
    "compressor": lambda sim: sim.unit.running,
    "energy": lambda sim: sim.energy_kwh,
    "outdoor_temperature": lambda sim: round(sim.outdoor_reading, 1),
    "indoor_temperature": lambda sim: round(sim.indoor_reading, 1),
    "supply_temperature": lambda sim: round(sim.supply_reading, 1),
    "return_temperature": lambda sim: round(sim.return_reading, 1),
    "defrost": lambda sim: sim.unit.defrosting,
    "aux_heat": lambda sim: sim.unit.aux_on,
    "heat_output": lambda sim: round(sim.unit.heat_w),
    "leak": lambda sim: sim.effects.leak,
}


# The unit's own signals, each read only on a unit that has it (as `simulator.streams` offers
# them): any unit with signals, one that also heats water, one that also has a cylinder.
SIGNAL_READERS: dict[str, Callable[[LiveSimulation], Value]] = {
    "compressor_frequency": lambda sim: round(sim.frequency_reading),
    "unit_error": lambda sim: sim.error_reading,
}
WATER_READERS: dict[str, Callable[[LiveSimulation], Value]] = {
    "flow_rate": lambda sim: round(sim.flow_reading, 1),
    "water_pressure": lambda sim: round(sim.pressure_reading, 2),
}
CYLINDER_READERS: dict[str, Callable[[LiveSimulation], Value]] = {
    "hot_water": lambda sim: sim.unit.hot_water,
}


@cache
def readers_for(unit: UnitSpec) -> dict[str, Callable[[LiveSimulation], Value]]:
    """The readings a unit has: every unit's, and the signals it reports of its own."""
    readers = dict(READERS)
    if unit.signals:
        readers |= SIGNAL_READERS
        if unit.distribution is Distribution.WATER:
            readers |= WATER_READERS
        if unit.hot_water is not None:
            readers |= CYLINDER_READERS
    return readers


def read(sim: LiveSimulation, energy_base: float) -> Readings:
    """Every entity's reading now; the energy meter starts at `energy_base` kWh."""
    readings = {key: reader(sim) for key, reader in readers_for(sim.unit_spec).items()}
    readings["energy"] = round(energy_base + sim.energy_kwh, 2)
    return readings
