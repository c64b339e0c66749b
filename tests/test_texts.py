"""Evidence as words: the values and templates that notifications and Repairs issues show."""

from datetime import UTC, datetime

from homeassistant.core import HomeAssistant
import pytest

from custom_components.heat_pump_health.engine import Finding, FindingKey, Guidance, Role, Severity
from custom_components.heat_pump_health.texts import FindingTexts, render

START = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC


def sensor_fault(problem: str, value: float | None) -> Finding:
    """A sensor fault of the outdoor temperature source, as the detector reports it."""
    return Finding(
        FindingKey.SENSOR_FAULT,
        start=START,
        severity=Severity.WARNING,
        guidance=Guidance.DIY,
        evidence={"sensor": Role.OUTDOOR_TEMPERATURE.value, "problem": problem, "value": value},
    )


@pytest.fixture
async def english(hass: HomeAssistant) -> FindingTexts:
    """The texts of an instance in English."""
    hass.config.language = "en"
    return await FindingTexts.async_load(hass)


@pytest.fixture
async def german(hass: HomeAssistant) -> FindingTexts:
    """The texts of an instance in German."""
    hass.config.language = "de"
    return await FindingTexts.async_load(hass)


async def test_values_read_naturally(english: FindingTexts) -> None:
    """Whole numbers bare, others to a decimal, flags as words, missing as unknown."""
    assert english.value("outdoor_temperature", None) == "unknown"
    assert english.value("inferred", True) == "yes"
    assert english.value("inferred", False) == "no"
    assert english.value("energy_kwh", 3.0) == "3"
    assert english.value("energy_kwh", 2.345) == "2.3"
    assert english.value("energy_kwh", -2.345) == "-2.3"
    assert english.value("days", 7) == "7"


async def test_values_in_the_instance_language(german: FindingTexts) -> None:
    """A German instance says ja, nein and unbekannt, and writes a decimal comma."""
    assert german.value("inferred", True) == "ja"
    assert german.value("inferred", False) == "nein"
    assert german.value("outdoor_temperature", None) == "unbekannt"
    assert german.value("energy_kwh", 2.345) == "2,3"
    assert german.value("energy_kwh", 3.0) == "3"


async def test_codes_are_named_in_the_instance_language(
    english: FindingTexts, german: FindingTexts
) -> None:
    """A fault's role and kind reach the issue as words, not as the engine's codes."""
    assert german.placeholders(sensor_fault("stale", 6.5), "Dachboden", UTC) == {
        "name": "Dachboden",
        "since": "14.11.2023 22:13",
        "sensor": "Außentemperatur",
        "problem": "seit Stunden kein neuer Messwert",
        "value": "6,5",
        "reference": "Verglichen wird mit dem, was für dieses Gerät unter gleichen Bedingungen "
        "normal ist.",
    }
    values = english.placeholders(sensor_fault("stuck", 4.0), "Loft", UTC)
    assert (values["sensor"], values["problem"]) == (
        "Outdoor temperature",
        "frozen at one value across the unit's starts and stops",
    )
    not_heating = Finding(
        FindingKey.NOT_HEATING,
        START,
        Severity.CRITICAL,
        Guidance.PROFESSIONAL,
        {"reason": "not_running", "off_setpoint": 3.0},
    )
    assert german.placeholders(not_heating, "Dachboden", UTC)["reason"] == "das Gerät läuft nicht"
    assert german.role(Role.CLIMATE) == "Thermostat"


async def test_notification_in_german_names_the_source(german: FindingTexts) -> None:
    """The message of the issue's example reads as German from end to end."""
    finding = sensor_fault("stale", 6.5)
    message = german.message(finding, german.placeholders(finding, "Dachboden", UTC))
    assert message.startswith(
        "Die Quelle „Außentemperatur“ scheint fehlerhaft: seit Stunden kein neuer Messwert."
    )
    assert "stale" not in message
    assert "outdoor_temperature" not in message


async def test_every_code_has_a_name_in_every_language(hass: HomeAssistant) -> None:
    """Every role, sensor fault kind, not-heating reason and reference the engine reports is
    translated.

    The fault kinds are those of engine/detectors/sensors.py, the reasons those of comfort.py,
    the references those of split.py, energy.py and cycling.py.
    """
    codes = {
        "role": [role.value for role in Role],
        "problem": ["impossible", "unavailable", "stale", "stuck", "disagrees"],
        "reason": ["not_running", "no_split", "running_without_effect"],
        "reference": ["own", "typical", "limit"],
    }
    for language in ("en", "de", "es", "fr", "nl", "sv"):
        hass.config.language = language
        texts = await FindingTexts.async_load(hass)
        for vocabulary, values in codes.items():
            for code in values:
                assert texts.code(vocabulary, code) != code, (language, vocabulary, code)


def test_without_translations_codes_stay_readable() -> None:
    """Before the translations load, values fall back to English and codes to themselves."""
    texts = FindingTexts({})
    assert texts.value("inferred", True) == "yes"
    assert texts.value("outdoor_temperature", None) == "unknown"
    assert texts.value("problem", "stale") == "stale"
    assert texts.time(datetime(2026, 1, 2, 3, 4, tzinfo=UTC)) == "2026-01-02 03:04"


def test_a_pressure_reads_to_the_hundredth() -> None:
    """Water pressure moves by hundredths of a bar: 0.95 bar is not rounded up to 1."""
    texts = FindingTexts({})
    assert texts.value("pressure", 0.95) == "0.95"
    assert texts.value("pressure", 0.8) == "0.8"
    assert texts.value("fall_per_day", 0.07) == "0.07"
    assert texts.value("split", 0.95) == "0.9"
    assert texts.value("code", "E7") == "E7"  # the unit's own code, shown as it is


def test_placeholders_hold_name_start_and_evidence() -> None:
    """The issue's placeholders are the heat pump's name, the start and each evidence value."""
    finding = Finding(
        FindingKey.SHORT_CYCLING,
        start=START,
        severity=Severity.WARNING,
        guidance=Guidance.DIY,
        evidence={"starts_per_hour": 8.0, "median_run_minutes": 4.25, "window_hours": 6},
    )
    expected = {
        "name": "Loft",
        "since": "2023-11-14 22:13",
        "starts_per_hour": "8",
        "median_run_minutes": "4.2",
        "window_hours": "6",
        "reference": "own",  # saved before findings said what they compare with
    }
    assert FindingTexts({}).placeholders(finding, "Loft", UTC) == expected


async def test_the_reference_is_said_in_words(hass: HomeAssistant) -> None:
    """A verdict against typical units says so, and one without a reference is the unit's own."""
    texts = await FindingTexts.async_load(hass)
    evidence = {"split": 33.0, "normal_split": 25.0, "hours": 6, "reference": "typical"}
    typical = Finding(FindingKey.WEAK_AIRFLOW, START, Severity.WARNING, Guidance.DIY, evidence)
    assert "typical heat pumps" in texts.placeholders(typical, "Loft", UTC)["reference"]
    old = Finding(FindingKey.WEAK_AIRFLOW, START, Severity.WARNING, Guidance.DIY, {"split": 9.0})
    assert "normal for this unit" in texts.placeholders(old, "Loft", UTC)["reference"]


def test_render_never_fails() -> None:
    """A translation naming a value that is not there, or malformed, is shown as it is."""
    assert render("{name} at {missing}", {"name": "Loft"}) == "Loft at {missing}"
    assert render("broken {name", {"name": "Loft"}) == "broken {name"
    assert render("{0}", {}) == "{0}"
