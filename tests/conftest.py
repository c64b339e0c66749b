"""Fixtures: a heat pump's source entities in a real Home Assistant, and a config entry."""

from collections.abc import Generator
from datetime import timedelta
from typing import Any
from unittest.mock import PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.heat_pump_health import PLATFORMS
from custom_components.heat_pump_health.const import DOMAIN

CLIMATE = "climate.heat_pump"
POWER = "sensor.heat_pump_power"
ENERGY = "sensor.heat_pump_energy"
OUTDOOR = "sensor.outdoor_temperature"
INDOOR = "sensor.living_room_temperature"
LEAK = "binary_sensor.heat_pump_leak"

# Mid-morning in the test instance's time zone (US/Pacific), far from midnight.
START = "2026-11-23 09:00:00-08:00"

SOURCE_DATA: dict[str, Any] = {
    "name": "Heat pump",
    "climate": CLIMATE,
    "power": POWER,
    "energy": ENERGY,
    "outdoor_temperature": OUTDOOR,
}


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from custom_components."""


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots that leave out ids and times, as Home Assistant's own tests do."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Create entities that are disabled by default as enabled."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
        new_callable=PropertyMock,
    ):
        yield


def set_climate(hass: HomeAssistant, action: str = "idle", **attributes: Any) -> None:
    """Write the thermostat's state."""
    hass.states.async_set(
        CLIMATE,
        "heat",
        {
            "hvac_action": action,
            "temperature": 21.0,
            "current_temperature": 20.5,
            "hvac_modes": ["off", "heat"],
            **attributes,
        },
    )


def set_power(hass: HomeAssistant, watts: float | str, unit: str = "W") -> None:
    """Write the power sensor's state."""
    hass.states.async_set(
        POWER,
        str(watts),
        {"device_class": "power", "unit_of_measurement": unit, "state_class": "measurement"},
    )


def set_sources(hass: HomeAssistant) -> None:
    """Write a healthy, idle heat pump's source states."""
    set_climate(hass)
    set_power(hass, 20)
    hass.states.async_set(
        ENERGY,
        "1234.5",
        {"device_class": "energy", "unit_of_measurement": "kWh", "state_class": "total_increasing"},
    )
    hass.states.async_set(
        OUTDOOR, "3.5", {"device_class": "temperature", "unit_of_measurement": "°C"}
    )
    hass.states.async_set(
        INDOOR, "20.8", {"device_class": "temperature", "unit_of_measurement": "°C"}
    )


@pytest.fixture
def sources(hass: HomeAssistant) -> None:
    """A heat pump's source entities, as its own integration would show them."""
    set_sources(hass)


@pytest.fixture
def mock_config_entry() -> MockConfigEntry:
    """A configured heat pump."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Heat pump",
        data=dict(SOURCE_DATA),
        unique_id=CLIMATE,
        entry_id="01HEATPUMPHEALTH0000000000",
    )


@pytest.fixture
def platforms() -> tuple[Platform, ...]:
    """The platforms to set up; a platform's own tests narrow it to that platform."""
    return PLATFORMS


@pytest.fixture
async def init_integration(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    platforms: tuple[Platform, ...],
) -> MockConfigEntry:
    """Set the integration up with a configured heat pump, at a fixed moment."""
    freezer.move_to(START)
    set_sources(hass)
    mock_config_entry.add_to_hass(hass)
    with patch("custom_components.heat_pump_health.PLATFORMS", platforms):
        assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()
    return mock_config_entry


def set_leak(hass: HomeAssistant, wet: bool) -> None:
    """Write the leak sensor's state."""
    hass.states.async_set(LEAK, "on" if wet else "off", {"device_class": "moisture"})


async def tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, minutes: float = 1) -> None:
    """Let time pass (a minute by default) and the clock tick fire."""
    freezer.tick(timedelta(minutes=minutes))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


async def setup_leak_heat_pump(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry_id: str,
    options: dict[str, Any] | None = None,
) -> MockConfigEntry:
    """Set up, at START, a heat pump whose sources include a dry leak sensor."""
    freezer.move_to(START)
    set_sources(hass)
    set_leak(hass, wet=False)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Heat pump",
        data={**SOURCE_DATA, "leak": LEAK},
        options=options or {},
        unique_id=CLIMATE,
        entry_id=entry_id,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


# The sources of a heat pump that fills every role, so every finding applies to it.
COMPRESSOR = "binary_sensor.outdoor_unit_compressor"
SUPPLY = "sensor.heat_pump_supply_temperature"
RETURN = "sensor.heat_pump_return_temperature"
DEFROST = "binary_sensor.outdoor_unit_defrost"
AUX_HEAT = "binary_sensor.backup_heater"
HEAT_OUTPUT = "sensor.heat_pump_heat_output"
FLOW_RATE = "sensor.heat_pump_flow_rate"
WATER_PRESSURE = "sensor.heat_pump_water_pressure"
UNIT_ERROR = "sensor.heat_pump_error_code"
FULL_ENTRY_ID = "01HEATPUMPHEALTHFULL000000"

FULL_SOURCE_DATA: dict[str, Any] = {
    **SOURCE_DATA,
    "compressor": COMPRESSOR,
    "indoor_temperature": INDOOR,
    "supply_temperature": SUPPLY,
    "return_temperature": RETURN,
    "defrost": DEFROST,
    "aux_heat": AUX_HEAT,
    "heat_output": HEAT_OUTPUT,
    "leak": LEAK,
    "flow_rate": FLOW_RATE,
    "water_pressure": WATER_PRESSURE,
    "unit_error": UNIT_ERROR,
}


def set_full_sources(hass: HomeAssistant) -> None:
    """Write the states of a healthy, idle heat pump that has a source for every role."""
    set_sources(hass)
    set_leak(hass, wet=False)
    hass.states.async_set(COMPRESSOR, "off", {"device_class": "running"})
    hass.states.async_set(DEFROST, "off")
    hass.states.async_set(AUX_HEAT, "off", {"device_class": "heat"})
    temperature = {"device_class": "temperature", "unit_of_measurement": "°C"}
    hass.states.async_set(SUPPLY, "21.5", temperature)
    hass.states.async_set(RETURN, "21.0", temperature)
    hass.states.async_set(
        HEAT_OUTPUT,
        "0",
        {"device_class": "power", "unit_of_measurement": "W", "state_class": "measurement"},
    )
    set_water(hass, flow="0", pressure="1.6", error="No error")


def set_water(hass: HomeAssistant, *, flow: str, pressure: str, error: str) -> None:
    """Write the water flow (L/h), pressure (kPa) and error code of an air-to-water unit."""
    hass.states.async_set(
        FLOW_RATE,
        str(float(flow) * 60),
        {"device_class": "volume_flow_rate", "unit_of_measurement": "L/h"},
    )
    hass.states.async_set(
        WATER_PRESSURE,
        str(float(pressure) * 100),
        {"device_class": "pressure", "unit_of_measurement": "kPa"},
    )
    hass.states.async_set(UNIT_ERROR, error)


def set_room_calling_for_heat(hass: HomeAssistant) -> None:
    """Put the room 1.5 K under its setpoint, by the thermostat and the room sensor alike."""
    set_climate(hass, "idle", current_temperature=19.5)
    hass.states.async_set(
        INDOOR, "19.5", {"device_class": "temperature", "unit_of_measurement": "°C"}
    )


@pytest.fixture
def full_config_entry() -> MockConfigEntry:
    """A heat pump configured with a source for every role."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Heat pump",
        data=dict(FULL_SOURCE_DATA),
        unique_id=CLIMATE,
        entry_id=FULL_ENTRY_ID,
    )


@pytest.fixture
async def init_full_integration(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    full_config_entry: MockConfigEntry,
    platforms: tuple[Platform, ...],
) -> MockConfigEntry:
    """Set the integration up with the every-role heat pump, at a fixed moment."""
    freezer.move_to(START)
    set_full_sources(hass)
    full_config_entry.add_to_hass(hass)
    with patch("custom_components.heat_pump_health.PLATFORMS", platforms):
        assert await hass.config_entries.async_setup(full_config_entry.entry_id)
        await hass.async_block_till_done()
    return full_config_entry
