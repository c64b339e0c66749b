"""Evidence as words: the values and templates that notifications and Repairs issues show."""

from datetime import UTC

from custom_components.heat_pump_health.engine import Finding, FindingKey, Guidance, Severity
from custom_components.heat_pump_health.texts import format_value, placeholders, render


def test_values_read_naturally() -> None:
    """Whole numbers bare, others to a decimal, flags as words, missing as unknown."""
    assert format_value(None) == "unknown"
    assert format_value(True) == "yes"
    assert format_value(False) == "no"
    assert format_value(3.0) == "3"
    assert format_value(2.345) == "2.3"
    assert format_value(7) == "7"
    assert format_value("stale") == "stale"


def test_placeholders_hold_name_start_and_evidence() -> None:
    """The issue's placeholders are the heat pump's name, the start and each evidence value."""
    finding = Finding(
        FindingKey.SHORT_CYCLING,
        start=1_700_000_000.0,
        severity=Severity.WARNING,
        guidance=Guidance.DIY,
        evidence={"starts_per_hour": 8.0, "median_run_minutes": 4.25, "window_hours": 6},
    )
    assert placeholders(finding, "Loft", UTC) == {
        "name": "Loft",
        "since": "2023-11-14 22:13",
        "starts_per_hour": "8",
        "median_run_minutes": "4.2",
        "window_hours": "6",
    }


def test_render_never_fails() -> None:
    """A translation naming a value that is not there, or malformed, is shown as it is."""
    assert render("{name} at {missing}", {"name": "Loft"}) == "Loft at {missing}"
    assert render("broken {name", {"name": "Loft"}) == "broken {name"
    assert render("{0}", {}) == "{0}"
