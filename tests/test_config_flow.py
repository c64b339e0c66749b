"""The config, options and reconfigure flows, through Home Assistant's flow manager."""

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heat_pump_health.const import DOMAIN
from custom_components.heat_pump_health.engine import FindingKey

from .conftest import CLIMATE, ENERGY, INDOOR, OUTDOOR, POWER, SOURCE_DATA, set_climate, set_power


async def _start(hass: HomeAssistant) -> str:
    """Open the user step and return its flow id."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}
    return str(result["flow_id"])


async def _submit(hass: HomeAssistant, user_input: dict[str, Any]) -> Any:
    """Submit the user step with some input."""
    flow_id = await _start(hass)
    return await hass.config_entries.flow.async_configure(flow_id, user_input)


@pytest.mark.usefixtures("sources")
async def test_user_flow_creates_entry(hass: HomeAssistant) -> None:
    """A name and sources make one entry, identified by its thermostat."""
    result = await _submit(
        hass, {**SOURCE_DATA, "name": " Heat pump ", "indoor_temperature": INDOOR}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Heat pump"
    assert result["data"] == {**SOURCE_DATA, "indoor_temperature": INDOOR}
    assert result["result"].unique_id == CLIMATE
    await hass.async_block_till_done()
    assert hass.states.get("sensor.heat_pump_health_status") is not None


@pytest.mark.usefixtures("sources")
async def test_power_only_heat_pump(hass: HomeAssistant) -> None:
    """A power sensor alone is enough; it then identifies the heat pump."""
    result = await _submit(hass, {"name": "Plug", "power": POWER})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == POWER


@pytest.mark.usefixtures("sources")
async def test_no_activity_source(hass: HomeAssistant) -> None:
    """Without thermostat, power or compressor sensor there is nothing to watch."""
    result = await _submit(hass, {"name": "Heat pump", "energy": ENERGY})

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "no_activity_source"}


@pytest.mark.parametrize(
    ("role", "entity_id", "state", "attributes", "error"),
    [
        ("climate", "climate.nowhere", None, {}, "entity_not_found"),
        ("power", "light.kitchen", "on", {}, "wrong_domain"),
        (
            "power",
            "sensor.room_temperature",
            "20",
            {"device_class": "temperature", "unit_of_measurement": "°C"},
            "wrong_device_class",
        ),
        ("power", "sensor.current", "3", {"unit_of_measurement": "A"}, "wrong_unit"),
        (
            "energy",
            "sensor.odd_energy",
            "3",
            {"device_class": "energy", "unit_of_measurement": "kW"},
            "wrong_unit",
        ),
        ("outdoor_temperature", "weather.home", "sunny", {"temperature": 5}, "wrong_unit"),
        (
            "leak",
            "binary_sensor.front_door",
            "off",
            {"device_class": "door"},
            "wrong_device_class",
        ),
        (
            "flow_rate",
            "sensor.flow_temperature",
            "35",
            {"device_class": "temperature", "unit_of_measurement": "°C"},
            "wrong_device_class",
        ),
        ("flow_rate", "sensor.flow_volume", "3", {"unit_of_measurement": "L"}, "wrong_unit"),
        (
            "water_pressure",
            "sensor.odd_pressure",
            "1.5",
            {"device_class": "pressure", "unit_of_measurement": "kg"},
            "wrong_unit",
        ),
        ("water_pressure", "binary_sensor.low_pressure", "off", {}, "wrong_domain"),
        (
            "unit_error",
            "binary_sensor.outdoor_unit_running",
            "on",
            {"device_class": "running"},
            "wrong_device_class",
        ),
        ("unit_error", "switch.heat_pump", "on", {}, "wrong_domain"),
        (
            "compressor_frequency",
            "sensor.fan_speed",
            "900",
            {"unit_of_measurement": "rpm"},
            "wrong_unit",
        ),
        (
            "compressor_frequency",
            "sensor.compressor_temperature",
            "60",
            {"device_class": "temperature", "unit_of_measurement": "°C"},
            "wrong_device_class",
        ),
    ],
)
@pytest.mark.usefixtures("sources")
async def test_source_errors(
    hass: HomeAssistant,
    role: str,
    entity_id: str,
    state: str | None,
    attributes: dict[str, Any],
    error: str,
) -> None:
    """Each unsuitable source gets its own translated error, and the form keeps the input."""
    if state is not None:
        hass.states.async_set(entity_id, state, attributes)
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {**SOURCE_DATA, role: entity_id}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {role: error}

    result = await hass.config_entries.flow.async_configure(flow_id, SOURCE_DATA)
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    ("role", "attributes"),
    [
        ("outdoor_temperature", {"device_class": "temperature", "unit_of_measurement": "°F"}),
        ("outdoor_temperature", {"device_class": "temperature", "unit_of_measurement": "K"}),
        ("outdoor_temperature", {"unit_of_measurement": "°C"}),
        ("power", {"device_class": "power", "unit_of_measurement": "kW"}),
        ("energy", {"device_class": "energy", "unit_of_measurement": "Wh"}),
        ("energy", {"device_class": "energy", "unit_of_measurement": "MWh"}),
        ("heat_output", {"device_class": "power", "unit_of_measurement": "kW"}),
        ("heat_output", {"device_class": "energy", "unit_of_measurement": "kWh"}),
        ("aux_heat", {"device_class": "power", "unit_of_measurement": "W"}),
        ("flow_rate", {"device_class": "volume_flow_rate", "unit_of_measurement": "L/min"}),
        ("flow_rate", {"device_class": "volume_flow_rate", "unit_of_measurement": "m³/h"}),
        ("flow_rate", {"unit_of_measurement": "gal/min"}),
        ("water_pressure", {"device_class": "pressure", "unit_of_measurement": "bar"}),
        ("water_pressure", {"device_class": "pressure", "unit_of_measurement": "psi"}),
        ("water_pressure", {"unit_of_measurement": "kPa"}),
        ("unit_error", {"device_class": "enum"}),
        ("unit_error", {}),
        ("compressor_frequency", {"device_class": "frequency", "unit_of_measurement": "Hz"}),
        ("compressor_frequency", {"unit_of_measurement": "kHz"}),
        ("compressor_frequency", {"unit_of_measurement": "%"}),
    ],
)
@pytest.mark.usefixtures("sources")
async def test_accepted_units(hass: HomeAssistant, role: str, attributes: dict[str, Any]) -> None:
    """Every unit Home Assistant can convert to the canonical one is accepted."""
    hass.states.async_set("sensor.candidate", "1", attributes)

    result = await _submit(hass, {**SOURCE_DATA, role: "sensor.candidate"})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][role] == "sensor.candidate"


@pytest.mark.usefixtures("sources")
async def test_weather_and_binary_sources(hass: HomeAssistant) -> None:
    """A weather entity gives outdoor temperature; binary sensors give compressor, aux and leak."""
    hass.states.async_set("weather.home", "sunny", {"temperature": 41, "temperature_unit": "°F"})
    hass.states.async_set("binary_sensor.compressor", "off", {"device_class": "running"})
    hass.states.async_set("binary_sensor.backup_heat", "off", {})
    hass.states.async_set("binary_sensor.drip_tray", "off", {"device_class": "moisture"})
    hass.states.async_set("binary_sensor.defrost", "off", {})

    result = await _submit(
        hass,
        {
            **SOURCE_DATA,
            "outdoor_temperature": "weather.home",
            "compressor": "binary_sensor.compressor",
            "aux_heat": "binary_sensor.backup_heat",
            "leak": "binary_sensor.drip_tray",
            "defrost": "binary_sensor.defrost",
            "defrost_state": "ignored for binary sensors",
        },
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert "defrost_state" not in result["data"]


@pytest.mark.usefixtures("sources")
async def test_defrost_state_required_for_mode_sensor(hass: HomeAssistant) -> None:
    """A mode sensor as defrost source needs the state that means defrost."""
    hass.states.async_set("sensor.operating_mode", "heating", {})
    flow_id = await _start(hass)

    result = await hass.config_entries.flow.async_configure(
        flow_id, {**SOURCE_DATA, "defrost": "sensor.operating_mode"}
    )
    assert result["errors"] == {"defrost_state": "defrost_state_required"}

    result = await hass.config_entries.flow.async_configure(
        flow_id, {**SOURCE_DATA, "defrost": "sensor.operating_mode", "defrost_state": " Defrost "}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"]["defrost_state"] == "Defrost"


@pytest.mark.usefixtures("sources")
async def test_hot_water_state_required_for_a_mode_sensor(hass: HomeAssistant) -> None:
    """A valve or mode sensor as hot-water source needs the state that means hot water."""
    hass.states.async_set("sensor.valve", "space heating", {})
    flow_id = await _start(hass)

    result = await hass.config_entries.flow.async_configure(
        flow_id, {**SOURCE_DATA, "hot_water": "sensor.valve"}
    )
    assert result["errors"] == {"hot_water_state": "hot_water_state_required"}

    result = await hass.config_entries.flow.async_configure(
        flow_id, {**SOURCE_DATA, "hot_water": "sensor.valve", "hot_water_state": " DHW "}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"]["hot_water"] == "sensor.valve"
    assert result["data"]["hot_water_state"] == "DHW"


@pytest.mark.usefixtures("sources")
async def test_hot_water_binary_sensor_needs_no_state(hass: HomeAssistant) -> None:
    """A three-way valve binary sensor tells hot water by itself: a state typed in is dropped."""
    hass.states.async_set("binary_sensor.valve_dhw", "off", {})
    result = await _submit(
        hass,
        {**SOURCE_DATA, "hot_water": "binary_sensor.valve_dhw", "hot_water_state": "on"},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert "hot_water_state" not in result["data"]


@pytest.mark.usefixtures("sources")
async def test_same_heat_pump_twice_aborts(hass: HomeAssistant) -> None:
    """The same thermostat, or the same power sensor under another name, is already configured."""
    assert (await _submit(hass, SOURCE_DATA))["type"] is FlowResultType.CREATE_ENTRY

    again = await _submit(hass, {**SOURCE_DATA, "name": "Other"})
    assert again["type"] is FlowResultType.ABORT
    assert again["reason"] == "already_configured"

    set_climate(hass)
    hass.states.async_set("climate.other", "heat", {"hvac_action": "idle"})
    shared_power = await _submit(
        hass, {"name": "Other", "climate": "climate.other", "power": POWER}
    )
    assert shared_power["type"] is FlowResultType.ABORT
    assert shared_power["reason"] == "already_configured"


async def test_options_flow_saves_and_reloads(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Options are saved flat, applied by a reload, and need no restart."""
    entry = init_integration
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"

    hass.services.async_register("notify", "mobile_app_phone", lambda call: None)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "detection": {
                "power_running_threshold": 150,
                "short_cycling_starts_per_hour": 5,
                "short_cycling_max_median_run_minutes": 12,
                "short_cycling_window_hours": 4,
                "nonstop_running_hours": 10,
                "runaway_energy_percent": 40,
                "defrost_min_interval_minutes": 35,
                "defrost_max_minutes": 12,
                "aux_heat_max_outdoor_temperature": 4,
                "sensor_stale_hours": 8,
            },
            "maintenance": {"filter_days": 45, "service_months": 6},
            "notifications": {
                "notify_entities": ["notify.kitchen_display"],
                "notify_services": ["notify.mobile_app_phone"],
            },
        },
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options["power_running_threshold"] == 150
    assert entry.options["filter_days"] == 45
    assert entry.options["aux_heat_max_outdoor_temperature"] == 4
    assert entry.options["notify_services"] == ["notify.mobile_app_phone"]
    coordinator = entry.runtime_data
    assert coordinator.engine.config.power_running_threshold == 150
    assert coordinator.engine.config.service_months == 6


async def test_options_temperatures_in_user_unit(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A user on °F enters °F; the option is stored in °C."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "detection": {"aux_heat_max_outdoor_temperature": 41},
            "maintenance": {},
            "notifications": {},
        },
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options["aux_heat_max_outdoor_temperature"] == 5.0

    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    detection = result["data_schema"].schema["detection"].schema.schema
    suggested = {
        str(key): key.description["suggested_value"]
        for key in detection
        if key.description and "suggested_value" in key.description
    }
    assert suggested["aux_heat_max_outdoor_temperature"] == 41.0


async def test_options_unknown_notify_service(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A notification service that does not exist is refused with a translated error."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "detection": {},
            "maintenance": {},
            "notifications": {"notify_services": ["notify.mobile_app_gone"]},
        },
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"notifications": "unknown_notify_service"}


async def test_reconfigure_changes_sources_and_keeps_learning(
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """New sources take effect, the unique id follows, and learned cycles are kept."""
    entry = init_integration
    set_climate(hass, "heating")
    set_power(hass, 1200)
    await hass.async_block_till_done()
    freezer.tick(600)
    set_climate(hass, "idle")
    set_power(hass, 20)
    freezer.tick(600)
    set_climate(hass, "heating")
    set_power(hass, 1200)
    await hass.async_block_till_done()
    assert entry.runtime_data.engine.snapshot().total_starts == 2

    hass.states.async_set(
        "sensor.new_meter", "5", {"device_class": "power", "unit_of_measurement": "kW"}
    )
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**SOURCE_DATA, "name": "Renamed", "power": "sensor.new_meter"}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data["power"] == "sensor.new_meter"
    assert entry.title == "Renamed"
    assert entry.runtime_data.engine.snapshot().total_starts == 2
    assert entry.runtime_data.sources["power"] == "sensor.new_meter"


async def test_reconfigure_errors_and_conflicts(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Reconfigure validates like setup and refuses another entry's heat pump."""
    other = MockConfigEntry(
        domain=DOMAIN,
        data={"name": "Other", "power": "sensor.other_power"},
        unique_id="sensor.other_power",
    )
    other.add_to_hass(hass)
    hass.states.async_set(
        "sensor.other_power", "5", {"device_class": "power", "unit_of_measurement": "W"}
    )

    result = await init_integration.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**SOURCE_DATA, "climate": "climate.missing"}
    )
    assert result["errors"] == {"climate": "entity_not_found"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**SOURCE_DATA, "power": "sensor.other_power"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.mark.usefixtures("sources")
async def test_indoor_sensor_filter_in_form(hass: HomeAssistant) -> None:
    """The entity pickers are filtered by domain and device class."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    schema = result["data_schema"].schema
    selectors = {str(key): value.config for key, value in schema.items()}

    assert selectors["climate"]["filter"] == [{"domain": ["climate"]}]
    assert selectors["outdoor_temperature"]["filter"] == [
        {"domain": ["sensor"], "device_class": ["temperature"]},
        {"domain": ["weather"]},
    ]
    assert selectors["leak"]["filter"] == [
        {"domain": ["binary_sensor"], "device_class": ["moisture"]}
    ]
    assert selectors["flow_rate"]["filter"] == [
        {"domain": ["sensor"], "device_class": ["volume_flow_rate"]}
    ]
    assert selectors["water_pressure"]["filter"] == [
        {"domain": ["sensor"], "device_class": ["pressure"]}
    ]
    assert selectors["unit_error"]["filter"] == [
        {"domain": ["binary_sensor"], "device_class": ["problem"]},
        {"domain": ["sensor"]},
    ]
    assert OUTDOOR not in selectors


def _notifications_section(result: Any) -> dict[str, Any]:
    """The notifications section's fields by name: their selector config and suggested value."""
    schema = result["data_schema"].schema["notifications"].schema.schema
    return {
        str(key): (value.config, (key.description or {}).get("suggested_value"))
        for key, value in schema.items()
    }


async def test_options_quiet_hours_and_chosen_findings(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Quiet hours and the findings that notify are saved, shown again and applied."""
    entry = init_integration
    result = await hass.config_entries.options.async_init(entry.entry_id)
    fields = _notifications_section(result)
    offered = fields["notify_findings"][0]["options"]
    assert "short_cycling" in offered
    # No leak sensor, so no leak finding to choose.
    assert "water_leak" not in offered
    assert fields["notify_findings"][1] == offered
    assert fields["notify_findings"][0]["translation_key"] == "finding"

    chosen = [key for key in offered if key != "short_cycling"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "detection": {},
            "maintenance": {},
            "notifications": {
                "notify_entities": ["notify.kitchen_display"],
                "quiet_hours_start": "22:00:00",
                "quiet_hours_end": "07:00:00",
                "notify_findings": chosen,
            },
        },
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options["quiet_hours_start"] == "22:00:00"
    assert entry.options["quiet_hours_end"] == "07:00:00"
    # Findings this heat pump cannot raise keep notifying, should a source be added.
    assert set(entry.options["notify_findings"]) == set(FindingKey) - {FindingKey.SHORT_CYCLING}
    notifier = entry.runtime_data.announcer.notifier
    assert notifier.quiet is not None
    assert notifier.muted == {FindingKey.SHORT_CYCLING}

    result = await hass.config_entries.options.async_init(entry.entry_id)
    fields = _notifications_section(result)
    assert fields["notify_findings"][1] == chosen
    assert fields["quiet_hours_start"][1] == "22:00:00"


async def test_options_every_finding_chosen_is_the_default(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """With every finding checked (or the field left out) no choice is stored."""
    entry = init_integration

    async def submit(notifications: dict[str, Any]) -> list[str]:
        """Submit the notifications section; return the findings the form offered."""
        result = await hass.config_entries.options.async_init(entry.entry_id)
        offered: list[str] = _notifications_section(result)["notify_findings"][0]["options"]
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], {"detection": {}, "maintenance": {}, "notifications": notifications}
        )
        await hass.async_block_till_done()
        assert result["type"] is FlowResultType.CREATE_ENTRY
        return offered

    offered = await submit({})
    assert "notify_findings" not in entry.options
    await submit({"notify_findings": ["short_cycling"]})
    assert "short_cycling" in entry.options["notify_findings"]
    assert "nonstop_running" not in entry.options["notify_findings"]
    await submit({"notify_findings": offered})
    assert "notify_findings" not in entry.options
    assert "quiet_hours_start" not in entry.options
    assert entry.runtime_data.announcer.notifier.muted == frozenset()


@pytest.mark.parametrize(
    "quiet",
    [
        {"quiet_hours_start": "22:00:00"},
        {"quiet_hours_end": "07:00:00"},
        {"quiet_hours_start": "22:00:00", "quiet_hours_end": "22:00"},
    ],
    ids=["start only", "end only", "same times"],
)
async def test_options_quiet_hours_need_both_ends(
    hass: HomeAssistant, init_integration: MockConfigEntry, quiet: dict[str, str]
) -> None:
    """Quiet hours with one end, or two equal ends, are refused with a translated error."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"detection": {}, "maintenance": {}, "notifications": quiet}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"notifications": "quiet_hours_incomplete"}


def _detection_section(result: Any) -> dict[str, Any]:
    """The detection section's fields by name: their selector config and suggested value."""
    schema = result["data_schema"].schema["detection"].schema.schema
    return {
        str(key): (value.config, (key.description or {}).get("suggested_value"))
        for key, value in schema.items()
    }


async def test_options_unit_error_ok_states(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Extra "no fault" states are offered with an error sensor, saved cleaned and applied."""
    freezer.move_to("2026-11-23 09:00:00-08:00")
    set_climate(hass)
    set_power(hass, 20)
    hass.states.async_set("sensor.error_code", "Standby")
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={**SOURCE_DATA, "unit_error": "sensor.error_code"},
        unique_id=CLIMATE,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    result = await hass.config_entries.options.async_init(entry.entry_id)
    field = _detection_section(result)["unit_error_ok_states"]
    assert field[0]["multiple"] is True
    assert field[1] is None
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "detection": {"unit_error_ok_states": [" Standby ", "", "standby", "Summer mode"]},
            "maintenance": {},
            "notifications": {},
        },
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options["unit_error_ok_states"] == ["Standby", "Summer mode"]
    config = entry.runtime_data.engine.config
    assert config.unit_error_ok_states == ("Standby", "Summer mode")

    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert _detection_section(result)["unit_error_ok_states"][1] == ["Standby", "Summer mode"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"detection": {"unit_error_ok_states": []}, "maintenance": {}, "notifications": {}},
    )
    await hass.async_block_till_done()
    assert "unit_error_ok_states" not in entry.options


async def test_options_without_an_error_sensor_offer_no_ok_states(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert "unit_error_ok_states" not in _detection_section(result)
