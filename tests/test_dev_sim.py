"""The dev simulator (dev/heat_pump_sim): live faults, simulated history, labels."""

from datetime import UTC, datetime
import json
from pathlib import Path

import pytest

# The dev simulator runs on the newest Home Assistant only (scripts/develop uses .venv), whose
# schemas come from `probatio`; on the oldest supported one there is nothing to test.
pytest.importorskip("probatio")

from dev.heat_pump_sim.demo import DEMO_FAULTS, FAULT_OPTIONS, NO_FAULT
from dev.heat_pump_sim.readings import READERS, read
from dev.heat_pump_sim.simulation import (
    HOUR,
    HistoryPlan,
    new_simulation,
    season_shift,
    simulate_history,
)
from dev.heat_pump_sim.simulator import Fault, FaultKind, Scenario, SensorTarget
from dev.heat_pump_sim.simulator.live import LiveSimulation
from dev.heat_pump_sim.simulator.thermostat import HvacMode
from dev.heat_pump_sim.simulator.weather import DAY, ClimateName

SIM = Path(__file__).parent.parent / "dev" / "heat_pump_sim"
NOW = datetime(2026, 11, 23, 14, 37, tzinfo=UTC).timestamp()


def _live() -> LiveSimulation:
    return LiveSimulation(Scenario(start=datetime(2026, 1, 15, tzinfo=UTC), days=3650))


def test_fault_switches_live_and_ages_with_speed() -> None:
    sim = _live()
    for _ in range(30):
        sim.step()
    assert sim.effects.airflow == 1.0
    sim.set_fault(Fault(FaultKind.DIRTY_FILTER, 0.0))
    sim.faults.speed = 60.0
    for _ in range(int(HOUR / sim.dt)):
        sim.step()
    assert sim.faults.age >= 59 * HOUR
    assert sim.effects.airflow < 0.5  # a day's clogging in under half an hour
    sim.set_fault(None)
    assert sim.effects.airflow == 1.0
    assert sim.faults.fault is None


def test_stuck_sensor_freezes_at_once_and_mode_stays() -> None:
    sim = _live()
    sim.set_fault(Fault(FaultKind.STUCK_SENSOR, 0.0, target=SensorTarget.OUTDOOR))
    stuck = sim.outdoor_reading
    sim.set_mode(HvacMode.OFF)
    for _ in range(int(2 * DAY / sim.dt)):
        sim.step()
    assert sim.outdoor_reading == stuck
    assert sim.thermostat.mode is HvacMode.OFF


def test_season_shift_maps_now_to_mid_winter_or_summer() -> None:
    winter = new_simulation(ClimateName.MILD, NOW, UTC)
    assert datetime.fromtimestamp(winter.sim.time, UTC).date().isoformat() == "2026-01-15"
    assert winter.wall_time == NOW
    summer = season_shift(ClimateName.HOT, NOW, UTC)
    assert datetime.fromtimestamp(NOW + summer, UTC).date().isoformat() == "2026-07-15"


def test_history_is_continuous_and_ends_now() -> None:
    plan = HistoryPlan(
        ClimateName.HUMID_NEAR_FREEZING,
        NOW,
        UTC,
        days=3.0,
        state_days=1.0,
        fault=Fault(FaultKind.WATER_LEAK, 0.0),
        fault_at=NOW - 2 * HOUR,
        states_before_fault=HOUR,
    )
    past = simulate_history(plan)
    times = [time for time, _, _ in past.changes]
    assert times == sorted(times)
    assert past.states_from == times[0]
    assert past.states_from % HOUR == 0
    assert NOW - past.clocked.wall_time < 20
    assert {key for _, key, _ in past.changes[: len(READERS)]} == set(READERS)
    # Whole hours on the hour; the meter's hourly readings grow and end near its last state.
    assert all(hour.start % HOUR == 0 for hour in past.hours)
    assert past.energy == sorted(past.energy)
    leak = [(time, value) for time, key, value in past.changes if key == "leak"]
    assert leak[-1][1] is True
    assert NOW - 2 * HOUR <= leak[-1][0] <= NOW - 2 * HOUR + 60
    energy = read(past.clocked.sim, 0.0)["energy"]
    assert isinstance(energy, float)
    assert energy >= past.energy[-1]


def test_fault_options_are_labelled() -> None:
    strings = json.loads((SIM / "strings.json").read_text(encoding="utf-8"))
    english = json.loads((SIM / "translations" / "en.json").read_text(encoding="utf-8"))
    assert strings == english
    assert FAULT_OPTIONS[0] == NO_FAULT
    assert set(english["entity"]["select"]["fault"]["state"]) == set(FAULT_OPTIONS)
    assert {demo.kind for demo in DEMO_FAULTS} == set(FaultKind)
    # A leak is the first leak the select offers (dev/screenshots.py picks it).
    assert next(option for option in FAULT_OPTIONS if "leak" in option) == "water_leak"
