"""What Home Assistant would deliver from a simulated run: engine observations in time order.

Each source is rounded like a real sensor (temperatures 0.1 °C, power and heat 1 W, energy
0.001 kWh, compressor frequency 1 Hz, flow 0.1 L/min, pressure 0.01 bar), sent when its
rounded value changes, and sent again unchanged every `report_seconds` (Home Assistant's
state_reported).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from custom_components.heat_pump_health.engine.observations import (
    ClimateReading,
    Observation,
    ObservationValue,
    Role,
)

from .scenario import Scenario
from .simulation import Simulation
from .truth import Truth
from .unit import Distribution, UnitSpec

type Key = int | bool | str | tuple[str, str, float, int]


def _tenths(value: float) -> int:
    return round(value * 10.0)


def _climate_key(sim: Simulation) -> Key:
    thermostat = sim.thermostat
    return (
        thermostat.mode.value,
        sim.hvac_action,
        thermostat.target_c,
        _tenths(sim.thermostat_reading),
    )


def _climate_value(key: Key) -> ObservationValue:
    assert isinstance(key, tuple)
    mode, action, target, tenths = key
    return ClimateReading(
        hvac_mode=mode,
        hvac_action=action,
        target_temperature=target,
        current_temperature=tenths / 10,
    )


def _identity(key: Key) -> ObservationValue:
    assert isinstance(key, bool)
    return key


def _text(key: Key) -> ObservationValue:
    assert isinstance(key, str)
    return key


def _from_hundredths(key: Key) -> ObservationValue:
    assert isinstance(key, int)
    return key / 100


def _from_tenths(key: Key) -> ObservationValue:
    assert isinstance(key, int)
    return key / 10


def _whole(key: Key) -> ObservationValue:
    assert isinstance(key, int)
    return float(key)


def _kwh(key: Key) -> ObservationValue:
    assert isinstance(key, int)
    return key / 1000


# The three-way valve's role ("hot_water": on while the flow goes to the cylinder), emitted
# once the engine's Role has it.
HOT_WATER_ROLE: Role | None = getattr(Role, "HOT_WATER", None)


def _always(_unit: UnitSpec) -> bool:
    return True


def _signals(unit: UnitSpec) -> bool:
    return unit.signals


def _water_signals(unit: UnitSpec) -> bool:
    return unit.signals and unit.distribution == Distribution.WATER


def _valve_signal(unit: UnitSpec) -> bool:
    return unit.signals and unit.hot_water is not None


@dataclass(frozen=True, slots=True)
class Source:
    """How one role reads the simulation: a rounded key, and the value a key stands for.

    `offered`: whether a unit has this source at all; an exposed role it lacks is not emitted.
    """

    read: Callable[[Simulation], Key]
    value: Callable[[Key], ObservationValue]
    offered: Callable[[UnitSpec], bool] = _always


SOURCES: dict[Role, Source] = {
    Role.CLIMATE: Source(_climate_key, _climate_value),
    Role.POWER: Source(lambda sim: round(sim.unit.power_w), _whole),
    Role.ENERGY: Source(lambda sim: round(sim.energy_kwh * 1000.0), _kwh),
    Role.COMPRESSOR: Source(lambda sim: sim.unit.running, _identity),
    Role.OUTDOOR_TEMPERATURE: Source(lambda sim: _tenths(sim.outdoor_reading), _from_tenths),
    Role.INDOOR_TEMPERATURE: Source(lambda sim: _tenths(sim.indoor_reading), _from_tenths),
    Role.SUPPLY_TEMPERATURE: Source(lambda sim: _tenths(sim.supply_reading), _from_tenths),
    Role.RETURN_TEMPERATURE: Source(lambda sim: _tenths(sim.return_reading), _from_tenths),
    Role.DEFROST: Source(lambda sim: sim.unit.defrosting, _identity),
    Role.AUX_HEAT: Source(lambda sim: sim.unit.aux_on, _identity),
    Role.HEAT_OUTPUT: Source(lambda sim: round(sim.unit.heat_w), _whole),
    Role.LEAK: Source(lambda sim: sim.effects.leak, _identity),
    # The unit's own signals, after the others so that a run without them is unchanged.
    Role.COMPRESSOR_FREQUENCY: Source(
        lambda sim: round(sim.frequency_reading), _whole, offered=_signals
    ),
    Role.UNIT_ERROR: Source(lambda sim: sim.error_reading, _text, offered=_signals),
    Role.FLOW_RATE: Source(
        lambda sim: _tenths(sim.flow_reading), _from_tenths, offered=_water_signals
    ),
    Role.WATER_PRESSURE: Source(
        lambda sim: round(sim.pressure_reading * 100.0), _from_hundredths, offered=_water_signals
    ),
}
if HOT_WATER_ROLE is not None:
    SOURCES[HOT_WATER_ROLE] = Source(
        lambda sim: sim.unit.hot_water, _identity, offered=_valve_signal
    )


def exposed_roles(scenario: Scenario) -> list[Role]:
    """The roles a scenario's run emits, in the order of each step's observations."""
    return [
        role
        for role, source in SOURCES.items()
        if role in scenario.roles and source.offered(scenario.unit)
    ]


class Run:
    """A simulated run of a scenario.

    `observations()` drives a fresh simulation from the start each time it is called; `truth`
    is the ground truth of the latest drive, complete once its observations are exhausted
    (or the iterator is closed). `simulation` is the latest simulation, for inspection.
    """

    def __init__(self, scenario: Scenario) -> None:
        """Prepare a run; nothing is simulated yet."""
        self.scenario = scenario
        self.simulation = Simulation(scenario)

    @property
    def truth(self) -> Truth:
        """Ground truth of the latest drive (so far)."""
        return self.simulation.truth

    def observations(self) -> Iterator[Observation]:
        """The observations of the exposed roles, in time order, from the start."""
        self.simulation = Simulation(self.scenario)
        return _observe(self.simulation)

    def complete(self) -> Truth:
        """Simulate from the start to the end without observing; return the ground truth."""
        sim = self.simulation = Simulation(self.scenario)
        end = sim.end_time - sim.dt / 2
        while sim.time < end:
            sim.step()
        return sim.finish()


def simulate(scenario: Scenario) -> Run:
    """Set up a run of `scenario`."""
    return Run(scenario)


def _observe(sim: Simulation) -> Iterator[Observation]:
    scenario = sim.scenario
    roles = exposed_roles(scenario)
    reads = [SOURCES[role].read for role in roles]
    values = [SOURCES[role].value for role in roles]
    report = scenario.report_seconds
    time = sim.time
    keys = [read(sim) for read in reads]
    sent = [time] * len(roles)
    for role, key, value in zip(roles, keys, values, strict=True):
        yield Observation(time, role, value(key))
    indexes = range(len(roles))
    end = sim.end_time - sim.dt / 2
    step = sim.step
    try:
        while sim.time < end:
            step()
            time = sim.time
            stale = time - report
            for i in indexes:
                key = reads[i](sim)
                if key != keys[i] or sent[i] <= stale:
                    keys[i] = key
                    sent[i] = time
                    yield Observation(time, roles[i], values[i](key))
    finally:
        sim.finish()
