"""Repair flows: snooze after the checks, record a service or a filter, vanished sources."""

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heat_pump_health.const import DOMAIN
from custom_components.heat_pump_health.engine import FindingKey, Maintenance
from custom_components.heat_pump_health.repairs import (
    FindingRepairFlow,
    SourceMissingRepairFlow,
    async_create_fix_flow,
)

from .conftest import POWER, set_leak, set_sources, setup_leak_heat_pump, tick

ENTRY_ID = "01HEATPUMPREPAIRS000000000"


@pytest.fixture
async def entry(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> MockConfigEntry:
    """Repairs set up, and a heat pump with a leak sensor, dry."""
    assert await async_setup_component(hass, "repairs", {})
    return await setup_leak_heat_pump(hass, freezer, ENTRY_ID)


async def start_fix(hass: HomeAssistant, issue_id: str) -> dict[str, Any]:
    """Open the fix flow of an issue, as the Repairs dashboard does."""
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result: dict[str, Any] = await manager.async_init(DOMAIN, data={"issue_id": issue_id})
    return result


async def answer(hass: HomeAssistant, flow_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """Answer one step of a fix flow."""
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result: dict[str, Any] = await manager.async_configure(flow_id, data)
    return result


async def test_checked_snoozes_and_the_issue_returns(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """After "I did the checks" the issue is gone, and back if the leak is still there later."""
    set_leak(hass, wet=True)
    await tick(hass, freezer)
    issue_id = f"{ENTRY_ID}_water_leak"

    result = await start_fix(hass, issue_id)
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "init"
    assert result["menu_options"] == ["checked", "serviced"]
    assert result["description_placeholders"]["name"] == "Heat pump"

    result = await answer(hass, result["flow_id"], {"next_step_id": "checked"})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "checked"

    # An emergency cannot be put aside for two days.
    result = await answer(hass, result["flow_id"], {"snooze": {"hours": 48}})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"snooze": "emergency_snooze_too_long"}

    result = await answer(hass, result["flow_id"], {"snooze": {"hours": 2}})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None

    await tick(hass, freezer, minutes=60)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    await tick(hass, freezer, minutes=61)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None


async def test_serviced_records_a_service_and_relearns(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """ "A technician serviced it" records the service and empties the baselines."""
    set_leak(hass, wet=True)
    await tick(hass, freezer)
    state = entry.runtime_data.engine.state
    state.runtime_baseline.add(5.0, 0.5)

    result = await start_fix(hass, f"{ENTRY_ID}_water_leak")
    result = await answer(hass, result["flow_id"], {"next_step_id": "serviced"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert Maintenance.SERVICE in state.maintenance
    assert not state.runtime_baseline.bins


async def test_filter_reminder_flow_records_the_filter(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """The filter reminder's flow offers "replaced", which ends the reminder for good."""
    await hass.services.async_call(
        DOMAIN,
        "record_maintenance",
        {"config_entry_id": ENTRY_ID, "kind": "filter", "date": "2026-08-01"},
        blocking=True,
    )
    await tick(hass, freezer)
    issue_id = f"{ENTRY_ID}_filter_due"
    result = await start_fix(hass, issue_id)
    assert result["menu_options"] == ["replaced", "checked"]
    result = await answer(hass, result["flow_id"], {"next_step_id": "replaced"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await tick(hass, freezer)
    assert entry.runtime_data.open_finding(FindingKey.FILTER_DUE) is None
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    assert hass.states.get("sensor.heat_pump_filter_age").state == "0"


async def test_flow_on_a_finding_that_ended_aborts(
    hass: HomeAssistant, entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """A flow opened from a stale page, after the finding ended, says so."""
    set_leak(hass, wet=True)
    await tick(hass, freezer)
    result = await start_fix(hass, f"{ENTRY_ID}_water_leak")
    set_leak(hass, wet=False)
    for _ in range(7):
        await tick(hass, freezer)
    result = await answer(hass, result["flow_id"], {"next_step_id": "checked"})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "finding_gone"


async def test_removed_source_raises_an_issue(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Deleting a source entity raises its issue; its flow explains and closes it."""
    assert await async_setup_component(hass, "repairs", {})
    entity_registry.async_get_or_create(
        "sensor", "vendor", "power", suggested_object_id="heat_pump_power"
    )
    set_sources(hass)
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    issue_id = f"{mock_config_entry.entry_id}_source_missing_power"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None

    entity_registry.async_remove(POWER)
    await hass.async_block_till_done()

    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "source_missing"
    assert issue.translation_placeholders == {
        "name": "Heat pump",
        # the role by its name in the instance's language, as the configuration form shows it
        "role": "Power sensor",
        "entity_id": POWER,
    }
    result = await start_fix(hass, issue_id)
    assert result["type"] is FlowResultType.FORM
    assert result["description_placeholders"]["entity_id"] == POWER
    result = await answer(hass, result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_source_missing_at_start_and_back_after_reconfigure(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A source that is nowhere once Home Assistant runs gets an issue; when it is back, not."""
    set_sources(hass)
    hass.states.async_remove(POWER)
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    issue_id = f"{mock_config_entry.entry_id}_source_missing_power"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None

    set_sources(hass)
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_removing_the_entry_removes_its_issues(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """No issue outlives its heat pump."""
    set_leak(hass, wet=True)
    await tick(hass, freezer)
    assert issue_registry.async_get_issue(DOMAIN, f"{ENTRY_ID}_water_leak") is not None
    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert not [i for i in issue_registry.issues.values() if i.domain == DOMAIN]


async def test_flow_chosen_by_the_issue_data(hass: HomeAssistant) -> None:
    """A source's issue names a role, a finding's a key; the issue id plays no part."""
    source = await async_create_fix_flow(
        hass, "renamed_issue", {"entry_id": ENTRY_ID, "role": "power"}
    )
    assert isinstance(source, SourceMissingRepairFlow)
    # An issue id that happens to contain "source_missing" does not decide.
    finding = await async_create_fix_flow(
        hass, f"{ENTRY_ID}_source_missing_water_leak", {"entry_id": ENTRY_ID, "key": "water_leak"}
    )
    assert isinstance(finding, FindingRepairFlow)
    assert (finding.entry_id, finding.key) == (ENTRY_ID, FindingKey.WATER_LEAK)
