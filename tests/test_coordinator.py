"""The coordinator: the live feed reaches the entities; the clock does only what time changes."""

from datetime import timedelta
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.heat_pump_health.const import DOMAIN, REMINDER_INTERVAL
from custom_components.heat_pump_health.engine import FindingKey

from .conftest import ENERGY, set_climate, set_leak, set_power, setup_leak_heat_pump, tick

ENTRY_ID = "01HEATPUMPCOORDINATOR00000"


async def test_live_feed_reaches_every_entity(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    entity_registry_enabled_by_default: None,
) -> None:
    """An hour of live cycles and a leak, as every entity of the heat pump shows them."""
    with patch("custom_components.heat_pump_health.PLATFORMS", (Platform.SENSOR,)):
        entry = await setup_leak_heat_pump(hass, freezer, ENTRY_ID)
    energy = 1234.5
    for _ in range(3):
        set_climate(hass, "heating")
        set_power(hass, 1200)
        await tick(hass, freezer, 10)
        energy += 0.2
        hass.states.async_set(
            ENERGY, f"{energy:.1f}", {"device_class": "energy", "unit_of_measurement": "kWh"}
        )
        set_climate(hass, "idle")
        set_power(hass, 20)
        await tick(hass, freezer, 10)
    set_leak(hass, wet=True)
    await tick(hass, freezer)

    assert entry.runtime_data.engine.totals().starts == 3
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


async def open_leak(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> MockConfigEntry:
    """A heat pump whose leak sensor went wet, told to a phone."""
    entry = await setup_leak_heat_pump(
        hass, freezer, ENTRY_ID, options={"notify_services": ["notify.phone"]}
    )
    set_leak(hass, wet=True)
    await tick(hass, freezer)
    return entry


async def test_clock_sends_and_rewrites_nothing_without_a_change(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Minutes pass with a finding open: no message, no Repairs issue written again."""
    phone = async_mock_service(hass, "notify", "phone")
    await open_leak(hass, freezer)
    assert len(phone) == 1

    with patch.object(ir, "async_create_issue", wraps=ir.async_create_issue) as create_issue:
        for _ in range(30):
            await tick(hass, freezer)

    assert len(phone) == 1
    create_issue.assert_not_called()


async def test_reminder_comes_at_its_deadline(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A day after the alert the reminder goes out from its own deadline, with no clock tick."""
    phone = async_mock_service(hass, "notify", "phone")
    with patch("custom_components.heat_pump_health.coordinator.TICK_INTERVAL", 10 * 86400):
        await setup_leak_heat_pump(
            hass, freezer, ENTRY_ID, options={"notify_services": ["notify.phone"]}
        )
    set_leak(hass, wet=True)
    freezer.tick(timedelta(minutes=1))
    set_leak(hass, wet=True)  # written again a minute on: the engine judges the new minute
    await hass.async_block_till_done()
    assert len(phone) == 1

    freezer.tick(timedelta(seconds=REMINDER_INTERVAL - 120))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert len(phone) == 1
    freezer.tick(timedelta(seconds=121))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert len(phone) == 2


async def test_snooze_end_brings_issue_and_reminder_back(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, issue_registry: ir.IssueRegistry
) -> None:
    """An acknowledged finding's issue and reminder return when the snooze ends."""
    phone = async_mock_service(hass, "notify", "phone")
    entry = await open_leak(hass, freezer)
    issue_id = f"{entry.entry_id}_water_leak"
    await hass.services.async_call(
        DOMAIN,
        "acknowledge",
        {"config_entry_id": entry.entry_id, "finding": "water_leak", "snooze": {"hours": 1}},
        blocking=True,
    )
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None

    await tick(hass, freezer, 59)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    assert len(phone) == 1
    await tick(hass, freezer, 2)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
    assert len(phone) == 2


async def test_quiet_hours_end_at_their_deadline(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """What quiet hours held goes out from their end's own deadline, with no clock tick."""
    phone = async_mock_service(hass, "notify", "phone")
    options = {
        "notify_services": ["notify.phone"],
        "quiet_hours_start": "08:00:00",
        "quiet_hours_end": "10:00:00",
    }
    with patch("custom_components.heat_pump_health.coordinator.TICK_INTERVAL", 10 * 86400):
        entry = await setup_leak_heat_pump(hass, freezer, ENTRY_ID, options=options)  # 09:00
    await hass.services.async_call(
        DOMAIN,
        "record_maintenance",
        {"config_entry_id": entry.entry_id, "kind": "filter", "date": "2026-08-01"},
        blocking=True,
    )
    freezer.tick(timedelta(minutes=1))
    set_leak(hass, wet=False)  # written again a minute on: the engine judges the new minute
    await hass.async_block_till_done()
    assert entry.runtime_data.open_finding(FindingKey.FILTER_DUE) is not None
    assert phone == []

    freezer.tick(timedelta(minutes=58))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert phone == []
    freezer.tick(timedelta(minutes=1, seconds=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert [call.data["title"] for call in phone] == ["Heat pump's filter is due for cleaning"]
