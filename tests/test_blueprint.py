"""The push-notification blueprint, loaded and fired in a real Home Assistant test instance.

The phone is a real mobile_app registration, set up the way Home Assistant's own mobile_app
tests do it: a config entry whose app data carries a push URL and token. The blueprint's
device action then goes through mobile_app's real notify service, which POSTs the push to
that URL; the test mocks the URL with ``aioclient_mock`` and reads the JSON that would have
reached the push relay.
"""

from datetime import timedelta
import logging
from pathlib import Path
import shutil
from typing import Any

from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.automation.helpers import async_get_blueprints
from homeassistant.components.blueprint import models
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, device_registry as dr, selector
from homeassistant.setup import async_setup_component
from homeassistant.util import yaml as yaml_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_mock_service,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

BLUEPRINT_PATH = "heat_pump_health/finding_push.yaml"
BLUEPRINT_FILE = Path(__file__).parent.parent / "blueprints" / "automation" / BLUEPRINT_PATH
SOURCE_URL = (
    "https://github.com/heat-pump-health/heat_pump_health/blob/main/blueprints/automation/"
    + BLUEPRINT_PATH
)

PUSH_URL = "https://mobile-push.home-assistant.dev/push"
PUSH_TOKEN = "PUSH_TOKEN"
WEBHOOK_ID = "mock-webhook-id"
AUTOMATION = "automation.heat_pump_push"

ENTRY_ID = "01HEATPUMPHEALTH0000000000"
TAG = f"{ENTRY_ID}_short_cycling"
TITLE = "Living room heat pump is short cycling"
ALL_CLEAR_TITLE = "Living room heat pump is back to normal"
MESSAGE = (
    "The compressor started 9 times in the last hour. Check that the flow temperature "
    "is not set too high."
)


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    # The blueprint is copied into the config dir; keep the shared test config clean.
    return hass_tmp_config_dir


@pytest.fixture
async def phone(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, hass_admin_user: MockUser
) -> str:
    """A Companion app registration that supports push; returns its device id."""
    aioclient_mock.post(PUSH_URL, json={})
    entry = MockConfigEntry(
        domain="mobile_app",
        source="registration",
        title="Alex's phone",
        version=1,
        data={
            "app_data": {"push_token": PUSH_TOKEN, "push_url": PUSH_URL},
            "app_id": "io.homeassistant.companion.android",
            "app_name": "Home Assistant",
            "app_version": "2026.10.0",
            "device_id": "alex-phone-1",
            "device_name": "Alex's phone",
            "manufacturer": "Google",
            "model": "Pixel 9",
            "os_name": "Android",
            "os_version": "16",
            "secret": "123abc",
            "supports_encryption": False,
            "user_id": hass_admin_user.id,
            "webhook_id": WEBHOOK_ID,
        },
    )
    entry.add_to_hass(hass)
    assert await async_setup_component(hass, "mobile_app", {"mobile_app": {}})
    await hass.async_block_till_done()
    # The registration created the notify target the device action resolves to.
    assert hass.services.has_service("notify", "mobile_app_alex_s_phone")
    device = dr.async_get(hass).async_get_device_by_identifier(
        ("mobile_app", "alex-phone-1"), entry.entry_id
    )
    assert device is not None
    return device.id


@pytest.fixture
def acknowledge_calls(hass: HomeAssistant) -> list:
    # The integration is not loaded here: a stand-in records what the blueprint calls.
    return async_mock_service(hass, "heat_pump_health", "acknowledge")


async def _set_up_blueprint(hass: HomeAssistant, device_id: str, **inputs: Any) -> None:
    target = Path(hass.config.path("blueprints", "automation", BLUEPRINT_PATH))
    await hass.async_add_executor_job(_copy_blueprint, target)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "alias": "Heat pump push",
                "use_blueprint": {
                    "path": BLUEPRINT_PATH,
                    "input": {"mobile_device": device_id, **inputs},
                },
            }
        },
    )
    await hass.async_block_till_done()
    state = hass.states.get(AUTOMATION)
    assert state is not None
    assert state.state == "on"


def _copy_blueprint(target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(BLUEPRINT_FILE, target)


def _finding(kind: str = "finding_started", **overrides: Any) -> dict[str, Any]:
    """A finding event shaped as the integration fires it (see coordinator.event_data)."""
    cleared = kind == "finding_cleared"
    return {
        "entry_id": ENTRY_ID,
        "device_id": "0123456789abcdef0123456789abcdef",
        "heat_pump": "Living room heat pump",
        "type": kind,
        "key": "short_cycling",
        # A cleared event carries the translated all-clear as its title and message.
        "title": ALL_CLEAR_TITLE if cleared else TITLE,
        "message": f"Cleared: {TITLE}." if cleared else MESSAGE,
        "severity": "warning",
        "guidance": "diy",
        "evidence": {"starts_per_hour": 9.0, "median_run_minutes": 4.0, "window_hours": 6},
        "start": "2026-11-23T09:00:00-08:00",
        "end": "2026-11-23T10:15:00-08:00" if cleared else None,
        **overrides,
    }


async def _fire(hass: HomeAssistant, event_type: str, data: dict[str, Any]) -> None:
    hass.bus.async_fire(event_type, data)
    await hass.async_block_till_done()


def _pushes(aioclient_mock: AiohttpClientMocker) -> list[dict[str, Any]]:
    """The JSON bodies mobile_app posted to the push relay, oldest first."""
    return [call[2] for call in aioclient_mock.mock_calls]


def _no_warnings(caplog: pytest.LogCaptureFixture) -> None:
    # Undefined template variables, failed conditions and failed actions are logged. asyncio's
    # debug mode also warns of slow steps, which says how busy the machine was, not the blueprint.
    problems = [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.WARNING and r.name != "asyncio"
    ]
    assert problems == []


def _load_blueprint_yaml() -> dict[str, Any]:
    return yaml_util.load_yaml_dict(str(BLUEPRINT_FILE))


def test_blueprint_passes_home_assistants_schema() -> None:
    blueprint = models.Blueprint(
        _load_blueprint_yaml(),
        path=BLUEPRINT_PATH,
        expected_domain="automation",
        schema=AUTOMATION_BLUEPRINT_SCHEMA,
    )

    assert blueprint.validate() is None  # min_version is met by this Home Assistant
    assert blueprint.metadata["source_url"] == SOURCE_URL
    assert blueprint.metadata["homeassistant"] == {"min_version": "2025.8.0"}
    assert blueprint.data["mode"] == "queued"
    assert set(blueprint.inputs) == {"mobile_device", "min_severity", "send_all_clear", "snooze"}
    assert "default" not in blueprint.inputs["mobile_device"]
    assert blueprint.inputs["mobile_device"]["selector"] == {
        "device": {"filter": [{"integration": "mobile_app"}], "multiple": False}
    }
    # Every default is a valid value for its own selector.
    for name in ("min_severity", "send_all_clear", "snooze"):
        spec = blueprint.inputs[name]
        selector.selector(spec["selector"])(spec["default"])
    assert blueprint.inputs["min_severity"]["default"] == "warning"
    assert blueprint.inputs["send_all_clear"]["default"] is True
    assert cv.time_period(blueprint.inputs["snooze"]["default"]) == timedelta(days=1)


async def test_home_assistant_loads_the_blueprint_from_the_config_dir(
    hass: HomeAssistant, phone: str
) -> None:
    await _set_up_blueprint(hass, phone)

    blueprint = await async_get_blueprints(hass).async_get_blueprint(BLUEPRINT_PATH)

    assert blueprint.name == "Heat Pump Health: push notifications"
    assert blueprint.validate() is None


async def test_started_finding_pushes_with_buttons(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
    phone: str,
    acknowledge_calls: list,
) -> None:
    await _set_up_blueprint(hass, phone)

    await _fire(hass, "heat_pump_health_finding", _finding())

    assert _pushes(aioclient_mock) == [
        {
            "message": MESSAGE,
            "title": TITLE,
            "data": {
                "tag": TAG,
                "group": "heat_pump_health",
                "priority": "normal",
                "push": {"interruption-level": "active"},
                "actions": [
                    {
                        "action": f"HEAT_PUMP_HEALTH_ACK|{ENTRY_ID}|short_cycling|{phone}",
                        "title": "Acknowledge",
                    },
                    {"action": "URI", "title": "Open Repairs", "uri": "/config/repairs"},
                ],
            },
            "push_token": PUSH_TOKEN,
            "registration_info": {
                "app_id": "io.homeassistant.companion.android",
                "app_version": "2026.10.0",
                "os_version": "16",
                "webhook_id": WEBHOOK_ID,
            },
        }
    ]
    assert acknowledge_calls == []
    _no_warnings(caplog)


async def test_critical_finding_is_urgent(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, phone: str
) -> None:
    await _set_up_blueprint(hass, phone)

    await _fire(
        hass,
        "heat_pump_health_finding",
        _finding(key="refrigerant_leak", severity="critical", guidance="professional"),
    )
    await _fire(
        hass,
        "heat_pump_health_finding",
        _finding(key="electrical_fault", severity="warning", guidance="emergency"),
    )

    pushes = _pushes(aioclient_mock)
    assert [p["data"]["tag"] for p in pushes] == [
        f"{ENTRY_ID}_refrigerant_leak",
        f"{ENTRY_ID}_electrical_fault",
    ]
    for push in pushes:
        assert push["data"]["priority"] == "high"
        assert push["data"]["push"] == {"interruption-level": "time-sensitive"}


@pytest.mark.parametrize(
    ("min_severity", "below", "lowest_pushed"),
    [
        ("warning", ["info"], "warning"),
        ("critical", ["info", "warning"], "critical"),
    ],
)
async def test_finding_below_the_chosen_severity_sends_nothing(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
    phone: str,
    min_severity: str,
    below: list[str],
    lowest_pushed: str,
) -> None:
    await _set_up_blueprint(hass, phone, min_severity=min_severity)

    for severity in below:
        await _fire(hass, "heat_pump_health_finding", _finding(key=severity, severity=severity))
        await _fire(
            hass,
            "heat_pump_health_finding",
            _finding("finding_cleared", key=severity, severity=severity),
        )
    assert _pushes(aioclient_mock) == []

    # The same automation does push once the severity is high enough.
    await _fire(hass, "heat_pump_health_finding", _finding(severity=lowest_pushed))
    pushes = _pushes(aioclient_mock)
    assert len(pushes) == 1
    assert pushes[0]["title"] == TITLE
    assert pushes[0]["data"]["tag"] == TAG
    _no_warnings(caplog)


async def test_cleared_finding_sends_the_all_clear_with_the_same_tag(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
    phone: str,
) -> None:
    await _set_up_blueprint(hass, phone)

    await _fire(hass, "heat_pump_health_finding", _finding())
    await _fire(hass, "heat_pump_health_finding", _finding("finding_cleared"))

    started, cleared = _pushes(aioclient_mock)
    assert started["data"]["tag"] == TAG
    assert cleared["title"] == ALL_CLEAR_TITLE
    assert cleared["message"] == f"Cleared: {TITLE}."
    # Same tag, so the phone replaces the finding's notification; no buttons on it.
    assert cleared["data"] == {"tag": TAG, "group": "heat_pump_health"}
    _no_warnings(caplog)


async def test_all_clear_can_be_turned_off(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, phone: str
) -> None:
    await _set_up_blueprint(hass, phone, send_all_clear=False)

    await _fire(hass, "heat_pump_health_finding", _finding())
    await _fire(hass, "heat_pump_health_finding", _finding("finding_cleared"))

    assert [p["title"] for p in _pushes(aioclient_mock)] == [TITLE]


@pytest.mark.parametrize(
    ("inputs", "snooze"),
    [
        ({}, timedelta(days=1)),
        ({"snooze": {"hours": 8, "minutes": 30, "seconds": 0}}, timedelta(hours=8, minutes=30)),
    ],
)
async def test_acknowledge_button_calls_acknowledge(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
    phone: str,
    acknowledge_calls: list,
    inputs: dict[str, Any],
    snooze: timedelta,
) -> None:
    await _set_up_blueprint(hass, phone, **inputs)
    await _fire(hass, "heat_pump_health_finding", _finding())
    (push,) = _pushes(aioclient_mock)
    ack_action = push["data"]["actions"][0]["action"]

    # What the Companion app fires when the button is tapped.
    await _fire(
        hass,
        "mobile_app_notification_action",
        {"action": ack_action, "tag": TAG, "title": TITLE, "message": MESSAGE},
    )

    assert len(acknowledge_calls) == 1
    call = acknowledge_calls[0]
    assert call.domain == "heat_pump_health"
    assert call.service == "acknowledge"
    assert set(call.data) == {"config_entry_id", "finding", "snooze"}
    assert call.data["config_entry_id"] == ENTRY_ID
    assert call.data["finding"] == "short_cycling"
    assert cv.positive_time_period(call.data["snooze"]) == snooze
    # Acknowledging pushes nothing.
    assert len(_pushes(aioclient_mock)) == 1
    _no_warnings(caplog)


async def test_other_notification_actions_are_ignored(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
    phone: str,
    acknowledge_calls: list,
) -> None:
    await _set_up_blueprint(hass, phone)

    for data in (
        {"action": "URI"},
        {"action": "SOMETHING_ELSE"},
        {"action": f"HEAT_PUMP_HEALTH_ACK|{ENTRY_ID}|short_cycling"},
        {"action": f"HEAT_PUMP_HEALTH_ACK||short_cycling|{phone}"},
        # A button on a push that another phone's automation sent.
        {"action": f"HEAT_PUMP_HEALTH_ACK|{ENTRY_ID}|short_cycling|another-device-id"},
        {},
    ):
        await _fire(hass, "mobile_app_notification_action", data)

    assert acknowledge_calls == []
    assert _pushes(aioclient_mock) == []

    # The same automation does react to its own button.
    await _fire(
        hass,
        "mobile_app_notification_action",
        {"action": f"HEAT_PUMP_HEALTH_ACK|{ENTRY_ID}|short_cycling|{phone}"},
    )
    assert [c.data["finding"] for c in acknowledge_calls] == ["short_cycling"]
    _no_warnings(caplog)


async def test_escalated_finding_is_pushed_again(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
    phone: str,
) -> None:
    await _set_up_blueprint(hass, phone)

    await _fire(hass, "heat_pump_health_finding", _finding())
    await _fire(
        hass,
        "heat_pump_health_finding",
        _finding("finding_escalated", severity="critical", guidance="emergency"),
    )

    first, second = _pushes(aioclient_mock)
    assert first["data"]["tag"] == second["data"]["tag"] == TAG
    assert second["data"]["priority"] == "high"
    _no_warnings(caplog)
