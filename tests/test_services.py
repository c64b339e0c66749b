"""Service actions: acknowledge, record maintenance, reset baselines; with translated errors."""

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service

from custom_components.heat_pump_health.const import DOMAIN
from custom_components.heat_pump_health.engine import FindingKey, Maintenance
from custom_components.heat_pump_health.validation import vol

from .conftest import set_leak, setup_leak_heat_pump, tick

ENTRY_ID = "01HEATPUMPSERVICES00000000"


@pytest.fixture
async def entry(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> MockConfigEntry:
    """A heat pump with a leak sensor, dry."""
    return await setup_leak_heat_pump(hass, freezer, ENTRY_ID)


async def call(hass: HomeAssistant, service: str, **data: Any) -> None:
    """Call one of the integration's services and wait for it."""
    await hass.services.async_call(DOMAIN, service, {"config_entry_id": ENTRY_ID, **data}, True)


async def test_services_registered_once(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """The four actions exist while any heat pump is set up, and after it unloads."""
    for service in (
        "acknowledge",
        "record_maintenance",
        "reset_baseline",
        "send_test_notification",
    ):
        assert hass.services.has_service(DOMAIN, service)
    await hass.config_entries.async_unload(entry.entry_id)
    assert hass.services.has_service(DOMAIN, "acknowledge")


async def test_acknowledge_hides_the_issue_until_the_snooze_ends(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """An acknowledged finding's issue goes away, and returns if the finding outlives it."""
    await call(hass, "record_maintenance", kind="filter", date="2026-08-01")
    await tick(hass, freezer)
    issue_id = f"{ENTRY_ID}_filter_due"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None

    await call(hass, "acknowledge", finding="filter_due", snooze={"hours": 2})
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    # The finding itself is still open: the problem sensor stays on.
    assert hass.states.get("binary_sensor.heat_pump_filter_due").state == STATE_ON

    await tick(hass, freezer, minutes=90)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    await tick(hass, freezer, minutes=31)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None


@pytest.mark.parametrize(
    ("data", "translation_key", "text"),
    [
        (
            {"config_entry_id": "nope"},
            "service_config_entry_not_found",
            "config entry with ID nope was not found",
        ),
        ({"finding": "water_leak"}, "finding_not_open", "has no open water_leak finding"),
    ],
)
async def test_acknowledge_errors(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    data: dict[str, Any],
    translation_key: str,
    text: str,
) -> None:
    """Unknown heat pumps and findings that are not open get a clear, translated answer."""
    with pytest.raises(ServiceValidationError) as error:
        await hass.services.async_call(
            DOMAIN,
            "acknowledge",
            {"config_entry_id": ENTRY_ID, "finding": "water_leak", **data},
            blocking=True,
        )
    assert error.value.translation_key == translation_key
    assert text in str(error.value)


async def test_emergency_snoozed_for_a_day_at_most(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A leak can be put aside for a day, not two."""
    set_leak(hass, wet=True)
    await tick(hass, freezer)
    with pytest.raises(ServiceValidationError) as error:
        await call(hass, "acknowledge", finding="water_leak", snooze={"days": 2})
    assert error.value.translation_key == "emergency_snooze_too_long"
    assert "one day at most" in str(error.value)
    assert issue_registry.async_get_issue(DOMAIN, f"{ENTRY_ID}_water_leak") is not None

    await call(hass, "acknowledge", finding="water_leak", snooze={"hours": 24})
    assert issue_registry.async_get_issue(DOMAIN, f"{ENTRY_ID}_water_leak") is None


async def test_unloaded_entry_is_refused(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """A heat pump that is not running cannot take actions."""
    await hass.config_entries.async_unload(entry.entry_id)
    assert entry.state is ConfigEntryState.NOT_LOADED
    with pytest.raises(ServiceValidationError) as error:
        await call(hass, "reset_baseline")
    assert error.value.translation_key == "service_config_entry_not_loaded"
    assert "is not loaded" in str(error.value)


async def test_entry_of_another_integration_is_refused(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """An entry id of another integration names no heat pump."""
    other = MockConfigEntry(domain="sun", title="Sun")
    other.add_to_hass(hass)
    with pytest.raises(ServiceValidationError) as error:
        await hass.services.async_call(
            DOMAIN, "reset_baseline", {"config_entry_id": other.entry_id}, blocking=True
        )
    assert error.value.translation_key == "service_config_entry_wrong_domain"


async def test_bad_input_rejected_by_the_schema(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """Unknown findings and maintenance kinds never reach the handlers."""
    with pytest.raises(vol.Invalid):
        await call(hass, "acknowledge", finding="bogus")
    with pytest.raises(vol.Invalid):
        await call(hass, "record_maintenance", kind="oil_change")


async def test_record_maintenance(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Recording a filter change today ends the filter reminder and resets the filter age."""
    await call(hass, "record_maintenance", kind="filter", date="2026-08-01")
    await tick(hass, freezer)
    assert hass.states.get("sensor.heat_pump_filter_age").state == "113"
    assert hass.states.get("binary_sensor.heat_pump_filter_due").state == STATE_ON

    await call(hass, "record_maintenance", kind="filter")
    await tick(hass, freezer)
    assert hass.states.get("sensor.heat_pump_filter_age").state == "0"
    assert hass.states.get("binary_sensor.heat_pump_filter_due").state == STATE_OFF
    assert issue_registry.async_get_issue(DOMAIN, f"{ENTRY_ID}_filter_due") is None

    await call(hass, "record_maintenance", kind="service", date="2026-11-01")
    await tick(hass, freezer)
    assert hass.states.get("sensor.heat_pump_next_service").state == "2027-11-01"
    maintenance = entry.runtime_data.engine.state.maintenance
    assert set(maintenance) == {Maintenance.FILTER, Maintenance.SERVICE}


async def test_maintenance_in_the_future_refused(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """A date that has not come yet is a mistake, said so."""
    with pytest.raises(ServiceValidationError) as error:
        await call(hass, "record_maintenance", kind="service", date="2026-12-24")
    assert error.value.translation_key == "date_in_future"
    assert Maintenance.SERVICE not in entry.runtime_data.engine.state.maintenance


async def test_reset_baseline_forgets_normal(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """The learned baselines are emptied; counters and maintenance dates are kept."""
    state = entry.runtime_data.engine.state
    state.runtime_baseline.add(5.0, 0.5)
    state.energy_baseline.days.append((10.0, 0.0, 20.0))
    starts = state.cycles.total_starts
    await call(hass, "reset_baseline")
    assert not state.runtime_baseline.bins
    assert not state.energy_baseline.days
    assert state.cycles.total_starts == starts


async def test_acknowledged_snooze_survives_a_restart(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """The snooze is saved with what was learned, so a reload does not raise the issue again."""
    await call(hass, "record_maintenance", kind="filter", date="2026-08-01")
    await tick(hass, freezer)
    await call(hass, "acknowledge", finding="filter_due", snooze={"days": 2})
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await tick(hass, freezer)
    assert entry.runtime_data.open_finding(FindingKey.FILTER_DUE) is not None
    assert issue_registry.async_get_issue(DOMAIN, f"{ENTRY_ID}_filter_due") is None


async def test_test_notification_needs_a_target(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """A heat pump without notification targets says so instead of sending nothing."""
    with pytest.raises(ServiceValidationError) as error:
        await call(hass, "send_test_notification")
    assert error.value.translation_key == "no_notify_targets"
    assert "Heat pump has no notification targets" in str(error.value)


async def test_test_notification_answers_with_the_targets_reached(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Called for a response, the action lists the targets it reached; without, it only sends."""
    phone = async_mock_service(hass, "notify", "phone")
    await setup_leak_heat_pump(hass, freezer, ENTRY_ID, {"notify_services": ["phone"]})
    response = await hass.services.async_call(
        DOMAIN,
        "send_test_notification",
        {"config_entry_id": ENTRY_ID},
        blocking=True,
        return_response=True,
    )
    assert response == {"reached": ["notify.phone"]}
    await call(hass, "send_test_notification")
    assert [service_call.data["title"] for service_call in phone] == ["Test from Heat pump"] * 2
    assert "data" not in phone[0].data
