"""Buttons: pressing one records the maintenance now, or sends a test notification."""

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from syrupy.assertion import SnapshotAssertion

from custom_components.heat_pump_health.const import DOMAIN
from custom_components.heat_pump_health.engine import Maintenance

from .conftest import tick

FILTER_REPLACED = "button.heat_pump_filter_replaced"
SERVICE_DONE = "button.heat_pump_service_done"
TEST_NOTIFICATION = "button.heat_pump_test_notification"


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
    """The maintenance buttons and the test notification button, in the configuration category."""
    buttons = [
        entry
        for entry in er.async_entries_for_config_entry(entity_registry, init_integration.entry_id)
        if entry.domain == BUTTON_DOMAIN
    ]
    assert sorted(entry.entity_id for entry in buttons) == [
        "button.heat_pump_filter_replaced",
        "button.heat_pump_service_done",
        "button.heat_pump_test_notification",
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


@pytest.mark.parametrize("platforms", [(Platform.BUTTON,)], ids=["button"])
async def test_button_platform(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every button with its registry entry and state, never pressed."""
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)


@pytest.mark.parametrize("platforms", [(Platform.BUTTON,)], ids=["button"])
async def test_pressing_is_the_buttons_new_state(
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """A pressed button shows when it was pressed; the other stays as it was."""
    assert hass.states.get(FILTER_REPLACED).state == STATE_UNKNOWN
    await tick(hass, freezer, minutes=5)
    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: FILTER_REPLACED}, blocking=True
    )
    assert dt_util.parse_datetime(hass.states.get(FILTER_REPLACED).state) == dt_util.utcnow()
    assert hass.states.get(SERVICE_DONE).state == STATE_UNKNOWN


@pytest.mark.parametrize("platforms", [(Platform.BUTTON, Platform.BINARY_SENSOR)], ids=["both"])
async def test_pressing_ends_the_reminder(
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """Filter replaced ends an open filter reminder, service done an open service reminder."""
    for kind, date in (("filter", "2026-08-01"), ("service", "2025-10-01")):
        await hass.services.async_call(
            DOMAIN,
            "record_maintenance",
            {"config_entry_id": init_integration.entry_id, "kind": kind, "date": date},
            blocking=True,
        )
    await tick(hass, freezer)
    assert hass.states.get("binary_sensor.heat_pump_filter_due").state == STATE_ON
    assert hass.states.get("binary_sensor.heat_pump_service_due").state == STATE_ON

    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: FILTER_REPLACED}, blocking=True
    )
    await tick(hass, freezer)
    assert hass.states.get("binary_sensor.heat_pump_filter_due").state == STATE_OFF
    assert hass.states.get("binary_sensor.heat_pump_service_due").state == STATE_ON

    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: SERVICE_DONE}, blocking=True
    )
    await tick(hass, freezer)
    assert hass.states.get("binary_sensor.heat_pump_service_due").state == STATE_OFF


@pytest.mark.parametrize("platforms", [(Platform.BUTTON,)], ids=["button"])
async def test_test_notification_without_targets_says_so(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """With no notification target the button's press fails with a translated reason."""
    with pytest.raises(ServiceValidationError) as error:
        await hass.services.async_call(
            BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: TEST_NOTIFICATION}, blocking=True
        )
    assert error.value.translation_key == "no_notify_targets"
    assert "Heat pump has no notification targets" in str(error.value)
