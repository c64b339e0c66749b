"""What the unit is doing: running, defrosting, on backup heat; decided from the latest readings."""

from .activity import running_from
from .config import EngineConfig
from .model import UnitState
from .observations import Role
from .readings import Season
from .season import note_signs, season_of

# The roles whose readings `refresh` uses (running, defrost, season by any sign, split).
REFRESH_ROLES = frozenset(
    {
        Role.CLIMATE,
        Role.POWER,
        Role.COMPRESSOR,
        Role.COMPRESSOR_FREQUENCY,
        Role.SUPPLY_TEMPERATURE,
        Role.RETURN_TEMPERATURE,
        Role.DEFROST,
        Role.OUTDOOR_TEMPERATURE,
        Role.HOT_WATER,
    }
)


def power_threshold(config: EngineConfig, state: UnitState) -> float | None:
    """The configured running threshold, else the learned one."""
    if config.power_running_threshold is not None:
        return config.power_running_threshold
    return state.levels.threshold


def needs_refresh(role: Role, *, changed: bool) -> bool:
    """Whether a reading of `role` can change what `refresh` decides.

    Given the same readings `refresh` changes nothing; power always counts as changed, since
    it moves the learned threshold.
    """
    return role is Role.POWER or (changed and role in REFRESH_ROLES)


def needs_aux_update(state: UnitState, role: Role) -> bool:
    """Whether a reading of `role` can change what `refresh_aux` decides.

    Inferred aux heat learns from every call, so it always can. An aux-heat source alone
    decides otherwise, so only its own reading can.
    """
    if role is Role.AUX_HEAT:
        return True
    readings = state.readings
    return Role.AUX_HEAT not in readings.flags and Role.AUX_HEAT not in readings.values


def refresh(state: UnitState, threshold: float | None, time: float) -> None:
    """Decide running, defrost and hot water from the latest readings; count starts, defrosts."""
    note_signs(state, time)
    readings = state.readings
    running = running_from(
        readings.flags.get(Role.COMPRESSOR),
        readings.values.get(Role.POWER),
        threshold,
        readings.hvac_action,
        frequency=readings.values.get(Role.COMPRESSOR_FREQUENCY),
    )
    defrost = state.defrost
    was_defrosting = defrost.active
    defrost.update(
        time,
        defrost_signal(state),
        heating=bool(running) and season_of(state, time) is Season.HEAT,
        running=running,
        split=readings.split,
        supply=readings.values.get(Role.SUPPLY_TEMPERATURE),
        runtime=state.cycles.total_runtime + state.cycles.run_length(time),
    )
    if defrost.active and not was_defrosting:
        state.hour.defrosts += 1
    elif was_defrosting and not defrost.active:
        state.icing_runtime = 0.0
    starts = state.cycles.total_starts
    state.cycles.update(time, True if defrost.active else running)
    state.hour.starts += state.cycles.total_starts - starts
    cycles = state.cycles
    compressing = bool(cycles.running) and cycles.pending_stop is None
    if Role.HOT_WATER in readings.flags:
        state.hot_water.seen = True
    state.hot_water.update(
        time,
        readings.flags.get(Role.HOT_WATER, False),
        running=compressing,
        defrosting=defrost.active,
        run_since=cycles.since if compressing else None,
    )


def defrost_signal(state: UnitState) -> bool | None:
    """The unit's own defrost signal, or None when it gives none."""
    readings = state.readings
    if Role.DEFROST in readings.flags:
        return readings.flags[Role.DEFROST]
    if readings.climate_defrost is not None:
        return readings.climate_defrost
    if state.climate_reports_defrost:
        return readings.hvac_action == "defrosting"
    return None


def refresh_aux(state: UnitState) -> None:
    """Decide whether aux heat runs; when inferred, each call is also a learning sample."""
    readings = state.readings
    state.aux.update(
        readings.flags.get(Role.AUX_HEAT),
        readings.values.get(Role.AUX_HEAT),
        readings.values.get(Role.POWER),
        compressor=bool(state.cycles.running),
    )
    state.hot_water.note_aux(state.last_time or 0.0, running=state.aux.running)
