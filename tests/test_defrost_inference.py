"""Defrost inferred from flow and return alone, and the season told by signs (no thermostat)."""

from datetime import UTC

import pytest

from custom_components.heat_pump_health.engine import (
    ClimateReading,
    EngineConfig,
    HealthEngine,
    Observation,
    Role,
)
from custom_components.heat_pump_health.engine.defrost import DefrostTracker
from custom_components.heat_pump_health.engine.model import UnitState
from custom_components.heat_pump_health.engine.readings import Season
from custom_components.heat_pump_health.engine.season import note_signs, season_of
from custom_components.heat_pump_health.engine.state import from_plain, to_plain

T0 = 1_767_225_600.0  # 2026-01-01 00:00 UTC
HOUR = 3600.0


class Water:
    """Flow and return readings fed to a tracker as a heating unit would report them."""

    def __init__(self, *, heating: bool = True) -> None:
        self.tracker = DefrostTracker()
        self.now = T0
        self.heating = heating

    def at(self, seconds: float, flow: float, back: float, *, running: bool = True) -> None:
        """A reading `seconds` after the previous one."""
        self.now += seconds
        self.tracker.update(
            self.now,
            None,
            heating=self.heating and running,
            running=running,
            split=flow - back,
            supply=flow,
            runtime=0.0,
        )

    def steady(self, minutes: float, flow: float = 36.0, back: float = 31.0) -> None:
        """Normal heating, a reading every 30 s."""
        for _ in range(int(minutes * 2)):
            self.at(30, flow, back)


def test_a_defrost_is_inferred_from_the_flow_falling_below_the_return() -> None:
    water = Water()
    water.steady(10)
    water.at(30, 33.0, 31.0)  # the indoor side cools: a defrost
    first = water.now + 30
    for flow in (29.0, 27.0, 26.5, 27.0, 28.0):
        water.at(30, flow, 31.0)
    tracker = water.tracker
    assert tracker.active
    assert tracker.since == first  # dated from the first sighting, not the confirmation
    back = water.now + 30
    water.at(30, 32.0, 31.0)
    water.at(60, 34.0, 31.0)
    assert tracker.active  # back above the return for one minute only
    water.at(60, 36.0, 31.0)
    assert not tracker.active
    assert tracker.count == 1
    assert tracker.durations[-1] == (back, back - first)


def test_a_unit_that_stops_right_after_a_defrost_ends_it_where_it_stopped() -> None:
    """The pump keeps circulating after the stop, the supply a little below the return for
    hours: the defrost ended when the compressor stopped, not hours later."""
    water = Water()
    water.steady(10)
    first = water.now + 60  # the first reading below the return
    for flow in (33.0, 29.0, 27.0, 26.5, 27.0):
        water.at(30, flow, 31.0)
    tracker = water.tracker
    assert tracker.active
    stop = water.now + 30
    water.at(30, 29.0, 29.3, running=False)
    water.at(60, 29.0, 29.3, running=False)
    assert tracker.active  # a pause of a minute is part of many defrosts
    for _ in range(120):
        water.at(60, 28.8, 29.0, running=False)
    assert not tracker.active
    assert tracker.count == 1
    assert tracker.durations[-1] == (stop, stop - first)


def test_a_short_pause_inside_a_defrost_does_not_end_it() -> None:
    water = Water()
    water.steady(10)
    for flow in (33.0, 29.0, 27.0, 26.5):
        water.at(30, flow, 31.0)
    water.at(30, 26.0, 31.0, running=False)
    water.at(60, 26.0, 31.0, running=False)
    water.at(30, 26.5, 31.0)
    water.at(60, 27.0, 31.0)
    assert water.tracker.active
    assert water.tracker.count == 1


def test_one_low_reading_is_no_defrost() -> None:
    water = Water()
    water.steady(10)
    water.at(30, 27.0, 31.0)
    water.steady(10)
    assert water.tracker.count == 0


def test_a_return_falling_with_the_flow_is_no_defrost() -> None:
    """A switching valve or a cold circuit opening pulls both down: no defrost."""
    water = Water()
    water.steady(10)
    for flow, back in ((30.0, 27.0), (26.0, 29.0), (25.0, 28.5), (25.5, 28.0)):
        water.at(30, flow, back)
    assert water.tracker.count == 0


def test_a_flow_that_did_not_fall_is_no_defrost() -> None:
    """Flow below the return all along (sensors swapped, or cooling) is no sudden defrost."""
    water = Water()
    water.steady(20, flow=28.0, back=31.0)
    assert water.tracker.count == 0


def test_no_defrost_is_inferred_while_not_heating() -> None:
    water = Water(heating=False)
    water.steady(10)
    for flow in (33.0, 29.0, 27.0, 26.5, 27.0):
        water.at(30, flow, 31.0)
    assert water.tracker.count == 0


def test_a_dip_that_held_unchanged_is_confirmed_and_ended_as_time_passes() -> None:
    """Sources report changes only: a dip held for minutes, then a recovery held for long."""
    water = Water()
    water.steady(10)
    first = water.now + 30
    water.at(30, 26.0, 31.0)
    water.at(300, 36.0, 31.0)  # the next change comes five minutes later
    tracker = water.tracker
    assert tracker.active
    assert tracker.since == first
    assert not tracker.settle(water.now + 60)
    assert tracker.settle(water.now + 600)
    assert not tracker.active
    assert tracker.durations[-1] == (water.now, 300.0)


def test_inference_memory_survives_a_save() -> None:
    water = Water()
    water.steady(10)
    water.at(30, 29.0, 31.0)
    restored = from_plain(DefrostTracker, to_plain(water.tracker))
    assert restored == water.tracker


# -- season by signs -----------------------------------------------------------------------


def state_with(
    flow: float | None = None,
    back: float | None = None,
    *,
    running: bool = True,
    outdoor: float | None = None,
) -> UnitState:
    """A state whose latest readings are these."""
    state = UnitState()
    if flow is not None and back is not None:
        state.readings.record_number(Role.SUPPLY_TEMPERATURE, T0, flow)
        state.readings.record_number(Role.RETURN_TEMPERATURE, T0, back)
    if outdoor is not None:
        state.readings.record_number(Role.OUTDOOR_TEMPERATURE, T0, outdoor)
    state.cycles.update(T0, running)
    return state


def test_flow_above_return_while_running_is_heating_for_two_days() -> None:
    state = state_with(36.0, 31.0, outdoor=20.0)
    assert season_of(state, T0) is None
    note_signs(state, T0)
    assert season_of(state, T0 + 47 * HOUR) is Season.HEAT
    assert season_of(state, T0 + 49 * HOUR) is None  # warm weather, and the sign is old


def test_flow_below_return_for_twenty_minutes_is_cooling() -> None:
    state = state_with(12.0, 17.0, outdoor=28.0)
    for minute in range(19):
        note_signs(state, T0 + 60 * minute)
    assert season_of(state, T0 + 19 * 60) is None  # a defrost is shorter than this
    note_signs(state, T0 + 20 * 60)
    assert season_of(state, T0 + 20 * 60) is Season.COOL


def test_the_latest_sign_wins() -> None:
    state = state_with(36.0, 31.0)
    note_signs(state, T0)
    state.readings.record_number(Role.SUPPLY_TEMPERATURE, T0 + HOUR, 12.0)
    state.readings.record_number(Role.RETURN_TEMPERATURE, T0 + HOUR, 17.0)
    note_signs(state, T0 + HOUR)
    note_signs(state, T0 + HOUR + 1200)
    assert season_of(state, T0 + HOUR + 1200) is Season.COOL


def test_signs_count_only_while_running_and_not_in_a_defrost() -> None:
    idle = state_with(36.0, 31.0, running=False, outdoor=20.0)
    note_signs(idle, T0)
    assert season_of(idle, T0) is None
    defrosting = state_with(36.0, 31.0, outdoor=20.0)
    defrosting.defrost.active = True
    note_signs(defrosting, T0)
    assert season_of(defrosting, T0) is None


def test_cold_weather_is_heating_and_the_thermostat_wins() -> None:
    assert season_of(state_with(outdoor=16.0), T0) is Season.HEAT
    assert season_of(state_with(outdoor=16.5), T0) is None
    state = state_with(36.0, 31.0, outdoor=5.0)
    note_signs(state, T0)
    state.readings.record(
        Observation(T0, Role.CLIMATE, ClimateReading(hvac_mode="cool", hvac_action="cooling"))
    )
    assert season_of(state, T0) is Season.COOL


# -- the engine, with no thermostat --------------------------------------------------------


def test_an_air_to_water_unit_without_a_thermostat_has_its_defrosts_inferred() -> None:
    engine = HealthEngine(EngineConfig(power_running_threshold=300.0), UTC)
    now = T0

    def report(seconds: float, watts: float, flow: float, back: float) -> None:
        nonlocal now
        now += seconds
        engine.update(Observation(now, Role.OUTDOOR_TEMPERATURE, 2.0))
        engine.update(Observation(now, Role.POWER, watts))
        engine.update(Observation(now, Role.SUPPLY_TEMPERATURE, flow))
        engine.update(Observation(now, Role.RETURN_TEMPERATURE, back))

    for _ in range(3):
        for step in range(80):  # 40 minutes of heating, readings wobbling a little
            report(30, 1500.0 + step % 3, 36.0 + 0.1 * (step % 2), 31.0)
        for flow in (33.0, 29.0, 27.0, 26.5, 27.0, 28.0, 30.0):
            report(30, 1400.0, flow, 31.0)
    for step in range(10):
        report(30, 1500.0 + step % 3, 36.0, 31.0)

    tracker = engine.state.defrost
    assert tracker.count == 3
    assert not tracker.active
    assert [seconds for _, seconds in tracker.durations] == pytest.approx([180.0] * 3)
    assert engine.totals().defrost_count == 3
