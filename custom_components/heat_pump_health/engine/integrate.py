"""Integrating readings into hours and days: the latest readings held constant until the next.

Time moves forward only here: on the way, every hour and local day passed is closed (see
`learning`). A silence longer than `MAX_GAP` is a gap (Home Assistant was down), and nothing
is integrated across it.
"""

from datetime import tzinfo

from .baselines import degrees
from .calendar import day_bounds
from .config import EngineConfig
from .detectors.base import ICING_MAX, STEADY_AFTER
from .detectors.cycling import SETPOINT_MISSED
from .detectors.pressure import plausible_pressure
from .durations import HOUR, MINUTE
from .hot_water import AFTER_HOT_WATER
from .learning import close_day, close_hour
from .model import UnitState
from .observations import Role
from .periods import HOUR_KWH, Period
from .readings import Season
from .season import season_of

MAX_GAP = HOUR
# Frost melts once the weather is this far above the icing range.
THAW_MARGIN = 2.0
# Shortly after a defrost the unit is recovering: aux heat is no overuse, the split no normal.
AFTER_DEFROST = 10 * MINUTE


def move_to(state: UnitState, time: float, config: EngineConfig, zone: tzinfo) -> None:
    """Integrate up to `time`, closing the hours and days passed on the way."""
    if state.last_time is None or state.hour_end is None or state.day_end is None:
        _open_periods(state, time, zone)
        state.last_time = time
        return
    if state.defrost.settle(time):
        state.icing_runtime = 0.0  # an inferred defrost that ended while readings held
    cursor = state.last_time
    integrate = time - cursor <= MAX_GAP
    while time >= (boundary := min(state.hour_end, state.day_end)):
        if integrate:
            _integrate(state, config, cursor, boundary)
        close_hour(state, boundary)
        if boundary >= state.day_end:
            close_day(state, boundary, zone)
        cursor = boundary
    if integrate:
        _integrate(state, config, cursor, time)
    state.last_time = time
    state.cycles.advance(time)


def _open_periods(state: UnitState, time: float, zone: tzinfo) -> None:
    """Start the first hour and day."""
    day_start, state.day_end = day_bounds(time, zone)
    state.day = Period(start=day_start)
    state.cycles.new_day(day_start)
    state.hour = Period(start=time)
    state.hour_end = min(time - time % HOUR + HOUR, state.day_end)


def _integrate(state: UnitState, config: EngineConfig, start: float, end: float) -> None:
    """Add the latest readings, held constant from `start` to `end`, to the hour."""
    seconds = end - start
    if seconds <= 0:
        return
    hour, readings = state.hour, state.readings
    hour.seconds += seconds
    if readings.hvac_mode == "off":
        hour.off_seconds += seconds
    running = bool(state.cycles.running)
    season = season_of(state, end)
    run_seconds = seconds if running else 0.0
    if running and (stop := state.cycles.pending_stop) is not None:
        run_seconds = max(0.0, min(end, stop) - start)  # stopped, not yet final
    if run_seconds > 0:
        hour.runtime += run_seconds
        if season is Season.HEAT:
            hour.heating_runtime += run_seconds
        off = readings.off_setpoint(Season.HEAT if season is Season.HEAT else Season.COOL)
        if off is not None and off >= SETPOINT_MISSED:
            hour.missed_seconds += run_seconds
    outdoor = readings.outdoor
    if outdoor is not None:
        hour.outdoor_seconds += seconds
        hour.outdoor_sum += outdoor * seconds
        heating, cooling = degrees(outdoor)
        hour.heating_degree_seconds += heating * seconds
        hour.cooling_degree_seconds += cooling * seconds
    values = readings.values
    if (power := values.get(Role.POWER)) is not None:
        hour.power_seconds += seconds
        hour.power_ws += max(0.0, power) * seconds
        state.power_energy_total += max(0.0, power) * seconds / HOUR_KWH
        state.power_seen = True
    _integrate_frequency(state, run_seconds)
    if not state.heat_is_counter and (heat := values.get(Role.HEAT_OUTPUT)) is not None:
        hour.heat_seconds += seconds
        hour.heat_ws += heat * seconds
    if state.defrost.active:
        hour.defrost_seconds += seconds
    _integrate_hot_water(state, run_seconds)
    _integrate_aux(state, config, end, seconds, outdoor)
    steady = _steady(state, running)
    _integrate_split(state, seconds, running=running, steady=steady, season=season, outdoor=outdoor)
    if Role.FLOW_RATE in values or Role.WATER_PRESSURE in values:
        _integrate_water(state, seconds, steady)
    room = values.get(Role.INDOOR_TEMPERATURE)
    if room is not None and readings.climate_temperature is not None:
        hour.offset_seconds += seconds
        hour.offset_sum += (room - readings.climate_temperature) * seconds


def _integrate_frequency(state: UnitState, run_seconds: float) -> None:
    """Add the compressor frequency, while running, to the hour: the split's load band uses it."""
    frequency = state.readings.values.get(Role.COMPRESSOR_FREQUENCY)
    if run_seconds > 0 and frequency is not None:
        state.hour.frequency_seconds += run_seconds
        state.hour.frequency_sum += frequency * run_seconds


def _integrate_hot_water(state: UnitState, seconds: float) -> None:
    """Heating the cylinder: its runtime, and its share of electric energy and heat."""
    if not state.hot_water.heating or seconds <= 0:
        return
    hour, values = state.hour, state.readings.values
    state.hot_water.add(seconds)
    hour.hot_water_seconds += seconds
    if (power := values.get(Role.POWER)) is not None:
        hour.hot_water_power_ws += max(0.0, power) * seconds
    if not state.heat_is_counter and (heat := values.get(Role.HEAT_OUTPUT)) is not None:
        hour.hot_water_heat_ws += heat * seconds


def _integrate_aux(
    state: UnitState, config: EngineConfig, end: float, seconds: float, outdoor: float | None
) -> None:
    """Aux heat time, and the part of it in weather too mild to need it.

    Backup heat in or just after a defrost is recovery, and with (or just after) the valve at
    the cylinder, or in its first burst of the week, it is the immersion heater's weekly
    anti-legionella run (see `hot_water`): neither is overuse.
    """
    if not state.aux.running:
        return
    state.hour.aux_seconds += seconds
    last_defrost = state.defrost.last_end
    after_defrost = last_defrost is not None and end - last_defrost < AFTER_DEFROST
    if (
        outdoor is not None
        and outdoor > config.aux_heat_max_outdoor_temperature
        and not state.defrost.active
        and not after_defrost
        and not state.hot_water.immersion_time(end)
    ):
        state.hour.aux_mild_seconds += seconds
        state.aux_mild.add(end, seconds)


def _steady(state: UnitState, running: bool) -> bool:
    """Running for a while, not in or just after a defrost, nor heating the cylinder."""
    now = state.last_time or 0.0
    last_defrost = state.defrost.last_end
    return (
        running
        and not state.defrost.active
        and (last_defrost is None or now - last_defrost >= AFTER_DEFROST)
        and state.cycles.run_length(now) >= STEADY_AFTER
        and not state.hot_water.recently(now, AFTER_HOT_WATER)
    )


def _integrate_split(
    state: UnitState,
    seconds: float,
    *,
    running: bool,
    steady: bool,
    season: Season | None,
    outdoor: float | None,
) -> None:
    """Split while running steadily, and the icing-runtime bookkeeping of defrost."""
    split = state.readings.split
    if steady and split is not None:
        state.hour.split_seconds += seconds
        state.hour.split_sum += abs(split) * seconds
    if outdoor is not None and outdoor > ICING_MAX + THAW_MARGIN:
        state.icing_runtime = 0.0
    elif running and season is Season.HEAT and not state.defrost.active and outdoor is not None:
        state.icing_runtime += seconds


def _integrate_water(state: UnitState, seconds: float, steady: bool) -> None:
    """Water flow while running steadily with the pump moving water, and plausible pressure."""
    hour, values = state.hour, state.readings.values
    flow = values.get(Role.FLOW_RATE)
    if steady and flow is not None and flow > 0:
        hour.flow_seconds += seconds
        hour.flow_sum += flow * seconds
    pressure = values.get(Role.WATER_PRESSURE)
    if pressure is not None and plausible_pressure(pressure):
        hour.pressure_seconds += seconds
        hour.pressure_sum += pressure * seconds
