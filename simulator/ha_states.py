"""A simulated run as Home Assistant state dicts, for the replay tool and the demo.

Each observation becomes the state its entity would have after it, shaped like
`State.as_dict()`: `entity_id`, `state` (a string), `attributes`, and ISO 8601 `last_changed`
(the state string changed), `last_updated` (state or attributes changed) and `last_reported`.
Temperatures can be given in °F and power in kW, so that unit conversion gets exercised.
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from custom_components.heat_pump_health.engine.observations import (
    ClimateReading,
    EnergyTotal,
    Observation,
    ObservationValue,
    Role,
)

from .scenario import Scenario
from .streams import HOT_WATER_ROLE, simulate

type TemperatureUnit = Literal["°C", "°F"]
type PowerUnit = Literal["W", "kW"]

DEFAULT_ENTITY_IDS: dict[Role, str] = {
    Role.CLIMATE: "climate.heat_pump",
    Role.POWER: "sensor.heat_pump_power",
    Role.ENERGY: "sensor.heat_pump_energy",
    Role.COMPRESSOR: "binary_sensor.heat_pump_compressor",
    Role.OUTDOOR_TEMPERATURE: "sensor.outdoor_temperature",
    Role.INDOOR_TEMPERATURE: "sensor.living_room_temperature",
    Role.SUPPLY_TEMPERATURE: "sensor.heat_pump_supply_temperature",
    Role.RETURN_TEMPERATURE: "sensor.heat_pump_return_temperature",
    Role.DEFROST: "binary_sensor.heat_pump_defrost",
    Role.AUX_HEAT: "binary_sensor.heat_pump_aux_heat",
    Role.HEAT_OUTPUT: "sensor.heat_pump_heat_output",
    Role.LEAK: "binary_sensor.heat_pump_leak",
}
# The unit's own signals (`UnitSpec.signals`), kept apart so that a setup built from the
# defaults above does not name entities a unit without them never reports.
SIGNAL_ENTITY_IDS: dict[Role, str] = {
    Role.COMPRESSOR_FREQUENCY: "sensor.heat_pump_compressor_frequency",
    Role.UNIT_ERROR: "sensor.heat_pump_error_code",
    Role.FLOW_RATE: "sensor.heat_pump_flow_rate",
    Role.WATER_PRESSURE: "sensor.heat_pump_water_pressure",
}


@dataclass(frozen=True, slots=True)
class _Kind:
    """How one role looks as an entity; `unit` is "temperature", "power", a unit, or None."""

    name: str
    device_class: str | None
    state_class: str | None = None
    unit: str | None = None


_KINDS: dict[Role, _Kind] = {
    Role.CLIMATE: _Kind("Heat pump", None),
    Role.POWER: _Kind("Heat pump power", "power", "measurement", "power"),
    Role.ENERGY: _Kind("Heat pump energy", "energy", "total_increasing", "kWh"),
    Role.COMPRESSOR: _Kind("Heat pump compressor", "running"),
    Role.OUTDOOR_TEMPERATURE: _Kind(
        "Outdoor temperature", "temperature", "measurement", "temperature"
    ),
    Role.INDOOR_TEMPERATURE: _Kind(
        "Living room temperature", "temperature", "measurement", "temperature"
    ),
    Role.SUPPLY_TEMPERATURE: _Kind(
        "Heat pump supply temperature", "temperature", "measurement", "temperature"
    ),
    Role.RETURN_TEMPERATURE: _Kind(
        "Heat pump return temperature", "temperature", "measurement", "temperature"
    ),
    Role.DEFROST: _Kind("Heat pump defrost", None),
    Role.AUX_HEAT: _Kind("Heat pump aux heat", "heat"),
    Role.HEAT_OUTPUT: _Kind("Heat pump heat output", "power", "measurement", "power"),
    Role.LEAK: _Kind("Heat pump leak", "moisture"),
    Role.COMPRESSOR_FREQUENCY: _Kind(
        "Heat pump compressor frequency", "frequency", "measurement", "Hz"
    ),
    Role.UNIT_ERROR: _Kind("Heat pump error code", None),
    Role.FLOW_RATE: _Kind("Heat pump flow rate", "volume_flow_rate", "measurement", "L/min"),
    Role.WATER_PRESSURE: _Kind("Heat pump water pressure", "pressure", "measurement", "bar"),
}
if HOT_WATER_ROLE is not None:
    SIGNAL_ENTITY_IDS[HOT_WATER_ROLE] = "binary_sensor.heat_pump_hot_water"
    _KINDS[HOT_WATER_ROLE] = _Kind("Heat pump hot water", None)
# TARGET_TEMPERATURE | TURN_OFF | TURN_ON
_CLIMATE_FEATURES = 1 | 128 | 256


def ha_states(
    source: Scenario | Iterable[Observation],
    *,
    temperature_unit: TemperatureUnit = "°C",
    power_unit: PowerUnit = "W",
    entity_ids: Mapping[Role, str] | None = None,
    include_reported: bool = False,
) -> Iterator[dict[str, Any]]:
    """Home Assistant states of a scenario's run (or of observations), in time order.

    An unchanged re-report only yields a state (with a new `last_reported`) when
    `include_reported` is set, as only then would Home Assistant's history show it.
    """
    observations = simulate(source).observations() if isinstance(source, Scenario) else source
    ids = {**DEFAULT_ENTITY_IDS, **SIGNAL_ENTITY_IDS, **(entity_ids or {})}
    last: dict[Role, tuple[str, dict[str, Any], str, str]] = {}
    for observation in observations:
        role = observation.role
        when = datetime.fromtimestamp(observation.time, UTC).isoformat()
        state, attributes = _render(role, observation.value, temperature_unit, power_unit)
        previous = last.get(role)
        if previous is None:
            changed = updated = when
        else:
            old_state, old_attributes, changed, updated = previous
            if old_state != state:
                changed = updated = when
            elif old_attributes != attributes:
                updated = when
            elif not include_reported:
                continue
        last[role] = (state, attributes, changed, updated)
        yield {
            "entity_id": ids[role],
            "state": state,
            "attributes": attributes,
            "last_changed": changed,
            "last_updated": updated,
            "last_reported": when,
        }


def _render(
    role: Role, value: ObservationValue, temperature_unit: TemperatureUnit, power_unit: PowerUnit
) -> tuple[str, dict[str, Any]]:
    """The state string and attributes of `role`'s entity for one value."""
    kind = _KINDS[role]
    attributes: dict[str, Any] = {}
    if kind.state_class:
        attributes["state_class"] = kind.state_class
    if kind.unit:
        unit = {"temperature": temperature_unit, "power": power_unit}.get(kind.unit, kind.unit)
        attributes["unit_of_measurement"] = unit
    if kind.device_class:
        attributes["device_class"] = kind.device_class
    attributes["friendly_name"] = kind.name
    if isinstance(value, ClimateReading):
        return value.hvac_mode or "unknown", _climate_attributes(value, temperature_unit)
    return _state(kind, value, temperature_unit, power_unit), attributes


def _state(
    kind: _Kind, value: ObservationValue, temperature_unit: TemperatureUnit, power_unit: PowerUnit
) -> str:
    """A sensor's or binary sensor's state string."""
    if value is None or isinstance(value, ClimateReading):
        return "unavailable"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, str):
        return value  # an error sensor's text
    number = value.kwh if isinstance(value, EnergyTotal) else value
    if kind.unit == "temperature":
        return _number(_temperature(number, temperature_unit), 1)
    if kind.unit == "power":
        return _number(number / 1000.0, 3) if power_unit == "kW" else _number(number, 0)
    return _number(number, 3)


def _climate_attributes(reading: ClimateReading, unit: TemperatureUnit) -> dict[str, Any]:
    """A climate entity's attributes, temperatures in `unit`."""

    def temperature(value: float | None) -> float | None:
        return None if value is None else round(_temperature(value, unit), 1)

    return {
        "hvac_modes": ["off", "heat", "cool"],
        "min_temp": temperature(7.0),
        "max_temp": temperature(35.0),
        "target_temp_step": 0.5 if unit == "°C" else 1.0,
        "current_temperature": temperature(reading.current_temperature),
        "temperature": temperature(reading.target_temperature),
        "hvac_action": reading.hvac_action,
        "friendly_name": _KINDS[Role.CLIMATE].name,
        "supported_features": _CLIMATE_FEATURES,
    }


def _temperature(celsius: float, unit: TemperatureUnit) -> float:
    return celsius * 1.8 + 32.0 if unit == "°F" else celsius


def _number(value: float, decimals: int) -> str:
    """Format like a sensor's state: whole numbers without a decimal point."""
    if decimals == 0:
        return str(round(value))
    return str(round(value, decimals))
