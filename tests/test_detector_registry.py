"""The detector registry: what the engine and the integration derive from each entry."""

from itertools import combinations

import pytest

from custom_components.heat_pump_health.binary_sensor import NICHE_FINDINGS
from custom_components.heat_pump_health.engine import (
    ClimateReading,
    FindingKey,
    HealthEngine,
    Maintenance,
    Observation,
    Role,
    detectors,
    judging,
)
from custom_components.heat_pump_health.engine.applicability import applicable_findings
from custom_components.heat_pump_health.engine.detectors import (
    BASELINE_FINDINGS,
    DETECTORS,
    DISABLED_BY_DEFAULT,
    repair_menu,
)
from custom_components.heat_pump_health.engine.findings import (
    EndReason,
    Finding,
    Guidance,
    Severity,
)
from custom_components.heat_pump_health.engine.model import TrackedFinding

K = FindingKey
T0 = 1_768_471_200.0  # 2026-01-15 10:00 UTC

# The applicability table as it was written out by hand before the registry derived it.
_HAND_WRITTEN: dict[FindingKey, tuple[frozenset[Role], ...]] = {
    K.NONSTOP_RUNNING: (frozenset({Role.CLIMATE}),),
    K.RUNAWAY_ENERGY: (frozenset({Role.ENERGY, Role.POWER}), frozenset({Role.OUTDOOR_TEMPERATURE})),
    K.DEFROST_TOO_FREQUENT: (frozenset({Role.DEFROST, Role.CLIMATE, Role.SUPPLY_TEMPERATURE}),),
    K.DEFROST_TOO_LONG: (frozenset({Role.DEFROST, Role.CLIMATE, Role.SUPPLY_TEMPERATURE}),),
    K.DEFROST_MISSING: (
        frozenset({Role.DEFROST, Role.CLIMATE, Role.SUPPLY_TEMPERATURE}),
        frozenset({Role.OUTDOOR_TEMPERATURE}),
    ),
    K.WEAK_AIRFLOW: (frozenset({Role.SUPPLY_TEMPERATURE}), frozenset({Role.RETURN_TEMPERATURE})),
    K.LOW_TEMPERATURE_SPLIT: (
        frozenset({Role.SUPPLY_TEMPERATURE}),
        frozenset({Role.RETURN_TEMPERATURE}),
    ),
    K.EFFICIENCY_DROP: (frozenset({Role.HEAT_OUTPUT}), frozenset({Role.ENERGY, Role.POWER})),
    K.AUX_HEAT_OVERUSE: (
        frozenset({Role.AUX_HEAT, Role.POWER}),
        frozenset({Role.OUTDOOR_TEMPERATURE}),
    ),
    K.NOT_HEATING: (frozenset({Role.CLIMATE}),),
    K.NOT_COOLING: (frozenset({Role.CLIMATE}),),
    K.POWER_INTERRUPTED: (frozenset({Role.POWER}),),
    K.WATER_LEAK: (frozenset({Role.LEAK}),),
    K.UNIT_FAULT: (frozenset({Role.UNIT_ERROR}),),
    K.LOW_WATER_PRESSURE: (frozenset({Role.WATER_PRESSURE}),),
    K.LOW_FLOW_RATE: (frozenset({Role.FLOW_RATE}), frozenset({Role.OUTDOOR_TEMPERATURE})),
}


def _hand_written_applies(key: FindingKey, roles: frozenset[Role]) -> bool:
    """The old rule: every group satisfied, the supply temperature alone only with the return."""
    split = frozenset({Role.SUPPLY_TEMPERATURE, Role.RETURN_TEMPERATURE})
    for group in _HAND_WRITTEN.get(key, ()):
        satisfied = group & roles
        if satisfied == {Role.SUPPLY_TEMPERATURE} and not roles >= split:
            satisfied = frozenset()
        if not satisfied:
            return False
    return True


def test_every_finding_has_exactly_one_entry() -> None:
    assert sorted(detector.key for detector in DETECTORS) == sorted(FindingKey)


def test_applicability_derived_from_the_registry_matches_the_hand_written_table() -> None:
    """All 32768 combinations of roles, the defrost-from-split rule included."""
    roles = list(Role)
    for size in range(len(roles) + 1):
        for chosen in combinations(roles, size):
            configured = frozenset(chosen)
            expected = tuple(k for k in FindingKey if _hand_written_applies(k, configured))
            assert applicable_findings(configured) == expected, configured


def test_defrost_from_the_supply_temperature_needs_the_return_too() -> None:
    supply_only = applicable_findings({Role.POWER, Role.SUPPLY_TEMPERATURE})
    both = applicable_findings({Role.POWER, Role.SUPPLY_TEMPERATURE, Role.RETURN_TEMPERATURE})
    assert K.DEFROST_TOO_LONG not in supply_only
    assert K.DEFROST_TOO_LONG in both


def test_only_the_sensor_fault_sensor_starts_disabled() -> None:
    assert {K.SENSOR_FAULT} == DISABLED_BY_DEFAULT
    assert NICHE_FINDINGS == DISABLED_BY_DEFAULT


def test_repair_menus_come_from_the_registry() -> None:
    assert repair_menu(K.FILTER_DUE) == ("replaced", "checked")
    assert repair_menu(K.SERVICE_DUE) == ("serviced", "checked")
    for key in set(FindingKey) - {K.FILTER_DUE, K.SERVICE_DUE}:
        assert repair_menu(key) == ("checked", "serviced"), key


BASELINE_KEYS = {
    K.RUNAWAY_ENERGY,
    K.EFFICIENCY_DROP,
    K.WEAK_AIRFLOW,
    K.LOW_TEMPERATURE_SPLIT,
    K.LOW_FLOW_RATE,
}


def _everything_open() -> HealthEngine:
    """An engine with every finding open, as if each detector had raised it."""
    engine = HealthEngine()
    engine.update(Observation(T0, Role.POWER, 800.0))
    for key in FindingKey:
        finding = Finding(key, T0, Severity.WARNING, Guidance.DIY, {})
        engine.state.tracked[key] = TrackedFinding(finding=finding)
    return engine


def test_reset_baselines_ends_exactly_the_findings_judged_on_a_baseline() -> None:
    assert set(BASELINE_FINDINGS) == BASELINE_KEYS
    engine = _everything_open()
    engine.reset_baselines(T0 + 60)
    ended = engine.drain_changes()
    assert {finding.key for finding in ended} == BASELINE_KEYS
    assert {finding.end_reason for finding in ended} == {EndReason.RESOLVED}
    assert {finding.key for finding in engine.findings} == set(FindingKey) - BASELINE_KEYS


def test_service_ends_its_reminder_and_the_baseline_findings() -> None:
    engine = _everything_open()
    engine.record_maintenance(Maintenance.SERVICE, T0 + 60)
    ended = {finding.key for finding in engine.drain_changes()}
    assert ended == BASELINE_KEYS | {K.SERVICE_DUE}


def test_filter_ends_only_its_reminder() -> None:
    engine = _everything_open()
    engine.record_maintenance(Maintenance.FILTER, T0 + 60)
    assert [finding.key for finding in engine.drain_changes()] == [K.FILTER_DUE]


def _power_cut_in_a_cold_room(engine: HealthEngine) -> None:
    """Two hours of a thermostat calling for heat, the room 3 K cold, no power, nothing running."""
    climate = ClimateReading(
        hvac_mode="heat", hvac_action="heating", target_temperature=21.0, current_temperature=18.0
    )
    for minute in range(121):
        time = T0 + minute * 60
        engine.update(Observation(time, Role.CLIMATE, climate))
        engine.update(Observation(time, Role.POWER, 0.0))
        engine.update(Observation(time, Role.COMPRESSOR, False))


def test_not_heating_defers_to_power_interrupted() -> None:
    engine = HealthEngine()
    _power_cut_in_a_cold_room(engine)
    assert [finding.key for finding in engine.findings] == [K.POWER_INTERRUPTED]


def test_without_its_deferral_not_heating_would_be_raised_during_a_power_cut(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The deferral, not the detector, is what keeps `not_heating` quiet during a power cut."""
    undeferred = tuple(
        detector.__class__(**{**_fields(detector), "defers_to": ()}) for detector in DETECTORS
    )
    monkeypatch.setattr(judging, "DETECTORS", undeferred)
    engine = HealthEngine()
    _power_cut_in_a_cold_room(engine)
    assert {finding.key for finding in engine.findings} == {K.POWER_INTERRUPTED, K.NOT_HEATING}


def test_a_detector_must_come_after_the_findings_it_defers_to(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(detectors, "DETECTORS", tuple(reversed(DETECTORS)))
    with pytest.raises(ValueError, match="defers to"):
        detectors._check_order()


def _fields(detector: detectors.Detector) -> dict[str, object]:
    """A registry entry's fields, to build a changed copy."""
    return {name: getattr(detector, name) for name in detector.__slots__}
