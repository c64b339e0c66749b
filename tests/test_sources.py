"""Source states to observations: units, unusable values and defrost indicators."""

from typing import Any

from homeassistant.core import State
import pytest

from custom_components.heat_pump_health.engine import ClimateReading, EnergyTotal, Role
from custom_components.heat_pump_health.sources import SourceReader


def _value(
    role: Role, state: str, attributes: dict[str, Any], defrost_state: str | None = None
) -> object:
    return _read(role, State("sensor.x", state, attributes), "°F", defrost_state)


def _read(
    role: Role, state: State, climate_unit: str = "°C", defrost_state: str | None = None
) -> object:
    """The value a reader with `state`'s entity in `role` observes."""
    reader = SourceReader.for_sources({role: state.entity_id}, climate_unit, defrost_state)
    [observation] = reader.observations(state)
    return observation.value


@pytest.mark.parametrize(
    ("role", "state", "attributes", "expected"),
    [
        (Role.POWER, "1.5", {"device_class": "power", "unit_of_measurement": "kW"}, 1500.0),
        (Role.ENERGY, "2500", {"device_class": "energy", "unit_of_measurement": "Wh"}, 2.5),
        (Role.OUTDOOR_TEMPERATURE, "50", {"unit_of_measurement": "°F"}, 10.0),
        (Role.POWER, "unknown", {"unit_of_measurement": "W"}, None),
        (Role.POWER, "unavailable", {"unit_of_measurement": "W"}, None),
        (Role.POWER, "nan", {"unit_of_measurement": "W"}, None),
        (Role.POWER, "inf", {"unit_of_measurement": "W"}, None),
        (Role.POWER, "lots", {"unit_of_measurement": "W"}, None),
        (Role.POWER, "12", {"unit_of_measurement": "A"}, None),
        (Role.POWER, "12", {"device_class": "power"}, None),
        (Role.HEAT_OUTPUT, "3", {"unit_of_measurement": "MWh"}, EnergyTotal(3000.0)),
        (Role.HEAT_OUTPUT, "3", {"unit_of_measurement": "kW"}, 3000.0),
    ],
)
def test_numeric_values(
    role: Role, state: str, attributes: dict[str, Any], expected: object
) -> None:
    """Numbers are converted to canonical units; anything unusable is None."""
    assert _value(role, state, attributes) == expected


def test_binary_and_weather_values() -> None:
    """Binary sensors give bools; a weather entity gives its temperature attribute."""
    on = State("binary_sensor.compressor", "on")
    assert _read(Role.COMPRESSOR, on) is True
    weather = State("weather.home", "rainy", {"temperature": 41, "temperature_unit": "°F"})
    assert _read(Role.OUTDOOR_TEMPERATURE, weather) == pytest.approx(5.0)
    broken = State("weather.home", "rainy", {"temperature": True, "temperature_unit": "°C"})
    assert _read(Role.OUTDOOR_TEMPERATURE, broken) is None


def test_climate_reading_in_celsius() -> None:
    """Thermostat temperatures are converted from the system unit."""
    reader = SourceReader({"climate.hp": (Role.CLIMATE,)}, climate_unit="°F")
    state = State(
        "climate.hp",
        "heat_cool",
        {
            "hvac_action": "heating",
            "target_temp_low": 68,
            "target_temp_high": 77,
            "current_temperature": "bad",
            "defrost": True,
        },
    )
    [observation] = reader.observations(state)
    assert observation.role is Role.CLIMATE
    assert observation.value == ClimateReading(
        hvac_mode="heat_cool",
        hvac_action="heating",
        target_temperature_low=20.0,
        target_temperature_high=25.0,
        defrost=True,
    )


@pytest.mark.parametrize(
    ("entity_id", "state", "attributes", "defrost_state", "expected"),
    [
        ("binary_sensor.defrost", "on", {}, None, True),
        ("climate.hp", "heat", {"hvac_action": "defrosting"}, None, True),
        ("climate.hp", "heat", {"hvac_action": "heating", "defrost": True}, None, True),
        ("climate.hp", "heat", {"hvac_action": "heating"}, None, False),
        ("sensor.mode", "Defrost", {}, "defrost", True),
        ("sensor.mode", "heating", {}, "defrost", False),
        ("water_heater.tank", "heat_pump", {"status": "defrost"}, "defrost", True),
        ("sensor.mode", "defrost", {}, None, None),
    ],
)
def test_defrost_indicators(
    entity_id: str,
    state: str,
    attributes: dict[str, Any],
    defrost_state: str | None,
    expected: bool | None,
) -> None:
    """Every kind of defrost indicator Home Assistant integrations expose."""
    state_read = State(entity_id, state, attributes)
    assert _read(Role.DEFROST, state_read, defrost_state=defrost_state) is expected


@pytest.mark.parametrize(
    ("role", "state", "attributes", "expected"),
    [
        (
            Role.FLOW_RATE,
            "20",
            {"device_class": "volume_flow_rate", "unit_of_measurement": "L/min"},
            20.0,
        ),
        (Role.FLOW_RATE, "1200", {"unit_of_measurement": "L/h"}, 20.0),
        (Role.FLOW_RATE, "1.2", {"unit_of_measurement": "m³/h"}, 20.0),
        (Role.FLOW_RATE, "5", {"unit_of_measurement": "gal/min"}, 18.93),
        (
            Role.WATER_PRESSURE,
            "1.5",
            {"device_class": "pressure", "unit_of_measurement": "bar"},
            1.5,
        ),
        (Role.WATER_PRESSURE, "150", {"unit_of_measurement": "kPa"}, 1.5),
        (Role.WATER_PRESSURE, "21.76", {"unit_of_measurement": "psi"}, 1.5),
        (Role.WATER_PRESSURE, "150000", {"unit_of_measurement": "Pa"}, 1.5),
        # A unit the quantity does not have, or another quantity: no reading, never an error.
        (
            Role.WATER_PRESSURE,
            "1.5",
            {"device_class": "pressure", "unit_of_measurement": "L"},
            None,
        ),
        (Role.WATER_PRESSURE, "20", {"unit_of_measurement": "L/min"}, None),
        (Role.FLOW_RATE, "20", {"device_class": "temperature", "unit_of_measurement": "°C"}, None),
        (Role.FLOW_RATE, "unavailable", {"unit_of_measurement": "L/min"}, None),
        (Role.WATER_PRESSURE, "unknown", {"unit_of_measurement": "bar"}, None),
    ],
)
def test_flow_and_pressure_in_canonical_units(
    role: Role, state: str, attributes: dict[str, Any], expected: float | None
) -> None:
    """Water flow in L/min and pressure in bar, from any unit Home Assistant converts."""
    value = _value(role, state, attributes)
    if expected is None:
        assert value is None
    else:
        assert value == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize(
    ("state", "attributes", "expected"),
    [
        ("58", {"device_class": "frequency", "unit_of_measurement": "Hz"}, 58.0),
        ("0.058", {"unit_of_measurement": "kHz"}, 58.0),
        ("72", {"unit_of_measurement": "%"}, 72.0),
        ("0", {"unit_of_measurement": "%"}, 0.0),
        # Any other unit, or none, or no number: no reading, never an error.
        ("900", {"unit_of_measurement": "rpm"}, None),
        ("58", {}, None),
        ("fast", {"unit_of_measurement": "%"}, None),
        ("nan", {"unit_of_measurement": "Hz"}, None),
        ("unavailable", {"unit_of_measurement": "Hz"}, None),
    ],
)
def test_compressor_frequency_in_hz_or_percent(
    state: str, attributes: dict[str, Any], expected: float | None
) -> None:
    """Hz and kHz are converted to Hz; % is taken as it is; the engine only compares sizes."""
    value = _value(Role.COMPRESSOR_FREQUENCY, state, attributes)
    if expected is None:
        assert value is None
    else:
        assert value == pytest.approx(expected)


@pytest.mark.parametrize(
    ("entity_id", "state", "expected"),
    [
        ("sensor.error_code", " E7 ", "E7"),
        ("sensor.error_code", "No error", "No error"),
        ("sensor.error_code", "0", "0"),
        ("sensor.error_code", "", ""),
        ("sensor.error_code", "unavailable", None),
        ("sensor.error_code", "unknown", None),
        ("binary_sensor.unit_problem", "on", True),
        ("binary_sensor.unit_problem", "off", False),
        ("binary_sensor.unit_problem", "unavailable", None),
    ],
)
def test_unit_error_passes_its_text_or_flag(entity_id: str, state: str, expected: object) -> None:
    """An error sensor's state reaches the engine as text (it tells what means no fault)."""
    assert _read(Role.UNIT_ERROR, State(entity_id, state, {"device_class": "enum"})) == expected


@pytest.mark.parametrize(
    ("entity_id", "state", "attributes", "hot_water_state", "expected"),
    [
        ("binary_sensor.valve_dhw", "on", {}, None, True),
        ("binary_sensor.valve_dhw", "off", {}, "on", False),
        ("sensor.operation", "DHW", {}, "dhw", True),
        ("sensor.operation", "Heating", {}, "dhw", False),
        ("select.mode", "auto", {"status": "Hot water"}, "hot water", True),
        ("sensor.operation", "DHW", {}, None, None),
    ],
)
def test_hot_water_indicators(
    entity_id: str,
    state: str,
    attributes: dict[str, Any],
    hot_water_state: str | None,
    expected: bool | None,
) -> None:
    """A valve binary sensor, or a mode entity with the state that means hot water."""
    reader = SourceReader.for_sources(
        {Role.HOT_WATER: entity_id}, "°C", hot_water_state=hot_water_state
    )
    (observation,) = reader.observations(State(entity_id, state, attributes))
    assert observation.value is expected
