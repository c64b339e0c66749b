"""What the engine reports: the statistics at one moment, and lifetime totals."""

from dataclasses import dataclass
from statistics import median

from .detectors.energy import MIN_COP_KWH
from .durations import DAY, HOUR, LEARNING_PERIOD
from .findings import Finding, Maintenance
from .model import UnitState
from .periods import Period


@dataclass(frozen=True, slots=True)
class HealthSnapshot:
    """The statistics at one moment, for entities, diagnostics and reports."""

    time: float | None
    learning: bool
    learning_progress: float
    running: bool | None
    power_threshold: float | None
    starts_last_hour: int
    starts_today: int
    runtime_today_hours: float
    median_run_minutes: float | None
    median_off_minutes: float | None
    total_starts: int
    duty_cycle: float | None = None
    defrosting: bool = False
    defrosts_today: int = 0
    defrost_minutes_avg: float | None = None
    last_defrost: float | None = None
    defrost_recovery_minutes: float | None = None
    temperature_split: float | None = None
    aux_heat_running: bool = False
    energy_today_kwh: float | None = None
    # What the energy baseline expects for today so far, from today's weather.
    expected_energy_today_kwh: float | None = None
    # Heat delivered per electric energy today (needs a heat output source).
    cop_today: float | None = None
    # Share of today's heating time with aux heat on.
    aux_share_today: float | None = None
    # Heating the hot-water cylinder today: runs, the compressor starts among them, hours, and
    # the share of today's electric energy it took (see `hot_water`).
    hot_water_runs_today: int = 0
    hot_water_starts_today: int = 0
    hot_water_runtime_today_hours: float = 0.0
    hot_water_energy_share_today: float | None = None
    filter_replaced: float | None = None
    serviced: float | None = None
    findings: tuple[Finding, ...] = ()
    observations: int = 0
    late_observations: int = 0


@dataclass(frozen=True, slots=True)
class Totals:
    """Lifetime totals since the engine started; None where the sources cannot tell."""

    starts: int
    runtime_hours: float
    defrost_count: int | None
    defrost_minutes_avg: float | None
    energy_kwh: float | None
    hot_water_runs: int | None = None
    hot_water_starts: int | None = None
    hot_water_runtime_hours: float | None = None


def snapshot(
    state: UnitState,
    time: float | None,
    power_threshold: float | None,
    findings: tuple[Finding, ...],
) -> HealthSnapshot:
    """The statistics as of `time` (None: nothing observed yet)."""
    if time is None:
        return HealthSnapshot(
            time=None,
            learning=True,
            learning_progress=0.0,
            running=None,
            power_threshold=power_threshold,
            starts_last_hour=0,
            starts_today=0,
            runtime_today_hours=0.0,
            median_run_minutes=None,
            median_off_minutes=None,
            total_starts=0,
        )
    seen = max(0.0, time - state.first_time) if state.first_time is not None else 0.0
    progress = min(1.0, seen / LEARNING_PERIOD)
    cycles, defrost, hot_water = state.cycles, state.defrost, state.hot_water
    median_run = cycles.median_run(time)
    median_off = cycles.median_off(time)
    durations = [seconds for _, seconds in defrost.durations]
    window = min(DAY, seen)
    today = _today(state)
    energy_today = today.electric_kwh
    heat_today = today.heat_kwh
    return HealthSnapshot(
        time=time,
        learning=progress < 1.0,
        learning_progress=progress,
        running=cycles.running,
        power_threshold=power_threshold,
        starts_last_hour=cycles.starts_within(time, HOUR),
        starts_today=cycles.starts_today,
        runtime_today_hours=cycles.runtime_today_at(time) / HOUR,
        median_run_minutes=median_run / 60 if median_run is not None else None,
        median_off_minutes=median_off / 60 if median_off is not None else None,
        total_starts=cycles.total_starts,
        duty_cycle=cycles.runtime_within(time, window) / window if window > 0 else None,
        defrosting=defrost.active,
        defrosts_today=defrost.count_today,
        defrost_minutes_avg=median(durations) / 60 if durations else None,
        last_defrost=defrost.last_end,
        defrost_recovery_minutes=(median(defrost.recoveries) / 60 if defrost.recoveries else None),
        temperature_split=state.readings.split,
        aux_heat_running=state.aux.running,
        energy_today_kwh=energy_today,
        expected_energy_today_kwh=_expected_so_far(state, today),
        cop_today=(
            heat_today / energy_today
            if heat_today is not None and energy_today and energy_today >= MIN_COP_KWH
            else None
        ),
        aux_share_today=(
            min(1.0, today.aux_seconds / today.heating_runtime)
            if today.heating_runtime > 0
            else None
        ),
        hot_water_runs_today=hot_water.runs_today,
        hot_water_starts_today=hot_water.starts_today,
        hot_water_runtime_today_hours=hot_water.runtime_today / HOUR,
        hot_water_energy_share_today=(
            min(1.0, today.hot_water_electric_kwh / energy_today)
            if energy_today and energy_today >= MIN_COP_KWH
            else None
        ),
        filter_replaced=state.maintenance.get(Maintenance.FILTER),
        serviced=state.maintenance.get(Maintenance.SERVICE),
        findings=findings,
        observations=state.observations,
        late_observations=state.late,
    )


def totals(state: UnitState) -> Totals:
    """Lifetime totals, for reports."""
    defrost, hot_water = state.defrost, state.hot_water
    now = state.last_time or 0.0
    runtime = state.cycles.total_runtime + state.cycles.run_length(now)
    known = defrost.known
    energy: float | None = None
    if state.energy_seen:
        energy = state.energy_total
    elif state.power_seen:
        energy = state.power_energy_total
    return Totals(
        starts=state.cycles.total_starts,
        runtime_hours=runtime / HOUR,
        defrost_count=defrost.count if known else None,
        defrost_minutes_avg=(
            defrost.total_seconds / defrost.count / 60 if known and defrost.count else None
        ),
        energy_kwh=energy,
        hot_water_runs=hot_water.total_runs if hot_water.seen else None,
        hot_water_starts=hot_water.total_starts if hot_water.seen else None,
        hot_water_runtime_hours=hot_water.total_runtime / HOUR if hot_water.seen else None,
    )


def _today(state: UnitState) -> Period:
    """Today's totals so far: the closed hours and the hour in progress."""
    today = Period(start=state.day.start)
    today.add(state.day)
    today.add(state.hour)
    return today


def _expected_so_far(state: UnitState, today: Period) -> float | None:
    """The baseline's daily energy for today's weather, pro rata, and today's hot water."""
    degree_days = today.degree_days
    if degree_days is None or today.seconds <= 0:
        return None
    expected = state.energy_baseline.expected(*degree_days)
    if expected is None:
        return None
    return expected * min(1.0, today.seconds / DAY) + today.hot_water_electric_kwh
