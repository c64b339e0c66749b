"""Detectors one by one: a verdict from a hand-built state, with no engine around it.

The whole-engine tests (test_detectors.py) drive streams through `HealthEngine`; these build
the `UnitState` a detector reads and check its verdict, hysteresis (`raised`) included.
"""

import pytest

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
    TypicalDay,
    efficiency_drop,
    typical_cop,
)
from custom_components.heat_pump_health.engine.detectors.leak import water_leak
from custom_components.heat_pump_health.engine.detectors.maintenance import filter_due
from custom_components.heat_pump_health.engine.detectors.sensors import (
    RoomSensorMemory,
    sensor_fault,
)
from custom_components.heat_pump_health.engine.detectors.split import (
    AIR_HEATING_LIMIT,
    SplitMemory,
    load_band,
    low_temperature_split,
    reference_limit,
    weak_airflow,
)
from custom_components.heat_pump_health.engine.detectors.supply import power_interrupted
from custom_components.heat_pump_health.engine.durations import DAY, HOUR, MINUTE
from custom_components.heat_pump_health.engine.findings import Condition
from custom_components.heat_pump_health.engine.model import HourSample, UnitState
from custom_components.heat_pump_health.engine.observations import ObservationValue
from custom_components.heat_pump_health.engine.periods import Period
from custom_components.heat_pump_health.engine.tracker import fit_to_room, room_holds

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


# -- reference (fleet) limits: faults there from day one ---------------------------------


def typical_split_hours(split: float, limit: float, hours: int = 3) -> UnitState:
    """Hours of a steady split next to the reference limit, nothing learned of the unit."""
    state = unit(seen=hours * HOUR)
    memory = state.memory(FindingKey.WEAK_AIRFLOW, SplitMemory)
    for hours_ago in range(hours):
        memory.typical.append(HourSample(NOW - hours_ago * HOUR - 1, split, limit))
    return state


def test_weak_airflow_on_day_one_against_typical_units() -> None:
    """A 33 K rise across the indoor coil is beyond any healthy unit: no learning needed."""
    verdict = weak_airflow(context(typical_split_hours(33.0, AIR_HEATING_LIMIT)), False)
    assert verdict.present is True
    assert verdict.severity is Severity.WARNING
    assert verdict.confidence <= 0.6
    assert verdict.evidence["reference"] == "typical"
    assert verdict.evidence["normal_split"] == AIR_HEATING_LIMIT
    assert weak_airflow(context(typical_split_hours(17.0, AIR_HEATING_LIMIT)), False).present is (
        False
    )
    # once raised, it clears only 2 K under the limit
    assert weak_airflow(context(typical_split_hours(24.0, AIR_HEATING_LIMIT)), True).present
    assert weak_airflow(context(typical_split_hours(22.0, AIR_HEATING_LIMIT)), True).present is (
        False
    )
    # two hours are not enough for a verdict against typical units
    assert weak_airflow(context(typical_split_hours(33.0, 25.0, hours=2)), False).present is None


def test_reference_limits_for_air_and_water() -> None:
    assert reference_limit(heating=True, water=False) == 25.0
    assert reference_limit(heating=False, water=False) == 15.0
    assert reference_limit(heating=True, water=True) == 10.0
    assert reference_limit(heating=False, water=True) is None


def test_learned_split_verdict_says_it_compares_with_the_unit_itself() -> None:
    verdict = weak_airflow(context(split_hours(9.0, 5.0)), False)
    assert verdict.evidence["reference"] == "own"
    assert verdict.confidence == 1.0


def test_load_bands_against_the_highest_running_power_seen() -> None:
    memory = SplitMemory()
    assert load_band(memory, None) == "any"
    assert load_band(memory, 900.0) == "full"  # the highest seen yet
    assert load_band(memory, 2600.0) == "full"
    assert load_band(memory, 2100.0) == "full"
    assert load_band(memory, 1500.0) == "part"
    assert memory.peak_watts == 2600.0


def day_long_cycling(starts_per_hour: float, run_minutes: float) -> UnitState:
    """A day of starts at a steady rate, each run `run_minutes` long."""
    state = unit()
    count = int(24 * starts_per_hour)
    spacing = DAY / count
    for index in range(count):
        start = NOW - DAY + (index + 0.5) * spacing
        state.cycles.starts.append(start)
        state.cycles.runs.append((start + run_minutes * MINUTE, run_minutes * MINUTE))
    state.cycles.running = False
    return state


def test_short_cycling_all_day_against_typical_units() -> None:
    """Three short starts an hour all day: far beyond healthy units, under the options' six."""
    verdict = short_cycling(context(day_long_cycling(3.5, 12)), False)
    assert verdict.present is True
    assert verdict.evidence["reference"] == "typical"
    assert verdict.evidence["window_hours"] == 24
    assert verdict.confidence <= 0.6
    assert verdict.severity is Severity.WARNING
    assert short_cycling(context(day_long_cycling(3.5, 30)), False).present is False
    assert short_cycling(context(day_long_cycling(2.0, 12)), False).present is False
    configured = short_cycling(context(cycling(8, 5)), False)
    assert configured.evidence["reference"] == "limit"


def test_typical_cop_follows_carnot_at_flow_and_outdoor() -> None:
    """35 °C flow at 6 °C outdoors: an ideal COP of about 8.4, so typical units reach ~4.1."""
    assert typical_cop(35.0, 6.0, water=True) == pytest.approx(0.485 * 310.15 / 37.0)
    assert typical_cop(55.0, -5.0, water=True) < typical_cop(35.0, 6.0, water=True)
    # supply air sits further below the refrigerant than water; no day is held above 5
    assert typical_cop(35.0, 6.0, water=False) < typical_cop(35.0, 6.0, water=True)
    assert typical_cop(25.0, 15.0, water=True) == 5.0


def typical_days(*cops: float, flow: float = 35.0, outdoor: float = 6.0) -> UnitState:
    """Closed days of a COP next to the typical COP at a flow and outdoor temperature."""
    state = unit(seen=len(cops) * DAY)
    memory = state.memory(FindingKey.EFFICIENCY_DROP, EfficiencyMemory)
    for days_ago, cop in enumerate(reversed(cops)):
        memory.typical_days.append(
            TypicalDay(NOW - days_ago * DAY - 1, cop, typical_cop(flow, outdoor, water=True), 10.0)
        )
    return state


def test_efficiency_drop_on_day_one_against_typical_units() -> None:
    """A COP of 2 where typical units reach 4.1 at the same temperatures, on two days."""
    verdict = efficiency_drop(context(typical_days(3.9, 2.0, 2.1)), False)
    assert verdict.present is True
    assert verdict.evidence["reference"] == "typical"
    assert verdict.evidence["cop"] == pytest.approx(2.05)
    assert verdict.confidence <= 0.6
    assert efficiency_drop(context(typical_days(3.9, 2.0, 3.8)), False).present is False
    assert efficiency_drop(context(typical_days(2.0)), False).present is None
    # once raised, it clears above 70 % of typical on most days
    assert efficiency_drop(context(typical_days(2.0, 2.6, 2.7)), True).present is True
    assert efficiency_drop(context(typical_days(3.0, 3.1, 2.0)), True).present is False


def test_day_closed_judges_a_day_with_flow_heat_and_power() -> None:
    memory = EfficiencyMemory()
    day = Period(start=NOW - DAY, seconds=DAY, runtime=12 * HOUR)
    day.outdoor_seconds, day.outdoor_sum = DAY, 6.0 * DAY
    day.power_seconds, day.power_ws = DAY, 10.0 * 3_600_000  # 10 kWh
    day.heat_seconds, day.heat_ws = DAY, 20.0 * 3_600_000  # 20 kWh: a COP of 2
    memory.flows.extend([35.0] * 6)
    memory.day_closed(day, NOW, raised=False)
    (judged,) = memory.typical_days
    assert judged.cop == pytest.approx(2.0)
    assert judged.typical == pytest.approx(typical_cop(35.0, 6.0, water=False))
    assert judged.runtime_hours == pytest.approx(12.0)
    assert not memory.flows  # a new day starts with no flow readings
    day.aux_seconds = 2 * HOUR  # backup heat for hours: the day says little of the heat pump
    memory.flows.extend([35.0] * 6)
    memory.day_closed(day, NOW + DAY, raised=False)
    assert len(memory.typical_days) == 1


def test_a_day_with_defrosts_is_held_to_a_lower_typical_cop() -> None:
    """Defrosts in humid weather near freezing cost a healthy unit a good share of its COP,
    more than the fleet's yearly figure shows: the more time defrosting, the lower the bar."""
    memory = EfficiencyMemory()
    # 20 defrosts of 5 minutes in 12 hours of running: 14 % of the runtime
    day = Period(
        start=NOW - DAY, seconds=DAY, runtime=12 * HOUR, defrosts=20, defrost_seconds=100 * 60
    )
    day.outdoor_seconds, day.outdoor_sum = DAY, 1.0 * DAY
    day.power_seconds, day.power_ws = DAY, 10.0 * 3_600_000
    day.heat_seconds, day.heat_ws = DAY, 16.0 * 3_600_000  # a COP of 1.6
    memory.flows.extend([35.0] * 6)
    memory.day_closed(day, NOW, raised=False)
    (judged,) = memory.typical_days
    plain = typical_cop(35.0, 1.0, water=False)
    assert judged.typical == pytest.approx((1 - 1.5 * 100 / 720) * plain)
    assert judged.cop < 0.6 * plain  # low against the plain figure...
    assert judged.cop > 0.6 * judged.typical  # ...not against the one for a day of defrosts
    day.defrost_seconds = 12 * HOUR  # a unit defrosting all day: the allowance is capped
    memory.flows.extend([35.0] * 6)
    memory.day_closed(day, NOW + DAY, raised=False)
    assert memory.typical_days[-1].typical == pytest.approx(0.75 * plain)


# -- severity fits the evidence -------------------------------------------------------------


def test_nothing_but_a_water_leak_is_urgent_while_the_room_holds() -> None:
    state = unit()
    read(state, Role.CLIMATE, ClimateReading("heat", "heating", 21.0, None, None, 20.2))
    assert room_holds(state.readings)
    urgent = Condition(True, Severity.CRITICAL, Guidance.EMERGENCY)
    calmed = fit_to_room(FindingKey.POWER_INTERRUPTED, urgent, holds=True)
    assert (calmed.severity, calmed.guidance) == (Severity.WARNING, Guidance.PROFESSIONAL)
    assert fit_to_room(FindingKey.WATER_LEAK, urgent, holds=True) == urgent
    assert fit_to_room(FindingKey.POWER_INTERRUPTED, urgent, holds=False) == urgent
    read(state, Role.CLIMATE, ClimateReading("heat", "heating", 21.0, None, None, 19.9))
    assert not room_holds(state.readings)
    read(state, Role.CLIMATE, ClimateReading("off", "off", 21.0, None, None, 15.0))
    assert not room_holds(state.readings)  # no setpoint to hold: nothing to cap by


def test_not_heating_needs_a_measurable_shortfall() -> None:
    state = unit()
    read(state, Role.COMPRESSOR, False)
    state.cycles.update(NOW - HOUR, False)
    read(state, Role.CLIMATE, ClimateReading("heat", "heating", 21.0, None, None, 19.6))
    assert not_heating(context(state), False).present is False
    read(state, Role.CLIMATE, ClimateReading("heat", "heating", 21.0, None, None, 19.5))
    assert not_heating(context(state), False).present is True
