"""What hassfest and the HACS action check, run with the tests, and an honest quality scale.

The rules are mirrored in `hassfest_like` from home-assistant/core's script/hassfest and the
HACS action; this module applies them to the integration's metadata, strings, actions, icons
and brand images, and checks each `done` (and `exempt`) claim of quality_scale.yaml that can be
checked mechanically.
"""

import ast
from collections.abc import Callable
from functools import cache
from importlib import import_module, metadata
from importlib.util import find_spec
import io
import json
from pathlib import Path
import re
import tomllib
from typing import Any

from awesomeversion import AwesomeVersion
import homeassistant.components
from homeassistant.components.brands.const import ALLOWED_IMAGES
from homeassistant.components.sensor import DEVICE_CLASS_UNITS
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import PERCENTAGE, __version__ as ha_version
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import async_get_platforms
from homeassistant.helpers.typing import UNDEFINED
from homeassistant.loader import async_get_integration
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml_dict
from PIL import Image
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heat_pump_health import issues as issues_module
from custom_components.heat_pump_health.binary_sensor import FindingBinarySensor
from custom_components.heat_pump_health.button import BUTTONS
from custom_components.heat_pump_health.const import DOMAIN, EVENT_TYPES
from custom_components.heat_pump_health.engine import FindingKey
from custom_components.heat_pump_health.engine.detectors import repair_menu
from custom_components.heat_pump_health.event import DESCRIPTION as EVENT_DESCRIPTION
from custom_components.heat_pump_health.sensor import NEXT_SERVICE, SENSORS, STATUS_OPTIONS
from custom_components.heat_pump_health.validation import vol

from . import hassfest_like as hf

ROOT = Path(__file__).parent.parent
INTEGRATION = ROOT / "custom_components" / DOMAIN
BRAND = INTEGRATION / "brand"
README = (ROOT / "README.md").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _json(path: Path) -> dict[str, Any]:
    """A JSON file's object."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


MANIFEST = _json(INTEGRATION / "manifest.json")
HACS = _json(ROOT / "hacs.json")
STRINGS = _json(INTEGRATION / "translations" / "en.json")
ICONS = _json(INTEGRATION / "icons.json")
SERVICES = load_yaml_dict(str(INTEGRATION / "services.yaml"))
QUALITY_SCALE = load_yaml_dict(str(INTEGRATION / "quality_scale.yaml"))
RULES: dict[str, str] = {
    rule: hf.rule_status(value) for rule, value in QUALITY_SCALE.get("rules", {}).items()
}
DONE = {rule for rule, status in RULES.items() if status == "done"}
EXEMPT = {rule for rule, status in RULES.items() if status == "exempt"}

# Every entity the integration can create, by platform and translation key, with its device
# class: what the descriptions (and the problem sensor class) declare.
ENTITY_DESCRIPTIONS: dict[tuple[str, str], EntityDescription] = (
    {
        ("sensor", description.translation_key or ""): description
        for description in (*SENSORS, NEXT_SERVICE)
    }
    | {("button", description.translation_key or ""): description for description in BUTTONS}
    | {("event", EVENT_DESCRIPTION.translation_key or ""): EVENT_DESCRIPTION}
)
ENTITY_DEVICE_CLASSES: dict[tuple[str, str], str | None] = {
    key: description.device_class for key, description in ENTITY_DESCRIPTIONS.items()
} | {("binary_sensor", key.value): FindingBinarySensor._attr_device_class for key in FindingKey}

# hassfest findings the integration is known to have, each with what fixes it. They do not fail
# the tests while they last; once fixed, the entry must go (the test says so).
KNOWN_DEVIATIONS: dict[str, set[str]] = {}


# --- manifest.json ---------------------------------------------------------------------------


def test_manifest_passes_hassfest() -> None:
    """Schema, key order, version, dependencies, requirements and CONFIG_SCHEMA, as hassfest."""
    init = hf.parse(INTEGRATION / "__init__.py")
    assert hf.manifest_problems(MANIFEST, INTEGRATION) == []
    assert hf.config_schema_problems(init) == []
    assert hf.dependency_problems(MANIFEST, INTEGRATION) == []


def test_manifest_has_what_a_custom_integration_needs() -> None:
    """Every key HACS and a custom integration need, owners as handles, one version everywhere."""
    required = {
        "domain",
        "name",
        "codeowners",
        "config_flow",
        "documentation",
        "integration_type",
        "iot_class",
        "issue_tracker",
        "version",
    }
    assert required <= set(MANIFEST)
    assert hf.invalid(hf.HACS_INTEGRATION_MANIFEST_SCHEMA, MANIFEST) is None
    assert all(owner.startswith("@") for owner in MANIFEST["codeowners"])
    assert MANIFEST["version"] == PYPROJECT["project"]["version"]
    # A custom integration with a core domain would replace the core one.
    assert not (Path(homeassistant.components.__path__[0]) / DOMAIN).exists()


async def test_manifest_dependencies_exist(hass: HomeAssistant) -> None:
    """Every dependency and after-dependency is an integration Home Assistant knows."""
    for domain in (*MANIFEST.get("dependencies", []), *MANIFEST.get("after_dependencies", [])):
        assert (await async_get_integration(hass, domain)).domain == domain


def _pin(path: Path, package: str) -> str | None:
    """The version a requirements file pins a package to."""
    text = path.read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(package)}==(\S+)$", text, re.MULTILINE)
    return match.group(1) if match else None


def _line(version: str) -> str:
    """A Home Assistant version's release line, such as 2026.8."""
    return ".".join(str(version).split(".")[:2])


def test_supported_home_assistant_versions_agree() -> None:
    """hacs.json, the README and the minimum test requirements name one oldest release."""
    minimum = _line(HACS["homeassistant"])
    stated = re.search(
        r"Requires Home Assistant (\d{4}\.\d+) or newer \(tested with ([^)]*)\)", README
    )
    assert stated is not None
    assert stated.group(1) == minimum
    tested = re.findall(r"\d{4}\.\d+", stated.group(2))
    assert minimum in tested
    min_requirements = ROOT / "requirements_test_min.txt"
    assert f"the {minimum} line" in min_requirements.read_text(encoding="utf-8")
    assert AwesomeVersion(ha_version) >= AwesomeVersion(HACS["homeassistant"])
    # The test harness pins Home Assistant: the minimum requirements' pin is the oldest release.
    harness = "pytest-homeassistant-custom-component"
    pinned = next(
        requirement.split("==")[1]
        for requirement in metadata.requires(harness) or []
        if requirement.startswith("homeassistant==")
    )
    installed = metadata.version(harness)
    if installed == _pin(min_requirements, harness):
        assert _line(pinned) == minimum
    if installed == _pin(ROOT / "requirements_test.txt", harness):
        assert _line(pinned) in tested


# --- translations/en.json --------------------------------------------------------------------


def test_strings_pass_hassfest() -> None:
    """en.json fits hassfest's translation schema, with no references it cannot resolve."""
    schema = hf.gen_strings_schema(MANIFEST["integration_type"])
    assert hf.invalid(schema, STRINGS) is None
    # A custom integration's [%key:...%] references are not resolved by anything.
    assert hf.references(STRINGS) == []


def _flow_kind(node: ast.ClassDef) -> str | None:
    """Which strings a flow class reads: config, options or issues (repair flows)."""
    bases = hf.base_names(node)
    if any(base.endswith("ConfigFlow") for base in bases):
        return "config"
    if any("OptionsFlow" in base for base in bases):
        return "options"
    if any(base == "RepairsFlow" for base in bases):
        return "issues"
    return None


def _keyword(call: ast.Call, name: str) -> str | None:
    """A call's keyword argument, when it is a string literal."""
    for keyword in call.keywords:
        if keyword.arg == name and isinstance(keyword.value, ast.Constant):
            return str(keyword.value.value)
    return None


def _flow_strings_used(node: ast.ClassDef) -> dict[str, set[str]]:
    """The steps a flow class shows and the abort reasons and errors it gives, by kind."""
    used: dict[str, set[str]] = {"step": set(), "abort": set(), "error": set()}
    for function in node.body:
        if not isinstance(function, ast.AsyncFunctionDef):
            continue
        for call in ast.walk(function):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
                continue
            method = call.func.attr
            if method in ("async_show_form", "async_show_menu"):
                own = function.name.removeprefix("async_step_")
                used["step"].add(_keyword(call, "step_id") or own)
            elif method == "async_abort" and (reason := _keyword(call, "reason")):
                used["abort"].add(reason)
            elif method == "_abort_if_unique_id_configured":
                used["abort"].add("already_configured")
            elif method == "async_update_reload_and_abort":
                used["abort"].add("reconfigure_successful")
        used["error"] |= {
            str(assign.value.value)
            for assign in ast.walk(function)
            if isinstance(assign, ast.Assign) and isinstance(assign.value, ast.Constant)
            for target in assign.targets
            if isinstance(target, ast.Subscript)
            and isinstance(target.value, ast.Name)
            and target.value.id == "errors"
        }
    return used


def _flows(path: Path) -> dict[str, tuple[str, dict[str, set[str]]]]:
    """The flow classes of a module: their kind and the strings they use."""
    return {
        node.name: (kind, _flow_strings_used(node))
        for node in hf.parse(path).body
        if isinstance(node, ast.ClassDef) and (kind := _flow_kind(node))
    }


def test_config_and_options_steps_have_strings() -> None:
    """Each step the flows show has a title or description, and no step strings are left over."""
    flows = _flows(INTEGRATION / "config_flow.py")
    for kind in ("config", "options"):
        used = [strings for flow_kind, strings in flows.values() if flow_kind == kind]
        steps = set().union(*(strings["step"] for strings in used))
        aborts = set().union(*(strings["abort"] for strings in used))
        assert set(STRINGS[kind]["step"]) == steps, kind
        assert aborts <= set(STRINGS[kind].get("abort", {})), kind
        for step in steps:
            assert {"title", "description"} & set(STRINGS[kind]["step"][step]), (kind, step)


def _issue_keys() -> dict[str, bool]:
    """Each issue's translation key and whether it is fixable, as issues.py raises them."""
    keys: dict[str, bool] = {}
    for call in ast.walk(hf.parse(INTEGRATION / "issues.py")):
        if not (
            isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "async_create_issue"
        ):
            continue
        arguments = {keyword.arg: keyword.value for keyword in call.keywords}
        fixable = arguments["is_fixable"]
        assert isinstance(fixable, ast.Constant)
        key = arguments["translation_key"]
        # A constant of issues.py, or a finding's key.
        names = (
            [getattr(issues_module, key.id)]
            if isinstance(key, ast.Name)
            else [finding.value for finding in FindingKey]
        )
        keys |= dict.fromkeys(names, bool(fixable.value))
    return keys


def test_repairs_issues_and_flows_have_strings() -> None:
    """Fixable issues have a fix flow with every step, menu, error and abort their flow uses."""
    raised = _issue_keys()
    assert set(STRINGS["issues"]) == set(raised)
    for key, fixable in raised.items():
        assert ("fix_flow" in STRINGS["issues"][key]) is fixable, key
    flows = _flows(INTEGRATION / "repairs.py")
    flow_of = {key.value: "FindingRepairFlow" for key in FindingKey}
    flow_of[issues_module.SOURCE_MISSING] = "SourceMissingRepairFlow"
    for key, flow in flow_of.items():
        strings = STRINGS["issues"][key]["fix_flow"]
        used = flows[flow][1]
        assert set(strings["step"]) == used["step"], key
        assert used["abort"] <= set(strings.get("abort", {})), key
        assert used["error"] <= set(strings.get("error", {})), key
    for key in FindingKey:
        menu = STRINGS["issues"][key]["fix_flow"]["step"]["init"]["menu_options"]
        assert set(menu) == set(repair_menu(key)), key


# --- services.yaml against the registered actions -------------------------------------------


def _fields_of(schema: Any) -> dict[str, Any]:
    """A voluptuous schema's keys (markers) by name."""
    return {str(marker): marker for marker in schema.schema}


def _required(marker: Any) -> bool:
    """Whether a caller must give the field: Required with no default."""
    return isinstance(marker, vol.Required) and marker.default is vol.UNDEFINED


def _service_problems(name: str, schema: Any) -> list[str]:
    """How an action's services.yaml entry and translations disagree with its schema."""
    problems: list[str] = []
    fields = hf.service_fields(SERVICES[name])
    markers = _fields_of(schema)
    if set(fields) != set(markers):
        return [f"{name}: services.yaml fields {sorted(fields)} != schema {sorted(markers)}"]
    strings = STRINGS["services"][name]
    if set(strings.get("fields", {})) != set(fields):
        problems.append(f"{name}: translated fields differ from services.yaml")
    for field, spec in fields.items():
        marker, validator = markers[field], schema.schema[markers[field]]
        if spec.get("required", False) != _required(marker):
            problems.append(f"{name}.{field}: required in services.yaml and schema differ")
        if "default" in spec and (
            marker.default is vol.UNDEFINED
            or vol.Schema(validator)(spec["default"]) != marker.default()
        ):
            problems.append(f"{name}.{field}: default differs from the schema's")
        if "example" in spec and hf.invalid(vol.Schema(validator), spec["example"]):
            problems.append(f"{name}.{field}: the example is refused by the schema")
        problems.extend(
            _selector_problems(f"{name}.{field}", spec.get("selector") or {}, validator)
        )
    return problems


def _selector_problems(where: str, spec: dict[str, Any], validator: Any) -> list[str]:
    """A select's options are the schema's and translated; a config entry picker is ours."""
    problems: list[str] = []
    if select := spec.get("select"):
        options = [
            option if isinstance(option, str) else option["value"] for option in select["options"]
        ]
        if isinstance(validator, vol.In) and set(options) != set(validator.container):
            problems.append(f"{where}: select options differ from the schema's")
        if key := select.get("translation_key"):
            translated = STRINGS.get("selector", {}).get(key, {}).get("options", {})
            if set(translated) != set(options):
                problems.append(f"{where}: selector {key} translations differ from its options")
    if "config_entry" in spec and (spec["config_entry"] or {}).get("integration") != DOMAIN:
        problems.append(f"{where}: the config entry picker is not narrowed to {DOMAIN}")
    return problems


async def test_services_yaml_matches_the_actions(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """services.yaml, the registered actions' schemas and their translations agree."""
    assert hf.invalid(hf.CUSTOM_INTEGRATION_SERVICES_SCHEMA, SERVICES) is None
    registered = hass.services.async_services_for_domain(DOMAIN)
    assert set(registered) == set(SERVICES)
    assert set(STRINGS["services"]) == set(SERVICES)
    problems = [
        problem
        for name, service in registered.items()
        for problem in _service_problems(name, service.schema)
    ]
    assert problems == []


# --- icons.json ------------------------------------------------------------------------------


def test_icons_pass_hassfest() -> None:
    """icons.json fits hassfest's schema, with no state icon that repeats its default."""
    assert hf.invalid(hf.icon_schema(MANIFEST["integration_type"]), ICONS) is None
    assert hf.redundant_state_icons(ICONS) == []


def test_every_entity_and_action_has_an_icon() -> None:
    """Each entity has an icon or a device class to take one from; each action has an icon."""
    icons = ICONS.get("entity", {})
    missing = [
        key
        for key, device_class in ENTITY_DEVICE_CLASSES.items()
        if key[1] not in icons.get(key[0], {}) and device_class is None
    ]
    assert missing == []
    # No icon for an entity that does not exist.
    assert {(p, k) for p, keys in icons.items() for k in keys} <= set(ENTITY_DEVICE_CLASSES)
    assert set(ICONS.get("services", {})) == set(SERVICES)
    for service, icon in ICONS["services"].items():
        assert isinstance(icon, str) or "service" in icon, service


def test_state_icons_are_for_real_states() -> None:
    """State icons are for states the entities have."""
    states = {
        ("sensor", "status"): set(STATUS_OPTIONS),
        **{("binary_sensor", key.value): {"on", "off"} for key in FindingKey},
    }
    for platform, entities in ICONS["entity"].items():
        for key, icon in entities.items():
            assert set(icon.get("state", {})) <= states.get((platform, key), set()), key
    event = ICONS["entity"]["event"]["finding"]["state_attributes"]["event_type"]["state"]
    assert set(event) <= set(EVENT_TYPES)


# --- every folder the hassfest action validates ---------------------------------------------

# The hassfest action validates each folder with a manifest.json, not only the integration.
MANIFEST_FOLDERS = hf.integration_folders(ROOT)
SIMULATOR = ROOT / "dev" / "heat_pump_sim"


def test_hassfest_folders_are_found_as_the_action_finds_them(tmp_path: Path) -> None:
    """Folders with a manifest.json at any depth; none under hidden folders or through links."""
    for folder in ("a", "b/c/d", ".hidden/e", "f/.venv/g"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "manifest.json").write_text("{}", encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "a", target_is_directory=True)
    assert hf.integration_folders(tmp_path) == [tmp_path / "a", tmp_path / "b" / "c" / "d"]
    assert {INTEGRATION, SIMULATOR} <= set(MANIFEST_FOLDERS)


@pytest.mark.parametrize(
    "folder", MANIFEST_FOLDERS, ids=lambda folder: folder.relative_to(ROOT).as_posix()
)
def test_every_manifest_folder_passes_hassfest(folder: Path) -> None:
    """JSON, manifest, CONFIG_SCHEMA, dependencies, translations, icons, services, scale."""
    assert hf.integration_problems(folder) == []


def test_simulator_flow_steps_have_strings() -> None:
    """The dev simulator's config flow shows no step without a title or description."""
    strings = _json(SIMULATOR / "translations" / "en.json")["config"]
    assert _json(SIMULATOR / "strings.json")["config"] == strings
    (kind, used), *others = _flows(SIMULATOR / "config_flow.py").values()
    assert (kind, others) == ("config", [])
    assert set(strings["step"]) == used["step"]
    assert used["abort"] <= set(strings["abort"])
    for step in strings["step"].values():
        assert {"title", "description"} <= set(step)


# --- hacs.json and the repository layout -----------------------------------------------------


# The licence keys GitHub reports that the HACS action accepts (validate/license.py).
OPEN_SOURCE_LICENSES = {"apache-2.0", "bsd-2-clause", "bsd-3-clause", "mit", "mpl-2.0"}
# Root files GitHub's licence detection reads: a second one would make it report "other".
LICENCE_FILE = re.compile(r"(un)?licen[sc]e|copying|copyright", re.IGNORECASE)


def test_repository_has_one_open_source_licence() -> None:
    """One LICENSE at the root, the licence pyproject declares, named in the README."""
    assert [path.name for path in ROOT.iterdir() if LICENCE_FILE.match(path.name)] == ["LICENSE"]
    licence = PYPROJECT["project"]["license"]
    assert licence.lower() in OPEN_SOURCE_LICENSES
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith(f"{licence} License\n")
    assert f"under the {licence} License ([LICENSE](LICENSE))" in _section("install")
    # Third-party notices live beside it, so the licence text stays GitHub's template.
    assert "[NOTICE](NOTICE)" in README
    assert "Copyright (c) 2023 Tobias Brudermüller" in (ROOT / "NOTICE").read_text(encoding="utf-8")


def test_hacs_json_passes_the_hacs_action() -> None:
    """hacs.json has only keys HACS knows, and the repository is laid out as HACS reads it."""
    assert hf.invalid(hf.HACS_MANIFEST_JSON_SCHEMA, HACS) is None
    assert AwesomeVersion(HACS["homeassistant"]).valid
    if HACS.get("zip_release"):
        assert HACS.get("filename")
    assert not HACS.get("content_in_root")
    # The information check: a README (rendered, since render_readme is set) or info.md.
    assert (ROOT / ("README.md" if HACS.get("render_readme") else "info.md")).is_file()
    integrations = [
        path.name
        for path in (ROOT / "custom_components").iterdir()
        if path.is_dir() and path.name != "__pycache__"
    ]
    assert integrations == [DOMAIN]


# What the Marketplace (Home Assistant 2026.11 and newer) reads from a repository: these keys of
# hacs.json, each of one type (it ignores the others, and a value of another type), and from the
# manifest a domain it can use as a folder name and a version the loader accepts
# (homeassistant/components/marketplace: utils/validate.py, repositories/integration.py).
MARKETPLACE_HACS_JSON_TYPES: dict[str, type] = {
    "content_in_root": bool,
    "filename": str,
    "hacs": str,
    "hide_default_branch": bool,
    "homeassistant": str,
    "name": str,
    "persistent_directory": str,
    "zip_release": bool,
}
MARKETPLACE_DOMAIN = re.compile(r"^[a-z0-9_-]+$")


def test_hacs_json_and_manifest_as_the_marketplace_reads_them() -> None:
    """The Marketplace takes every hacs.json value HACS does, the domain and the version."""
    if find_spec("homeassistant.components.marketplace") is not None:
        validate = import_module("homeassistant.components.marketplace.utils.validate")
        assert set(validate.REPOSITORY_MANIFEST_VALUES) == set(MARKETPLACE_HACS_JSON_TYPES)
    read = {key: value for key, value in HACS.items() if key in MARKETPLACE_HACS_JSON_TYPES}
    assert read == {key: HACS[key] for key in ("name", "homeassistant")}
    assert all(isinstance(value, MARKETPLACE_HACS_JSON_TYPES[key]) for key, value in read.items())
    assert AwesomeVersion(HACS["homeassistant"]).valid
    assert MARKETPLACE_DOMAIN.match(MANIFEST["domain"])
    assert hf.verify_version(MANIFEST["version"]) == MANIFEST["version"]
    assert isinstance(MANIFEST["config_flow"], bool)
    assert all(isinstance(owner, str) for owner in MANIFEST["codeowners"])


# --- brand images ----------------------------------------------------------------------------


def _trimmed(data: bytes) -> bool:
    """Whether the visible content reaches both edges on at least one axis."""
    with Image.open(io.BytesIO(data)) as image:
        box = image.convert("RGBA").getchannel("A").getbbox()
        width, height = image.size
    return box is not None and (box[0::2] == (0, width) or box[1::2] == (0, height))


def test_brand_images() -> None:
    """brand/ has the images Home Assistant serves for a custom integration, in the right sizes."""
    images = {path.name: path.read_bytes() for path in BRAND.iterdir()}
    assert "icon.png" in images
    assert set(images) <= ALLOWED_IMAGES
    sizes: dict[str, tuple[int, int]] = {}
    for name, data in images.items():
        header = hf.png_header(data)
        assert header is not None, f"{name} is not a PNG"
        width, height, colour_type = header
        assert colour_type in hf.RGB_COLOUR_TYPES, f"{name} is not RGB"
        assert hf.brand_image_problems(name, width, height) == []
        assert _trimmed(data), f"{name} has empty margins all round"
        sizes[name] = (width, height)
    for name, (width, height) in sizes.items():
        # hDPI images are the same picture at twice the size; dark ones match the light ones.
        if (hdpi := name.replace(".png", "@2x.png")) in sizes:
            assert all(
                abs(2 * a - b) <= 1 for a, b in zip((width, height), sizes[hdpi], strict=True)
            )
        if (light := name.removeprefix("dark_")) != name and light in sizes:
            assert sizes[light] == (width, height), name


# --- quality_scale.yaml ----------------------------------------------------------------------


def test_quality_scale_lists_every_rule() -> None:
    """Every rule of the current scale, each done, or exempt or todo with a comment."""
    assert hf.invalid(hf.QUALITY_SCALE_SCHEMA, QUALITY_SCALE) is None
    assert set(RULES) == set(hf.ALL_RULES)
    assert list(RULES) == list(hf.ALL_RULES)
    for rule, value in QUALITY_SCALE["rules"].items():
        if RULES[rule] != "done":
            assert isinstance(value, dict), rule
            assert value.get("comment"), rule


def _heading(pattern: str) -> list[str]:
    """Nothing when the README has a heading like this, else what is missing."""
    if re.search(rf"^#+ .*(?:{pattern})", README, re.MULTILINE | re.IGNORECASE):
        return []
    return [f"README has no heading matching {pattern!r}"]


def _section(pattern: str) -> str:
    """The README's section under the first heading like this (to the next heading as high)."""
    match = re.search(rf"^(#+) .*(?:{pattern}).*$", README, re.MULTILINE | re.IGNORECASE)
    if match is None:
        return ""
    rest = README[match.end() :]
    end = re.search(rf"^#{{1,{len(match.group(1))}}} ", rest, re.MULTILINE)
    return rest[: end.start()] if end else rest


def _in_readme(keys: Any, section: str = "") -> list[str]:
    """Keys the README (or one of its sections) does not mention in backticks."""
    text = _section(section) if section else README
    where = f"README section {section!r}" if section else "README"
    return [f"{where} does not mention `{key}`" for key in keys if f"`{key}`" not in text]


def _option_keys() -> set[str]:
    """The keys of every option in the options form's sections."""
    sections = STRINGS["options"]["step"]["init"]["sections"]
    return {key for section in sections.values() for key in section["data"]}


def _services_documented() -> list[str]:
    """Each action, with each of its fields, is in the README."""
    actions = [f"{DOMAIN}.{name}" for name in SERVICES]
    fields = {field for name in SERVICES for field in hf.service_fields(SERVICES[name])}
    return _in_readme(actions, "actions") + _in_readme(sorted(fields), "actions")


def _description_first() -> list[str]:
    """The README opens with what the integration does, before the first section."""
    intro = README.split("\n## ", 1)[0]
    return [] if len(intro.split("\n", 1)[-1].strip()) >= 200 else ["README has no introduction"]


DOCS_CHECKS: dict[str, Callable[[], list[str]]] = {
    "docs-actions": _services_documented,
    "docs-conditions": lambda: _heading("conditions"),
    "docs-configuration-parameters": lambda: _in_readme(_option_keys(), "options"),
    "docs-data-update": lambda: _heading("data is updated|data update"),
    "docs-examples": lambda: (
        []
        if re.search(r"```yaml\n(?:.*\n)*?.*trigger", README)
        else ["README has no automation example"]
    ),
    "docs-high-level-description": _description_first,
    "docs-installation-instructions": lambda: (
        _heading("install")
        + [
            f"README does not say how to install with {way}"
            for way in ("the Marketplace", "HACS")
            if f"Through {way}" not in _section("install")
        ]
    ),
    "docs-installation-parameters": lambda: _in_readme(
        STRINGS["config"]["step"]["user"]["data"], "set up"
    ),
    "docs-known-limitations": lambda: _heading("known limitations"),
    "docs-removal-instructions": lambda: _heading("remov|uninstall"),
    "docs-supported-devices": lambda: _heading("supported"),
    "docs-supported-functions": lambda: (
        _heading("entities")
        + _in_readme(sorted({key for keys in STRINGS["entity"].values() for key in keys}))
    ),
    "docs-troubleshooting": lambda: _heading("troubleshooting"),
    "docs-triggers": lambda: _heading("triggers"),
    "docs-use-cases": lambda: _heading("use cases"),
}


def _explicit(keywords: tuple[str, ...], attributes: tuple[str, ...]) -> list[str]:
    """Entity code that sets these description keywords or `_attr_` attributes."""
    found: list[str] = []
    for path in INTEGRATION.glob("*.py"):
        for node in ast.walk(hf.parse(path)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "").endswith("Description"):
                found += [f"{path.name}: {k.arg}=" for k in node.keywords if k.arg in keywords]
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [getattr(t, "attr", getattr(t, "id", "")) for t in targets]
                found += [f"{path.name}: {name}" for name in names if name in attributes]
    return found


HA_ERRORS = {
    "HomeAssistantError",
    "ServiceValidationError",
    "ConfigEntryError",
    "ConfigEntryNotReady",
    "ConfigEntryAuthFailed",
}


def _exception_translation_problems() -> list[str]:
    """Home Assistant errors the integration raises carry a translation key of en.json."""
    problems: list[str] = []
    used: set[str] = set()
    for path in INTEGRATION.glob("**/*.py"):
        for node in ast.walk(hf.parse(path)):
            if not isinstance(node, ast.Raise) or node.exc is None:
                continue
            call = node.exc
            name = getattr(call.func if isinstance(call, ast.Call) else call, "id", "")
            if name not in HA_ERRORS:
                continue
            key = _keyword(call, "translation_key") if isinstance(call, ast.Call) else None
            domain = isinstance(call, ast.Call) and any(
                keyword.arg == "translation_domain" for keyword in call.keywords
            )
            if key is None or not domain:
                problems.append(f"{path.name}:{node.lineno} raises {name} untranslated")
            elif key not in STRINGS.get("exceptions", {}):
                problems.append(f"{path.name}:{node.lineno}: {key} is not in en.json")
            else:
                used.add(key)
    problems += [f"exceptions.{key} is never raised" for key in set(STRINGS["exceptions"]) - used]
    return problems


def _raised_in(module: str) -> list[str]:
    """The Home Assistant errors a module raises."""
    return [
        name
        for node in ast.walk(hf.parse(INTEGRATION / module))
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
        if (name := getattr(node.exc.func, "id", "")) in HA_ERRORS
    ]


def _device_class_problems() -> list[str]:
    """Sensors measured in a unit that has a device class use one (percentages aside)."""
    units = {unit for units in DEVICE_CLASS_UNITS.values() for unit in units} - {PERCENTAGE, None}
    return [
        key
        for (platform, key), description in ENTITY_DESCRIPTIONS.items()
        if platform == "sensor"
        and getattr(description, "native_unit_of_measurement", None) in units
        and description.device_class is None
    ]


def _removes_stale_devices() -> list[str]:
    """The integration removes devices it no longer needs, or lets the owner remove them."""
    init = hf.parse(INTEGRATION / "__init__.py")
    if "async_remove_config_entry_device" in hf.async_functions(init):
        return []
    # The removal itself lives in device.py, called from setup.
    device = hf.parse(INTEGRATION / "device.py")
    called = {
        node.func.id
        for node in ast.walk(init)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    if "async_remove_own_device" not in called:
        return ["__init__.py neither removes devices nor offers async_remove_config_entry_device"]
    if hf.calls(device, "async_remove_device") or hf.calls(device, "async_update_device"):
        return []
    return ["device.py's async_remove_own_device removes no device"]


def _strict_typing() -> list[str]:
    """mypy --strict runs on the integration in scripts/test."""
    problems = [] if PYPROJECT["tool"]["mypy"].get("strict") else ["mypy is not strict"]
    test_script = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    if not re.search(rf"^\s*mypy .*custom_components/{DOMAIN}", test_script, re.MULTILINE):
        problems.append("scripts/test does not run mypy on the integration")
    return problems


def _test_coverage() -> list[str]:
    """Coverage is measured on the integration, with branches, and fails below 95 %."""
    run, report = PYPROJECT["tool"]["coverage"]["run"], PYPROJECT["tool"]["coverage"]["report"]
    problems = [] if report.get("fail_under", 0) >= 95 else ["coverage fail_under is below 95"]
    if f"custom_components/{DOMAIN}" not in run.get("source", []) or not run.get("branch"):
        problems.append("coverage does not measure the integration's branches")
    return problems


def _config_flow_tested() -> list[str]:
    """The config flow's tests go through every step and abort."""
    tests = (ROOT / "tests" / "test_config_flow.py").read_text(encoding="utf-8")
    flows = _flows(INTEGRATION / "config_flow.py").values()
    wanted = set().union(*(strings["step"] | strings["abort"] for _, strings in flows))
    return [f"test_config_flow.py never mentions {name}" for name in wanted if name not in tests]


def _file(*parts: str) -> Callable[[], list[str]]:
    """Nothing when the integration has this file, else that it is missing."""
    return lambda: (
        [] if INTEGRATION.joinpath(*parts).is_file() else [f"{'/'.join(parts)} is missing"]
    )


def _unless_found(found: list[str], claim: str) -> list[str]:
    """The claim as a problem, unless something was found that bears it out."""
    return [] if found else [claim]


# Mechanical checks of `done` claims, by rule: each returns what contradicts the claim.
DONE_CHECKS: dict[str, Callable[[], list[str]]] = {
    **DOCS_CHECKS,
    "action-setup": lambda: hf.check_action_setup(INTEGRATION),
    "brands": _file("brand", "icon.png"),
    "common-modules": lambda: _file("coordinator.py")() + _file("entity.py")(),
    "config-entry-unloading": lambda: hf.check_config_entry_unloading(INTEGRATION),
    "config-flow": lambda: hf.check_config_flow(INTEGRATION, MANIFEST),
    "config-flow-test-coverage": _config_flow_tested,
    "diagnostics": lambda: hf.check_diagnostics(INTEGRATION),
    "discovery": lambda: hf.check_discovery(INTEGRATION, MANIFEST),
    "entity-device-class": _device_class_problems,
    "entity-translations": lambda: _explicit(("name",), ("_attr_name",)),
    "exception-translations": _exception_translation_problems,
    "action-exceptions": lambda: _unless_found(
        _raised_in("services.py"), "services.py raises nothing"
    ),
    "has-entity-name": lambda: hf.entity_classes_without(INTEGRATION, "_attr_has_entity_name"),
    "icon-translations": lambda: _explicit(("icon",), ("_attr_icon",)) + _file("icons.json")(),
    "integration-owner": lambda: [] if MANIFEST.get("codeowners") else ["no codeowners"],
    "parallel-updates": lambda: hf.check_parallel_updates(INTEGRATION),
    "reauthentication-flow": lambda: hf.check_reauthentication_flow(INTEGRATION),
    "reconfiguration-flow": lambda: hf.check_reconfiguration_flow(INTEGRATION),
    "repair-issues": lambda: (
        _file("repairs.py")() + ([] if STRINGS.get("issues") else ["no issues"])
    ),
    "runtime-data": lambda: hf.check_runtime_data(INTEGRATION, DONE),
    "stale-devices": _removes_stale_devices,
    "strict-typing": _strict_typing,
    "test-coverage": _test_coverage,
    "unique-config-entry": lambda: hf.check_unique_config_entry(INTEGRATION, MANIFEST),
}


@cache
def _code_names() -> frozenset[str]:
    """Every name, attribute and argument the integration's code uses."""
    return frozenset(
        name
        for path in INTEGRATION.glob("**/*.py")
        for node in ast.walk(hf.parse(path))
        for field in ("id", "attr", "arg")
        if isinstance(name := getattr(node, field, None), str)
    )


def _names_in_code(*names: str) -> list[str]:
    """Which of these names the integration's code uses."""
    return sorted(_code_names() & set(names))


def _no_requirements() -> list[str]:
    """The manifest has no requirements."""
    return [f"requirement {r}" for r in MANIFEST.get("requirements", [])]


# Mechanical checks of `exempt` claims: each returns what contradicts the exemption.
EXEMPT_CHECKS: dict[str, Callable[[], list[str]]] = {
    "appropriate-polling": lambda: _names_in_code("SCAN_INTERVAL", "update_interval"),
    "async-dependency": _no_requirements,
    "dependency-transparency": _no_requirements,
    "discovery": lambda: _unless_found(hf.check_discovery(INTEGRATION, MANIFEST), "has discovery"),
    "discovery-update-info": lambda: _unless_found(
        hf.check_discovery(INTEGRATION, MANIFEST), "has discovery"
    ),
    "docs-conditions": lambda: [
        name
        for name in ("conditions.yaml", "condition.py", "device_condition.py")
        if (INTEGRATION / name).is_file()
    ],
    "docs-triggers": lambda: [
        name
        for name in ("triggers.yaml", "trigger.py", "device_trigger.py")
        if (INTEGRATION / name).is_file()
    ],
    "inject-websession": lambda: (
        _no_requirements()
        + _names_in_code("async_get_clientsession", "async_create_clientsession", "ClientSession")
    ),
    "reauthentication-flow": lambda: _names_in_code(
        "CONF_PASSWORD", "CONF_API_KEY", "CONF_TOKEN", "CONF_ACCESS_TOKEN", "async_step_reauth"
    ),
    "test-before-setup": lambda: _names_in_code("ConfigEntryNotReady", "ConfigEntryError"),
}


def _unexpected(problems: dict[str, list[str]]) -> dict[str, list[str]]:
    """Problems that are not known deviations."""
    found = {
        rule: sorted(set(found) - KNOWN_DEVIATIONS.get(rule, set()))
        for rule, found in problems.items()
    }
    return {rule: found for rule, found in found.items() if found}


def test_quality_scale_done_claims_hold() -> None:
    """Each rule marked done that can be checked from the files is met."""
    problems = {rule: DONE_CHECKS[rule]() for rule in DONE if rule in DONE_CHECKS}
    assert _unexpected(problems) == {}
    fixed = {
        rule: sorted(known - set(problems.get(rule, [])))
        for rule, known in KNOWN_DEVIATIONS.items()
        if known - set(problems.get(rule, []))
    }
    assert fixed == {}, "fixed: take these off KNOWN_DEVIATIONS"


def test_quality_scale_exemptions_hold() -> None:
    """Each exemption that can be checked from the files fits the code."""
    problems = {rule: EXEMPT_CHECKS[rule]() for rule in EXEMPT if rule in EXEMPT_CHECKS}
    assert _unexpected(problems) == {}


def _runtime_problems(
    hass: HomeAssistant, entry: MockConfigEntry, entities: list[Entity]
) -> dict[str, list[str]]:
    """What the running integration shows against each claim it can disprove."""
    registered = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    icons = ICONS.get("entity", {})
    return {
        "has-entity-name": [e.entity_id for e in entities if not e.has_entity_name],
        "entity-unique-id": [e.entity_id for e in entities if e.unique_id is None],
        "devices": [e.entity_id for e in registered if e.device_id is None],
        "entity-translations": [
            e.entity_id
            for e in entities
            if e.translation_key is None
            or hasattr(e, "_attr_name")
            or e.entity_description.name not in (UNDEFINED, None)
        ],
        "icon-translations": [
            e.entity_id
            for e in entities
            if e.icon is not None
            or (
                e.translation_key not in icons.get(e.platform.domain, {}) and e.device_class is None
            )
        ],
        "entity-category": [] if any(e.entity_category for e in registered) else ["none"],
        "entity-disabled-by-default": []
        if any(e.disabled_by is er.RegistryEntryDisabler.INTEGRATION for e in registered)
        else ["none"],
        "runtime-data": []
        if getattr(entry, "runtime_data", None) is not None and DOMAIN not in hass.data
        else ["no runtime_data, or hass.data used"],
    }


async def test_quality_scale_claims_hold_at_runtime(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The set-up integration's entities, devices and entry bear out its claims."""
    entry = init_integration
    entities = [
        entity
        for platform in async_get_platforms(hass, DOMAIN)
        for entity in platform.entities.values()
    ]
    # The entities the descriptions declare are the ones that exist.
    assert {(e.platform.domain, e.translation_key) for e in entities} <= set(ENTITY_DEVICE_CLASSES)
    problems = _runtime_problems(hass, entry, entities)
    assert {rule: found for rule, found in problems.items() if rule in DONE and found} == {}
    if "appropriate-polling" in EXEMPT:
        assert entry.runtime_data.update_interval is None
        assert not any(entity.should_poll for entity in entities)
    if "config-entry-unloading" in DONE:
        assert await hass.config_entries.async_unload(entry.entry_id)
        assert entry.state is ConfigEntryState.NOT_LOADED


async def test_actions_are_there_before_any_heat_pump(hass: HomeAssistant) -> None:
    """action-setup: the actions are registered when the integration loads, with no entry."""
    assert await async_setup_component(hass, DOMAIN, {})
    registered = set(hass.services.async_services_for_domain(DOMAIN))
    assert registered == (set(SERVICES) if "action-setup" in DONE else registered)
    assert hass.config_entries.async_entries(DOMAIN) == []
