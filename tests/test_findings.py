"""Findings reach the owner: problem sensors, Repairs issues, events and the status."""

import string
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.heat_pump_health.const import DOMAIN, EVENT_FINDING
from custom_components.heat_pump_health.engine import Finding, FindingKey, Guidance, Role, Severity
from custom_components.heat_pump_health.engine.applicability import applicable_findings
from custom_components.heat_pump_health.engine.model import TrackedFinding
from custom_components.heat_pump_health.engine.tracker import resolve

from .conftest import set_climate, set_leak, set_power, setup_leak_heat_pump, tick

WATER_LEAK = "binary_sensor.heat_pump_water_leak"
EVENT_ENTITY = "event.heat_pump_findings"
STATUS = "sensor.heat_pump_health_status"
SCORE = "sensor.heat_pump_health_score"
ENTRY_ID = "01HEATPUMPLEAK000000000000"


@pytest.fixture
async def leak_entry(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> MockConfigEntry:
    """A heat pump with a leak sensor under it, dry."""
    return await setup_leak_heat_pump(hass, freezer, ENTRY_ID)


@pytest.fixture
def finding_events(hass: HomeAssistant) -> list[Event]:
    """Every `heat_pump_health_finding` event fired on the bus."""
    events: list[Event] = []
    hass.bus.async_listen(EVENT_FINDING, events.append)
    return events


def test_applicable_findings_follow_the_roles() -> None:
    """Only findings whose inputs are configured get a problem sensor."""
    power_only = applicable_findings({Role.POWER})
    assert FindingKey.SHORT_CYCLING in power_only
    assert FindingKey.POWER_INTERRUPTED in power_only
    assert FindingKey.NOT_HEATING not in power_only
    assert FindingKey.RUNAWAY_ENERGY not in power_only
    assert FindingKey.WEAK_AIRFLOW not in power_only
    # Supply temperature alone cannot infer defrost; with the return temperature it can.
    assert FindingKey.DEFROST_TOO_LONG not in applicable_findings({Role.SUPPLY_TEMPERATURE})
    assert FindingKey.DEFROST_TOO_LONG in applicable_findings(
        {Role.SUPPLY_TEMPERATURE, Role.RETURN_TEMPERATURE}
    )
    assert FindingKey.RUNAWAY_ENERGY in applicable_findings({Role.ENERGY, Role.OUTDOOR_TEMPERATURE})
    assert applicable_findings(set(Role)) == tuple(FindingKey)


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_problem_sensors(
    hass: HomeAssistant,
    leak_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """One problem sensor per applicable finding, all off on a healthy unit."""
    entries = er.async_entries_for_config_entry(entity_registry, leak_entry.entry_id)
    problems = sorted(e.unique_id for e in entries if e.domain == "binary_sensor")
    roles = {Role(key) for key in leak_entry.data if key in Role._value2member_map_}
    assert problems == sorted(f"{ENTRY_ID}_{key}" for key in applicable_findings(roles))
    assert f"{ENTRY_ID}_weak_airflow" not in problems
    for entry in entries:
        if entry.domain == "binary_sensor":
            state = hass.states.get(entry.entity_id)
            assert state is not None
            assert state.state == STATE_OFF
            assert state.attributes["device_class"] == "problem"
    assert hass.states.get(WATER_LEAK) == snapshot


async def test_sensor_fault_sensor_disabled_by_default(
    hass: HomeAssistant, leak_entry: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """The sensor-fault problem sensor is for those who want it."""
    entity_id = entity_registry.async_get_entity_id(
        "binary_sensor", DOMAIN, f"{ENTRY_ID}_sensor_fault"
    )
    assert entity_id is not None
    registry_entry = entity_registry.async_get(entity_id)
    assert registry_entry is not None
    assert registry_entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION


async def test_leak_raised_and_cleared_everywhere(
    hass: HomeAssistant,
    leak_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
    finding_events: list[Event],
) -> None:
    """A wet leak sensor turns the problem sensor on, raises an issue and fires events."""
    set_leak(hass, wet=True)
    await tick(hass, freezer, minutes=1)

    problem = hass.states.get(WATER_LEAK)
    assert problem.state == STATE_ON
    assert problem.attributes["severity"] == "critical"
    assert problem.attributes["guidance"] == "emergency"
    assert hass.states.get(STATUS).state == "emergency"
    assert int(hass.states.get(SCORE).state) <= 10

    issue = issue_registry.async_get_issue(DOMAIN, f"{ENTRY_ID}_water_leak")
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.CRITICAL
    assert issue.is_fixable
    assert issue.translation_key == "water_leak"
    assert issue.translation_placeholders["name"] == "Heat pump"
    assert issue.translation_placeholders["since"].startswith("2026-11-23 09:0")
    assert issue.learn_more_url.endswith("#water_leak")

    assert [event.data["type"] for event in finding_events] == ["finding_started"]
    started = finding_events[0].data
    assert started["key"] == "water_leak"
    assert started["entry_id"] == ENTRY_ID
    assert started["heat_pump"] == "Heat pump"
    assert started["severity"] == "critical"
    assert started["guidance"] == "emergency"
    assert started["title"] == "Water leak at Heat pump"
    assert "call a technician now" in started["message"]
    assert started["end"] is None

    event_state = hass.states.get(EVENT_ENTITY)
    assert event_state.attributes["event_type"] == "finding_started"
    assert event_state.attributes["key"] == "water_leak"
    assert event_state.attributes["evidence"] == {"sensor": "leak"}

    set_leak(hass, wet=False)
    for _ in range(6):
        await tick(hass, freezer, minutes=1)

    assert hass.states.get(WATER_LEAK).state == STATE_OFF
    assert hass.states.get(STATUS).state == "learning"
    assert issue_registry.async_get_issue(DOMAIN, f"{ENTRY_ID}_water_leak") is None
    assert [event.data["type"] for event in finding_events] == [
        "finding_started",
        "finding_cleared",
    ]
    cleared = finding_events[1].data
    assert cleared["end"] is not None
    assert cleared["title"] == "Heat pump is back to normal"
    assert cleared["message"] == "Cleared: Water leak at Heat pump."
    assert hass.states.get(EVENT_ENTITY).attributes["event_type"] == "finding_cleared"


async def test_every_finding_has_issue_texts(hass: HomeAssistant) -> None:
    """Each finding's issue has a title and a fix flow whose placeholders exist in evidence."""
    strings = await async_get_translations(hass, "en", "issues", [DOMAIN])
    base = f"component.{DOMAIN}.issues"
    for key in FindingKey:
        assert f"{base}.{key}.title" in strings
        assert f"{base}.{key}.fix_flow.step.init.description" in strings
        assert f"{base}.{key}.fix_flow.step.checked.data.snooze" in strings
        assert f"{base}.{key}.fix_flow.abort.finding_gone" in strings
    assert f"{base}.source_missing.fix_flow.step.confirm.description" in strings


async def test_issue_severity_follows_the_finding(
    hass: HomeAssistant,
    leak_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A filter reminder is an informational finding: its issue is a warning."""
    await hass.services.async_call(
        DOMAIN,
        "record_maintenance",
        {"config_entry_id": ENTRY_ID, "kind": "filter", "date": "2026-08-01"},
        blocking=True,
    )
    await tick(hass, freezer, minutes=1)
    issue = issue_registry.async_get_issue(DOMAIN, f"{ENTRY_ID}_filter_due")
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.WARNING
    assert issue.translation_placeholders["days_since"] == "113"
    assert issue.translation_placeholders["interval_days"] == "60"
    assert hass.states.get(STATUS).state in ("attention",)


async def test_events_carry_the_device(
    hass: HomeAssistant,
    leak_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    finding_events: list[Event],
) -> None:
    """With sources that have no device, events name the integration's own device."""
    set_leak(hass, wet=True)
    await tick(hass, freezer, minutes=1)
    assert finding_events
    device_id: Any = finding_events[0].data["device_id"]
    assert device_id is not None
    entity_entry = er.async_get(hass).async_get(WATER_LEAK)
    assert entity_entry is not None
    assert entity_entry.device_id == device_id


@pytest.mark.parametrize("key", list(FindingKey))
async def test_every_finding_issue_raised_filled_and_removed(
    hass: HomeAssistant,
    leak_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
    finding_events: list[Event],
    key: FindingKey,
) -> None:
    """Each finding's issue and event get every placeholder their texts use; both end with it.

    Most findings need days of simulated weather to raise (the detectors' own tests and the
    detection benchmark cover that); here each is opened in the engine with the evidence its
    texts name, the way a detector would, so the Home Assistant side is checked for all.
    """
    strings = await async_get_translations(hass, "en", "issues", [DOMAIN])
    base = f"component.{DOMAIN}.issues.{key}"
    texts = [strings[f"{base}.title"], strings[f"{base}.fix_flow.step.init.description"]]
    names = {n for text in texts for _, n, _, _ in string.Formatter().parse(text) if n}
    evidence = dict.fromkeys(names - {"name", "since"}, 1.5)
    engine = leak_entry.runtime_data.engine
    now = dt_util.utcnow().timestamp()
    finding = Finding(key, now, Severity.WARNING, Guidance.DIY, evidence)
    tracked = engine.state.tracked.setdefault(key, TrackedFinding())
    tracked.finding = finding
    engine._judge.changes.append(finding)
    await tick(hass, freezer, minutes=1)

    issue_id = f"{ENTRY_ID}_{key}"
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == key.value
    assert names <= set(issue.translation_placeholders)
    assert issue.translation_placeholders.get(next(iter(evidence), "name")) in ("1.5", "Heat pump")
    assert hass.states.get(STATUS).state == "attention"
    assert finding_events[-1].data["key"] == key.value
    assert "{" not in finding_events[-1].data["title"]
    assert "{" not in finding_events[-1].data["message"]
    assert finding_events[-1].data["message"]

    ended = resolve(tracked, dt_util.utcnow().timestamp())
    assert ended is not None
    engine._judge.changes.append(ended)
    await tick(hass, freezer, minutes=1)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    assert finding_events[-1].data["type"] == "finding_cleared"


async def test_a_second_outage_escalates_and_undoes_the_snooze(
    hass: HomeAssistant,
    leak_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
    finding_events: list[Event],
) -> None:
    """A repeated power cut is worse than the first: one escalation event, the issue back."""
    set_climate(hass, "idle", current_temperature=19.5)  # the room calls for heat
    set_power(hass, 0)
    for _ in range(6):
        await tick(hass, freezer, minutes=1)
    issue_id = f"{ENTRY_ID}_power_interrupted"
    assert issue_registry.async_get_issue(DOMAIN, issue_id).severity is ir.IssueSeverity.ERROR
    await hass.services.async_call(
        DOMAIN,
        "acknowledge",
        {"config_entry_id": ENTRY_ID, "finding": "power_interrupted", "snooze": {"days": 7}},
        blocking=True,
    )
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None

    set_power(hass, 20)
    for _ in range(3):
        await tick(hass, freezer, minutes=1)
    set_power(hass, 0)
    for _ in range(7):
        await tick(hass, freezer, minutes=1)

    types = [e.data["type"] for e in finding_events if e.data["key"] == "power_interrupted"]
    assert types == ["finding_started", "finding_escalated"]
    escalated = finding_events[-1].data
    assert escalated["severity"] == "critical"
    assert escalated["guidance"] == "emergency"
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.CRITICAL
    assert hass.states.get(EVENT_ENTITY).attributes["event_type"] == "finding_escalated"
