"""The roles file: which entity plays which role, and how the engine is tuned for the replay.

It uses the config flow's keys, so a configured heat pump's entry data and options can be copied
into it unchanged.
"""

from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, tzinfo
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from homeassistant.const import UnitOfTemperature
from homeassistant.core import valid_entity_id
from homeassistant.util.unit_conversion import TemperatureConverter

from custom_components.heat_pump_health.const import (
    CONF_DEFROST_STATE,
    CONF_HOT_WATER_STATE,
    CONF_NAME,
    CONF_NOTIFY_ENTITIES,
    CONF_NOTIFY_SERVICES,
    CONF_UNIT_ERROR_OK_STATES,
)
from custom_components.heat_pump_health.engine import EngineConfig, Role
from custom_components.heat_pump_health.engine.findings import Maintenance
from custom_components.heat_pump_health.engine.observations import ACTIVITY_ROLES

CONF_OPTIONS = "options"
CONF_TIME_ZONE = "time_zone"
CONF_MAINTENANCE = "maintenance"
CONF_UNITS = "units"
CONF_CLIMATE_UNIT = "climate_unit"

_SETTINGS = frozenset(
    {CONF_NAME, CONF_DEFROST_STATE, CONF_HOT_WATER_STATE, CONF_OPTIONS, CONF_TIME_ZONE}
)
_KNOWN_KEYS = _SETTINGS | {CONF_MAINTENANCE, CONF_UNITS} | {role.value for role in Role}
# Options a copied entry may hold that do not affect the replay.
_IGNORED_OPTIONS = frozenset({CONF_NOTIFY_ENTITIES, CONF_NOTIFY_SERVICES})
_ENGINE_OPTIONS = {item.name: item.default for item in fields(EngineConfig)}


class RolesError(ValueError):
    """The roles file cannot be used; the message says why in one line."""


@dataclass(frozen=True, slots=True)
class ReplaySetup:
    """Everything the roles file says about one replay."""

    sources: dict[Role, str]
    engine_config: EngineConfig = field(default_factory=EngineConfig)
    climate_unit: str = UnitOfTemperature.CELSIUS
    defrost_state: str | None = None
    hot_water_state: str | None = None
    zone: tzinfo = field(default_factory=lambda: ZoneInfo("UTC"))
    maintenance: dict[Maintenance, float] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    name: str | None = None


def load_setup(path: Path) -> ReplaySetup:
    """Read and check a roles file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RolesError(f"roles file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise RolesError(f"cannot read roles file {path}: {err}") from None
    except json.JSONDecodeError as err:
        raise RolesError(f"roles file {path} is not valid JSON: {err}") from None
    return parse_setup(data)


def parse_setup(data: object) -> ReplaySetup:
    """Check the roles file's content and build the replay setup from it."""
    if not isinstance(data, dict):
        raise RolesError("roles file must hold a JSON object")
    if unknown := sorted(set(data) - _KNOWN_KEYS):
        raise RolesError(f"unknown keys in roles file: {', '.join(map(str, unknown))}")
    options = _mapping(data, CONF_OPTIONS)
    zone = _zone(data.get(CONF_TIME_ZONE, "UTC"))
    return ReplaySetup(
        sources=_sources(data),
        engine_config=_engine_config(options),
        climate_unit=_climate_unit(options.get(CONF_CLIMATE_UNIT, UnitOfTemperature.CELSIUS)),
        defrost_state=_optional_text(data, CONF_DEFROST_STATE),
        hot_water_state=_optional_text(data, CONF_HOT_WATER_STATE),
        zone=zone,
        maintenance=_maintenance(_mapping(data, CONF_MAINTENANCE), zone),
        units=_units(_mapping(data, CONF_UNITS)),
        name=_optional_text(data, CONF_NAME),
    )


def _sources(data: dict[str, Any]) -> dict[Role, str]:
    """The entity of each role; an activity source is required, as in the config flow."""
    sources: dict[Role, str] = {}
    for role in Role:
        entity_id = data.get(role.value)
        if entity_id is None:
            continue
        if not isinstance(entity_id, str) or not valid_entity_id(entity_id):
            raise RolesError(f"role {role.value!r} needs an entity id, got {entity_id!r}")
        sources[role] = entity_id
    if not any(role in sources for role in ACTIVITY_ROLES):
        needed = ", ".join(role.value for role in ACTIVITY_ROLES)
        raise RolesError(f"roles file needs at least one of: {needed}")
    return sources


def _mapping(data: dict[str, Any], key: str) -> dict[str, Any]:
    """An optional object-valued key."""
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise RolesError(f"{key!r} must be a JSON object")
    return value


def _optional_text(data: dict[str, Any], key: str) -> str | None:
    """An optional string-valued key."""
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise RolesError(f"{key!r} must be a string")
    return value


def _engine_config(options: dict[str, Any]) -> EngineConfig:
    """Engine thresholds; a wrong type or an unknown key is an error, not a silent default."""
    known = _ENGINE_OPTIONS.keys() | _IGNORED_OPTIONS | {CONF_CLIMATE_UNIT}
    if unknown := sorted(set(options) - known):
        raise RolesError(f"unknown options: {', '.join(unknown)}")
    states = options.get(CONF_UNIT_ERROR_OK_STATES, [])
    if not isinstance(states, list) or not all(isinstance(state, str) for state in states):
        raise RolesError(
            f"option {CONF_UNIT_ERROR_OK_STATES!r} must be a list of strings, got {states!r}"
        )
    for key, default in _ENGINE_OPTIONS.items():
        if key not in options or key == CONF_UNIT_ERROR_OK_STATES:
            continue
        value = options[key]
        nullable = default is None and value is None
        if not nullable and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise RolesError(f"option {key!r} must be a number, got {value!r}")
    return EngineConfig.from_mapping(options)


def _climate_unit(value: object) -> str:
    """The unit the thermostat reports temperatures in."""
    if not isinstance(value, str) or value not in TemperatureConverter.VALID_UNITS:
        valid = ", ".join(sorted(str(unit) for unit in TemperatureConverter.VALID_UNITS))
        raise RolesError(f"option {CONF_CLIMATE_UNIT!r} must be one of {valid}, got {value!r}")
    return value


def _zone(value: object) -> tzinfo:
    """The IANA time zone days and reports are in."""
    if not isinstance(value, str):
        raise RolesError(f"{CONF_TIME_ZONE!r} must be an IANA time zone name")
    try:
        return ZoneInfo(value)
    except ZoneInfoNotFoundError, ValueError:
        raise RolesError(f"unknown time zone {value!r}") from None


def _maintenance(data: dict[str, Any], zone: tzinfo) -> dict[Maintenance, float]:
    """When the filter was last replaced and the unit last serviced (epoch seconds)."""
    done: dict[Maintenance, float] = {}
    for key, value in data.items():
        try:
            kind = Maintenance(key)
        except ValueError:
            valid = ", ".join(kind.value for kind in Maintenance)
            raise RolesError(f"unknown maintenance {key!r}; use {valid}") from None
        done[kind] = _moment(value, zone, f"maintenance {key!r}")
    return done


def _moment(value: object, zone: tzinfo, what: str) -> float:
    """An ISO date or date-time in epoch seconds; dates and naive times are in `zone`."""
    if isinstance(value, str):
        try:
            if len(value) == 10:
                moment = datetime.combine(date.fromisoformat(value), time(), zone)
            else:
                moment = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=zone)
            return moment.timestamp()
    raise RolesError(f"{what} must be an ISO 8601 date, got {value!r}")


def _units(data: dict[str, Any]) -> dict[str, str]:
    """Units for entities whose history carries none (the history panel's CSV)."""
    for entity_id, unit in data.items():
        if not isinstance(unit, str):
            raise RolesError(f"unit of {entity_id!r} must be a string, got {unit!r}")
    return dict(data)
