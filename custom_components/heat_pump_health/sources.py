"""Source entities: which entities fit a role, and how their states become observations."""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
import math
from typing import Any

from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    ATTR_UNIT_OF_MEASUREMENT,
    PERCENTAGE,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    UnitOfEnergy,
    UnitOfFrequency,
    UnitOfPower,
    UnitOfPressure,
    UnitOfTemperature,
    UnitOfVolumeFlowRate,
)
from homeassistant.core import HomeAssistant, State, split_entity_id
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util.unit_conversion import (
    BaseUnitConverter,
    EnergyConverter,
    FrequencyConverter,
    PowerConverter,
    PressureConverter,
    TemperatureConverter,
    VolumeFlowRateConverter,
)

from .engine import ClimateReading, EnergyTotal, Observation, Role
from .engine.observations import ACTIVITY_ROLES, ObservationValue


class Quantity(StrEnum):
    """What a numeric source measures, and so which unit it is converted to."""

    TEMPERATURE = "temperature"
    POWER = "power"
    ENERGY = "energy"
    VOLUME_FLOW_RATE = "volume_flow_rate"
    PRESSURE = "pressure"
    FREQUENCY = "frequency"


@dataclass(frozen=True, slots=True)
class Conversion:
    """The converter and canonical unit of a quantity."""

    converter: type[BaseUnitConverter]
    unit: str


CONVERSIONS: dict[Quantity, Conversion] = {
    Quantity.TEMPERATURE: Conversion(TemperatureConverter, UnitOfTemperature.CELSIUS),
    Quantity.POWER: Conversion(PowerConverter, UnitOfPower.WATT),
    Quantity.ENERGY: Conversion(EnergyConverter, UnitOfEnergy.KILO_WATT_HOUR),
    Quantity.VOLUME_FLOW_RATE: Conversion(
        VolumeFlowRateConverter, UnitOfVolumeFlowRate.LITERS_PER_MINUTE
    ),
    Quantity.PRESSURE: Conversion(PressureConverter, UnitOfPressure.BAR),
    Quantity.FREQUENCY: Conversion(FrequencyConverter, UnitOfFrequency.HERTZ),
}

BINARY_DOMAINS = frozenset({"binary_sensor", "input_boolean", "switch"})
# `SensorDeviceClass.ENUM`, named here so that the reader does not import the sensor platform
# (its websocket API and HTTP views), which the replay tool would pay for at every start.
SENSOR_ENUM = "enum"


@dataclass(frozen=True, slots=True)
class RoleSpec:
    """Which entities may play a role: domains, and for sensors the quantities they may measure.

    `device_classes` narrows binary sensors; None accepts any.
    """

    domains: frozenset[str]
    quantities: frozenset[Quantity] = frozenset()
    device_classes: frozenset[str] | None = None


_TEMPERATURE = frozenset({Quantity.TEMPERATURE})

ROLE_SPECS: dict[Role, RoleSpec] = {
    Role.CLIMATE: RoleSpec(frozenset({"climate"})),
    Role.POWER: RoleSpec(frozenset({"sensor"}), frozenset({Quantity.POWER})),
    Role.COMPRESSOR: RoleSpec(frozenset({"binary_sensor"})),
    Role.ENERGY: RoleSpec(frozenset({"sensor"}), frozenset({Quantity.ENERGY})),
    Role.OUTDOOR_TEMPERATURE: RoleSpec(frozenset({"sensor", "weather"}), _TEMPERATURE),
    Role.INDOOR_TEMPERATURE: RoleSpec(frozenset({"sensor"}), _TEMPERATURE),
    Role.SUPPLY_TEMPERATURE: RoleSpec(frozenset({"sensor"}), _TEMPERATURE),
    Role.RETURN_TEMPERATURE: RoleSpec(frozenset({"sensor"}), _TEMPERATURE),
    Role.DEFROST: RoleSpec(
        frozenset(
            {"binary_sensor", "sensor", "select", "water_heater", "climate", "input_boolean"}
            | {"switch", "input_select"}
        )
    ),
    Role.AUX_HEAT: RoleSpec(frozenset({"binary_sensor", "sensor"}), frozenset({Quantity.POWER})),
    Role.HEAT_OUTPUT: RoleSpec(frozenset({"sensor"}), frozenset({Quantity.POWER, Quantity.ENERGY})),
    Role.LEAK: RoleSpec(frozenset({"binary_sensor"}), device_classes=frozenset({"moisture"})),
    Role.FLOW_RATE: RoleSpec(frozenset({"sensor"}), frozenset({Quantity.VOLUME_FLOW_RATE})),
    Role.WATER_PRESSURE: RoleSpec(frozenset({"sensor"}), frozenset({Quantity.PRESSURE})),
    # A problem binary sensor, or a sensor of any kind whose state is the unit's error code.
    Role.UNIT_ERROR: RoleSpec(
        frozenset({"binary_sensor", "sensor"}), device_classes=frozenset({"problem"})
    ),
    # The three-way valve at the cylinder: a binary sensor, or a mode entity plus the state
    # that means hot water.
    Role.HOT_WATER: RoleSpec(
        frozenset({"binary_sensor", "sensor", "select", "input_boolean", "switch", "input_select"})
    ),
    # Hz (or kHz, converted), or % of the unit's own range: see `PERCENT_ROLES`.
    Role.COMPRESSOR_FREQUENCY: RoleSpec(frozenset({"sensor"}), frozenset({Quantity.FREQUENCY})),
}

# Roles whose sensor may also read in % (of the unit's own range), taken as it is.
PERCENT_ROLES = frozenset({Role.COMPRESSOR_FREQUENCY})

# Defrost sources whose state alone says whether the unit is defrosting.
SELF_DESCRIBING_DEFROST_DOMAINS = BINARY_DOMAINS | {"climate"}
# Hot-water sources whose state alone says whether the unit heats the cylinder.
SELF_DESCRIBING_HOT_WATER_DOMAINS = BINARY_DOMAINS


def primary_source(data: Mapping[str, Any]) -> str:
    """The activity source that identifies the heat pump: climate, else power, else compressor."""
    return next(str(data[role.value]) for role in ACTIVITY_ROLES if data.get(role.value))


def activity_sources(data: Mapping[str, Any]) -> set[str]:
    """Every activity source entity of a configuration."""
    return {str(data[role.value]) for role in ACTIVITY_ROLES if data.get(role.value)}


class SourceError(HomeAssistantError):
    """A source entity cannot play its role; `reason` is a translation key."""

    def __init__(self, reason: str) -> None:
        """Keep the reason for the form."""
        super().__init__(reason)
        self.reason = reason


# Device classes that name a quantity, looked up once per state.
_QUANTITY_BY_DEVICE_CLASS: dict[str, Quantity] = {quantity.value: quantity for quantity in Quantity}


def sensor_quantity(state: State) -> Quantity | None:
    """The quantity a sensor measures: its device class, else what its unit converts as."""
    return _quantity(state.attributes)


def _quantity(attributes: Mapping[str, Any]) -> Quantity | None:
    """The quantity a sensor's attributes say it measures (see `sensor_quantity`)."""
    device_class = attributes.get(ATTR_DEVICE_CLASS)
    if isinstance(device_class, str) and (quantity := _QUANTITY_BY_DEVICE_CLASS.get(device_class)):
        return quantity
    unit = attributes.get(ATTR_UNIT_OF_MEASUREMENT)
    for quantity, conversion in CONVERSIONS.items():
        if unit in conversion.converter.VALID_UNITS:
            return quantity
    return None


def validate_source(hass: HomeAssistant, role: Role, entity_id: str) -> None:
    """Raise SourceError when an entity cannot play a role."""
    spec = ROLE_SPECS[role]
    if (state := hass.states.get(entity_id)) is None:
        raise SourceError("entity_not_found")
    domain = split_entity_id(entity_id)[0]
    if domain not in spec.domains:
        raise SourceError("wrong_domain")
    if (
        domain == "binary_sensor"
        and spec.device_classes is not None
        and state.attributes.get(ATTR_DEVICE_CLASS) not in spec.device_classes
    ):
        raise SourceError("wrong_device_class")
    if domain == "weather":
        unit = state.attributes.get("temperature_unit")
        if unit not in TemperatureConverter.VALID_UNITS:
            raise SourceError("wrong_unit")
        return
    if domain != "sensor" or not spec.quantities:
        return
    if role in PERCENT_ROLES and state.attributes.get(ATTR_UNIT_OF_MEASUREMENT) == PERCENTAGE:
        return
    device_class = state.attributes.get(ATTR_DEVICE_CLASS)
    quantity = sensor_quantity(state)
    if quantity not in spec.quantities:
        known = device_class is not None and device_class != SENSOR_ENUM
        raise SourceError("wrong_device_class" if known else "wrong_unit")
    unit = state.attributes.get(ATTR_UNIT_OF_MEASUREMENT)
    if unit not in CONVERSIONS[quantity].converter.VALID_UNITS:
        raise SourceError("wrong_unit")


@dataclass(frozen=True, slots=True)
class SourceReader:
    """Turns the states of one heat pump's source entities into engine observations."""

    roles_by_entity: Mapping[str, tuple[Role, ...]]
    climate_unit: str
    defrost_state: str | None = None
    hot_water_state: str | None = None

    @classmethod
    def for_sources(
        cls,
        sources: Mapping[Role, str],
        climate_unit: str,
        defrost_state: str | None = None,
        hot_water_state: str | None = None,
    ) -> SourceReader:
        """A reader for one heat pump's sources; one entity may play several roles."""
        roles_by_entity: dict[str, tuple[Role, ...]] = {}
        for role, entity_id in sources.items():
            roles_by_entity[entity_id] = (*roles_by_entity.get(entity_id, ()), role)
        return cls(roles_by_entity, climate_unit, defrost_state, hot_water_state)

    def observations(self, state: State) -> list[Observation]:
        """Observations for every role the entity plays; values are None when unusable."""
        return self.read(
            state.entity_id, state.state, state.attributes, state.last_updated_timestamp
        )

    def read(
        self, entity_id: str, state: str, attributes: Mapping[str, Any], time: float
    ) -> list[Observation]:
        """`observations` from a state's parts, as the recorder's compressed rows hold them."""
        return [
            Observation(time, role, self._value(role, entity_id, state, attributes))
            for role in self.roles_by_entity.get(entity_id, ())
        ]

    def _value(  # noqa: PLR0911
        self, role: Role, entity_id: str, state: str, attributes: Mapping[str, Any]
    ) -> ObservationValue:
        """The canonical value of one state, from its parts, for one role."""
        if state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
            return None
        domain = entity_id.partition(".")[0]
        if role is Role.CLIMATE:
            return self._climate(state, attributes)
        if role is Role.DEFROST:
            return self._defrost(domain, state, attributes)
        if role is Role.HOT_WATER and domain not in BINARY_DOMAINS:
            return _shows(state, attributes, self.hot_water_state)
        if domain in BINARY_DOMAINS:
            return state == STATE_ON
        if role is Role.UNIT_ERROR:
            return state.strip()  # the unit's code or text; the engine tells what means no fault
        if domain == "weather":
            return _converted(
                attributes.get("temperature"),
                attributes.get("temperature_unit"),
                Quantity.TEMPERATURE,
            )
        if role in PERCENT_ROLES and attributes.get(ATTR_UNIT_OF_MEASUREMENT) == PERCENTAGE:
            return _number(state)
        quantity = _quantity(attributes)
        if quantity is None or quantity not in ROLE_SPECS[role].quantities:
            return None
        number = _converted(state, attributes.get(ATTR_UNIT_OF_MEASUREMENT), quantity)
        if quantity is Quantity.ENERGY and role is Role.HEAT_OUTPUT and number is not None:
            return EnergyTotal(number)
        return number

    def _climate(self, state: str, attributes: Mapping[str, Any]) -> ClimateReading:
        """A thermostat reading with its temperatures in °C."""

        def temperature(key: str) -> float | None:
            return _converted(attributes.get(key), self.climate_unit, Quantity.TEMPERATURE)

        defrost = attributes.get("defrost")
        return ClimateReading(
            hvac_mode=state,
            hvac_action=_text(attributes.get("hvac_action")),
            target_temperature=temperature("temperature"),
            target_temperature_low=temperature("target_temp_low"),
            target_temperature_high=temperature("target_temp_high"),
            current_temperature=temperature("current_temperature"),
            defrost=defrost if isinstance(defrost, bool) else None,
        )

    def _defrost(self, domain: str, state: str, attributes: Mapping[str, Any]) -> bool | None:
        """Whether a defrost source says the unit is defrosting."""
        if domain in BINARY_DOMAINS:
            return state == STATE_ON
        if domain == "climate":
            return (
                attributes.get("hvac_action") == "defrosting" or attributes.get("defrost") is True
            )
        return _shows(state, attributes, self.defrost_state)


def _shows(state: str, attributes: Mapping[str, Any], wanted: str | None) -> bool | None:
    """Whether a mode entity's state (or status attribute) is the configured one, any case.

    None when no state was configured: the entity's state then says nothing.
    """
    if not wanted:
        return None
    wanted = wanted.casefold()
    status = _text(attributes.get("status"))
    return state.casefold() == wanted or (status or "").casefold() == wanted


def _text(value: object) -> str | None:
    """A string attribute, or None."""
    return value if isinstance(value, str) else None


def _number(raw: object) -> float | None:
    """A finite number, or None."""
    if raw is None or isinstance(raw, bool):
        return None
    try:
        number = float(raw)  # type: ignore[arg-type]
    except TypeError, ValueError:
        return None
    return number if math.isfinite(number) else None


def _converted(raw: object, unit: object, quantity: Quantity) -> float | None:
    """A finite number converted to the quantity's canonical unit, or None."""
    conversion = CONVERSIONS[quantity]
    if not isinstance(unit, str) or unit not in conversion.converter.VALID_UNITS:
        return None
    if (number := _number(raw)) is None:
        return None
    return conversion.converter.convert(number, unit, conversion.unit)
