"""Hot water: runs counted apart, no new start at a switch, and kept out of space heating."""

import pytest

from custom_components.heat_pump_health.engine import EngineConfig, HealthEngine, Role
from custom_components.heat_pump_health.engine.detectors.split import SplitMemory
from custom_components.heat_pump_health.engine.findings import FindingKey as K
from custom_components.heat_pump_health.engine.hot_water import MIN_RUN
from custom_components.heat_pump_health.engine.persistence import restore, save

from .test_detectors import Stream, heating_unit, steady_hours


def valve(s: Stream, at_tank: bool) -> None:
    s.report(Role.HOT_WATER, at_tank)


def test_a_switch_to_hot_water_inside_a_run_is_no_start() -> None:
    s = heating_unit(outdoor=5.0)
    valve(s, False)
    s.wait(30)
    valve(s, True)  # the compressor keeps running across the switch
    s.wait(40)
    valve(s, False)
    s.wait(30)
    state = s.engine.state
    assert state.cycles.total_starts == 0  # running since the start: no start seen
    hot_water = state.hot_water
    assert (hot_water.total_runs, hot_water.total_starts) == (1, 0)
    assert hot_water.total_runtime == pytest.approx(40 * 60)
    snapshot = s.engine.snapshot()
    assert snapshot.hot_water_runs_today == 1
    assert snapshot.hot_water_runtime_today_hours == pytest.approx(40 / 60)


def test_a_start_with_the_valve_at_the_tank_is_a_hot_water_start() -> None:
    s = heating_unit(outdoor=5.0)
    valve(s, False)
    s.compressor(False)
    s.wait(20)
    valve(s, True)  # the valve moves first, then the compressor starts
    s.wait(1, every=1)
    s.compressor(True)
    s.wait(45)
    s.compressor(False)
    valve(s, False)
    s.wait(20)
    s.compressor(True)  # a space-heating start after it
    valve(s, False)
    s.wait(20)
    state = s.engine.state
    assert state.cycles.total_starts == 2
    assert (state.hot_water.total_runs, state.hot_water.total_starts) == (1, 1)
    assert s.engine.totals().hot_water_starts == 1


def test_the_valve_turned_during_a_defrost_is_no_hot_water_run() -> None:
    s = heating_unit(outdoor=2.0)
    valve(s, False)
    s.defrost(False)
    s.wait(30)
    s.defrost(True)
    valve(s, True)  # the unit takes heat from the tank to defrost
    s.wait(6, every=1)
    s.defrost(False)
    valve(s, False)
    s.wait(30)
    assert s.engine.state.hot_water.total_runs == 0
    assert s.engine.state.hot_water.seen
    # a run shorter than MIN_RUN outside the defrost is no run either
    valve(s, True)
    s.wait(MIN_RUN / 60 - 2, every=1)
    valve(s, False)
    s.wait(10)
    assert s.engine.state.hot_water.total_runs == 0


def _dhw_cycling(s: Stream, *, with_valve: bool, hours: int) -> None:
    """Four short compressor runs an hour, each heating the tank when `with_valve`."""
    for _ in range(hours * 4):
        if with_valve:
            valve(s, True)
        s.compressor(True)
        s.wait(7, every=1)
        s.compressor(False)
        valve(s, False)
        s.wait(8, every=1)


@pytest.mark.parametrize("with_valve", [True, False])
def test_hot_water_runs_are_not_space_heating_short_cycling(with_valve: bool) -> None:
    s = Stream(EngineConfig(short_cycling_starts_per_hour=3.0))
    s.thermostat("heat", None, 21.0, 21.0)
    s.outdoor(5.0)
    s.compressor(False)
    valve(s, False)
    s.wait(60)
    for _ in range(2):
        _dhw_cycling(s, with_valve=with_valve, hours=4)
        s.compressor(True)  # some space heating in between
        s.wait(30)
        s.compressor(False)
        s.wait(10)
    raised = any(change.key is K.SHORT_CYCLING for change in s.changes)
    assert raised is not with_valve


def test_the_split_normal_learns_space_heating_alone() -> None:
    s = heating_unit(outdoor=5.0)
    valve(s, False)
    for _ in range(6):
        steady_hours(s, 1, split=5.0)
        valve(s, True)  # an hour of hot water at twice the split
        steady_hours(s, 1, split=10.0)
        valve(s, False)
    memory = s.engine.state.memory(K.WEAK_AIRFLOW, SplitMemory)
    learned = [baseline.expected(5.0, neighbours=0) for baseline in memory.normals.values()]
    learned = [value for value in learned if value is not None]
    assert learned
    assert all(value == pytest.approx(5.0, abs=0.3) for value in learned)


def test_without_the_valve_the_hot_water_split_would_be_learned() -> None:
    s = heating_unit(outdoor=5.0)
    for _ in range(6):
        steady_hours(s, 1, split=5.0)
        steady_hours(s, 1, split=10.0)
    memory = s.engine.state.memory(K.WEAK_AIRFLOW, SplitMemory)
    learned = [baseline.expected(5.0, neighbours=0) for baseline in memory.normals.values()]
    assert any(value is not None and value > 6.0 for value in learned)


@pytest.mark.parametrize(("at_tank", "mild_minutes"), [(True, 0.0), (False, 25.0)])
def test_an_anti_legionella_immersion_run_is_not_backup_heat_overuse(
    at_tank: bool, mild_minutes: float
) -> None:
    s = heating_unit(outdoor=10.0)  # far above the backup heat's lockout
    s.aux(False)
    valve(s, False)
    s.wait(60)
    s.aux(True)  # a first burst this week: taken as the weekly run whatever the valve
    s.wait(10, every=1)
    s.aux(False)
    s.wait(60)
    valve(s, at_tank)
    s.wait(30)
    s.aux(True)  # the immersion heater takes the tank to 60 °C
    s.wait(25, every=1)
    s.aux(False)
    valve(s, False)
    s.wait(30)
    today = s.engine.state.day.aux_mild_seconds + s.engine.state.hour.aux_mild_seconds
    assert today == pytest.approx(mild_minutes * 60)


def test_hot_water_energy_is_counted_apart_and_out_of_the_energy_expectation() -> None:
    s = heating_unit(outdoor=5.0)
    valve(s, False)
    s.power(2000.0)
    s.wait(60)
    valve(s, True)
    s.power(3000.0)
    s.wait(60)
    valve(s, False)
    s.power(2000.0)
    s.wait(60)
    snapshot = s.engine.snapshot()
    # 3 kWh of 7 kWh went to the tank
    assert snapshot.hot_water_energy_share_today == pytest.approx(3 / 7, abs=0.02)
    today = s.engine.state.day
    today.add(s.engine.state.hour)
    assert today.hot_water_electric_kwh == pytest.approx(3.0, abs=0.05)
    assert today.space_electric_kwh == pytest.approx(4.0, abs=0.1)


def test_hot_water_is_saved_and_unknown_without_a_source() -> None:
    s = heating_unit(outdoor=5.0)
    assert s.engine.totals().hot_water_runs is None
    valve(s, True)
    s.wait(20)
    valve(s, False)
    s.wait(5)
    restored = HealthEngine.from_dict(s.engine.as_dict())
    assert restored.state.hot_water == s.engine.state.hot_water
    assert restored.totals().hot_water_runs == 1
    old = save(s.engine.state)
    del old["state"]["hot_water"]  # a state saved before hot water was tracked
    assert restore(old).hot_water.total_runs == 0


@pytest.mark.parametrize(("hot_water_source", "mild_minutes"), [(True, 90.0), (False, 180.0)])
def test_a_weekly_immersion_burst_alone_is_anti_legionella(
    hot_water_source: bool, mild_minutes: float
) -> None:
    """The immersion heater on its own schedule: its first burst in six days is exempt."""
    s = heating_unit(outdoor=10.0)
    s.aux(False)
    if hot_water_source:
        valve(s, False)
    s.compressor(False)
    s.wait(60)
    s.aux(True)  # the weekly run: 90 minutes of the immersion heater, valve not at the tank
    s.wait(90, every=1)
    s.aux(False)
    s.wait(60)
    s.aux(True)  # a second burst the same day is backup heat again
    s.wait(90, every=1)
    s.aux(False)
    s.wait(10)
    today = s.engine.state.day.aux_mild_seconds + s.engine.state.hour.aux_mild_seconds
    assert today == pytest.approx(mild_minutes * 60)
