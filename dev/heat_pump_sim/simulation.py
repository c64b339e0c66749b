"""The simulator package on the wall clock: a winter (or summer) day, and its history.

The simulation runs on a date of its own: the wall-clock time moved by whole days to mid
January (mid July for the hot profile), so the weather is that of a heating (cooling) season
whatever the date, and the hours of the day stay the wall clock's. `simulate_history` runs one
from weeks ago up to now, with a fault from a chosen moment, and keeps what the entities would
have shown; it is pure Python and runs in an executor.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
import math

from .readings import Value, read
from .simulator import Fault, HourStats, Scenario, UnitSpec
from .simulator.live import LiveSimulation
from .simulator.thermostat import HvacMode
from .simulator.weather import DAY, ClimateName

HOUR = 3600.0
# Simulated seconds per step: coarse for the weeks kept as statistics only, finer for states.
STATISTICS_STEP = 60.0
STATES_STEP = 20.0
# Steps beyond this behind the wall clock are skipped by starting afresh (Home Assistant slept).
MAX_CATCH_UP = DAY


@dataclass(slots=True)
class Clocked:
    """A live simulation and its offset from the wall clock (whole days)."""

    sim: LiveSimulation
    shift: float
    climate: ClimateName

    @property
    def wall_time(self) -> float:
        """The simulation's time on the wall clock (epoch seconds)."""
        return self.sim.time - self.shift

    def step_to(self, wall: float) -> None:
        """Advance in whole steps up to the wall-clock time `wall`."""
        sim = self.sim
        end = wall + self.shift
        while sim.time + sim.dt <= end:
            sim.step()


def season_shift(climate: ClimateName, wall: float, zone: tzinfo) -> float:
    """Whole days from the wall clock's date to mid January (mid July when hot)."""
    today = datetime.fromtimestamp(wall, zone).date()
    month = 7 if climate is ClimateName.HOT else 1
    return (date(today.year, month, 15) - today).days * DAY


def new_simulation(
    climate: ClimateName,
    wall: float,
    zone: tzinfo,
    shift: float | None = None,
    unit: UnitSpec | None = None,
) -> Clocked:
    """A healthy simulation of `unit` from the wall-clock time `wall`, the house at its setpoint.

    `shift` defaults to the season's shift at `wall`; `unit` to the simulator's plain unit.
    """
    if shift is None:
        shift = season_shift(climate, wall, zone)
    mode = HvacMode.COOL if climate is ClimateName.HOT else HvacMode.HEAT
    scenario = Scenario(
        unit=unit or UnitSpec(),
        climate=climate,
        start=datetime.fromtimestamp(wall + shift, zone),
        days=3650.0,
        step_seconds=STATES_STEP,
        mode=mode,
    )
    return Clocked(LiveSimulation(scenario), shift, climate)


@dataclass(slots=True)
class History:
    """A simulated past up to `end`: entity changes from `states_from`, and every whole hour.

    `changes` are (wall time, key, reading) in time order, starting with every entity's
    reading at `states_from`; `hours` are the simulation's hourly statistics, their `start`
    moved to the wall clock; `energy` is the meter (kWh) at the end of each of those hours.
    """

    clocked: Clocked
    states_from: float
    end: float
    changes: list[tuple[float, str, Value]] = field(default_factory=list)
    hours: list[HourStats] = field(default_factory=list)
    energy: list[float] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class HistoryPlan:
    """What to simulate: the weather, the span, a fault from `fault_at` (wall clock), the unit."""

    climate: ClimateName
    end: float
    zone: tzinfo
    days: float
    state_days: float
    fault: Fault | None = None
    fault_at: float | None = None
    states_before_fault: float = 0.0
    max_state_days: float = math.inf
    unit: UnitSpec | None = None


def _floor_hour(time: float) -> float:
    return math.floor(time / HOUR) * HOUR


def simulate_history(plan: HistoryPlan) -> History:
    """Run the simulation from `plan.days` ago to `plan.end` and keep what was shown."""
    origin = _floor_hour(plan.end - plan.days * DAY)
    states_from = plan.end - plan.state_days * DAY
    if plan.fault_at is not None:
        states_from = min(states_from, plan.fault_at - plan.states_before_fault)
        states_from = max(states_from, plan.end - plan.max_state_days * DAY)
    states_from = max(origin, _floor_hour(states_from))
    shift = season_shift(plan.climate, plan.end, plan.zone)
    clocked = new_simulation(plan.climate, origin, plan.zone, shift, plan.unit)
    sim = clocked.sim
    sim.dt = STATISTICS_STEP
    history = History(clocked, states_from, plan.end)
    fault_due = plan.fault_at if plan.fault is not None else None
    last: dict[str, Value] | None = None
    end = plan.end + clocked.shift
    while sim.time + sim.dt <= end:
        wall = sim.time - clocked.shift
        if fault_due is not None and wall >= fault_due:
            sim.set_fault(plan.fault)
            fault_due = None
        if last is None and wall >= states_from:
            sim.dt = STATES_STEP
            last = read(sim, 0.0)
            history.changes.extend((wall, key, value) for key, value in last.items())
        sim.step()
        if last is not None:
            now = read(sim, 0.0)
            wall = sim.time - clocked.shift
            history.changes.extend(
                (wall, key, value) for key, value in now.items() if value != last[key]
            )
            last = now
    meter = 0.0
    for hour in sim.truth.hours:
        meter += hour.electric_kwh
        history.hours.append(hour._replace(start=hour.start - clocked.shift))
        history.energy.append(meter)
    sim.truth.hours.clear()
    return history
