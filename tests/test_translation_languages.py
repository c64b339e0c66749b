"""Every translation says what en.json says, with the same keys, placeholders and markup."""

import json
from pathlib import Path
import re
import string
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heat_pump_health.const import DOMAIN

TRANSLATIONS = Path(__file__).parent.parent / "custom_components" / DOMAIN / "translations"
PROMISED = ("de", "es", "fr", "nl", "sv")
LANGUAGES = sorted(path.stem for path in TRANSLATIONS.glob("*.json") if path.stem != "en")

# English texts that may stay as they are in a translation although longer than
# UNTRANSLATED_MAX_WORDS words (none yet; add a text here only if it is genuinely the same).
UNTRANSLATED_ALLOWED: frozenset[str] = frozenset()
UNTRANSLATED_MAX_WORDS = 3

REFERENCE = re.compile(r"\[%key:[^%]+%\]")
CODE = re.compile(r"`[^`]*`")
LINK = re.compile(r"https?://[^\s)>\]]+")


def _load(language: str) -> dict[str, Any]:
    """A translation file, parsed."""
    tree = json.loads((TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8"))
    assert isinstance(tree, dict), f"{language}.json is not a JSON object"
    return tree


def _key_paths(tree: dict[str, Any], prefix: str = "") -> dict[str, str | None]:
    """Every key path: a string's text, or None for a group (empty ones included)."""
    paths: dict[str, str | None] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            paths[path] = None
            paths.update(_key_paths(value, f"{path}."))
        else:
            assert isinstance(value, str), f"{path} is a {type(value).__name__}, not a string"
            paths[path] = value
    return paths


def _strings(tree: dict[str, Any]) -> dict[str, str]:
    """Every string of a translation file, by key path."""
    return {path: text for path, text in _key_paths(tree).items() if text is not None}


def _placeholders(text: str) -> set[str]:
    """The placeholder names of a string, parsed as Home Assistant does."""
    # en.json has no literal braces, so every brace in it opens or closes a placeholder.
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _markup(text: str) -> tuple[list[str], int, list[str], int]:
    """The parts of a string a translation keeps: code, bold markers, links, line breaks."""
    code, links = sorted(CODE.findall(text)), sorted(LINK.findall(text))
    return code, text.count("**"), links, text.count("\n")


def test_english_placeholders_parse() -> None:
    """Every English string parses, so a translation's placeholders can be compared with it."""
    for path, text in _strings(_load("en")).items():
        try:
            _placeholders(text)
        except ValueError as err:
            pytest.fail(f"en.json {path}: {err}")


def test_languages_are_promised() -> None:
    """Only the languages the integration promises have a translation file."""
    assert set(LANGUAGES) <= set(PROMISED)


def test_every_promised_language_exists() -> None:
    """Every promised language has a translation file."""
    assert set(PROMISED) - set(LANGUAGES) == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_valid_json(language: str) -> None:
    """The file is a JSON object whose leaves are all strings."""
    assert _strings(_load(language))


@pytest.mark.parametrize("language", LANGUAGES)
def test_same_keys(language: str) -> None:
    """The same key paths as en.json, none missing and none extra, groups and strings alike."""
    english = {path: text is None for path, text in _key_paths(_load("en")).items()}
    translated = {path: text is None for path, text in _key_paths(_load(language)).items()}
    assert sorted(set(english) - set(translated)) == [], "missing"
    assert sorted(set(translated) - set(english)) == [], "extra"
    assert [path for path in english if english[path] != translated[path]] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_same_placeholders(language: str) -> None:
    """Each string has the placeholders and [%key:...%] references of its English original."""
    english = _strings(_load("en"))
    problems: list[str] = []
    for path, text in _strings(_load(language)).items():
        if path not in english:
            continue
        try:
            placeholders = _placeholders(text)
        except ValueError as err:
            problems.append(f"{path}: {err}")
            continue
        if placeholders != _placeholders(english[path]):
            problems.append(f"{path}: {sorted(placeholders)} != {_placeholders(english[path])}")
        if set(REFERENCE.findall(text)) != set(REFERENCE.findall(english[path])):
            problems.append(f"{path}: references differ")
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_same_markup(language: str) -> None:
    """Each string keeps the code spans, bold markers, links and line breaks of its original."""
    english = _strings(_load("en"))
    problems = [
        path
        for path, text in _strings(_load(language)).items()
        if path in english and _markup(text) != _markup(english[path])
    ]
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translated(language: str) -> None:
    """No sentence of more than a few words is left in English."""
    english = _strings(_load("en"))
    untranslated = [
        path
        for path, text in _strings(_load(language)).items()
        if text == english.get(path)
        and len(text.split()) > UNTRANSLATED_MAX_WORDS
        and text not in UNTRANSLATED_ALLOWED
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
async def test_home_assistant_loads_every_string(hass: HomeAssistant, language: str) -> None:
    """Home Assistant serves each string of the file, none replaced by its English fallback."""
    tree = _load(language)
    for category in _load("en"):
        loaded = await async_get_translations(hass, language, category, [DOMAIN])
        prefix = f"component.{DOMAIN}.{category}."
        expected = {f"{prefix}{path}": text for path, text in _strings(tree[category]).items()}
        assert loaded == expected, category


@pytest.fixture
def german(hass: HomeAssistant) -> None:
    """An instance whose language is German, set before the integration."""
    hass.config.language = "de"


@pytest.mark.usefixtures("german")
async def test_home_assistant_speaks_german(
    hass: HomeAssistant, init_integration: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """With the instance in German, entities are named from de.json."""
    strings = await async_get_translations(hass, "de", "entity", [DOMAIN])
    status = _load("de")["entity"]["sensor"]["status"]
    assert strings[f"component.{DOMAIN}.entity.sensor.status.name"] == status["name"]
    assert status["name"] != _load("en")["entity"]["sensor"]["status"]["name"]
    entity_id = entity_registry.async_get_entity_id(
        "sensor", DOMAIN, f"{init_integration.entry_id}_status"
    )
    assert entity_id is not None
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.attributes["friendly_name"] == f"{init_integration.title} {status['name']}"
