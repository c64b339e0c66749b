"""The finding triggers of the automation editor, used by real automations on real findings."""

import json
import logging
from pathlib import Path
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import area_registry as ar, device_registry as dr
from homeassistant.helpers.trigger import (
    NotTriggeredInfo,
    async_initialize_triggers,
    async_validate_trigger_config,
)
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml_dict
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.heat_pump_health.const import DOMAIN, EVENT_TYPES
from custom_components.heat_pump_health.engine import FindingKey, Severity
from custom_components.heat_pump_health.trigger import (
    NOT_SELECTED_FINDING,
    SEVERITY_TOO_LOW,
    TRIGGERS,
)
from custom_components.heat_pump_health.validation import vol

from . import hassfest_like as hf
from .conftest import FULL_ENTRY_ID, set_leak, set_power, set_room_calling_for_heat, tick

INTEGRATION = Path(__file__).parent.parent / "custom_components" / DOMAIN
EVENT_ENTITY = "event.heat_pump_findings"
# A second heat pump, whose findings entity an automation targets.
GARAGE_POWER = "sensor.garage_heat_pump_power"
GARAGE_FINDINGS = "event.garage_heat_pump_findings"
# What each automation's action records of its trigger variables.
RECORDED = ("id", "platform", "type", "key", "severity", "guidance", "entry_id", "device_id")


@pytest.fixture
def platforms() -> tuple[Platform, ...]:
    """The event entity is enough to target the heat pump by an entity."""
    return (Platform.EVENT,)


@pytest.fixture
def calls(hass: HomeAssistant) -> list[ServiceCall]:
    """The calls the automations' action made."""
    return async_mock_service(hass, "test", "automation")


@pytest.fixture
def device_id(hass: HomeAssistant, init_full_integration: MockConfigEntry) -> str:
    """The heat pump's device (its own service device: the test sources have none)."""
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, FULL_ENTRY_ID), FULL_ENTRY_ID
    )
    assert device is not None
    return device.id


def _automation(alias: str, trigger: str, target: dict[str, Any], **options: Any) -> Any:
    """An automation on one finding trigger whose action records the trigger variables."""
    return {
        "alias": alias,
        "triggers": [
            {"trigger": f"{DOMAIN}.{trigger}", "id": alias, "target": target, "options": options}
        ],
        "actions": [
            {
                "action": "test.automation",
                "data": {name: f"{{{{ trigger.{name} }}}}" for name in RECORDED},
            }
        ],
    }


def _ran(calls: list[ServiceCall]) -> list[tuple[str, str, str, str]]:
    """Which automation ran, for which change, finding and severity."""
    return [
        (call.data["id"], call.data["type"], call.data["key"], call.data["severity"])
        for call in calls
    ]


async def _power_cut(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """The power reads zero while the room calls for heat, long enough to be a finding."""
    set_room_calling_for_heat(hass)
    set_power(hass, 0)
    for _ in range(7):
        await tick(hass, freezer)


async def test_automations_run_on_the_changes_they_select(
    hass: HomeAssistant,
    init_full_integration: MockConfigEntry,
    device_id: str,
    freezer: FrozenDateTimeFactory,
    calls: list[ServiceCall],
    platforms: tuple[Platform, ...],
) -> None:
    """Each trigger runs its automation for its change, target, finding and severity only."""
    areas = ar.async_get(hass)
    boiler_room = areas.async_create("Boiler room")
    dr.async_get(hass).async_update_device(device_id, area_id=boiler_room.id)
    empty_room = areas.async_create("Attic")
    hass.states.async_set(GARAGE_POWER, "20", {"device_class": "power", "unit_of_measurement": "W"})
    garage = MockConfigEntry(
        domain=DOMAIN,
        title="Garage heat pump",
        data={"name": "Garage heat pump", "power": GARAGE_POWER},
    )
    garage.add_to_hass(hass)
    with patch("custom_components.heat_pump_health.PLATFORMS", platforms):
        assert await hass.config_entries.async_setup(garage.entry_id)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                _automation(
                    "outage started",
                    "finding_started",
                    {"device_id": device_id},
                    finding=["power_interrupted"],
                ),
                _automation(
                    "critical started",
                    "finding_started",
                    {"device_id": device_id},
                    severity="critical",
                ),
                _automation("in the boiler room", "finding_started", {"area_id": boiler_room.id}),
                _automation("in the attic", "finding_started", {"area_id": empty_room.id}),
                _automation("in the garage", "finding_started", {"entity_id": GARAGE_FINDINGS}),
                _automation(
                    "got critical",
                    "finding_escalated",
                    {"entity_id": EVENT_ENTITY},
                    severity="critical",
                ),
                _automation(
                    "leak over", "finding_cleared", {"device_id": device_id}, finding="water_leak"
                ),
                _automation(
                    "outage over",
                    "finding_cleared",
                    {"device_id": device_id},
                    finding="power_interrupted",
                ),
            ]
        },
    )
    await hass.async_block_till_done()
    assert hass.states.get(GARAGE_FINDINGS) is not None

    await _power_cut(hass, freezer)
    assert _ran(calls) == [
        ("outage started", "finding_started", "power_interrupted", "warning"),
        ("in the boiler room", "finding_started", "power_interrupted", "warning"),
    ]
    assert {
        (
            call.data["platform"],
            call.data["guidance"],
            call.data["entry_id"],
            call.data["device_id"],
        )
        for call in calls
    } == {(f"{DOMAIN}.finding_started", "diy", FULL_ENTRY_ID, device_id)}

    calls.clear()
    set_power(hass, 20)
    await tick(hass, freezer, minutes=2)
    await _power_cut(hass, freezer)
    assert _ran(calls) == [
        ("got critical", "finding_escalated", "power_interrupted", "critical"),
    ]

    calls.clear()
    set_leak(hass, wet=True)
    await tick(hass, freezer)
    assert _ran(calls) == [
        ("critical started", "finding_started", "water_leak", "critical"),
        ("in the boiler room", "finding_started", "water_leak", "critical"),
    ]

    calls.clear()
    set_leak(hass, wet=False)
    for _ in range(6):
        await tick(hass, freezer)
    assert _ran(calls) == [("leak over", "finding_cleared", "water_leak", "critical")]


async def test_no_target_is_every_heat_pump(
    hass: HomeAssistant,
    init_full_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    calls: list[ServiceCall],
) -> None:
    """Without a target, written in YAML, the trigger takes any heat pump's findings."""
    automation = _automation("any leak", "finding_started", {}, finding="water_leak")
    del automation["triggers"][0]["target"]
    assert await async_setup_component(hass, "automation", {"automation": [automation]})
    set_leak(hass, wet=True)
    await tick(hass, freezer)
    assert _ran(calls) == [("any leak", "finding_started", "water_leak", "critical")]


async def test_a_change_left_out_says_why(
    hass: HomeAssistant,
    init_full_integration: MockConfigEntry,
    device_id: str,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A targeted heat pump's finding that the filters leave out is reported, with the reason."""
    ran: list[str] = []
    left_out: list[tuple[str, str, str]] = []

    def action(run_variables: dict[str, Any], context: Any = None) -> None:
        ran.append(run_variables["trigger"]["key"])

    def did_not_trigger(
        run_variables: dict[str, Any], info: NotTriggeredInfo, context: Any = None
    ) -> None:
        assert info.data is not None
        left_out.append((run_variables["trigger"]["id"], info.reason, info.data["finding"]))

    config = await async_validate_trigger_config(
        hass,
        [
            {
                "platform": f"{DOMAIN}.finding_started",
                "id": "leaks",
                "target": {"device_id": device_id},
                "options": {"finding": "water_leak"},
            },
            {
                "platform": f"{DOMAIN}.finding_started",
                "id": "critical",
                "target": {"device_id": device_id},
                "options": {"severity": "critical"},
            },
        ],
    )
    remove = await async_initialize_triggers(
        hass,
        config,
        action,
        "test",
        "left out",
        logging.getLogger(__name__).log,
        did_not_trigger=did_not_trigger,
    )
    assert remove is not None
    await _power_cut(hass, freezer)
    remove()

    assert ran == []
    assert left_out == [
        ("leaks", NOT_SELECTED_FINDING, "power_interrupted"),
        ("critical", SEVERITY_TOO_LOW, "power_interrupted"),
    ]


@pytest.mark.parametrize(
    ("options", "findings"),
    [
        ({}, []),
        ({"finding": "water_leak", "severity": "warning"}, ["water_leak"]),
        ({"finding": ["water_leak", "power_interrupted"]}, ["water_leak", "power_interrupted"]),
        ({"finding": "broken_compressor"}, None),
        ({"severity": "disaster"}, None),
        ({"threshold": 3}, None),
    ],
)
async def test_options_are_validated(
    hass: HomeAssistant, options: dict[str, Any], findings: list[str] | None
) -> None:
    """Known findings (one or a list) and severities pass; anything else is refused."""
    config = [{"platform": f"{DOMAIN}.finding_cleared", "options": options}]
    if findings is None:
        with pytest.raises(vol.Invalid):
            await async_validate_trigger_config(hass, config)
        return
    (validated,) = await async_validate_trigger_config(hass, config)
    assert validated["options"]["finding"] == findings


async def test_the_editor_offers_the_triggers(
    hass: HomeAssistant,
    init_full_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """The automation editor is told of the three triggers, their target and their fields."""
    assert await async_setup_component(hass, "automation", {})
    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": "trigger_platforms/subscribe"})
    assert (await client.receive_json())["success"]
    descriptions = (await client.receive_json())["event"]

    for event_type in EVENT_TYPES:
        description = descriptions[f"{DOMAIN}.{event_type}"]
        assert description["target"] == {
            "device": [{"integration": DOMAIN}],
            "entity": [{"integration": DOMAIN}],
        }
        assert set(description["fields"]) == {"finding", "severity"}


def test_triggers_are_described_translated_and_drawn() -> None:
    """triggers.yaml, every translation and icons.json cover the triggers trigger.py offers."""
    described = load_yaml_dict(str(INTEGRATION / "triggers.yaml"))
    offered = set(TRIGGERS)
    assert offered == set(EVENT_TYPES)
    assert {key for key in described if not key.startswith(".")} == offered
    icons = json.loads((INTEGRATION / "icons.json").read_text(encoding="utf-8"))
    assert set(icons["triggers"]) == offered
    for path in (INTEGRATION / "translations").glob("*.json"):
        strings = json.loads(path.read_text(encoding="utf-8"))
        assert set(strings["triggers"]) == offered, path.name
        assert set(strings["selector"]["severity"]["options"]) == set(Severity), path.name
    fields = described["finding_started"]["fields"]
    assert fields["finding"]["selector"]["select"]["options"] == list(FindingKey)
    assert fields["severity"]["selector"]["select"]["options"] == list(Severity)
    assert hf.trigger_problems(INTEGRATION) == []
