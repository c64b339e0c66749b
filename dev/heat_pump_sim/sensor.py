"""Sensors of the simulated heat pump: its measurements, and what the simulator is doing.

The air-to-water profile adds the unit's own signals: flow rate, water pressure, compressor
frequency and its error code (text, "0" when there is no fault, as most units report it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    UnitOfEnergy,
    UnitOfFrequency,
    UnitOfPower,
    UnitOfPressure,
    UnitOfTemperature,
    UnitOfVolumeFlowRate,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import SimConfigEntry
from .const import ALL_SOURCE_IDS
from .entity import SimEntity
from .runtime import Phase, SimRuntime


@dataclass(frozen=True, kw_only=True)
class SimSensorDescription(SensorEntityDescription):
    """A measurement of the simulator, read from `SimRuntime.readings[key]`."""


def _temperature(key: str) -> SimSensorDescription:
    return SimSensorDescription(
        key=key,
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
    )


def _power(key: str) -> SimSensorDescription:
    return SimSensorDescription(
        key=key,
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.WATT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
    )


MEASUREMENTS = (
    _power("power"),
    _power("heat_output"),
    _temperature("outdoor_temperature"),
    _temperature("indoor_temperature"),
    _temperature("supply_temperature"),
    _temperature("return_temperature"),
    SimSensorDescription(
        key="flow_rate",
        device_class=SensorDeviceClass.VOLUME_FLOW_RATE,
        native_unit_of_measurement=UnitOfVolumeFlowRate.LITERS_PER_MINUTE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
    ),
    SimSensorDescription(
        key="water_pressure",
        device_class=SensorDeviceClass.PRESSURE,
        native_unit_of_measurement=UnitOfPressure.BAR,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
    ),
    SimSensorDescription(
        key="compressor_frequency",
        device_class=SensorDeviceClass.FREQUENCY,
        native_unit_of_measurement=UnitOfFrequency.HERTZ,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
    ),
    # Plain text, as a unit's error sensor is: no device class, unit or state class.
    SimSensorDescription(key="unit_error"),
)
ENERGY = SimSensorDescription(
    key="energy",
    device_class=SensorDeviceClass.ENERGY,
    native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
    state_class=SensorStateClass.TOTAL_INCREASING,
    suggested_display_precision=2,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SimConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors the profile's unit has."""
    runtime = entry.runtime_data
    entities: list[SensorEntity] = [
        SimSensor(runtime, d) for d in MEASUREMENTS if d.key in runtime.profile.sources
    ]
    entities.append(SimEnergySensor(runtime, ENERGY))
    entities.append(
        SimulationSensor(runtime, "simulation", "sensor.simulated_heat_pump_simulation")
    )
    async_add_entities(entities)


class SimSensor(SimEntity, SensorEntity):
    """A measurement of the simulated heat pump."""

    entity_description: SimSensorDescription

    def __init__(self, runtime: SimRuntime, description: SimSensorDescription) -> None:
        """Describe the sensor."""
        super().__init__(runtime, description.key, ALL_SOURCE_IDS[description.key])
        self.entity_description = description

    @property
    def native_value(self) -> float | str:
        """The current reading (the error sensor's is text)."""
        value = self.runtime.readings[self.entity_description.key]
        assert isinstance(value, (int, float, str))
        assert not isinstance(value, bool)
        return value


class SimEnergySensor(SimSensor, RestoreSensor):
    """The energy meter, which carries on from its last reading after a restart."""

    async def async_added_to_hass(self) -> None:
        """Restore the meter reading, unless a fresh history was just simulated."""
        await super().async_added_to_hass()
        last = await self.async_get_last_sensor_data()
        if (
            last is not None
            and isinstance(last.native_value, (int, float))
            and self.runtime.phase is not Phase.STARTING
        ):
            self.runtime.async_restore(energy=float(last.native_value))


class SimulationSensor(SimEntity, SensorEntity):
    """What the simulator is doing: starting, live, or rewriting its history."""

    _attr_device_class = SensorDeviceClass.ENUM
    _attr_options = [phase.value for phase in Phase]  # noqa: RUF012 - as Home Assistant declares it
    _unrecorded_attributes = frozenset({"simulated_time"})

    @property
    def native_value(self) -> str:
        """The phase."""
        return self.runtime.phase.value

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The profile, the simulated date, weather and fault."""
        runtime = self.runtime
        sim = runtime.clocked.sim
        return {
            "profile": runtime.profile.name.value,
            "simulated_time": runtime.simulated_time.isoformat(timespec="minutes"),
            "weather": runtime.climate.value,
            "fault": runtime.fault,
            "fault_age_hours": round(sim.faults.age / 3600.0, 1) if sim.faults.fault else None,
        }
