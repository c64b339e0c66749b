"""Intake: which observations count, and the bookkeeping some roles need as they arrive."""

import math

from .model import UnitState
from .observations import MAX_MAGNITUDE, EnergyTotal, Observation, Role, finite


def arrived_late(state: UnitState, time: float) -> bool:
    """Whether an observation is older than the last one (or has no real time): it is dropped."""
    return (state.last_time is not None and time < state.last_time) or not math.isfinite(time)


def usable(observation: Observation) -> Observation:
    """The observation with every number that cannot be a reading made missing."""
    value = observation.value
    if type(value) is float and -MAX_MAGNITUDE <= value <= MAX_MAGNITUDE:
        # A plain reading, the common case, skips `finite`: it took 8 % of the engine's time
        # (cProfile of benchmarks.engine_bench).
        return observation
    value = finite(value)
    if value is observation.value:
        return observation
    return Observation(observation.time, observation.role, value)


# The roles with bookkeeping beyond keeping the reading.
BOOKKEEPING_ROLES = frozenset(
    {Role.ENERGY, Role.HEAT_OUTPUT, Role.POWER, Role.CLIMATE, Role.COMPRESSOR_FREQUENCY}
)


def bookkeep(state: UnitState, observation: Observation) -> None:
    """Energy counters, power levels, top frequency, whether the thermostat reports defrost."""
    role, value = observation.role, observation.value
    if role is Role.ENERGY and isinstance(value, int | float) and not isinstance(value, bool):
        if math.isfinite(value):
            added = state.counter.increment(observation.time, float(value))
            state.hour.counter_kwh += added
            if state.hot_water.heating:
                state.hour.hot_water_counter_kwh += added
            state.hour.counter_seen = True
            state.energy_total += added
            state.energy_seen = True
    elif role is Role.HEAT_OUTPUT and isinstance(value, EnergyTotal):
        state.heat_is_counter = True
        if math.isfinite(value.kwh):
            heat = state.heat_counter.increment(observation.time, value.kwh)
            state.hour.heat_counter_kwh += heat
            if state.hot_water.heating:
                state.hour.hot_water_heat_counter_kwh += heat
            state.hour.heat_counter_seen = True
    elif role is Role.POWER:
        # Backup heat is no level of the heat pump's own: learned only while it is off.
        watts = state.readings.values.get(Role.POWER)
        state.levels.observe(observation.time, watts, learn=not state.aux.running)
    elif role is Role.COMPRESSOR_FREQUENCY:
        frequency = state.readings.values.get(Role.COMPRESSOR_FREQUENCY)
        state.frequency.observe(observation.time, frequency)
    elif role is Role.CLIMATE and state.readings.hvac_action == "defrosting":
        state.climate_reports_defrost = True
