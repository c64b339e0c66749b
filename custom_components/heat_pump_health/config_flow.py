"""Config, options and reconfigure flows: the only way to set Heat Pump Health up."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, override

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult, OptionsFlowWithReload
from homeassistant.const import UnitOfTemperature
from homeassistant.core import HomeAssistant, callback, split_entity_id
from homeassistant.data_entry_flow import section
from homeassistant.helpers import selector
from homeassistant.util.unit_conversion import TemperatureConverter

from .const import (
    CONF_DEFROST_STATE,
    CONF_HISTORY_DAYS,
    CONF_HOT_WATER_STATE,
    CONF_NAME,
    CONF_UNIT_ERROR_OK_STATES,
    DEFAULT_HISTORY_DAYS,
    DEFAULTS,
    DETECTION_OPTIONS,
    DOMAIN,
    MAINTENANCE_OPTIONS,
    SECTION_DETECTION,
    SECTION_MAINTENANCE,
    SECTION_NOTIFICATIONS,
    SOURCE_ROLES,
)
from .engine import Role
from .notification_options import NotificationSection
from .sources import (
    PERCENT_ROLES,
    ROLE_SPECS,
    SELF_DESCRIBING_DEFROST_DOMAINS,
    SELF_DESCRIBING_HOT_WATER_DOMAINS,
    SourceError,
    activity_sources,
    primary_source,
    validate_source,
)
from .validation import vol

if TYPE_CHECKING:
    from .coordinator import HeatPumpHealthConfigEntry

# Options shown in the user's temperature unit but stored in °C.
TEMPERATURE_OPTIONS = frozenset({"aux_heat_max_outdoor_temperature"})


def _entity_selector(role: Role) -> selector.EntitySelector:
    """An entity picker narrowed to the domains and device classes that fit the role."""
    spec = ROLE_SPECS[role]
    filters: list[selector.EntityWithDeviceFilterSelectorConfig] = []
    for domain in sorted(spec.domains):
        entity_filter = selector.EntityWithDeviceFilterSelectorConfig(domain=domain)
        if domain == "sensor" and spec.quantities and role not in PERCENT_ROLES:
            entity_filter["device_class"] = sorted(spec.quantities)
        elif domain == "binary_sensor" and spec.device_classes is not None:
            entity_filter["device_class"] = sorted(spec.device_classes)
        filters.append(entity_filter)
    return selector.EntitySelector(selector.EntitySelectorConfig(filter=filters))


@dataclass(frozen=True, slots=True)
class StateField:
    """The state value a mode entity shows for a role, asked next to the role's entity."""

    key: str
    # Domains whose state alone tells the role, with no state value to configure.
    self_describing: frozenset[str]


STATE_FIELDS: dict[Role, StateField] = {
    Role.DEFROST: StateField(CONF_DEFROST_STATE, SELF_DESCRIBING_DEFROST_DOMAINS),
    Role.HOT_WATER: StateField(CONF_HOT_WATER_STATE, SELF_DESCRIBING_HOT_WATER_DOMAINS),
}


def sources_schema() -> vol.Schema:
    """The form that names the heat pump and picks its source entities."""
    fields: dict[Any, Any] = {vol.Required(CONF_NAME): selector.TextSelector()}
    for role in SOURCE_ROLES:
        fields[vol.Optional(role.value)] = _entity_selector(role)
        if state_field := STATE_FIELDS.get(role):
            fields[vol.Optional(state_field.key)] = selector.TextSelector()
    return vol.Schema(fields)


def _needs_state(role: Role, entity_id: str) -> bool:
    """Whether a mode role's source needs a configured state value to tell the role."""
    return split_entity_id(entity_id)[0] not in STATE_FIELDS[role].self_describing


def validate_sources(hass: HomeAssistant, user_input: dict[str, Any]) -> dict[str, str]:
    """Form errors, keyed by field, for a set of source entities."""
    errors: dict[str, str] = {}
    if not activity_sources(user_input):
        errors["base"] = "no_activity_source"
    for role in SOURCE_ROLES:
        if not (entity_id := user_input.get(role.value)):
            continue
        try:
            validate_source(hass, role, entity_id)
        except SourceError as err:
            errors[role.value] = err.reason
    for role, state_field in STATE_FIELDS.items():
        entity_id = user_input.get(role.value)
        if (
            entity_id
            and role.value not in errors
            and _needs_state(role, entity_id)
            and not (user_input.get(state_field.key) or "").strip()
        ):
            errors[state_field.key] = f"{state_field.key}_required"
    return errors


def clean_sources(user_input: dict[str, Any]) -> dict[str, Any]:
    """Entry data from the form: the name, configured roles, and the state values that apply."""
    data: dict[str, Any] = {CONF_NAME: user_input[CONF_NAME].strip()}
    for role in SOURCE_ROLES:
        if entity_id := user_input.get(role.value):
            data[role.value] = entity_id
    for role, state_field in STATE_FIELDS.items():
        entity_id = data.get(role.value)
        value = (user_input.get(state_field.key) or "").strip()
        if entity_id and value and _needs_state(role, entity_id):
            data[state_field.key] = value
    return data


class HeatPumpHealthConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up one heat pump from the entities that already describe it."""

    VERSION = 1
    MINOR_VERSION = 1

    @staticmethod
    @callback
    @override
    def async_get_options_flow(
        config_entry: HeatPumpHealthConfigEntry,
    ) -> HeatPumpHealthOptionsFlow:
        """Thresholds, maintenance intervals and notification targets."""
        return HeatPumpHealthOptionsFlow()

    def _used_elsewhere(self, data: Mapping[str, Any], own_entry_id: str | None) -> bool:
        """Whether another entry already watches one of these activity sources."""
        wanted = activity_sources(data)
        return any(
            wanted & activity_sources(entry.data)
            for entry in self._async_current_entries(include_ignore=False)
            if entry.entry_id != own_entry_id
        )

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Name the heat pump and pick its sources."""
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = validate_sources(self.hass, user_input)
            if not errors:
                data = clean_sources(user_input)
                await self.async_set_unique_id(primary_source(data))
                self._abort_if_unique_id_configured()
                if self._used_elsewhere(data, None):
                    return self.async_abort(reason="already_configured")
                return self.async_create_entry(title=data[CONF_NAME], data=data)
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(sources_schema(), user_input or {}),
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the sources of a heat pump, keeping what was learned."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = validate_sources(self.hass, user_input)
            if not errors:
                data = clean_sources(user_input)
                if self._used_elsewhere(data, entry.entry_id):
                    return self.async_abort(reason="already_configured")
                return self.async_update_reload_and_abort(
                    entry, unique_id=primary_source(data), title=data[CONF_NAME], data=data
                )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                sources_schema(), user_input or dict(entry.data)
            ),
            errors=errors,
        )


@dataclass(frozen=True, slots=True)
class NumberOption:
    """How the options form shows one numeric threshold."""

    minimum: float
    maximum: float
    step: float
    unit: str | None = None


NUMBER_OPTIONS: dict[str, NumberOption] = {
    "power_running_threshold": NumberOption(1, 20000, 1, "W"),
    "short_cycling_starts_per_hour": NumberOption(1, 30, 0.5),
    "short_cycling_max_median_run_minutes": NumberOption(1, 60, 1, "min"),
    "short_cycling_window_hours": NumberOption(1, 72, 1, "h"),
    "nonstop_running_hours": NumberOption(1, 48, 1, "h"),
    "runaway_energy_percent": NumberOption(5, 300, 5, "%"),
    "defrost_min_interval_minutes": NumberOption(5, 240, 5, "min"),
    "defrost_max_minutes": NumberOption(2, 60, 1, "min"),
    "aux_heat_max_outdoor_temperature": NumberOption(-30, 20, 0.5),
    "sensor_stale_hours": NumberOption(1, 72, 1, "h"),
    "filter_days": NumberOption(14, 365, 1, "d"),
    "service_months": NumberOption(1, 36, 1),
    CONF_HISTORY_DAYS: NumberOption(0, 90, 1, "d"),
}


def ok_states_option(value: object) -> list[str]:
    """The owner's extra "no fault" states as stored: trimmed, without blanks or repeats."""
    states = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    cleaned: list[str] = []
    for state in states:
        text = str(state).strip()
        if text and text.casefold() not in {seen.casefold() for seen in cleaned}:
            cleaned.append(text)
    return cleaned


class HeatPumpHealthOptionsFlow(OptionsFlowWithReload):
    """Tune detection, maintenance intervals and where notifications go."""

    @property
    def _temperature_unit(self) -> str:
        """The unit the user reads temperatures in."""
        return self.hass.config.units.temperature_unit

    def _to_display(self, key: str, value: float) -> float:
        """A stored option as the form shows it."""
        if key in TEMPERATURE_OPTIONS:
            return round(
                TemperatureConverter.convert(
                    value, UnitOfTemperature.CELSIUS, self._temperature_unit
                ),
                1,
            )
        return value

    def _from_display(self, key: str, value: float | None) -> float | None:
        """A form value as the option is stored."""
        if key in TEMPERATURE_OPTIONS and value is not None:
            return round(
                TemperatureConverter.convert(
                    value, self._temperature_unit, UnitOfTemperature.CELSIUS
                ),
                2,
            )
        if (key in MAINTENANCE_OPTIONS or key == CONF_HISTORY_DAYS) and value is not None:
            return int(value)
        return value

    def _number(self, key: str) -> selector.NumberSelector:
        """A box for one numeric option, in the unit the user reads."""
        spec = NUMBER_OPTIONS[key]
        config = selector.NumberSelectorConfig(
            min=self._to_display(key, spec.minimum),
            max=self._to_display(key, spec.maximum),
            step=spec.step,
            mode=selector.NumberSelectorMode.BOX,
        )
        unit = self._temperature_unit if key in TEMPERATURE_OPTIONS else spec.unit
        if unit:
            config["unit_of_measurement"] = unit
        return selector.NumberSelector(config)

    def _schema(self) -> vol.Schema:
        """The options form, in three sections."""
        defaults = {**DEFAULTS.as_dict(), CONF_HISTORY_DAYS: DEFAULT_HISTORY_DAYS}

        def fields(keys: tuple[str, ...]) -> dict[Any, Any]:
            result: dict[Any, Any] = {}
            for key in keys:
                if defaults[key] is None:
                    result[vol.Optional(key)] = self._number(key)
                else:
                    default = self._to_display(key, defaults[key])
                    result[vol.Required(key, default=default)] = self._number(key)
            return result

        detection = fields(DETECTION_OPTIONS)
        if self._has_error_sensor:
            detection[vol.Optional(CONF_UNIT_ERROR_OK_STATES)] = selector.TextSelector(
                selector.TextSelectorConfig(multiple=True)
            )
        return vol.Schema(
            {
                vol.Required(SECTION_DETECTION): section(
                    vol.Schema(detection), {"collapsed": False}
                ),
                vol.Required(SECTION_MAINTENANCE): section(
                    vol.Schema(fields(MAINTENANCE_OPTIONS)), {"collapsed": False}
                ),
                vol.Required(SECTION_NOTIFICATIONS): section(
                    self._notifications.schema(), {"collapsed": True}
                ),
            }
        )

    @property
    def _has_error_sensor(self) -> bool:
        """Whether the heat pump reads the unit's own error sensor (its ok states apply)."""
        return bool(self.config_entry.data.get(Role.UNIT_ERROR.value))

    def _suggested(self) -> dict[str, Any]:
        """The stored options, grouped as the form's sections."""
        options = self.config_entry.options
        detection: dict[str, Any] = {
            key: self._to_display(key, options[key])
            for key in DETECTION_OPTIONS
            if options.get(key) is not None
        }
        if self._has_error_sensor and options.get(CONF_UNIT_ERROR_OK_STATES):
            detection[CONF_UNIT_ERROR_OK_STATES] = list(options[CONF_UNIT_ERROR_OK_STATES])
        return {
            SECTION_DETECTION: detection,
            SECTION_MAINTENANCE: {
                key: options[key] for key in MAINTENANCE_OPTIONS if key in options
            },
            SECTION_NOTIFICATIONS: self._notifications.suggested(),
        }

    @property
    def _notifications(self) -> NotificationSection:
        """The notifications section, for this heat pump's sources and stored options."""
        entry = self.config_entry
        return NotificationSection(self.hass, entry.data, entry.options)

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show and save the options."""
        errors: dict[str, str] = {}
        if user_input is not None:
            options: dict[str, Any] = {}
            for group in (SECTION_DETECTION, SECTION_MAINTENANCE):
                for key, value in user_input.get(group, {}).items():
                    options[key] = self._from_display(key, value)
            if ok_states := ok_states_option(options.pop(CONF_UNIT_ERROR_OK_STATES, None)):
                options[CONF_UNIT_ERROR_OK_STATES] = ok_states
            notifications, error = self._notifications.clean(
                user_input.get(SECTION_NOTIFICATIONS, {})
            )
            if error:
                errors[SECTION_NOTIFICATIONS] = error
            else:
                return self.async_create_entry(data={**options, **notifications})
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(self._schema(), self._suggested()),
            errors=errors,
            description_placeholders={"unit": self._temperature_unit},
        )
