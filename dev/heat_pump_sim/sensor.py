"""Sensors of the simulated heat pump: power, energy, outdoor and indoor temperature."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import UnitOfEnergy, UnitOfPower, UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import SimConfigEntry, Simulation
from .entity import SimEntity
from .model import HeatPumpModel


@dataclass(frozen=True, kw_only=True)
class SimSensorDescription(SensorEntityDescription):
    """A sensor of the simulator: its fixed entity id and how to read the model."""

    entity_id: str
    value: Callable[[HeatPumpModel], float]


SENSORS = (
    SimSensorDescription(
        key="power",
        name="Power",
        entity_id="sensor.simulated_heat_pump_power",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.WATT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value=lambda model: round(model.power_w, 1),
    ),
    SimSensorDescription(
        key="outdoor_temperature",
        name="Outdoor temperature",
        entity_id="sensor.simulated_outdoor_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value=lambda model: round(model.outdoor_c, 2),
    ),
    SimSensorDescription(
        key="indoor_temperature",
        name="Indoor temperature",
        entity_id="sensor.simulated_indoor_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value=lambda model: round(model.indoor_c, 2),
    ),
)

ENERGY = SimSensorDescription(
    key="energy",
    name="Energy",
    entity_id="sensor.simulated_heat_pump_energy",
    device_class=SensorDeviceClass.ENERGY,
    native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
    state_class=SensorStateClass.TOTAL_INCREASING,
    suggested_display_precision=3,
    value=lambda model: round(model.energy_kwh, 4),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SimConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors."""
    simulation = entry.runtime_data
    entities: list[SensorEntity] = [SimSensor(simulation, d) for d in SENSORS]
    entities.append(SimEnergySensor(simulation, ENERGY))
    async_add_entities(entities)


class SimSensor(SimEntity, SensorEntity):
    """A reading of the simulation."""

    entity_description: SimSensorDescription

    def __init__(self, simulation: Simulation, description: SimSensorDescription) -> None:
        """Describe the sensor."""
        super().__init__(simulation, description.key, description.entity_id)
        self.entity_description = description

    @property
    def native_value(self) -> float:
        """Current value from the model."""
        return self.entity_description.value(self.simulation.model)


class SimEnergySensor(SimSensor, RestoreSensor):
    """The energy meter, which carries on from its last value after a restart."""

    async def async_added_to_hass(self) -> None:
        """Restore the meter reading."""
        await super().async_added_to_hass()
        last = await self.async_get_last_sensor_data()
        if last is not None and isinstance(last.native_value, (int, float)):
            self.simulation.model.energy_kwh = float(last.native_value)
