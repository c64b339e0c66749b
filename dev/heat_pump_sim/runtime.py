"""The running simulator: the simulation stepped on the wall clock, and what the selects change.

The simulation runs at the wall clock's pace, always: Home Assistant stamps every state with
the wall-clock time, and Heat Pump Health measures runs, defrosts and windows from those stamps,
so a simulation run faster would show ten-second runs and be taken for short cycling. Two
things stand in for acceleration instead:

- `speed` makes the active fault develop faster (a filter clogging, refrigerant leaking, a
  sensor drifting), while runs, defrosts, the house and the weather keep real time;
- a back-dated fault (see `demo`) rewrites the simulated history so that the fault started
  hours or days ago, and Heat Pump Health is set up afresh to learn it, so its finding is open
  within a minute or two, as it would be for an owner who installs it on a unit that has had
  the fault for that long.

On a fresh configuration the same rewrite gives the unit a healthy past (29 days: states for
the last two, hourly statistics before), so Heat Pump Health has learned its baselines and
shows a healthy unit, not a learning one, from the start.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum
import logging
import time
from typing import Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError

from .const import (
    HISTORY_DAYS,
    MAX_STATE_DAYS,
    STATE_DAYS,
    STATES_BEFORE_FAULT_HOURS,
    UPDATE_SECONDS,
)
from .demo import DEMO_FAULTS_BY_OPTION, NO_FAULT, DemoFault, FaultStart, fault_options
from .health import async_create_health_entry, async_remove_health_entry, async_wait_until_read
from .profiles import Profile
from .readings import Readings, read
from .recorder import async_replace_history, import_statistics
from .simulation import (
    MAX_CATCH_UP,
    Clocked,
    History,
    HistoryPlan,
    new_simulation,
    simulate_history,
)
from .simulator.thermostat import HvacMode
from .simulator.weather import ClimateName

_LOGGER = logging.getLogger(__name__)

HOUR = 3600.0
# Ground-truth intervals the simulation keeps are of no use here; they are dropped past this.
MAX_TRUTH = 500


class Phase(StrEnum):
    """What the simulator is doing (the Simulation sensor's state)."""

    STARTING = "starting"  # writing the healthy history of a fresh configuration
    LIVE = "live"
    REWRITING = "rewriting"  # re-simulating the history for a back-dated fault


@dataclass(slots=True)
class UserSettings:
    """What the owner set on the thermostat, kept when the simulation is replaced."""

    mode: HvacMode | None = None
    target: float | None = None


class SimRuntime:
    """The simulation behind the entities, and the actions the entities offer."""

    def __init__(
        self,
        hass: HomeAssistant,
        zone: tzinfo,
        *,
        speed: float,
        manage_health_entry: bool,
        profile: Profile,
    ) -> None:
        """Start a healthy simulation of the profile's unit now, in the profile's weather."""
        self.hass = hass
        self.zone = zone
        self.profile = profile
        self.fault_options = fault_options(profile.name)
        self.manage_health_entry = manage_health_entry
        self.phase = Phase.LIVE
        self.fault = NO_FAULT
        self.fault_start = FaultStart.BACKDATED
        self.fault_since: float | None = None
        self.fault_backdated = False
        self.speed = speed
        self.user = UserSettings()
        self.energy_base = 0.0
        self.clocked = new_simulation(profile.climate, time.time(), zone, unit=profile.unit)
        self.clocked.sim.faults.speed = speed
        self.clocked.sim.dt = UPDATE_SECONDS
        self.readings: Readings = read(self.clocked.sim, self.energy_base)
        self._listeners: list[Callable[[], None]] = []

    @property
    def climate(self) -> ClimateName:
        """The weather profile simulated now."""
        return self.clocked.climate

    @property
    def busy(self) -> bool:
        """Whether the history is being written (the selects wait)."""
        return self.phase is not Phase.LIVE

    @property
    def simulated_time(self) -> datetime:
        """The simulation's own date and time (mid January, or July when hot)."""
        return datetime.fromtimestamp(self.clocked.sim.time, self.zone)

    @callback
    def async_add_listener(self, update: Callable[[], None]) -> CALLBACK_TYPE:
        """Call `update` whenever the readings or settings change; returns the remover."""
        self._listeners.append(update)
        return lambda: self._listeners.remove(update)

    @callback
    def async_notify(self) -> None:
        """Tell the entities that something changed."""
        for update in list(self._listeners):
            update()

    @callback
    def async_tick(self, _now: datetime | None = None) -> None:
        """Advance the simulation to the wall clock and show the new readings."""
        if self.busy:
            return
        now = time.time()
        clocked = self.clocked
        if now - clocked.wall_time > MAX_CATCH_UP:
            self._replace(self._new_simulation(clocked.climate, now))
        self.clocked.step_to(now)
        truth = self.clocked.sim.truth
        for intervals in (truth.runs, truth.defrosts, truth.aux, truth.hours):
            if len(intervals) > MAX_TRUTH:
                intervals.clear()
        self.readings = read(self.clocked.sim, self.energy_base)
        self.async_notify()

    # -- the simulation replaced: weather, restart, rewrite -------------------------------

    def _new_simulation(self, climate: ClimateName, wall: float) -> Clocked:
        """A healthy simulation of the profile's unit from `wall`."""
        return new_simulation(climate, wall, self.zone, unit=self.profile.unit)

    def _replace(self, clocked: Clocked, energy_base: float | None = None) -> None:
        """Continue with another simulation, with the speed and the thermostat's settings.

        Without `energy_base` it carries on the meter and the active fault too (a change of
        weather); with it, it takes the new simulation's fault and meter as they are.
        """
        old = self.clocked.sim
        sim = clocked.sim
        if energy_base is None:
            self.energy_base += old.energy_kwh - sim.energy_kwh
            sim.set_fault(old.faults.fault, old.faults.age)
        else:
            self.energy_base = energy_base
        self.clocked = clocked
        sim.faults.speed = self.speed
        sim.dt = UPDATE_SECONDS
        if self.user.mode is not None:
            sim.set_mode(self.user.mode)
        if self.user.target is not None:
            sim.thermostat.target_c = self.user.target
        self.readings = read(sim, self.energy_base)

    @callback
    def async_set_weather(self, climate: ClimateName) -> None:
        """Move the house to another climate now (the unit stays as sized for it)."""
        self._check_idle()
        if climate is not self.climate:
            self.user.mode = None  # the new season decides
            self._replace(self._new_simulation(climate, time.time()))
            self.async_notify()

    # -- the selects, numbers and thermostat ----------------------------------------------

    def _check_idle(self) -> None:
        if self.busy:
            raise HomeAssistantError(
                "The simulated heat pump is rewriting its history; try again in a minute"
            )

    @callback
    def async_set_speed(self, speed: float) -> None:
        """How many times faster than the clock the active fault develops."""
        self.speed = speed
        self.clocked.sim.faults.speed = speed
        self.async_notify()

    @callback
    def async_set_fault_start(self, start: FaultStart) -> None:
        """Whether the next fault is back-dated or starts now."""
        self.fault_start = start
        self.async_notify()

    @callback
    def async_set_mode(self, mode: HvacMode) -> None:
        """Switch the thermostat's mode."""
        self.user.mode = mode
        self.clocked.sim.set_mode(mode)
        self.async_tick()

    @callback
    def async_set_target(self, target: float) -> None:
        """Change the thermostat's set point."""
        self.user.target = target
        self.clocked.sim.thermostat.target_c = target
        self.async_tick()

    @callback
    def async_restore(
        self,
        *,
        fault: str | None = None,
        fault_since: float | None = None,
        energy: float | None = None,
    ) -> None:
        """Carry on after a restart: the fault live, with its age, and the meter reading."""
        if fault in self.fault_options and (demo := DEMO_FAULTS_BY_OPTION.get(fault)) is not None:
            age = 0.0 if fault_since is None else max(0.0, time.time() - fault_since)
            self.clocked.sim.set_fault(demo.fault(), age)
            self.fault, self.fault_since = fault, fault_since
        if energy is not None:
            self.energy_base = energy - self.clocked.sim.energy_kwh
        self.readings = read(self.clocked.sim, self.energy_base)

    @callback
    def async_select_fault(self, option: str) -> None:
        """Inject a fault (or `none`): live, or back-dated by rewriting the history."""
        self._check_idle()
        demo = DEMO_FAULTS_BY_OPTION.get(option)
        if option not in self.fault_options:
            raise HomeAssistantError(
                f"Unknown fault {option!r}"
                if demo is None
                else f"The {self.profile.name} profile's unit cannot have {option!r}"
            )
        backdated = self.fault_start is FaultStart.BACKDATED and (
            demo.head_start_hours > 0 if demo is not None else self.fault_backdated
        )
        if backdated:
            self.phase = Phase.REWRITING
            self.async_notify()
            self.hass.async_create_background_task(
                self._async_rewind(option, demo), "heat_pump_sim rewind"
            )
            return
        self.clocked.sim.set_fault(None if demo is None else demo.fault())
        self.fault = option
        self.fault_since = None if demo is None else time.time()
        self.fault_backdated = False
        _LOGGER.info("Fault %s injected now", option)
        self.async_tick()

    # -- writing the history ---------------------------------------------------------------

    def history_plan(self, demo: DemoFault | None, climate: ClimateName) -> HistoryPlan:
        """The history to simulate up to now: healthy, or with `demo` from its head start."""
        now = time.time()
        return HistoryPlan(
            climate,
            now,
            self.zone,
            HISTORY_DAYS,
            STATE_DAYS,
            None if demo is None else demo.fault(),
            None if demo is None else now - demo.head_start_hours * HOUR,
            STATES_BEFORE_FAULT_HOURS * HOUR,
            MAX_STATE_DAYS,
            self.profile.unit,
        )

    def adopt(self, past: History, option: str) -> None:
        """Continue live from the end of a simulated history, meter and all."""
        self._replace(past.clocked, energy_base=0.0)
        demo = DEMO_FAULTS_BY_OPTION.get(option)
        self.fault = option
        self.fault_backdated = demo is not None
        self.fault_since = None if demo is None else past.end - demo.head_start_hours * HOUR

    async def _async_rewind(self, option: str, demo: DemoFault | None) -> None:
        """Re-simulate the history with the fault from its head start; re-create the entry."""
        climate = self.climate if demo is None else demo.climate_for(self.climate)
        started = time.monotonic()
        options: dict[str, Any] | None = None
        past: History | None = None
        try:
            plan = self.history_plan(demo, climate)
            past = await self.hass.async_add_executor_job(simulate_history, plan)
            if self.manage_health_entry:
                options = await async_remove_health_entry(self.hass)
            self.adopt(past, option)
            await async_replace_history(self.hass, past)
        except Exception:
            _LOGGER.exception("Could not rewrite the simulated history for %s", option)
        finally:
            self.phase = Phase.LIVE
            self.async_tick()
        early = demo is not None and demo.learns_from_statistics
        await self._async_watch(past, options, statistics_first=early)
        _LOGGER.info(
            "Fault %s back-dated by %.0f h in %s weather (%.0f s)",
            option,
            0.0 if demo is None else demo.head_start_hours,
            climate,
            time.monotonic() - started,
        )

    async def async_write_first_history(self, past: History) -> None:
        """On a fresh configuration: write the healthy past, then set up Heat Pump Health.

        An entry already there (from an older simulator) is set up afresh, keeping its options.
        """
        self.phase = Phase.STARTING
        self.async_notify()
        options: dict[str, Any] | None = None
        try:
            if self.manage_health_entry:
                options = await async_remove_health_entry(self.hass)
            await async_replace_history(self.hass, past)
        finally:
            self.phase = Phase.LIVE
            self.async_tick()
        await self._async_watch(past, options, statistics_first=False)

    async def _async_watch(
        self, past: History | None, options: dict[str, Any] | None, *, statistics_first: bool
    ) -> None:
        """Set up Heat Pump Health on the new history, and import its weeks of statistics.

        Heat Pump Health learns from long-term statistics where the states are gone, which is
        what the energy baseline needs. Statistics are otherwise imported after it has read
        the states (for the dashboard only): history that old ends its learning day, and its
        power readings would then be judged before it has seen them for long.
        """
        if past is not None and statistics_first:
            import_statistics(self.hass, past)
        if self.manage_health_entry:
            await async_create_health_entry(self.hass, self.profile, options)
        if past is not None and not statistics_first:
            if self.manage_health_entry:
                await async_wait_until_read(self.hass)
            import_statistics(self.hass, past)
