"""Maintenance buttons: pressing one records the maintenance now."""

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.heat_pump_health.engine import Maintenance


@pytest.fixture
def platforms() -> tuple[Platform, ...]:
    """The buttons, and the sensors that show what they record."""
    return (Platform.BUTTON, Platform.SENSOR)


async def test_buttons(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Both buttons, in the configuration category."""
    buttons = [
        entry
        for entry in er.async_entries_for_config_entry(entity_registry, init_integration.entry_id)
        if entry.domain == BUTTON_DOMAIN
    ]
    assert sorted(entry.entity_id for entry in buttons) == [
        "button.heat_pump_filter_replaced",
        "button.heat_pump_service_done",
    ]
    for entry in buttons:
        assert entry.entity_category == "config"
        assert hass.states.get(entry.entity_id) == snapshot(name=entry.entity_id)


async def test_pressing_records_maintenance(
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """Filter replaced starts the filter age at 0; service done sets the next service date."""
    engine = init_integration.runtime_data.engine
    assert hass.states.get("sensor.heat_pump_filter_age").state == "unknown"
    await hass.services.async_call(
        BUTTON_DOMAIN,
        SERVICE_PRESS,
        {ATTR_ENTITY_ID: "button.heat_pump_filter_replaced"},
        blocking=True,
    )
    assert Maintenance.FILTER in engine.state.maintenance
    assert Maintenance.SERVICE not in engine.state.maintenance
    assert hass.states.get("sensor.heat_pump_filter_age").state == "0"

    await hass.services.async_call(
        BUTTON_DOMAIN,
        SERVICE_PRESS,
        {ATTR_ENTITY_ID: "button.heat_pump_service_done"},
        blocking=True,
    )
    assert Maintenance.SERVICE in engine.state.maintenance
    assert hass.states.get("sensor.heat_pump_next_service").state == "2027-11-23"
