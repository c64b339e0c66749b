"""The findings event entity: it fires when a finding starts, grows worse or ends."""

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED, STATE_UNKNOWN, Platform
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from syrupy.assertion import SnapshotAssertion

from .conftest import set_leak, set_power, set_room_calling_for_heat, tick

EVENT_ENTITY = "event.heat_pump_findings"
# The attributes the README documents for the event entity, beside Home Assistant's own.
FINDING_ATTRIBUTES = {"key", "severity", "guidance", "evidence", "title", "message"}
EVENT_ENTITY_ATTRIBUTES = {"event_type", "event_types", "friendly_name"}


@pytest.fixture
def platforms() -> tuple[Platform, ...]:
    """Only the event entity."""
    return (Platform.EVENT,)


@pytest.fixture
def event_states(hass: HomeAssistant) -> list[dict[str, Any]]:
    """The attributes of every new state the event entity writes."""
    states: list[dict[str, Any]] = []

    def record(event: Event) -> None:
        new_state = event.data["new_state"]
        if event.data["entity_id"] == EVENT_ENTITY and new_state is not None:
            states.append(dict(new_state.attributes))

    hass.bus.async_listen(EVENT_STATE_CHANGED, record)
    return states


async def test_event(
    hass: HomeAssistant,
    init_full_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """One findings event entity with its three event types, not fired yet."""
    await snapshot_platform(hass, entity_registry, snapshot, init_full_integration.entry_id)
    state = hass.states.get(EVENT_ENTITY)
    assert state is not None
    assert state.state == STATE_UNKNOWN


async def test_leak_fires_started_then_cleared(
    hass: HomeAssistant,
    init_full_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    event_states: list[dict[str, Any]],
) -> None:
    """A wet leak sensor fires `finding_started` with the finding; dry again, `finding_cleared`."""
    set_leak(hass, wet=True)
    await tick(hass, freezer)

    state = hass.states.get(EVENT_ENTITY)
    assert dt_util.parse_datetime(state.state) == dt_util.utcnow()
    assert set(state.attributes) == EVENT_ENTITY_ATTRIBUTES | FINDING_ATTRIBUTES
    assert state.attributes["event_type"] == "finding_started"
    assert state.attributes["key"] == "water_leak"
    assert state.attributes["severity"] == "critical"
    assert state.attributes["guidance"] == "emergency"
    assert state.attributes["evidence"] == {"sensor": "leak"}
    assert state.attributes["title"] == "Water leak at Heat pump"
    assert "call a technician now" in state.attributes["message"]
    started_at = state.state

    set_leak(hass, wet=False)
    for _ in range(6):
        await tick(hass, freezer)

    state = hass.states.get(EVENT_ENTITY)
    assert state.state > started_at
    assert set(state.attributes) == EVENT_ENTITY_ATTRIBUTES | FINDING_ATTRIBUTES
    assert state.attributes["event_type"] == "finding_cleared"
    assert state.attributes["key"] == "water_leak"
    assert state.attributes["title"] == "Heat pump is back to normal"
    assert state.attributes["message"] == "Cleared: Water leak at Heat pump."
    # Fired once when it started and once when it ended, never on the minutes between.
    assert [attributes["event_type"] for attributes in event_states] == [
        "finding_started",
        "finding_cleared",
    ]


async def test_second_power_cut_fires_escalated(
    hass: HomeAssistant,
    init_full_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    event_states: list[dict[str, Any]],
) -> None:
    """Power cut again while the first outage is open: the same finding, now critical."""
    set_room_calling_for_heat(hass)
    set_power(hass, 0)
    for _ in range(7):
        await tick(hass, freezer)
    assert [attributes["event_type"] for attributes in event_states] == ["finding_started"]
    assert event_states[-1]["key"] == "power_interrupted"
    assert event_states[-1]["severity"] == "warning"
    assert event_states[-1]["evidence"]["interruptions_last_day"] == 1

    set_power(hass, 20)
    for _ in range(2):
        await tick(hass, freezer)
    set_power(hass, 0)
    for _ in range(7):
        await tick(hass, freezer)

    assert [attributes["event_type"] for attributes in event_states] == [
        "finding_started",
        "finding_escalated",
    ]
    escalated = hass.states.get(EVENT_ENTITY).attributes
    assert escalated["key"] == "power_interrupted"
    assert escalated["severity"] == "critical"
    assert escalated["guidance"] == "emergency"
    assert escalated["evidence"]["interruptions_last_day"] == 2
