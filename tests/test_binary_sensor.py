"""Problem sensors: one per applicable finding, on while it is open, driven by source states."""

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from syrupy.assertion import SnapshotAssertion

from custom_components.heat_pump_health.const import DOMAIN
from custom_components.heat_pump_health.engine import FindingKey

from .conftest import FULL_ENTRY_ID, set_leak, set_power, set_room_calling_for_heat, set_water, tick

WATER_LEAK = "binary_sensor.heat_pump_water_leak"
POWER_INTERRUPTED = "binary_sensor.heat_pump_power_interrupted"
SENSOR_FAULT = "binary_sensor.heat_pump_sensor_fault"


@pytest.fixture
def platforms() -> tuple[Platform, ...]:
    """Only the problem sensors."""
    return (Platform.BINARY_SENSOR,)


def problem_entity_ids(entity_registry: er.EntityRegistry, entry_id: str) -> list[str]:
    """The entity ids of a config entry's problem sensors, sorted."""
    return sorted(
        entry.entity_id
        for entry in er.async_entries_for_config_entry(entity_registry, entry_id)
        if entry.domain == Platform.BINARY_SENSOR
    )


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_binary_sensors(
    hass: HomeAssistant,
    init_full_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """A heat pump with every role has a problem sensor for every finding, all off."""
    await snapshot_platform(hass, entity_registry, snapshot, init_full_integration.entry_id)
    unique_ids = {
        entry.unique_id
        for entry in er.async_entries_for_config_entry(
            entity_registry, init_full_integration.entry_id
        )
    }
    assert unique_ids == {f"{FULL_ENTRY_ID}_{key}" for key in FindingKey}


async def test_only_sensor_fault_disabled_by_default(
    hass: HomeAssistant, init_full_integration: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """Every problem sensor starts enabled but the sensor-fault one, which few owners follow."""
    disabled = [
        entry.entity_id
        for entry in er.async_entries_for_config_entry(
            entity_registry, init_full_integration.entry_id
        )
        if entry.disabled_by is not None
    ]
    assert disabled == [SENSOR_FAULT]
    registry_entry = entity_registry.async_get(SENSOR_FAULT)
    assert registry_entry is not None
    assert registry_entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert hass.states.get(SENSOR_FAULT) is None
    assert hass.states.get(WATER_LEAK) is not None


async def test_findings_without_their_sources_have_no_entity(
    hass: HomeAssistant, init_integration: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """Without temperature split, heat output or leak sources, their findings get no entity."""
    assert problem_entity_ids(entity_registry, init_integration.entry_id) == [
        "binary_sensor.heat_pump_backup_heat_overuse",
        "binary_sensor.heat_pump_defrost_missing",
        "binary_sensor.heat_pump_defrost_too_long",
        "binary_sensor.heat_pump_defrosting_too_often",
        "binary_sensor.heat_pump_filter_due",
        "binary_sensor.heat_pump_not_cooling",
        "binary_sensor.heat_pump_not_heating",
        "binary_sensor.heat_pump_power_interrupted",
        "binary_sensor.heat_pump_runaway_energy_use",
        "binary_sensor.heat_pump_running_nonstop",
        "binary_sensor.heat_pump_sensor_fault",
        "binary_sensor.heat_pump_service_due",
        "binary_sensor.heat_pump_short_cycling",
    ]
    for absent in ("weak_airflow", "low_temperature_split", "efficiency_drop", "water_leak"):
        assert (
            entity_registry.async_get_entity_id(
                Platform.BINARY_SENSOR, DOMAIN, f"{init_integration.entry_id}_{absent}"
            )
            is None
        )
    assert hass.states.get(WATER_LEAK) is None


async def test_water_leak_turns_its_sensor_on_and_off(
    hass: HomeAssistant, init_full_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """A wet leak sensor turns the problem on with the finding's details; dry again, it ends."""
    assert hass.states.get(WATER_LEAK).state == STATE_OFF
    assert "severity" not in hass.states.get(WATER_LEAK).attributes

    set_leak(hass, wet=True)
    await tick(hass, freezer)

    problem = hass.states.get(WATER_LEAK)
    assert problem.state == STATE_ON
    assert problem.attributes["device_class"] == "problem"
    assert problem.attributes["severity"] == "critical"
    assert problem.attributes["guidance"] == "emergency"
    assert problem.attributes["since"].startswith("2026-11-23T17:0")
    assert problem.attributes["sensor"] == "leak"
    assert hass.states.get(POWER_INTERRUPTED).state == STATE_OFF

    set_leak(hass, wet=False)
    for _ in range(6):
        await tick(hass, freezer)
    problem = hass.states.get(WATER_LEAK)
    assert problem.state == STATE_OFF
    assert "severity" not in problem.attributes
    assert "since" not in problem.attributes


async def test_power_cut_turns_its_sensor_on_after_five_minutes_and_off_when_back(
    hass: HomeAssistant, init_full_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """Power gone while the room calls for heat is an outage after five minutes, not before.

    It ends ten minutes after the power is back.
    """
    set_room_calling_for_heat(hass)
    set_power(hass, 0)
    for _ in range(4):
        await tick(hass, freezer)
    assert hass.states.get(POWER_INTERRUPTED).state == STATE_OFF

    for _ in range(3):
        await tick(hass, freezer)
    problem = hass.states.get(POWER_INTERRUPTED)
    assert problem.state == STATE_ON
    assert problem.attributes["severity"] == "warning"
    assert problem.attributes["guidance"] == "diy"
    assert problem.attributes["power"] == 0
    assert problem.attributes["interruptions_last_day"] == 1
    assert 0 < problem.attributes["confidence"] <= 1
    assert hass.states.get(WATER_LEAK).state == STATE_OFF

    set_power(hass, 20)
    for _ in range(9):
        await tick(hass, freezer)
    assert hass.states.get(POWER_INTERRUPTED).state == STATE_ON  # it clears after ten minutes
    for _ in range(3):
        await tick(hass, freezer)
    problem = hass.states.get(POWER_INTERRUPTED)
    assert problem.state == STATE_OFF
    assert "power" not in problem.attributes


async def test_the_units_error_code_and_low_pressure_turn_their_sensors_on(
    hass: HomeAssistant, init_full_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """An error code shown for five minutes is a fault, with the code; 80 kPa is low pressure.

    Both end once the code reads no error again and the pressure is topped up.
    """
    unit_fault = "binary_sensor.heat_pump_unit_fault"
    low_pressure = "binary_sensor.heat_pump_low_water_pressure"
    assert hass.states.get(unit_fault).state == STATE_OFF
    assert hass.states.get(low_pressure).state == STATE_OFF

    set_water(hass, flow="0", pressure="0.8", error="E7")
    for _ in range(4):
        await tick(hass, freezer)
    assert hass.states.get(unit_fault).state == STATE_OFF  # not yet five minutes
    for _ in range(8):
        await tick(hass, freezer)
    fault = hass.states.get(unit_fault)
    assert fault.state == STATE_ON
    assert (fault.attributes["severity"], fault.attributes["guidance"]) == (
        "warning",
        "professional",
    )
    assert fault.attributes["code"] == "E7"
    pressure = hass.states.get(low_pressure)
    assert pressure.state == STATE_ON
    assert pressure.attributes["pressure"] == 0.8
    assert pressure.attributes["guidance"] == "diy"

    set_water(hass, flow="0", pressure="1.5", error="No error")
    for _ in range(31):
        await tick(hass, freezer)
    assert hass.states.get(unit_fault).state == STATE_OFF
    assert hass.states.get(low_pressure).state == STATE_OFF
