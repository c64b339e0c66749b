"""Detectors one by one: a verdict from a hand-built state, with no engine around it.

The whole-engine tests (test_detectors.py) drive streams through `HealthEngine`; these build
the `UnitState` a detector reads and check its verdict, hysteresis (`raised`) included.
"""

from custom_components.heat_pump_health.engine import (
    ClimateReading,
    EngineConfig,
    FindingKey,
    Guidance,
    Maintenance,
    Observation,
    Role,
    Severity,
)
from custom_components.heat_pump_health.engine.detectors import Context
from custom_components.heat_pump_health.engine.detectors.aux_heat import aux_heat_overuse
from custom_components.heat_pump_health.engine.detectors.comfort import not_heating
from custom_components.heat_pump_health.engine.detectors.cycling import short_cycling
from custom_components.heat_pump_health.engine.detectors.energy import (
    EfficiencyMemory,
    efficiency_drop,
)
from custom_components.heat_pump_health.engine.detectors.leak import water_leak
from custom_components.heat_pump_health.engine.detectors.maintenance import filter_due
from custom_components.heat_pump_health.engine.detectors.sensors import (
    RoomSensorMemory,
    sensor_fault,
)
from custom_components.heat_pump_health.engine.detectors.split import (
    low_temperature_split,
    weak_airflow,
)
from custom_components.heat_pump_health.engine.detectors.supply import power_interrupted
from custom_components.heat_pump_health.engine.durations import DAY, HOUR, MINUTE
from custom_components.heat_pump_health.engine.model import HourSample, UnitState
from custom_components.heat_pump_health.engine.observations import ObservationValue

NOW = 1_768_471_200.0  # 2026-01-15 10:00 UTC


def unit(*, seen: float = 2 * DAY) -> UnitState:
    """A state that has been observing for `seen` seconds up to now."""
    state = UnitState()
    state.first_time = NOW - seen
    state.last_time = NOW
    return state


def read(state: UnitState, role: Role, value: ObservationValue) -> None:
    """A reading that arrived now."""
    state.readings.record(Observation(NOW, role, value))


def context(state: UnitState, config: EngineConfig | None = None) -> Context:
    """The detectors' view of a state, now."""
    return Context(state, config or EngineConfig(), NOW)


def test_water_leak_from_the_sensor_alone() -> None:
    state = unit()
    assert water_leak(context(state), False).present is None
    read(state, Role.LEAK, False)
    assert water_leak(context(state), False).present is False
    read(state, Role.LEAK, True)
    verdict = water_leak(context(state), False)
    assert verdict.present is True
    assert (verdict.severity, verdict.guidance) == (Severity.CRITICAL, Guidance.EMERGENCY)


def cycling(starts_per_hour: int, run_minutes: float) -> UnitState:
    """Six hours of starts at a steady rate, each run `run_minutes` long."""
    state = unit()
    spacing = HOUR / starts_per_hour
    for index in range(6 * starts_per_hour):
        start = NOW - 6 * HOUR + (index + 0.5) * spacing
        state.cycles.starts.append(start)
        state.cycles.runs.append((start + run_minutes * MINUTE, run_minutes * MINUTE))
    state.cycles.running = False
    return state


def test_short_cycling_raised_on_many_short_runs() -> None:
    verdict = short_cycling(context(cycling(8, 5)), False)
    assert verdict.present is True
    assert verdict.evidence["starts_per_hour"] == 8.0
    assert verdict.evidence["median_run_minutes"] == 5.0


def test_short_cycling_clears_only_below_three_quarters_of_the_limit() -> None:
    """Five starts an hour: below the limit of six, above the 4.5 that clears an open finding."""
    state = cycling(5, 5)
    assert short_cycling(context(state), False).present is False
    assert short_cycling(context(state), True).present is True
    assert short_cycling(context(cycling(4, 5)), True).present is False


def test_aux_heat_overuse_hysteresis() -> None:
    state = unit()
    read(state, Role.AUX_HEAT, True)
    read(state, Role.OUTDOOR_TEMPERATURE, 10.0)
    state.aux_mild.add(NOW - 10 * MINUTE, 30 * MINUTE)
    assert aux_heat_overuse(context(state), False).present is False
    assert aux_heat_overuse(context(state), True).present is True
    state.aux_mild.add(NOW, 40 * MINUTE)
    assert aux_heat_overuse(context(state), False).present is True


def test_aux_heat_overuse_needs_the_weather_to_raise_but_not_to_hold() -> None:
    state = unit()
    read(state, Role.AUX_HEAT, True)
    state.aux_mild.add(NOW, 2 * HOUR)
    assert aux_heat_overuse(context(state), False).present is None
    assert aux_heat_overuse(context(state), True).present is True


def split_hours(split: float, normal: float) -> UnitState:
    """Three closed hours of a steady split against the normal one."""
    state = unit()
    for hours_ago in (2.5, 1.5, 0.5):
        state.splits.append(HourSample(NOW - hours_ago * HOUR, split, normal))
    return state


def test_weak_airflow_on_a_split_well_above_normal() -> None:
    assert weak_airflow(context(split_hours(9.0, 5.0)), False).present is True
    # 6 K against 5: not enough to raise, enough to keep an open finding
    assert weak_airflow(context(split_hours(6.0, 5.0)), False).present is False
    assert weak_airflow(context(split_hours(6.0, 5.0)), True).present is True


def test_low_temperature_split_on_a_split_well_below_normal() -> None:
    assert low_temperature_split(context(split_hours(2.0, 5.0)), False).present is True
    # 3.8 K against 5: not low enough to raise, low enough to keep an open finding
    assert low_temperature_split(context(split_hours(3.8, 5.0)), False).present is False
    assert low_temperature_split(context(split_hours(3.8, 5.0)), True).present is True


def test_split_unknown_with_too_few_hours() -> None:
    state = unit()
    state.splits.append(HourSample(NOW - HOUR, 9.0, 5.0))
    assert weak_airflow(context(state), False).present is None


def test_efficiency_drop_reads_its_memory() -> None:
    state = unit()
    memory = state.memory(FindingKey.EFFICIENCY_DROP, EfficiencyMemory)
    for hour in range(12):
        memory.samples.append(HourSample(NOW - hour * HOUR, 2.6, 3.5))
    verdict = efficiency_drop(context(state), False)
    assert verdict.present is True
    assert verdict.evidence["drop_percent"] == 26


def test_sensor_fault_when_the_room_sensor_drifts_from_what_was_learned() -> None:
    state = unit()
    memory = state.memory(FindingKey.SENSOR_FAULT, RoomSensorMemory)
    memory.reference = 0.5
    for hours_ago in (2, 1):
        memory.offsets.append(HourSample(NOW - hours_ago * HOUR + 1, 3.5, 0.5))
    verdict = sensor_fault(context(state), False)
    assert verdict.present is True
    assert verdict.evidence == {
        "sensor": "indoor_temperature",
        "problem": "disagrees",
        "value": 3.0,
    }


def test_sensor_fault_on_an_impossible_reading() -> None:
    state = unit()
    read(state, Role.OUTDOOR_TEMPERATURE, 90.0)
    assert sensor_fault(context(state), False).evidence["problem"] == "impossible"


def test_filter_due_counts_from_the_recorded_date() -> None:
    state = unit()
    assert filter_due(context(state), False).present is None
    state.maintenance[Maintenance.FILTER] = NOW - 59 * DAY
    assert filter_due(context(state), False).present is False
    state.maintenance[Maintenance.FILTER] = NOW - 61 * DAY
    verdict = filter_due(context(state), False)
    assert verdict.present is True
    assert verdict.evidence == {"days_since": 61, "interval_days": 60}


def cold_room_calling() -> UnitState:
    """The thermostat calls for heat, the room 3 K under the setpoint, the compressor off."""
    state = unit()
    read(
        state,
        Role.CLIMATE,
        ClimateReading(
            hvac_mode="heat",
            hvac_action="heating",
            target_temperature=21.0,
            current_temperature=18.0,
        ),
    )
    state.cycles.running = False
    state.cycles.since = NOW - HOUR
    return state


def test_not_heating_when_the_call_goes_unanswered() -> None:
    verdict = not_heating(context(cold_room_calling()), False)
    assert verdict.present is True
    assert verdict.evidence["reason"] == "not_running"
    assert verdict.guidance is Guidance.PROFESSIONAL


def test_not_heating_judges_alone_even_with_the_power_cut_open() -> None:
    """The deferral to power_interrupted is the registry's, not the detector's."""
    state = cold_room_calling()
    read(state, Role.POWER, 0.0)
    assert power_interrupted(context(state), False).present is True
    assert not_heating(context(state), False).present is True


def test_power_interrupted_needs_known_standby_or_demand() -> None:
    state = unit()
    read(state, Role.POWER, 0.0)
    assert power_interrupted(context(state), False).present is None
    state.levels.standby = 20.0
    verdict = power_interrupted(context(state), False)
    assert verdict.present is True
    assert verdict.confidence == 1.0
