"""The diagnostics download."""

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props


async def test_diagnostics(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
) -> None:
    """Configuration, sources, learned state and findings, with times left out."""
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)

    assert diagnostics == snapshot(
        exclude=props("time", "first_time", "last_time", "day_start", "day_end", "since")
    )


async def test_diagnostics_show_every_source(
    hass: HomeAssistant,
    init_full_integration: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """Each configured role's entity is in the entry data, with its state, unit and class."""
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, init_full_integration)

    data = diagnostics["entry"]["data"]
    assert data["flow_rate"] == "sensor.heat_pump_flow_rate"
    assert data["water_pressure"] == "sensor.heat_pump_water_pressure"
    assert data["unit_error"] == "sensor.heat_pump_error_code"
    sources = diagnostics["sources"]
    assert sources["water_pressure"] == {
        "entity_id": "sensor.heat_pump_water_pressure",
        "state": "160.0",
        "unit_of_measurement": "kPa",
        "device_class": "pressure",
    }
    assert sources["flow_rate"]["unit_of_measurement"] == "L/h"
    assert sources["unit_error"]["state"] == "No error"
    readings = diagnostics["engine_state"]["state"]["readings"]
    assert readings["texts"] == {"unit_error": "No error"}
