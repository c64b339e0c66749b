"""The rules of Home Assistant's hassfest and of the HACS action, for a custom integration.

hassfest is `script/hassfest` in home-assistant/core, which the homeassistant wheel does not
ship, so its schemas are rebuilt here from that source on Home Assistant's own validators
(`config_validation`, `selector`), as hassfest builds them. Each section names what it mirrors.
Pure: files and parsed source in, schemas and findings out; no Home Assistant instance.
"""

import ast
from collections.abc import Callable, Iterable
from functools import cache
import json
import os
from pathlib import Path
import re
import string
import struct
from typing import Any
from urllib.parse import urlparse

from awesomeversion import AwesomeVersion, AwesomeVersionException, AwesomeVersionStrategy
from homeassistant.const import Platform
from homeassistant.generated.countries import COUNTRIES
from homeassistant.helpers import config_validation as cv, selector, trigger
from homeassistant.util.yaml import load_yaml_dict

# The schema library Home Assistant validates with (probatio from 2026.10, voluptuous before):
# `cv`'s validators raise its `Invalid`, so these schemas are built from the same library.
from custom_components.heat_pump_health.validation import vol

type Problems = list[str]


@cache
def parse(path: Path) -> ast.Module:
    """A Python file's syntax tree (parsed once; do not change it)."""
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def invalid(schema: Callable[[Any], Any], data: Any) -> str | None:
    """Why the data does not fit the schema, or None when it does."""
    try:
        schema(data)
    except vol.Invalid as err:
        return str(err)
    return None


# --- script/hassfest/manifest.py ------------------------------------------------------------

INTEGRATION_TYPES = ("device", "entity", "hardware", "helper", "hub", "service", "system")
IOT_CLASSES = (
    "assumed_state",
    "calculated",
    "cloud_polling",
    "cloud_push",
    "local_polling",
    "local_push",
)
QUALITY_SCALES = ("internal", "bronze", "silver", "gold", "platinum")
DOCUMENTATION_URL_HOST = "www.home-assistant.io"
DOCUMENTATION_URL_PATH_PREFIX = "/integrations/"
# Manifest keys that make Home Assistant discover the integration (quality_scale_validation/
# discovery.py).
DISCOVERY_MANIFEST_KEYS = ("bluetooth", "dhcp", "homekit", "mqtt", "ssdp", "usb", "zeroconf")


def documentation_url(value: str) -> str:
    """An https URL, and on home-assistant.io only under /integrations/."""
    parsed = urlparse(value)
    if parsed.scheme != "https":
        raise vol.Invalid("Documentation url is not prefixed with https")
    if parsed.netloc == DOCUMENTATION_URL_HOST and not parsed.path.startswith(
        DOCUMENTATION_URL_PATH_PREFIX
    ):
        raise vol.Invalid(
            "Documentation url does not begin with www.home-assistant.io/integrations"
        )
    return value


def verify_version(value: str) -> str:
    """A version in one of the strategies hassfest accepts."""
    try:
        AwesomeVersion(
            value,
            ensure_strategy=[
                AwesomeVersionStrategy.CALVER,
                AwesomeVersionStrategy.SEMVER,
                AwesomeVersionStrategy.SIMPLEVER,
                AwesomeVersionStrategy.BUILDVER,
                AwesomeVersionStrategy.PEP440,
            ],
        )
    except AwesomeVersionException as err:
        raise vol.Invalid(f"'{value}' is not a valid version.") from err
    return value


# INTEGRATION_MANIFEST_SCHEMA extended as CUSTOM_INTEGRATION_MANIFEST_SCHEMA. The discovery
# matchers are checked for shape only: this integration has none.
CUSTOM_INTEGRATION_MANIFEST_SCHEMA = vol.Schema(
    {
        vol.Required("domain"): str,
        vol.Required("name"): str,
        vol.Optional("integration_type", default="hub"): vol.In(INTEGRATION_TYPES),
        vol.Optional("config_flow"): bool,
        vol.Optional("mqtt"): [str],
        vol.Optional("zeroconf"): [vol.Any(str, dict)],
        vol.Optional("ssdp"): [dict],
        vol.Optional("bluetooth"): [dict],
        vol.Optional("homekit"): vol.Schema({vol.Optional("models"): [str]}),
        vol.Optional("dhcp"): [dict],
        vol.Optional("usb"): [dict],
        vol.Required("documentation"): vol.All(vol.Url(), documentation_url),
        vol.Optional("issue_tracker"): vol.Url(),
        vol.Optional("quality_scale"): vol.In(QUALITY_SCALES),
        vol.Optional("requirements"): [str],
        vol.Optional("dependencies"): [str],
        vol.Optional("after_dependencies"): [str],
        vol.Required("codeowners"): [str],
        vol.Optional("loggers"): [str],
        vol.Optional("disabled"): str,
        vol.Optional("iot_class"): vol.In(IOT_CLASSES),
        vol.Optional("single_config_entry"): bool,
        vol.Optional("version"): vol.All(str, verify_version),
        vol.Optional("import_executor"): bool,
    }
)


def sorted_manifest_keys(keys: Iterable[str]) -> list[str]:
    """The order hassfest writes: domain, name, then alphabetical (`sort_manifest`)."""
    first = {"domain": ".domain", "name": ".name"}
    return sorted(keys, key=lambda key: first.get(key, key))


def manifest_problems(manifest: dict[str, Any], integration: Path) -> Problems:
    """What hassfest's manifest, config_flow and requirements checks say of a custom manifest."""
    problems: Problems = []
    if error := invalid(CUSTOM_INTEGRATION_MANIFEST_SCHEMA, manifest):
        problems.append(f"Invalid manifest: {error}")
    if manifest.get("domain") != integration.name:
        problems.append("Domain does not match dir name")
    if "iot_class" not in manifest:
        problems.append("Domain is missing an IoT Class")
    if not manifest.get("version"):
        problems.append("No 'version' key in the manifest file.")
    if (keys := list(manifest)) != sorted_manifest_keys(keys):
        problems.append("Manifest keys are not sorted correctly: domain, name, then alphabetical")
    # config_flow.py: the manifest flag and the module go together.
    if manifest.get("config_flow") != (integration / "config_flow.py").is_file():
        problems.append("config_flow in the manifest and config_flow.py disagree")
    problems.extend(requirement_problems(manifest.get("requirements", [])))
    after = set(manifest.get("after_dependencies", []))
    problems.extend(
        f"Dependency {dep} is both in dependencies and after_dependencies"
        for dep in manifest.get("dependencies", [])
        if dep in after
    )
    return problems


# A requirement pinned to one version: `package==1.2.3` or `package[extra]==1.2.3`.
PINNED_REQUIREMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[^\s=<>!~,;]+")


def requirement_problems(requirements: Iterable[str]) -> Problems:
    """Requirements must have no spaces (requirements.py) and be pinned (as core's must be)."""
    problems: Problems = []
    for requirement in requirements:
        if " " in requirement:
            problems.append(f'Requirement "{requirement}" contains a space')
        elif not PINNED_REQUIREMENT.fullmatch(requirement):
            problems.append(f'Requirement {requirement} need to be pinned "<pkg name>==<version>".')
    return problems


# --- script/hassfest/config_schema.py -------------------------------------------------------


def config_schema_problems(init: ast.Module) -> Problems:
    """An integration with async_setup defines CONFIG_SCHEMA (or a platform schema)."""
    has_setup = any(
        isinstance(item, (ast.AsyncFunctionDef, ast.FunctionDef))
        and item.name in ("async_setup", "setup")
        for item in init.body
    )
    names = {"CONFIG_SCHEMA", "PLATFORM_SCHEMA", "PLATFORM_SCHEMA_BASE"}
    if not has_setup or names & (top_level_assignments(init) | top_level_imports(init)):
        return []
    return ["Integrations which implement 'async_setup' or 'setup' must define CONFIG_SCHEMA"]


def top_level_assignments(module: ast.Module) -> set[str]:
    """Names a module assigns at its top level."""
    names: set[str] = set()
    for item in module.body:
        targets = item.targets if isinstance(item, ast.Assign) else []
        if isinstance(item, (ast.AnnAssign, ast.AugAssign)):
            targets = [item.target]
        names.update(target.id for target in targets if isinstance(target, ast.Name))
    return names


def top_level_imports(module: ast.Module) -> set[str]:
    """Names a module imports at its top level."""
    return {
        alias.asname or alias.name
        for item in module.body
        if isinstance(item, (ast.Import, ast.ImportFrom))
        for alias in item.names
    }


# --- script/hassfest/dependencies.py --------------------------------------------------------

# Integrations any integration may import without listing them (ALLOWED_USED_COMPONENTS).
ALLOWED_USED_COMPONENTS = {
    *(platform.value for platform in Platform),
    "alert",
    "automation",
    "conversation",
    "default_config",
    "device_automation",
    "frontend",
    "group",
    "homeassistant",
    "input_boolean",
    "input_button",
    "input_datetime",
    "input_number",
    "input_select",
    "input_text",
    "media_source",
    "onboarding",
    "panel_custom",
    "persistent_notification",
    "person",
    "script",
    "shopping_list",
    "sun",
    "system_health",
    "system_log",
    "timer",
    "webhook",
    "websocket_api",
    "zone",
    "mjpeg",
    "stream",
}


def referenced_components(module: ast.Module) -> set[str]:
    """The integrations a module imports from (`ImportCollector`), outside TYPE_CHECKING."""
    referenced: set[str] = set()
    nodes: list[ast.AST] = [module]
    while nodes:
        node = nodes.pop()
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("homeassistant.components."):
                referenced.add(node.module.split(".")[2])
            elif node.module == "homeassistant.components":
                referenced.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            referenced.update(
                alias.name.split(".")[2]
                for alias in node.names
                if alias.name.startswith("homeassistant.components.")
            )
        nodes.extend(ast.iter_child_nodes(node))
    return referenced


def dependency_problems(manifest: dict[str, Any], integration: Path) -> Problems:
    """Every integration the code imports from is a (after_)dependency or a platform of ours."""
    allowed = (
        ALLOWED_USED_COMPONENTS
        | set(manifest.get("dependencies", []))
        | set(manifest.get("after_dependencies", []))
        | {manifest["domain"]}
    )
    used: set[str] = set()
    for path in integration.glob("**/*.py"):
        used |= referenced_components(parse(path))
    return [
        f"Using component {domain} but it's not in 'dependencies' or 'after_dependencies'"
        for domain in sorted(used - allowed)
        if not (integration / f"{domain}.py").is_file() and not (integration / domain).is_dir()
    ]


# --- script/hassfest/translations.py --------------------------------------------------------

RE_REFERENCE = re.compile(r"\[\%key:(.+)\%\]")
RE_TRANSLATION_KEY = re.compile(r"^(?!.+[_-]{2})(?![_-])[a-z0-9-_]+(?<![_-])$")
RE_COMBINED_REFERENCE = re.compile(r"(.+\[%)|(%\].+)")
RE_PLACEHOLDER_IN_SINGLE_QUOTES = re.compile(r"'{\w+}'")
RE_URL = re.compile(
    r"(((ftp|ftps|scp|http|https|mqtt|mqtts|socket|socks5):\/\/|www\.)"
    r"[a-z0-9]+([\-\.]{1}[a-z0-9]+)*\.[a-z]{2,5}(:[0-9]{1,5})?(\/.*)?)",
    re.IGNORECASE,
)


def translation_key_validator(value: str) -> str:
    """A translation key: [a-z0-9-_]+, not starting or ending with - or _, no doubles."""
    if RE_TRANSLATION_KEY.match(value) is None:
        raise vol.Invalid(
            f"Invalid translation key '{value}', need to be [a-z0-9-_]+ and"
            " cannot start or end with a hyphen or underscore."
        )
    return value


def validate_translation_value(value: Any, allow_placeholders: bool = True) -> str:
    """No HTML, no quoted or non-identifier placeholders, no URLs, no outer spaces."""
    text: str = cv.string_with_no_html(value)
    if RE_PLACEHOLDER_IN_SINGLE_QUOTES.search(text):
        raise vol.Invalid("the string should not contain placeholders inside single quotes")
    for _, field, _, _ in string.Formatter().parse(text):
        if not field:
            continue
        if not allow_placeholders:
            raise vol.Invalid("placeholders are not supported in this value")
        if not field.isidentifier():
            raise vol.Invalid("placeholders must be valid identifiers ([a-zA-Z_][a-zA-Z0-9_]*)")
    if RE_COMBINED_REFERENCE.search(text):
        raise vol.Invalid("the string should not contain combined translations")
    if text != text.strip():
        raise vol.Invalid("the string should not contain leading or trailing spaces")
    if RE_URL.search(text):
        raise vol.Invalid(
            "the string should not contain URLs, please use description placeholders instead"
        )
    return text


def translation_value_validator(value: Any) -> str:
    """A translation that may have placeholders."""
    return validate_translation_value(value)


def text_without_placeholders(value: Any) -> str:
    """A translation that may not have placeholders (entity states)."""
    return validate_translation_value(value, allow_placeholders=False)


def _data_description_in_data(value: dict[str, Any]) -> dict[str, Any]:
    """Every data_description key of a step describes a field in its data."""
    for step_id, step in value["step"].items():
        if missing := set(step.get("data_description", {})) - set(step.get("data", {})):
            raise vol.Invalid(f"data_description key {sorted(missing)} is not in data ({step_id})")
    return value


def gen_data_entry_schema(
    *,
    require_step_title: bool = False,
    mandatory_description: str | None = None,
    title_removed: bool = False,
    subentry_flow: bool = False,
) -> vol.All:
    """A config, options, subentry or repair flow's strings."""
    text = translation_value_validator
    fields = {str: text}
    step_title = vol.Required if require_step_title else vol.Optional
    schema: dict[Any, Any] = {
        vol.Optional("flow_title"): text,
        vol.Required("step"): {
            str: {
                step_title("title"): text,
                vol.Optional("description"): text,
                vol.Optional("data"): fields,
                vol.Optional("data_description"): fields,
                vol.Optional("menu_options"): fields,
                vol.Optional("menu_option_descriptions"): fields,
                vol.Optional("submit"): text,
                vol.Optional("sections"): {
                    str: {
                        vol.Optional("data"): fields,
                        vol.Optional("data_description"): fields,
                        vol.Optional("description"): text,
                        vol.Optional("name"): text,
                    }
                },
            }
        },
        vol.Optional("error"): fields,
        vol.Optional("abort"): fields,
        vol.Optional("progress"): fields,
        vol.Optional("create_entry"): fields,
    }
    if subentry_flow:
        schema[vol.Required("entry_type")] = text
        schema[vol.Required("initiate_flow")] = {vol.Required("user"): text, str: text}
    else:
        schema[vol.Optional("initiate_flow")] = {vol.Required("user"): text}
    if title_removed:
        # hassfest only warns for a custom integration; Home Assistant ignores the key.
        schema[vol.Optional("title")] = _removed("config.title has moved to the root of the file")
    validators: list[Any] = [vol.Schema(schema), _data_description_in_data]
    if mandatory_description is not None:
        validators.append(_description_of(mandatory_description))
    return vol.All(*validators)


def _description_of(step_id: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A helper's user step must be there and describe what the helper does."""

    def validate(value: dict[str, Any]) -> dict[str, Any]:
        step = value["step"].get(step_id)
        if step is None:
            raise vol.Invalid(f"{step_id} needs to be defined")
        if "description" not in step:
            raise vol.Invalid(f"Step {step_id} needs a description")
        return value

    return validate


def _removed(message: str) -> Callable[[Any], Any]:
    """A key that must not be there."""

    def validate(value: Any) -> Any:
        raise vol.Invalid(message)

    return validate


def gen_issues_schema() -> dict[Any, Any]:
    """Repairs issues: a title, and either a description or a fix flow."""
    return {
        str: vol.All(
            cv.has_at_least_one_key("description", "fix_flow"),
            vol.Schema(
                {
                    vol.Required("title"): translation_value_validator,
                    vol.Exclusive("description", "fixable"): translation_value_validator,
                    vol.Exclusive("fix_flow", "fixable"): gen_data_entry_schema(),
                }
            ),
        )
    }


def _slug_keys(value: Any, slug: Callable[[Any], Any] = translation_key_validator) -> Any:
    """A mapping whose keys are translation keys (or another slug)."""
    return cv.schema_with_slug_keys(value, slug_validator=slug)


def _service_like_schema(slug: Callable[[Any], Any]) -> Any:
    """Services, conditions and triggers: a name, a description and described fields."""
    return _slug_keys(
        {
            vol.Required("name"): translation_value_validator,
            vol.Required("description"): translation_value_validator,
            vol.Optional("fields"): _slug_keys(
                {
                    vol.Required("name"): str,
                    vol.Required("description"): translation_value_validator,
                    vol.Optional("example"): translation_value_validator,
                }
            ),
            vol.Optional("sections"): _slug_keys(
                {
                    vol.Required("name"): str,
                    vol.Optional("description"): translation_value_validator,
                }
            ),
        },
        slug,
    )


def _entity_schema() -> Any:
    """`entity.<platform>.<translation_key>`: name, states, attributes, unit."""
    state = _slug_keys(text_without_placeholders)
    return _slug_keys(
        _slug_keys(
            {
                vol.Optional("name"): translation_value_validator,
                vol.Optional("state"): state,
                vol.Optional("state_attributes"): _slug_keys(
                    {
                        vol.Optional("name"): text_without_placeholders,
                        vol.Optional("state"): state,
                    }
                ),
                vol.Optional("unit_of_measurement"): text_without_placeholders,
            }
        ),
        cv.slug,
    )


def gen_strings_schema(integration_type: str) -> vol.Schema:
    """A translations/en.json of a custom integration (`gen_strings_schema`).

    Left out: `config_panel` and `device_automation`'s core-only parts, which a custom
    integration does not use.
    """
    text = translation_value_validator
    # Conditions and triggers of an integration are keyed by underscore slugs (2025.x).
    underscore_slug = getattr(cv, "underscore_slug", cv.slug)
    return vol.Schema(
        {
            vol.Optional("title"): text,
            vol.Optional("config"): gen_data_entry_schema(
                title_removed=True,
                mandatory_description="user" if integration_type == "helper" else None,
            ),
            vol.Optional("config_subentries"): _slug_keys(
                gen_data_entry_schema(title_removed=True, subentry_flow=True),
                vol.Any("_", cv.slug),
            ),
            vol.Optional("options"): gen_data_entry_schema(),
            vol.Optional("preview_features"): _slug_keys(
                {
                    vol.Required("name"): text,
                    vol.Required("description"): text,
                    vol.Optional("enable_confirmation"): text,
                    vol.Optional("disable_confirmation"): text,
                }
            ),
            vol.Optional("selector"): _slug_keys(
                {
                    vol.Optional("choices"): _slug_keys(text),
                    vol.Optional("options"): _slug_keys(text),
                    vol.Optional("unit_of_measurement"): _slug_keys(text),
                    vol.Optional("fields"): _slug_keys(
                        {vol.Required("name"): str, vol.Required("description"): text}
                    ),
                },
                vol.Any("_", cv.slug),
            ),
            vol.Optional("device_automation"): {
                vol.Optional(key): {str: text}
                for key in (
                    "action_type",
                    "condition_type",
                    "trigger_type",
                    "trigger_subtype",
                    "extra_fields",
                    "extra_fields_descriptions",
                )
            },
            vol.Optional("system_health"): {vol.Optional("info"): _slug_keys(text)},
            vol.Optional("application_credentials"): {vol.Optional("description"): text},
            vol.Optional("issues"): gen_issues_schema(),
            vol.Optional("device"): _slug_keys({vol.Optional("name"): text}),
            vol.Optional("entity"): _entity_schema(),
            vol.Optional("exceptions"): _slug_keys({vol.Optional("message"): text}, cv.slug),
            vol.Optional("services"): _service_like_schema(translation_key_validator),
            vol.Optional("conditions"): _service_like_schema(underscore_slug),
            vol.Optional("triggers"): _service_like_schema(underscore_slug),
            vol.Optional("conversation"): {vol.Required("agent"): {vol.Required("done"): text}},
            vol.Optional("common"): vol.Schema({cv.slug: text}),
        }
    )


def references(strings: dict[str, Any], prefix: str = "") -> list[str]:
    """The `[%key:...%]` references of a strings file (`find_references`)."""
    found: list[str] = []
    for key, value in strings.items():
        if isinstance(value, dict):
            found.extend(references(value, f"{prefix}{key}::"))
        elif match := RE_REFERENCE.match(value):
            found.append(match.group(1))
    return found


# --- script/hassfest/services.py ------------------------------------------------------------


def _exists(value: Any) -> Any:
    """A value that is there (not null)."""
    if value is None:
        raise vol.Invalid("Value cannot be None")
    return value


CUSTOM_INTEGRATION_FIELD_SCHEMA = vol.Schema(
    {
        vol.Optional("example"): _exists,
        vol.Optional("default"): _exists,
        vol.Optional("required"): bool,
        vol.Optional("advanced"): bool,
        vol.Optional("selector"): selector.validate_selector,
        vol.Optional("filter"): dict,
        vol.Optional("description"): str,
        vol.Optional("name"): str,
    }
)
CUSTOM_INTEGRATION_SECTION_SCHEMA = vol.Schema(
    {
        vol.Optional("collapsed"): bool,
        vol.Required("fields"): vol.Schema({str: CUSTOM_INTEGRATION_FIELD_SCHEMA}),
        vol.Optional("description"): str,
        vol.Optional("name"): str,
    }
)


def _unique_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """No field name twice, across sections (`unique_field_validator`)."""
    names = list(service_fields({"fields": fields}))
    if len(names) != len(set(names)):
        raise vol.Invalid("Duplicate use of a field in service.")
    return fields


CUSTOM_INTEGRATION_SERVICE_SCHEMA = vol.Any(
    vol.Schema(
        {
            vol.Optional("target"): vol.Any(selector.TargetSelector.CONFIG_SCHEMA, None),
            vol.Optional("fields"): vol.All(
                vol.Schema(
                    {
                        str: vol.Any(
                            CUSTOM_INTEGRATION_FIELD_SCHEMA, CUSTOM_INTEGRATION_SECTION_SCHEMA
                        )
                    }
                ),
                _unique_fields,
            ),
            vol.Optional("description"): str,
            vol.Optional("name"): str,
        }
    ),
    None,
)
CUSTOM_INTEGRATION_SERVICES_SCHEMA = vol.Schema({cv.slug: CUSTOM_INTEGRATION_SERVICE_SCHEMA})


def service_fields(service: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """A service's fields by name, those in sections included."""
    fields: dict[str, dict[str, Any]] = {}
    for name, spec in ((service or {}).get("fields") or {}).items():
        if spec and "fields" in spec:
            fields.update(spec["fields"])
        else:
            fields[name] = spec or {}
    return fields


# --- script/hassfest/triggers.py ------------------------------------------------------------
# Left out: `context` references between fields, which the integration does not use.

TRIGGER_FIELD_SCHEMA = vol.Schema(
    {
        vol.Optional("example"): _exists,
        vol.Optional("default"): _exists,
        vol.Optional("required"): bool,
        vol.Optional("selector"): selector.validate_selector,
        vol.Optional("context"): {str: str},
    }
)
TRIGGERS_SCHEMA = vol.Schema(
    {
        vol.Remove(vol.All(str, trigger.starts_with_dot)): object,
        getattr(cv, "underscore_slug", cv.slug): vol.Any(
            vol.Schema(
                {
                    vol.Optional("target"): selector.TargetSelector.CONFIG_SCHEMA,
                    vol.Optional("fields"): vol.Schema({str: TRIGGER_FIELD_SCHEMA}),
                }
            ),
            None,
        ),
    }
)


def trigger_problems(integration: Path) -> Problems:
    """triggers.yaml fits its schema and names only translated select keys (`validate_triggers`)."""
    path = integration / "triggers.yaml"
    if not path.is_file():
        registers = [
            module
            for module in integration.glob("**/trigger.py")
            if re.search(r"async_attach_trigger|async_get_triggers", module.read_text())
        ]
        return ["Registers triggers but has no triggers.yaml"] if registers else []
    data = load_yaml_dict(str(path))
    if error := invalid(TRIGGERS_SCHEMA, data):
        return [f"Invalid triggers.yaml: {error}"]
    strings_path = integration / "translations" / "en.json"
    strings = json.loads(strings_path.read_text(encoding="utf-8")) if strings_path.is_file() else {}
    return [
        f"Trigger {name} has a field {field} with a selector with a translation key {key} "
        "that is not in the translations file"
        for name, spec in TRIGGERS_SCHEMA(data).items()
        for field, field_spec in ((spec or {}).get("fields") or {}).items()
        if (key := field_spec.get("selector", {}).get("select", {}).get("translation_key"))
        and key not in strings.get("selector", {})
    ]


# --- script/hassfest/icons.py ---------------------------------------------------------------


def icon_value_validator(value: Any) -> str:
    """A Material Design Icon: `mdi:<name>`."""
    icon: str = cv.string_with_no_html(value)
    if not icon.startswith("mdi:"):
        raise vol.Invalid(
            "The icon needs to be a valid icon from Material Design Icons and start with `mdi:`"
        )
    return icon


def ensure_not_same_as_default(value: dict[str, Any]) -> dict[str, Any]:
    """A state icon that equals its default can be removed."""
    for key, section in value.items():
        if (default := section.get("default")) and (states := section.get("state")):
            for state, icon in states.items():
                if icon == default:
                    raise vol.Invalid(
                        f"The icon for state `{key}.{state}` is the same as the default icon"
                        " and thus can be removed"
                    )
    return value


def _service_icons(value: Any) -> Any:
    """A service's icon, as `"mdi:x"` or `{"service": "mdi:x", "sections": {...}}`."""
    if isinstance(value, str):
        value = {"service": value}
    return vol.Schema(
        {
            vol.Optional("service"): icon_value_validator,
            vol.Optional("sections"): _slug_keys(icon_value_validator),
        }
    )(value)


DATA_ENTRY_ICONS_SCHEMA = vol.Schema({"step": {str: {"section": {str: icon_value_validator}}}})


def icon_schema(integration_type: str) -> vol.Schema:
    """An icons.json (`icon_schema`); services as Home Assistant loads them since 2024.x."""
    state = _slug_keys(icon_value_validator)

    def icon_schema_slug(marker: type[vol.Marker]) -> dict[Any, Any]:
        return {
            marker("default"): icon_value_validator,
            vol.Optional("state"): state,
            vol.Optional("state_attributes"): vol.All(
                _slug_keys({marker("default"): icon_value_validator, marker("state"): state}),
                ensure_not_same_as_default,
            ),
        }

    schema = vol.Schema(
        {
            vol.Optional("config"): DATA_ENTRY_ICONS_SCHEMA,
            vol.Optional("issues"): vol.Schema({str: {"fix_flow": DATA_ENTRY_ICONS_SCHEMA}}),
            vol.Optional("options"): DATA_ENTRY_ICONS_SCHEMA,
            vol.Optional("services"): _slug_keys(_service_icons),
            vol.Optional("triggers"): _slug_keys(
                {vol.Required("trigger"): icon_value_validator},
                getattr(cv, "underscore_slug", cv.slug),
            ),
        }
    )
    if integration_type in ("entity", "helper", "system"):
        component = vol.Required if integration_type == "entity" else vol.Optional
        schema = schema.extend(
            {
                component("entity_component"): vol.All(
                    _slug_keys(icon_schema_slug(vol.Required), vol.Any("_", cv.slug)),
                    ensure_not_same_as_default,
                )
            }
        )
    if integration_type not in ("entity", "system"):
        schema = schema.extend(
            {
                vol.Optional("entity"): vol.All(
                    _slug_keys(_slug_keys(icon_schema_slug(vol.Optional)), cv.slug),
                    ensure_not_same_as_default,
                )
            }
        )
    return schema


def redundant_state_icons(icons: dict[str, Any]) -> Problems:
    """State icons equal to their entity's default, which `ensure_not_same_as_default` means.

    hassfest applies that validator to the `entity` mapping as a whole, where it looks at
    platforms instead of translation keys and so never fires; this applies it per entity.
    """
    return [
        f"{platform}.{key}.{state}"
        for platform, entities in icons.get("entity", {}).items()
        for key, entity in entities.items()
        for state, icon in entity.get("state", {}).items()
        if icon == entity.get("default")
    ]


# --- script/hassfest/quality_scale.py -------------------------------------------------------

BRONZE, SILVER, GOLD, PLATINUM = "bronze", "silver", "gold", "platinum"
# ALL_RULES, with the tier of each, as of Home Assistant 2026 (docs-conditions and docs-triggers
# came with integration-provided conditions and triggers in 2025).
ALL_RULES: dict[str, str] = {
    "action-setup": BRONZE,
    "appropriate-polling": BRONZE,
    "brands": BRONZE,
    "common-modules": BRONZE,
    "config-flow": BRONZE,
    "config-flow-test-coverage": BRONZE,
    "dependency-transparency": BRONZE,
    "docs-actions": BRONZE,
    "docs-conditions": BRONZE,
    "docs-high-level-description": BRONZE,
    "docs-installation-instructions": BRONZE,
    "docs-removal-instructions": BRONZE,
    "docs-triggers": BRONZE,
    "entity-event-setup": BRONZE,
    "entity-unique-id": BRONZE,
    "has-entity-name": BRONZE,
    "runtime-data": BRONZE,
    "test-before-configure": BRONZE,
    "test-before-setup": BRONZE,
    "unique-config-entry": BRONZE,
    "action-exceptions": SILVER,
    "config-entry-unloading": SILVER,
    "docs-configuration-parameters": SILVER,
    "docs-installation-parameters": SILVER,
    "entity-unavailable": SILVER,
    "integration-owner": SILVER,
    "log-when-unavailable": SILVER,
    "parallel-updates": SILVER,
    "reauthentication-flow": SILVER,
    "test-coverage": SILVER,
    "devices": GOLD,
    "diagnostics": GOLD,
    "discovery": GOLD,
    "discovery-update-info": GOLD,
    "docs-data-update": GOLD,
    "docs-examples": GOLD,
    "docs-known-limitations": GOLD,
    "docs-supported-devices": GOLD,
    "docs-supported-functions": GOLD,
    "docs-troubleshooting": GOLD,
    "docs-use-cases": GOLD,
    "dynamic-devices": GOLD,
    "entity-category": GOLD,
    "entity-device-class": GOLD,
    "entity-disabled-by-default": GOLD,
    "entity-translations": GOLD,
    "exception-translations": GOLD,
    "icon-translations": GOLD,
    "reconfiguration-flow": GOLD,
    "repair-issues": GOLD,
    "stale-devices": GOLD,
    "async-dependency": PLATINUM,
    "inject-websession": PLATINUM,
    "strict-typing": PLATINUM,
}
QUALITY_SCALE_SCHEMA = vol.Schema(
    {
        vol.Required("rules"): vol.Schema(
            {
                vol.Optional(rule): vol.Any(
                    vol.In(["todo", "done"]),
                    vol.Schema(
                        {
                            vol.Required("status"): vol.In(["todo", "done"]),
                            vol.Required("comment"): str,
                        }
                    ),
                    vol.Schema({vol.Required("status"): "exempt", vol.Required("comment"): str}),
                )
                for rule in ALL_RULES
            }
        )
    }
)


def rule_status(value: str | dict[str, str]) -> str:
    """A rule's status, from either form."""
    return value if isinstance(value, str) else value["status"]


# --- script/hassfest/quality_scale_validation/*.py ------------------------------------------


def async_functions(module: ast.AST) -> set[str]:
    """Names of the async functions anywhere in a module."""
    return {node.name for node in ast.walk(module) if isinstance(node, ast.AsyncFunctionDef)}


def _top_level_async_function(module: ast.Module, name: str) -> ast.AsyncFunctionDef | None:
    """An async function defined at a module's top level."""
    return next(
        (
            item
            for item in module.body
            if isinstance(item, ast.AsyncFunctionDef) and item.name == name
        ),
        None,
    )


def calls(node: ast.AST, method: str) -> bool:
    """Whether the code calls a method (attribute) of this name."""
    return any(
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == method
        for call in ast.walk(node)
    )


def _registers_services(function: ast.AsyncFunctionDef) -> bool:
    """Whether a function registers service actions (`_calls_service_registration`)."""
    for node in ast.walk(function):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr == "async_register_entity_service":
            return True
        owner = node.func.value
        if (
            isinstance(owner, ast.Attribute)
            and isinstance(owner.value, ast.Name)
            and owner.value.id == "hass"
            and owner.attr == "services"
            and node.func.attr in {"async_register", "register"}
        ):
            return True
    return False


def _platform_modules(integration: Path) -> dict[str, ast.Module]:
    """The integration's entity platform modules, by platform."""
    return {
        platform.value: parse(path)
        for platform in Platform
        if (path := integration / f"{platform.value}.py").is_file()
    }


def check_action_setup(integration: Path) -> Problems:
    """Service actions are registered in async_setup, not async_setup_entry."""
    modules = {"__init__": parse(integration / "__init__.py"), **_platform_modules(integration)}
    return [
        f"Integration registers services in {name}.py async_setup_entry"
        for name, module in modules.items()
        if (setup := _top_level_async_function(module, "async_setup_entry"))
        and _registers_services(setup)
    ]


def check_config_flow(integration: Path, manifest: dict[str, Any]) -> Problems:
    """The manifest sets config_flow and config_flow.py exists."""
    if not manifest.get("config_flow"):
        return ["Integration does not set config_flow in its manifest"]
    if not (integration / "config_flow.py").is_file():
        return ["Integration does not implement config flow (is missing config_flow.py)"]
    return []


def check_config_entry_unloading(integration: Path) -> Problems:
    """__init__.py defines async_unload_entry."""
    if _top_level_async_function(parse(integration / "__init__.py"), "async_unload_entry"):
        return []
    return ["Integration does not support config entry unloading (no `async_unload_entry`)"]


def check_diagnostics(integration: Path) -> Problems:
    """diagnostics.py defines config entry or device diagnostics."""
    path = integration / "diagnostics.py"
    if not path.is_file():
        return ["Integration does not implement the diagnostics platform (no diagnostics.py)"]
    wanted = {"async_get_config_entry_diagnostics", "async_get_device_diagnostics"}
    if not wanted & async_functions(parse(path)):
        return [f"Integration is missing one of {sorted(wanted)} in diagnostics.py"]
    return []


DISCOVERY_STEPS = {
    "async_step_bluetooth",
    "async_step_discovery",
    "async_step_dhcp",
    "async_step_hassio",
    "async_step_homekit",
    "async_step_mqtt",
    "async_step_ssdp",
    "async_step_usb",
    "async_step_zeroconf",
}


def check_discovery(integration: Path, manifest: dict[str, Any]) -> Problems:
    """Discovery matchers in the manifest, or a discovery step in the config flow."""
    if any(key in manifest for key in DISCOVERY_MANIFEST_KEYS):
        return []
    if DISCOVERY_STEPS & async_functions(parse(integration / "config_flow.py")):
        return []
    return ["Integration has no discovery (no manifest matcher, no discovery step)"]


def check_parallel_updates(integration: Path) -> Problems:
    """Every entity platform module sets PARALLEL_UPDATES (a plain assignment)."""
    return [
        f"Integration does not set `PARALLEL_UPDATES` in {platform}.py"
        for platform, module in _platform_modules(integration).items()
        if not any(
            isinstance(item, ast.Assign)
            and isinstance(item.targets[0], ast.Name)
            and item.targets[0].id == "PARALLEL_UPDATES"
            for item in module.body
        )
    ]


def check_reconfiguration_flow(integration: Path) -> Problems:
    """The config flow has async_step_reconfigure."""
    if "async_step_reconfigure" in async_functions(parse(integration / "config_flow.py")):
        return []
    return ["Integration does not support a reconfiguration flow (no async_step_reconfigure)"]


def check_reauthentication_flow(integration: Path) -> Problems:
    """The config flow has async_step_reauth."""
    if "async_step_reauth" in async_functions(parse(integration / "config_flow.py")):
        return []
    return ["Integration does not support a reauthentication flow (no async_step_reauth)"]


def check_unique_config_entry(integration: Path, manifest: dict[str, Any]) -> Problems:
    """The config flow aborts on a unique id or matching entries, or single_config_entry."""
    if manifest.get("single_config_entry"):
        return []
    flow = parse(integration / "config_flow.py")
    if calls(flow, "_async_abort_entries_match") or (
        calls(flow, "async_set_unique_id") and calls(flow, "_abort_if_unique_id_configured")
    ):
        return []
    return ["Integration doesn't prevent the same device or service from being set up twice"]


# Where runtime_data.py looks for typed config entries, and at which argument.
TYPED_ENTRY_FUNCTIONS: dict[str, dict[str, int]] = {
    "__init__": {
        "async_migrate_entry": 2,
        "async_remove_config_entry_device": 2,
        "async_remove_entry": 2,
        "async_setup_entry": 2,
        "async_unload_entry": 2,
    },
    "diagnostics": {"async_get_config_entry_diagnostics": 2, "async_get_device_diagnostics": 2},
    **{platform.value: {"async_setup_entry": 2} for platform in Platform},
}
TYPED_ENTRY = re.compile(r"^[A-Za-z]+ConfigEntry$")


def _typed_entry_problem(
    function: ast.AsyncFunctionDef | ast.FunctionDef, position: int
) -> str | None:
    """Why a function's config entry argument is not a typed `<Name>ConfigEntry`."""
    if len(function.args.args) < position:
        return f"{function.name} has incorrect signature"
    annotation = function.args.args[position - 1].annotation
    if isinstance(annotation, ast.Name) and TYPED_ENTRY.match(annotation.id):
        return None
    return f"([+ strict-typing]) {function.name} does not use typed ConfigEntry"


def check_runtime_data(integration: Path, rules_done: set[str]) -> Problems:
    """async_setup_entry sets entry.runtime_data; with strict typing, entries are typed."""
    setup = _top_level_async_function(parse(integration / "__init__.py"), "async_setup_entry")
    if setup is None or len(setup.args.args) != 2:
        return ["Could not find `async_setup_entry(hass, entry)` in __init__.py"]
    entry = setup.args.args[1].arg
    problems: Problems = []
    if not any(
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == entry
        and node.attr == "runtime_data"
        and isinstance(node.ctx, ast.Store)
        for node in ast.walk(setup)
    ):
        problems.append("Integration does not set entry.runtime_data in async_setup_entry")
    if "strict-typing" in rules_done:
        problems.extend(_untyped_entries(integration))
    return problems


def _untyped_entries(integration: Path) -> Problems:
    """Config entry arguments that are not a typed `<Name>ConfigEntry`."""
    problems: Problems = []
    for name, functions in TYPED_ENTRY_FUNCTIONS.items():
        if not (path := integration / f"{name}.py").is_file():
            continue
        module = parse(path)
        for function, position in functions.items():
            if (found := _top_level_async_function(module, function)) and (
                problem := _typed_entry_problem(found, position)
            ):
                problems.append(f"{problem} in {name}.py")
    flow = parse(integration / "config_flow.py")
    problems.extend(
        f"{problem} in config_flow.py"
        for node in flow.body
        if isinstance(node, ast.ClassDef)
        for function in node.body
        if isinstance(function, ast.FunctionDef) and function.name == "async_get_options_flow"
        if (problem := _typed_entry_problem(function, 1))
    )
    return problems


def entity_classes_without(integration: Path, variable: str) -> list[str]:
    """Entity classes that set no `variable = True` in their hierarchy (`ClassVarVisitor`)."""
    classes: dict[str, tuple[bool, list[str]]] = {}
    for path in integration.glob("*.py"):
        for node in ast.walk(parse(path)):
            if isinstance(node, ast.ClassDef) and node.name not in classes:
                classes[node.name] = (_sets_true(node, variable), base_names(node))

    def has_it(name: str) -> bool:
        found, bases = classes.get(name, (False, []))
        return found or any(has_it(base) for base in bases)

    return sorted(
        name
        for name, (_, bases) in classes.items()
        if (name.endswith("Entity") or any(base.endswith("Entity") for base in bases))
        and not has_it(name)
    )


def _sets_true(node: ast.ClassDef, variable: str) -> bool:
    """Whether a class body assigns True to a variable."""
    return any(
        isinstance(stmt, ast.Assign)
        and any(isinstance(target, ast.Name) and target.id == variable for target in stmt.targets)
        and isinstance(stmt.value, ast.Constant)
        and stmt.value.value is True
        for stmt in node.body
    )


def base_names(node: ast.ClassDef) -> list[str]:
    """The names of a class's bases: `Name`, `Name[T]` and `module.Name` alike."""
    names: list[str] = []
    for base in node.bases:
        target = base.value if isinstance(base, ast.Subscript) else base
        if isinstance(target, ast.Attribute):
            names.append(target.attr)
        elif isinstance(target, ast.Name):
            names.append(target.id)
    return names


# --- The HACS action: hacs/integration custom_components/hacs/utils/validate.py --------------


def _country_validator(values: Any) -> list[str]:
    """ISO 3166 country codes, one or a list."""
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        raise vol.Invalid(f"Value '{values}' is not a string or list.")
    countries = [str(value).upper() for value in values]
    if unknown := [country for country in countries if country not in COUNTRIES]:
        raise vol.Invalid(f"Values {unknown} are not country codes.")
    return countries


HACS_MANIFEST_JSON_SCHEMA = vol.Schema(
    {
        vol.Optional("content_in_root"): bool,
        vol.Optional("country"): _country_validator,
        vol.Optional("filename"): str,
        vol.Optional("hacs"): str,
        vol.Optional("hide_default_branch"): bool,
        vol.Optional("homeassistant"): str,
        vol.Optional("persistent_directory"): str,
        vol.Optional("render_readme"): bool,
        vol.Optional("zip_release"): bool,
        vol.Required("name"): str,
    },
    extra=vol.PREVENT_EXTRA,
)
HACS_INTEGRATION_MANIFEST_SCHEMA = vol.Schema(
    {
        vol.Required("codeowners"): list,
        vol.Required("documentation"): cv.url,
        vol.Required("domain"): str,
        vol.Required("issue_tracker"): cv.url,
        vol.Required("name"): str,
        vol.Required("version"): vol.Coerce(AwesomeVersion),
    },
    extra=vol.ALLOW_EXTRA,
)


# --- Brand images: homeassistant.components.brands and the home-assistant/brands rules -------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# PNG colour types that are sRGB colour (grey, grey with alpha and palette are not RGB).
RGB_COLOUR_TYPES = {2: "RGB", 6: "RGBA", 3: "palette"}


def png_header(data: bytes) -> tuple[int, int, int] | None:
    """Width, height and colour type of a PNG, or None for anything else."""
    if data[:8] != PNG_SIGNATURE or data[12:16] != b"IHDR":
        return None
    width, height, _, colour_type = struct.unpack(">IIBB", data[16:26])
    return width, height, colour_type


def brand_image_problems(name: str, width: int, height: int) -> Problems:
    """The size rules of home-assistant/brands for one image.

    Icons are square, 256 px (512 px hDPI); a logo's shortest side is 128-256 px (256-512 hDPI).
    """
    hdpi = name.endswith("@2x.png")
    scale = 2 if hdpi else 1
    if "icon" in name:
        if (width, height) != (256 * scale, 256 * scale):
            return [f"{name}: {width}x{height}, not {256 * scale}x{256 * scale}"]
        return []
    shortest = min(width, height)
    if not 128 * scale <= shortest <= 256 * scale:
        return [f"{name}: shortest side {shortest}, not {128 * scale}-{256 * scale} px"]
    return []


# --- The hassfest action: home-assistant/actions hassfest/entrypoint.sh ----------------------
# It runs `python -m script.hassfest --action validate --integration-path <folder>` for every
# folder of the repository that holds a manifest.json, with the plugins that apply to a custom
# integration: json, manifest, config_schema, dependencies, requirements, config_flow,
# translations, icons, services, triggers and quality_scale (codeowners only applies to core).


def integration_folders(root: Path) -> list[Path]:
    """Every folder holding a manifest.json, as the action's `**/manifest.json` finds them.

    Bash's globstar skips hidden folders (.git, .venv, .tools) and does not follow symbolic
    links to folders; neither does this.
    """
    found: list[Path] = []
    for folder, subfolders, files in os.walk(root, followlinks=False):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        if "manifest.json" in files:
            found.append(Path(folder))
    return sorted(found)


def _json_problems(integration: Path) -> Problems:
    """Every JSON file of the integration parses (json.py)."""
    problems: Problems = []
    for path in sorted(integration.glob("**/*.json")):
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except ValueError as err:
            problems.append(f"Invalid JSON in {path.relative_to(integration)}: {err}")
    return problems


def _translation_problems(integration: Path, integration_type: str) -> Problems:
    """strings.json and translations/en.json fit the strings schema (translations.py)."""
    schema = gen_strings_schema(integration_type)
    return [
        f"Invalid {name}: {error}"
        for name in ("strings.json", "translations/en.json")
        if (path := integration / name).is_file()
        if (error := invalid(schema, json.loads(path.read_text(encoding="utf-8"))))
    ]


def _optional_file_problems(integration: Path, integration_type: str) -> Problems:
    """icons.json, services.yaml and quality_scale.yaml, where there, fit their schemas."""
    problems: Problems = []
    if (icons := integration / "icons.json").is_file():
        data = json.loads(icons.read_text(encoding="utf-8"))
        if error := invalid(icon_schema(integration_type), data):
            problems.append(f"Invalid icons.json: {error}")
    schemas = {
        "services.yaml": CUSTOM_INTEGRATION_SERVICES_SCHEMA,
        "quality_scale.yaml": QUALITY_SCALE_SCHEMA,
    }
    for name, schema in schemas.items():
        if (path := integration / name).is_file() and (
            error := invalid(schema, load_yaml_dict(str(path)))
        ):
            problems.append(f"Invalid {name}: {error}")
    return problems


def integration_problems(integration: Path) -> Problems:
    """What the hassfest action reports for one folder with a manifest.json."""
    if problems := _json_problems(integration):
        return problems
    manifest = json.loads((integration / "manifest.json").read_text(encoding="utf-8"))
    integration_type = manifest.get("integration_type", "hub")
    problems = manifest_problems(manifest, integration)
    if (init := integration / "__init__.py").is_file():
        problems += config_schema_problems(parse(init))
    problems += dependency_problems(manifest, integration)
    problems += _translation_problems(integration, integration_type)
    problems += _optional_file_problems(integration, integration_type)
    problems += trigger_problems(integration)
    return problems
