"""The pure engine, on small hand-built streams."""

from datetime import UTC, datetime
import json
import math
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from custom_components.heat_pump_health.engine import (
    ClimateReading,
    EnergyTotal,
    EngineConfig,
    FindingKey,
    HealthEngine,
    Observation,
    Role,
)
from custom_components.heat_pump_health.engine.activity import PowerLevels
from custom_components.heat_pump_health.engine.cycles import MIN_PAUSE
from custom_components.heat_pump_health.engine.detectors.energy import EfficiencyMemory
from custom_components.heat_pump_health.engine.detectors.sensors import RoomSensorMemory
from custom_components.heat_pump_health.engine.engine import StateVersionError
from custom_components.heat_pump_health.engine.periods import DAILY_HISTORY
from simulator import Scenario, simulate
from simulator.faults import Fault, FaultKind
from simulator.weather import ClimateName

from .test_detectors import Stream, heating_unit, steady_hours

T0 = datetime(2026, 1, 15, 10, 0, tzinfo=UTC).timestamp()
MINUTE = 60.0


def _compressor(engine: HealthEngine, minute: float, running: bool | None) -> None:
    engine.update(Observation(T0 + minute * MINUTE, Role.COMPRESSOR, running))


def test_cycles_from_running_sensor() -> None:
    """Starts, runs and pauses are measured from transitions."""
    engine = HealthEngine()
    _compressor(engine, 0, False)
    for start in (10, 40, 70):
        _compressor(engine, start, True)
        _compressor(engine, start + 12, False)
    engine.advance(T0 + 90 * MINUTE)

    snapshot = engine.snapshot()
    assert snapshot.total_starts == 3
    assert snapshot.starts_last_hour == 2
    assert snapshot.median_run_minutes == pytest.approx(12)
    assert snapshot.median_off_minutes == pytest.approx(18)
    assert snapshot.runtime_today_hours == pytest.approx(36 / 60)
    assert snapshot.running is False


def test_late_observations_dropped_and_counted() -> None:
    """Time only moves forward."""
    engine = HealthEngine()
    _compressor(engine, 10, False)

    assert engine.update(Observation(T0, Role.COMPRESSOR, True)) is False
    engine.advance(T0)
    snapshot = engine.snapshot()
    assert snapshot.late_observations == 1
    assert snapshot.total_starts == 0
    assert snapshot.time == T0 + 10 * MINUTE


def test_unknown_keeps_last_state() -> None:
    """A gap in the running signal neither starts nor ends a cycle."""
    engine = HealthEngine()
    _compressor(engine, 0, False)
    _compressor(engine, 5, True)
    _compressor(engine, 6, None)
    _compressor(engine, 9, True)

    assert engine.snapshot().total_starts == 1
    assert engine.snapshot().running is True


def test_running_sensor_wins_over_power_and_climate() -> None:
    """The most direct activity source decides."""
    engine = HealthEngine(EngineConfig(power_running_threshold=100))
    engine.update(Observation(T0, Role.CLIMATE, ClimateReading(hvac_action="idle")))
    assert engine.snapshot().running is False
    engine.update(Observation(T0 + 1, Role.POWER, 900.0))
    assert engine.snapshot().running is True
    engine.update(Observation(T0 + 2, Role.COMPRESSOR, False))
    engine.advance(T0 + 2 + MIN_PAUSE)
    assert engine.snapshot().running is False


@pytest.mark.parametrize("action", ["fan", "off", "idle"])
def test_climate_idle_actions(action: str) -> None:
    """Fan-only and off are not compressor runs."""
    engine = HealthEngine()
    engine.update(Observation(T0, Role.CLIMATE, ClimateReading(hvac_action="heating")))
    engine.update(Observation(T0 + 60, Role.CLIMATE, ClimateReading(hvac_action=action)))
    engine.advance(T0 + 60 + MIN_PAUSE)
    assert engine.snapshot().running is False


def test_climate_without_action_tells_nothing() -> None:
    """A thermostat that reports no action leaves running unknown."""
    engine = HealthEngine()
    engine.update(Observation(T0, Role.CLIMATE, ClimateReading(hvac_mode="heat")))
    assert engine.snapshot().running is None


def test_power_threshold_learned_from_levels() -> None:
    """Standby and running power are two levels; bad values are ignored, not learned."""
    engine = HealthEngine()
    readings = [20.0, 1500.0, 22.0, 1450.0, 18.0, float("nan"), -5.0, True, 1520.0, 21.0]
    for step in range(4):
        for index, watts in enumerate(readings):
            time = T0 + (step * len(readings) + index) * 300
            engine.update(Observation(time, Role.POWER, watts))
    engine.advance(T0 + 40 * 300 + MIN_PAUSE)

    threshold = engine.snapshot().power_threshold
    assert threshold is not None
    assert 50 < threshold < 1000
    assert engine.state.levels.standby == pytest.approx(20.0, rel=0.15)
    assert engine.snapshot().running is False


def test_power_learns_nothing_in_its_first_hours() -> None:
    """A threshold needs two hours of power; meanwhile standby watts are idle, kilowatts run."""
    engine = HealthEngine()
    for step, watts in enumerate([20.0, 1500.0] * 20):
        time = T0 + step * 3 * MINUTE
        engine.update(Observation(time, Role.POWER, watts))
        engine.advance(time + MIN_PAUSE)  # a stop counts once it has held this long
        assert engine.power_threshold is None
        assert engine.snapshot().running is (watts > 1000)


def test_power_too_close_together_learns_nothing() -> None:
    """A flat signal between standby and kilowatts gives no threshold: running stays unknown."""
    engine = HealthEngine()
    for step, watts in enumerate([120.0, 125.0, 130.0, 122.0] * 30):
        engine.update(Observation(T0 + step * 5 * MINUTE, Role.POWER, watts))
    assert engine.power_threshold is None
    assert engine.snapshot().running is None


def test_configured_threshold_is_the_owners_word() -> None:
    """A configured threshold decides running, above the kilowatt floor too."""
    engine = HealthEngine(EngineConfig(power_running_threshold=1500.0))
    engine.update(Observation(T0, Role.POWER, 1200.0))
    assert engine.snapshot().running is False
    engine.update(Observation(T0 + MINUTE, Role.POWER, 1600.0))
    assert engine.snapshot().running is True


def test_runtime_today_resets_at_local_midnight() -> None:
    """A run across midnight counts only its part after midnight for the new day."""
    zone = ZoneInfo("Europe/Zurich")
    engine = HealthEngine(zone=zone)
    evening = datetime(2026, 1, 15, 23, 0, tzinfo=zone).timestamp()
    engine.update(Observation(evening, Role.COMPRESSOR, False))
    engine.update(Observation(evening + 30 * MINUTE, Role.COMPRESSOR, True))
    engine.update(Observation(evening + 90 * MINUTE, Role.COMPRESSOR, False))

    snapshot = engine.snapshot()
    assert snapshot.runtime_today_hours == pytest.approx(0.5)
    assert snapshot.starts_today == 0
    engine.advance(evening + 26 * 3600)
    assert engine.snapshot().runtime_today_hours == 0


def test_learning_for_the_first_day() -> None:
    """The engine calls itself learning until it has seen a day."""
    engine = HealthEngine()
    assert engine.snapshot().learning is True
    assert engine.snapshot().learning_progress == 0
    _compressor(engine, 0, False)
    engine.advance(T0 + 12 * 3600)
    assert engine.snapshot().learning_progress == pytest.approx(0.5)
    engine.advance(T0 + 25 * 3600)
    assert engine.snapshot().learning is False


def test_state_round_trip() -> None:
    """Serialised state is plain JSON and restores the same statistics."""
    engine = HealthEngine()
    _compressor(engine, 0, False)
    for start in (10, 40):
        _compressor(engine, start, True)
        _compressor(engine, start + 12, False)
    engine.update(Observation(T0 + 3000, Role.POWER, 900.0))
    engine.update(Observation(T0 + 3001, Role.POWER, 15.0))

    saved = json.loads(json.dumps(engine.as_dict()))
    restored = HealthEngine.from_dict(saved)

    assert restored.snapshot() == engine.snapshot()
    assert restored.as_dict() == engine.as_dict()


def test_state_with_open_findings_round_trips() -> None:
    """Evidence keeps its types through JSON: text, flags and whole numbers stay what they were."""
    engine = HealthEngine()
    engine.update(Observation(T0, Role.LEAK, False))
    engine.update(Observation(T0 + 60, Role.LEAK, True))
    engine.advance(T0 + 180)
    (finding,) = engine.findings
    assert finding.evidence == {"sensor": "leak"}

    restored = HealthEngine.from_dict(json.loads(json.dumps(engine.as_dict())))

    assert restored.findings == engine.findings
    assert restored.as_dict() == engine.as_dict()


def test_unknown_state_version_refused() -> None:
    """A future state version is refused rather than misread."""
    with pytest.raises(StateVersionError):
        HealthEngine.from_dict({"version": 99})


def _before_the_save() -> Stream:
    """The stream whose engine, at commit 577c169, wrote tests/fixtures/engine_state_v2.json.

    A day of steady heating at COP 3.5 with a room sensor 0.5 K above the thermostat, so the
    COP baseline and the room sensor's offset, both kept in detector memories since version 3,
    have learned.
    """
    stream = heating_unit(outdoor=5.0)
    stream.power(1000.0)
    stream.heat_output(3500.0)
    stream.room(21.5)
    steady_hours(stream, 24, split=5.0)
    return stream


def _after_the_save(stream: Stream) -> list[dict[str, object]]:
    """COP down a quarter and the room sensor drifting: the changes that follow, as plain data."""
    before = len(stream.changes)
    stream.heat_output(2625.0)
    stream.room(24.5)
    steady_hours(stream, 36, split=5.0)
    return [
        {
            "key": change.key.value,
            "start": change.start,
            "end": change.end,
            "severity": change.severity.value,
            "end_reason": change.end_reason and change.end_reason.value,
            "evidence": change.evidence,
        }
        for change in stream.changes[before:]
    ]


@pytest.mark.parametrize("version", [2, 3])
def test_older_state_restores_and_carries_on_as_before(version: int) -> None:
    """A state saved by version 2 or 3 migrates and judges on as a native engine does.

    Version 2 kept detector memories in the state; both kept two power clusters, which are
    dropped: the power levels relearn (running comes from the compressor here meanwhile). The
    fixtures hold the saved state and the changes their engine went on to report; what a
    finding's evidence says may have grown since, which findings follow may not.
    """
    name = f"engine_state_v{version}.json"
    fixture = json.loads((Path(__file__).parent / "fixtures" / name).read_text())
    assert fixture["state"]["version"] == version
    assert "clusters" in fixture["state"]["state"]
    native = _before_the_save()
    assert native.now == fixture["saved_at"]

    migrated = Stream(start=fixture["saved_at"])
    migrated.engine = HealthEngine.from_dict(fixture["state"])
    migrated.values = dict(native.values)

    room = migrated.engine.state.memory(FindingKey.SENSOR_FAULT, RoomSensorMemory)
    assert room.reference == pytest.approx(0.5)
    cop = migrated.engine.state.memory(FindingKey.EFFICIENCY_DROP, EfficiencyMemory)
    assert cop.baseline.expected(5.0) == pytest.approx(3.5)
    assert migrated.engine.state.levels == PowerLevels()
    assert "clusters" not in migrated.engine.as_dict()["state"]
    after = _after_the_save(migrated)
    assert after == _after_the_save(native)
    assert [change["key"] for change in after] == [
        change["key"] for change in fixture["changes_after"]
    ]
    assert [change["key"] for change in after] == ["sensor_fault", "efficiency_drop"]


def test_config_from_mapping_ignores_other_keys() -> None:
    """Options carry notification targets too; the engine takes only its own keys."""
    config = EngineConfig.from_mapping({"filter_days": 30, "notify_entities": ["notify.x"]})
    assert config.filter_days == 30
    assert config.as_dict()["service_months"] == 12


def test_daily_history_keeps_thirteen_months_and_stays_small() -> None:
    """A day's aggregates are kept for 400 days, and a year and more of them is a small state."""
    engine = HealthEngine()
    hours = 450 * 24
    for hour in range(hours):
        time = T0 + hour * 3600.0
        engine.update(Observation(time, Role.OUTDOOR_TEMPERATURE, 5.0))
        engine.update(Observation(time + 1, Role.ENERGY, hour * 0.5))
    days = list(engine.state.history.days)
    assert len(days) == DAILY_HISTORY == 400
    assert days[-1].energy_kwh == pytest.approx(12.0)
    assert days[-1].outdoor_mean == pytest.approx(5.0)
    size = len(json.dumps(engine.as_dict()))
    assert size < 200_000, size


def test_recorded_history_is_not_silence() -> None:
    """Fed history (changes only), a steady source is not stale; an unavailable one still is."""
    engine = HealthEngine()
    engine.changes_only = True
    engine.update(Observation(T0, Role.POWER, 20.0))
    engine.update(Observation(T0, Role.OUTDOOR_TEMPERATURE, None))
    for minute in range(0, 30, 5):
        engine.update(Observation(T0 + 8 * 3600 + minute * 60, Role.COMPRESSOR, False))
    (finding,) = engine.findings
    assert finding.evidence["sensor"] == "outdoor_temperature"
    assert finding.evidence["problem"] == "unavailable"

    engine.changes_only = False
    engine.assume_reported(T0 + 8 * 3600)
    assert engine.state.readings.numbers[Role.POWER].seen == T0 + 8 * 3600


def test_infinite_and_nan_readings_are_missing() -> None:
    """A climate or meter reporting inf or NaN gives no reading, and the state stays JSON."""
    engine = HealthEngine()
    engine.update(
        Observation(
            T0, Role.CLIMATE, ClimateReading(hvac_action="heating", current_temperature=math.inf)
        )
    )
    engine.update(Observation(T0 + 1, Role.POWER, math.nan))
    engine.update(Observation(T0 + 2, Role.HEAT_OUTPUT, EnergyTotal(math.inf)))
    engine.update(Observation(math.nan, Role.POWER, 10.0))
    assert engine.state.readings.indoor is None
    assert engine.state.readings.number(Role.POWER) is None
    assert engine.snapshot().late_observations == 1
    json.dumps(engine.as_dict(), allow_nan=False)


def test_supply_change_alone_ends_defrost_recovery() -> None:
    """A supply reading with nothing else changing is judged at once, not at the next change."""
    engine = HealthEngine()

    def feed(minute: float, role: Role, value: float | bool) -> None:
        engine.update(Observation(T0 + minute * MINUTE, role, value))

    feed(0, Role.COMPRESSOR, True)
    feed(0, Role.SUPPLY_TEMPERATURE, 35.0)
    feed(10, Role.DEFROST, True)
    feed(12, Role.SUPPLY_TEMPERATURE, 20.0)
    feed(15, Role.DEFROST, False)
    feed(16, Role.SUPPLY_TEMPERATURE, 28.0)
    feed(19, Role.SUPPLY_TEMPERATURE, 34.5)  # back within a kelvin: recovered 4 min after
    feed(30, Role.OUTDOOR_TEMPERATURE, 2.0)

    assert engine.snapshot().defrost_recovery_minutes == pytest.approx(4.0)


class _AlwaysRefreshing(HealthEngine):
    """The engine as if `update` skipped nothing: every reading recomputes everything.

    The real `update` skips `_refresh` for readings it does not use, and the aux-heat update
    for readings other than the aux-heat source's when that source decides it.
    """

    @staticmethod
    def _needs_refresh(role: Role, *, changed: bool) -> bool:
        return True

    def _needs_aux_update(self, role: Role) -> bool:
        return True


@pytest.mark.parametrize(
    "roles",
    [
        frozenset(Role),
        frozenset(Role) - {Role.AUX_HEAT, Role.DEFROST},
        frozenset(Role) - {Role.RETURN_TEMPERATURE, Role.POWER},
        frozenset({Role.CLIMATE, Role.POWER, Role.OUTDOOR_TEMPERATURE}),
    ],
    ids=["every_role", "aux_and_defrost_inferred", "no_return_nor_power", "climate_and_power"],
)
def test_skipping_refresh_changes_nothing(roles: frozenset[Role]) -> None:
    """A reading that `_refresh` does not use, or that repeats, leaves the same state behind.

    Dropping the thermostat or the compressor from `REFRESH_ROLES` fails it, and so does
    skipping the aux-heat update when aux heat is inferred or its source reports; a supply change
    mostly comes with other changes here, so the supply has its own test above.
    """
    run = simulate(
        Scenario(
            days=4,
            roles=roles,
            climate=ClimateName.COLD,
            defrost_in_climate=False,
            report_seconds=10**9,  # changes only: a role rarely reports with another
            faults=(Fault(FaultKind.SHORT_CYCLING, 2),),
        )
    )
    skipping, refreshing = HealthEngine(), _AlwaysRefreshing()
    for observation in run.observations():
        skipping.update(observation)
        refreshing.update(observation)
    assert skipping.state.observations > 4_000
    assert skipping.as_dict() == refreshing.as_dict()
    assert skipping.findings == refreshing.findings
