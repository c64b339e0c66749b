"""Every form field, error, abort reason and entity is labelled, as Home Assistant loads them."""

import json
from pathlib import Path
import string

from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heat_pump_health.config_flow import sources_schema
from custom_components.heat_pump_health.const import (
    DETECTION_OPTIONS,
    DOMAIN,
    EVENT_TYPES,
    MAINTENANCE_OPTIONS,
)
from custom_components.heat_pump_health.engine import FindingKey
from custom_components.heat_pump_health.sensor import SENSORS, STATUS_OPTIONS

PREFIX = f"component.{DOMAIN}"
EN = Path(__file__).parent.parent / "custom_components" / DOMAIN / "translations" / "en.json"


async def test_config_flow_labelled(hass: HomeAssistant) -> None:
    """Both source steps label and describe every field, and every error reads well."""
    strings = await async_get_translations(hass, "en", "config", [DOMAIN])
    for step in ("user", "reconfigure"):
        for field in sources_schema().schema:
            assert f"{PREFIX}.config.step.{step}.data.{field}" in strings
            assert f"{PREFIX}.config.step.{step}.data_description.{field}" in strings
    for error in (
        "entity_not_found",
        "wrong_domain",
        "wrong_device_class",
        "wrong_unit",
        "no_activity_source",
        "defrost_state_required",
    ):
        assert f"{PREFIX}.config.error.{error}" in strings
    for reason in ("already_configured", "reconfigure_successful"):
        assert f"{PREFIX}.config.abort.{reason}" in strings


async def test_options_flow_labelled(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Every option in every section has a label and a description with its default."""
    strings = await async_get_translations(hass, "en", "options", [DOMAIN])
    base = f"{PREFIX}.options.step.init.sections"
    for section, keys in (
        ("detection", DETECTION_OPTIONS),
        ("maintenance", MAINTENANCE_OPTIONS),
        ("notifications", ("notify_entities", "notify_services")),
    ):
        assert f"{base}.{section}.name" in strings
        for key in keys:
            assert f"{base}.{section}.data.{key}" in strings
            assert f"{base}.{section}.data_description.{key}" in strings
    assert f"{PREFIX}.options.error.unknown_notify_service" in strings
    assert f"{base}.detection.data.unit_error_ok_states" in strings
    assert f"{base}.detection.data_description.unit_error_ok_states" in strings


async def test_entities_labelled(hass: HomeAssistant) -> None:
    """Every sensor has a name, and the status sensor every state."""
    strings = await async_get_translations(hass, "en", "entity", [DOMAIN])
    for description in SENSORS:
        assert f"{PREFIX}.entity.sensor.{description.translation_key}.name" in strings
    for state in STATUS_OPTIONS:
        assert f"{PREFIX}.entity.sensor.status.state.{state}" in strings


async def test_new_surfaces_labelled(hass: HomeAssistant) -> None:
    """Problem sensors, buttons, the event entity, services, errors and messages all read well."""
    entity = await async_get_translations(hass, "en", "entity", [DOMAIN])
    for key in FindingKey:
        assert f"{PREFIX}.entity.binary_sensor.{key}.name" in entity
    for key in ("filter_replaced", "service_done"):
        assert f"{PREFIX}.entity.button.{key}.name" in entity
    for event_type in EVENT_TYPES:
        event = f"{PREFIX}.entity.event.finding.state_attributes.event_type"
        assert f"{event}.state.{event_type}" in entity
    services = await async_get_translations(hass, "en", "services", [DOMAIN])
    fields = {
        "acknowledge": ("config_entry_id", "finding", "snooze"),
        "record_maintenance": ("config_entry_id", "kind", "date"),
        "reset_baseline": ("config_entry_id",),
    }
    for service, names in fields.items():
        assert f"{PREFIX}.services.{service}.name" in services
        for name in names:
            assert f"{PREFIX}.services.{service}.fields.{name}.description" in services
    selectors = await async_get_translations(hass, "en", "selector", [DOMAIN])
    for key in FindingKey:
        assert f"{PREFIX}.selector.finding.options.{key}" in selectors
    exceptions = await async_get_translations(hass, "en", "exceptions", [DOMAIN])
    # Unknown, foreign and unloaded entries get Home Assistant's own errors.
    for key in (
        "finding_not_open",
        "emergency_snooze_too_long",
        "date_in_future",
    ):
        assert f"{PREFIX}.exceptions.{key}.message" in exceptions
    common = await async_get_translations(hass, "en", "common", [DOMAIN])
    for key in FindingKey:
        assert f"{PREFIX}.common.notify_{key}" in common


def test_notification_placeholders_are_evidence() -> None:
    """Every placeholder of a finding's message is one its evidence always carries."""
    strings = json.loads(EN.read_text(encoding="utf-8"))
    issues = strings["issues"]
    for key in FindingKey:
        message = strings["common"][f"notify_{key}"]
        allowed = set(_placeholders(issues[key]["fix_flow"]["step"]["init"]["description"]))
        assert set(_placeholders(message)) <= allowed | {"name", "since"}, key


def _placeholders(text: str) -> list[str]:
    """The names of a translation's placeholders."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]
