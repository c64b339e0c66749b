"""Every form field, error, abort reason and entity is labelled, as Home Assistant loads them."""

from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heat_pump_health.config_flow import sources_schema
from custom_components.heat_pump_health.const import DETECTION_OPTIONS, DOMAIN, MAINTENANCE_OPTIONS
from custom_components.heat_pump_health.sensor import SENSORS, STATUS_OPTIONS

PREFIX = f"component.{DOMAIN}"


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


async def test_entities_labelled(hass: HomeAssistant) -> None:
    """Every sensor has a name, and the status sensor every state."""
    strings = await async_get_translations(hass, "en", "entity", [DOMAIN])
    for description in SENSORS:
        assert f"{PREFIX}.entity.sensor.{description.translation_key}.name" in strings
    for state in STATUS_OPTIONS:
        assert f"{PREFIX}.entity.sensor.status.state.{state}" in strings
