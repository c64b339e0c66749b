"""Detection quality, measured: a scenario matrix through the engine, written to docs/DETECTION.md.

Every fault the simulator can inject runs in the climates and unit types it applies to, after a
healthy warm-up long enough for the baselines it needs; healthy units run a full year in every
climate. Shapes seen on real units come on top: a pump level and standby steps, inverters that
never stop in deep cold, units without a thermostat, faults present from day one. The figures:
recall per finding, detection delay from the moment the fault reached its designed size, and
warning or critical findings per healthy unit-year, for the seeds the defaults were tuned on and
for seeds left untouched while tuning, apart. Defrost inference is measured against the
simulator's true defrosts, and the measured Swiss energy series and Daikin week are replayed.

Air-to-water units that report their own signals (issue #20) add faults of the water circuit
and the unit's error code, healthy units with a hot-water cylinder (hot-water runs, starts and
runtime against the truth, with and without the valve's source), and units seen through their
compressor frequency alone.

Run with `scripts/bench-detection` (add `--quick` for one seed of each kind, no healthy years).
"""

import argparse
from collections import defaultdict
from collections.abc import Iterable
import csv
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from multiprocessing import Pool
import os
from pathlib import Path
import platform
from statistics import median
import sys
import time as clock
from zoneinfo import ZoneInfo

from custom_components.heat_pump_health.engine import (
    EngineConfig,
    Finding,
    FindingKey,
    HealthEngine,
    Maintenance,
    Observation,
    Role,
    Severity,
)
from custom_components.heat_pump_health.engine.periods import Period
from simulator import (
    CylinderSpec,
    Distribution,
    Fault,
    FaultKind,
    Scenario,
    SensorTarget,
    Truth,
    UnitKind,
    UnitSpec,
    simulate,
)
from simulator.weather import ClimateName

from .daikin import replay_daikin

ROOT = Path(__file__).resolve().parent.parent
HOUR = 3600.0
DAY = 86400.0
WINTER = datetime(2026, 1, 5, tzinfo=UTC)
SUMMER = datetime(2026, 7, 1, tzinfo=UTC)
YEAR_START = datetime(2025, 7, 1, tzinfo=UTC)
BASIC = frozenset({Role.CLIMATE, Role.POWER})
NO_DEFROST = frozenset(Role) - {Role.DEFROST}
# An air-to-water unit read without a climate entity: power, flow and return, outdoor.
NO_THERMOSTAT = frozenset(
    {Role.POWER, Role.SUPPLY_TEMPERATURE, Role.RETURN_TEMPERATURE, Role.OUTDOOR_TEMPERATURE}
)
# Power decides whether the compressor runs (no compressor flag).
NO_COMPRESSOR = frozenset(Role) - {Role.COMPRESSOR}
# The defaults were tuned against these seeds; the others were never looked at while tuning.
TUNED_SEEDS = (1, 2, 3)
UNTOUCHED_SEEDS = (4, 5)
# A seed's ten healthy years cost ~3 times its fault matrix and shapes (~400 s of CPU against
# ~125 s): these seeds get them, two tuned and one untouched, to stay within ~45 min on 2 cores.
HEALTHY_YEAR_SEEDS = (1, 2, 4)
# Three power levels, as real air-to-water units draw: standby 8 W (53 W with the base-plate
# heater on below +5 °C), a circulation pump at 130 W between runs, the compressor above.
AIR_TO_WATER = UnitSpec(
    distribution=Distribution.WATER,
    standby_w=8.0,
    standby_heater_w=45.0,
    pump_w=130.0,
    pump_overrun_s=1800.0,
)
# The same unit reporting its own signals, as ESPAltherma or HeishaMon read them (compressor
# frequency, an error code, water flow rate and pressure), and heating a 150 L cylinder through a
# three-way valve: reheats at 05:00 and 17:00, a Sunday 11:00 anti-legionella immersion run.
WATER_SIGNALS = replace(AIR_TO_WATER, signals=True, hot_water=CylinderSpec())
# Without the valve's source: the cylinder is heated as before, the engine is not told.
NO_VALVE = frozenset(Role) - {Role.HOT_WATER}
# An air-to-water unit seen through its compressor frequency alone: no power, compressor flag or
# thermostat, only the frequency, flow and return, and outdoor temperature.
FREQUENCY_ONLY = frozenset(
    {
        Role.COMPRESSOR_FREQUENCY,
        Role.SUPPLY_TEMPERATURE,
        Role.RETURN_TEMPERATURE,
        Role.OUTDOOR_TEMPERATURE,
    }
)
# An inverter that keeps up at -30 °C without backup heat, so in a -24 °C January it
# modulates all day at several kilowatts and never stops: no standby power is ever seen.
NEVER_STOPS = UnitSpec(
    kind=UnitKind.INVERTER, rated_heat_w=32000.0, min_modulation=0.2, aux_heat_w=0.0
)
# Detection allowance: the finding's sustain window (its evidence window and its sustain
# time) plus one hour, or plus one day for findings judged on whole days.
ALLOWANCE: dict[FindingKey, float] = {
    FindingKey.SHORT_CYCLING: 6 * HOUR + HOUR,
    FindingKey.NONSTOP_RUNNING: 8.5 * HOUR + HOUR,
    FindingKey.RUNAWAY_ENERGY: 5 * DAY + DAY,
    FindingKey.EFFICIENCY_DROP: 2 * DAY + DAY,
    FindingKey.DEFROST_TOO_FREQUENT: 12 * HOUR + HOUR,
    FindingKey.DEFROST_TOO_LONG: 3 * 2 * HOUR + HOUR,
    FindingKey.DEFROST_MISSING: 4 * HOUR + HOUR,
    FindingKey.WEAK_AIRFLOW: 4 * HOUR + HOUR,
    FindingKey.LOW_TEMPERATURE_SPLIT: 4 * HOUR + HOUR,
    FindingKey.LOW_FLOW_RATE: 5 * HOUR + HOUR,
    # the fall is judged on the daily lows of four days
    FindingKey.LOW_WATER_PRESSURE: 4 * DAY + 10 * 60 + DAY,
    FindingKey.AUX_HEAT_OVERUSE: DAY + HOUR,
    FindingKey.NOT_HEATING: HOUR + HOUR,
    FindingKey.NOT_COOLING: HOUR + HOUR,
    FindingKey.POWER_INTERRUPTED: 5 * 60 + HOUR,
    FindingKey.WATER_LEAK: HOUR,
    FindingKey.UNIT_FAULT: 5 * 60 + HOUR,
    FindingKey.SENSOR_FAULT: 48 * HOUR + HOUR,
    FindingKey.FILTER_DUE: DAY,
    FindingKey.SERVICE_DUE: DAY,
}


@dataclass(frozen=True, slots=True)
class Case:
    """One simulated installation and the finding it should (or should not) raise."""

    name: str
    scenario: Scenario
    expect: FindingKey | None = None
    onset_day: float = 0.0
    maintenance_day: float | None = None
    measure_defrost: bool = False
    counted: bool = True
    manifest_starts: int | None = None
    shape: bool = False  # a shape seen on real units, reported in its own table
    label: str = ""  # what sets a shape's case apart, for its row in the table
    hot_water: bool = False  # a healthy unit with a cylinder, reported in its own table

    @property
    def tuned(self) -> bool:
        """Whether the defaults were tuned on this case's seed."""
        return self.scenario.seed in TUNED_SEEDS


@dataclass(slots=True)
class Result:
    """What the engine said about one case."""

    case: Case
    findings: list[Finding] = field(default_factory=list)
    detected_at: float | None = None
    onset: float = 0.0
    observations: int = 0
    seconds: float = 0.0
    true_defrosts: int = 0
    inferred_defrosts: int = 0
    matched_defrosts: int = 0
    # Compressor starts and runtime (hours): (true, as the engine saw them).
    starts: tuple[int, int] = (0, 0)
    runtime_h: tuple[float, float] = (0.0, 0.0)
    # Hot-water runs, starts and runtime (hours): (true, as the engine saw them; None when it
    # had no valve to tell), the true anti-legionella runs, and the hours of backup heat the
    # engine counted as run in weather too mild to need it (what aux_heat_overuse adds up).
    hot_water_runs: tuple[int, int | None] = (0, None)
    hot_water_starts: tuple[int, int | None] = (0, None)
    hot_water_h: tuple[float, float | None] = (0.0, None)
    legionella: int = 0
    aux_mild_h: float = 0.0


def fault_case(design: Design, *, climate: ClimateName, unit: UnitKind, seed: int) -> Case:
    """A healthy warm-up, then the fault, then long enough to see it."""
    fault = Fault(
        design.kind,
        design.warmup,
        size=design.size,
        target=design.target,
        age_days=design.age_days,
    )
    scenario = Scenario(
        unit=replace(design.spec, kind=unit),
        climate=climate,
        start=design.start,
        days=design.warmup + design.ramp + design.after,
        seed=seed,
        roles=design.roles,
        faults=(fault,),
    )
    name = f"{design.kind.value} ({design.expect.value}) / {climate.value} / {unit.value} / seed {seed}"
    if design.label:
        name += f" / {design.label}"
    if design.roles == BASIC:
        name += " / basic sources"
    if not design.counted:
        name += " / backup heat may mask it"
    return Case(
        name,
        scenario,
        design.expect,
        onset_day=design.warmup + design.ramp,
        counted=design.counted,
        manifest_starts=design.manifest_starts,
        shape=design.shape,
        label=design.label,
    )


@dataclass(frozen=True, slots=True)
class Design:
    """One fault, the finding it must raise, where it applies and how long to run it."""

    kind: FaultKind
    expect: FindingKey
    climates: tuple[ClimateName, ...] = (ClimateName.MILD, ClimateName.COLD)
    warmup: float = 3.0
    after: float = 3.0
    ramp: float = 0.0
    start: datetime = WINTER
    roles: frozenset[Role] = frozenset(Role)
    target: SensorTarget | None = None
    # Runs where backup heat can mask the fault are reported, but not counted in recall.
    counted: bool = True
    # Delay counts from the first hour the unit really starts this often (the fault shows).
    manifest_starts: int | None = None
    spec: UnitSpec = field(default_factory=UnitSpec)
    size: float | None = None
    age_days: float = 0.0  # > 0: the fault was there before the monitor was installed
    label: str = ""
    shape: bool = False


HEATING = (ClimateName.MILD, ClimateName.COLD)
DEFROSTING = (ClimateName.HUMID_NEAR_FREEZING, ClimateName.COLD)
# Winters above the backup heat's lockout, where the heat pump carries the load alone.
ALONE = (ClimateName.MILD, ClimateName.HUMID_NEAR_FREEZING)
DESIGNS: tuple[Design, ...] = (
    # a thermostat fault cycles only while there is a call for heat: delay counts from then
    Design(
        FaultKind.SHORT_CYCLING,
        FindingKey.SHORT_CYCLING,
        (ClimateName.MILD,),
        after=2.0,
        manifest_starts=6,
    ),
    Design(
        FaultKind.SHORT_CYCLING,
        FindingKey.SHORT_CYCLING,
        (ClimateName.MILD,),
        after=2.0,
        roles=BASIC,
        manifest_starts=6,
    ),
    Design(FaultKind.DIRTY_FILTER, FindingKey.WEAK_AIRFLOW, HEATING, ramp=1.0),
    Design(
        FaultKind.DIRTY_FILTER, FindingKey.WEAK_AIRFLOW, (ClimateName.HOT,), ramp=1.0, start=SUMMER
    ),
    # a leak losing 1.5 %/day reaches its designed 35 % loss after about 23 days; capacity faults
    # count where the heat pump carries the load alone, and are reported without counting in
    # deep cold, where backup heat takes over the load (and the split) and masks them
    Design(
        FaultKind.REFRIGERANT_LEAK, FindingKey.LOW_TEMPERATURE_SPLIT, ALONE, ramp=23.5, after=4.0
    ),
    Design(
        FaultKind.REFRIGERANT_LEAK,
        FindingKey.LOW_TEMPERATURE_SPLIT,
        (ClimateName.COLD,),
        ramp=23.5,
        after=4.0,
        counted=False,
    ),
    Design(FaultKind.CAPACITY_LOSS, FindingKey.NONSTOP_RUNNING, ALONE),
    Design(FaultKind.CAPACITY_LOSS, FindingKey.NONSTOP_RUNNING, (ClimateName.COLD,), counted=False),
    # the energy baseline learns for 21 days first
    Design(FaultKind.ENERGY_WASTE, FindingKey.RUNAWAY_ENERGY, HEATING, warmup=24.0, after=7.0),
    Design(FaultKind.ENERGY_WASTE, FindingKey.EFFICIENCY_DROP, HEATING, warmup=4.0),
    Design(FaultKind.DEFROST_TOO_FREQUENT, FindingKey.DEFROST_TOO_FREQUENT, DEFROSTING, after=2.0),
    Design(FaultKind.DEFROST_TOO_LONG, FindingKey.DEFROST_TOO_LONG, DEFROSTING, after=2.0),
    Design(
        FaultKind.DEFROST_NONE,
        FindingKey.DEFROST_MISSING,
        (ClimateName.HUMID_NEAR_FREEZING,),
        after=2.0,
    ),
    # aux heat overuse needs winter days above the lockout, which a cold January lacks
    Design(FaultKind.AUX_LOCKOUT_HIGH, FindingKey.AUX_HEAT_OVERUSE, (ClimateName.MILD,), after=2.0),
    Design(FaultKind.DEAD_COMPRESSOR, FindingKey.NOT_HEATING, HEATING, after=1.0),
    Design(FaultKind.DEAD_COMPRESSOR, FindingKey.NOT_HEATING, HEATING, after=1.0, roles=BASIC),
    Design(
        FaultKind.DEAD_COMPRESSOR,
        FindingKey.NOT_COOLING,
        (ClimateName.HOT,),
        after=1.0,
        start=SUMMER,
    ),
    Design(FaultKind.BREAKER_TRIP, FindingKey.POWER_INTERRUPTED, HEATING, after=1.0),
    Design(FaultKind.BREAKER_TRIP, FindingKey.POWER_INTERRUPTED, HEATING, after=1.0, roles=BASIC),
    Design(FaultKind.WATER_LEAK, FindingKey.WATER_LEAK, HEATING, after=0.5),
    Design(FaultKind.STUCK_SENSOR, FindingKey.SENSOR_FAULT, HEATING, target=SensorTarget.OUTDOOR),
    Design(FaultKind.DRIFTING_SENSOR, FindingKey.SENSOR_FAULT, HEATING, target=SensorTarget.INDOOR),
)
# Faults on the shapes of real units. "From day one": the fault was there when the monitor was
# installed, so the unit's own normal never saw it healthy; judged against typical units.
DAY_ONE = "from day one"
SHAPE_DESIGNS: tuple[Design, ...] = (
    # a filter clogged to 30 % airflow: a ~33 K rise across the indoor coil (normal 8-17 K)
    Design(
        FaultKind.DIRTY_FILTER,
        FindingKey.WEAK_AIRFLOW,
        HEATING,
        warmup=0.0,
        after=2.0,
        size=0.3,
        age_days=1.0,
        label=DAY_ONE,
        shape=True,
    ),
    Design(
        FaultKind.DIRTY_FILTER,
        FindingKey.WEAK_AIRFLOW,
        (ClimateName.HOT,),
        warmup=0.0,
        after=2.0,
        start=SUMMER,
        size=0.3,
        age_days=1.0,
        label=DAY_ONE,
        shape=True,
    ),
    # a blocked strainer on an air-to-water unit without a thermostat: flow-return ~13 K
    Design(
        FaultKind.DIRTY_FILTER,
        FindingKey.WEAK_AIRFLOW,
        HEATING,
        warmup=0.0,
        after=2.0,
        roles=NO_THERMOSTAT,
        spec=AIR_TO_WATER,
        size=0.25,
        age_days=1.0,
        label=f"air-to-water, no thermostat, {DAY_ONE}",
        shape=True,
    ),
    Design(
        FaultKind.SHORT_CYCLING,
        FindingKey.SHORT_CYCLING,
        (ClimateName.MILD,),
        warmup=0.0,
        after=2.0,
        manifest_starts=6,
        label=DAY_ONE,
        shape=True,
    ),
    Design(
        FaultKind.ENERGY_WASTE,
        FindingKey.EFFICIENCY_DROP,
        HEATING,
        warmup=0.0,
        after=4.0,
        label=DAY_ONE,
        shape=True,
    ),
    Design(
        FaultKind.DEFROST_TOO_FREQUENT,
        FindingKey.DEFROST_TOO_FREQUENT,
        DEFROSTING,
        after=2.0,
        roles=NO_THERMOSTAT,
        spec=AIR_TO_WATER,
        label="air-to-water, no thermostat",
        shape=True,
    ),
    # the supply gone on a unit whose standby steps between 8 and 53 W and pump level at 138 W
    Design(
        FaultKind.BREAKER_TRIP,
        FindingKey.POWER_INTERRUPTED,
        HEATING,
        after=1.0,
        roles=NO_COMPRESSOR,
        spec=AIR_TO_WATER,
        label="air-to-water, pump level and standby steps",
        shape=True,
    ),
)

# Faults an air-to-water unit's own signals show, on WATER_SIGNALS with every source (the valve
# included). The flow normal is the unit's own, learned per outdoor temperature from steady
# hours: four days of healthy running first, then a strainer that clogs over a day, as the
# dirty filter does. A leaking circuit loses 0.15 bar a day from its 1.5 bar fill (falling
# through 1 bar after about three days); an error code locks the unit out at once.
SIGNALS = "air-to-water, own signals and a cylinder"
SIGNAL_DESIGNS: tuple[Design, ...] = (
    Design(
        FaultKind.CLOGGED_STRAINER,
        FindingKey.LOW_FLOW_RATE,
        HEATING,
        warmup=4.0,
        ramp=1.0,
        spec=WATER_SIGNALS,
        label=SIGNALS,
    ),
    Design(
        FaultKind.PRESSURE_LOSS,
        FindingKey.LOW_WATER_PRESSURE,
        HEATING,
        warmup=2.0,
        after=6.0,
        spec=WATER_SIGNALS,
        label=SIGNALS,
    ),
    Design(
        FaultKind.UNIT_ERROR,
        FindingKey.UNIT_FAULT,
        HEATING,
        warmup=1.0,
        after=1.0,
        spec=WATER_SIGNALS,
        label=SIGNALS,
    ),
)


def matrix(seeds: Iterable[int]) -> list[Case]:
    """Every fault in the climates and unit types it applies to, plus the filter reminder."""
    cases: list[Case] = []
    for seed in seeds:
        for unit in (UnitKind.FIXED_SPEED, UnitKind.INVERTER):
            cases += [
                fault_case(design, climate=climate, unit=unit, seed=seed)
                for design in DESIGNS + SHAPE_DESIGNS + SIGNAL_DESIGNS
                for climate in design.climates
            ]
            scenario = Scenario(
                unit=UnitSpec(kind=unit),
                climate=ClimateName.MILD,
                start=WINTER,
                days=62,
                step_seconds=60.0,
                seed=seed,
            )
            name = f"filter due / mild / {unit.value} / seed {seed}"
            cases.append(
                Case(name, scenario, FindingKey.FILTER_DUE, onset_day=60.0, maintenance_day=0.0)
            )
    return cases


def healthy_years(seeds: Iterable[int]) -> list[Case]:
    """A full year of a healthy unit in every climate."""
    cases = []
    for seed in seeds:
        for climate in ClimateName:
            for unit in (UnitKind.FIXED_SPEED, UnitKind.INVERTER):
                scenario = Scenario(
                    unit=UnitSpec(kind=unit),
                    climate=climate,
                    start=YEAR_START,
                    days=365,
                    step_seconds=30.0,
                    seed=seed,
                )
                cases.append(
                    Case(f"healthy / {climate.value} / {unit.value} / seed {seed}", scenario)
                )
    return cases


FREQUENCY_LABEL = "air-to-water, compressor frequency only (no power, flag or thermostat)"


def winter_weeks(
    unit: UnitSpec, climate: ClimateName, seed: int, roles: frozenset[Role]
) -> Scenario:
    """Three weeks of a January, in 30 s steps: the healthy shapes' and cylinder units' run."""
    return Scenario(
        unit=unit,
        climate=climate,
        start=WINTER,
        days=21,
        step_seconds=30.0,
        seed=seed,
        roles=roles,
    )


def healthy_shapes(seeds: Iterable[int]) -> list[Case]:
    """Healthy units of real shapes, three weeks of winter each: none should raise a warning.

    Air-to-water units seen through their compressor frequency alone run in mild and cold
    weather (their running comes from the frequency, as no power or flag says it).
    """
    cases = []
    for seed in seeds:
        for climate in (ClimateName.MILD, ClimateName.COLD, ClimateName.HUMID_NEAR_FREEZING):
            for unit in (UnitKind.FIXED_SPEED, UnitKind.INVERTER):
                spec = replace(AIR_TO_WATER, kind=unit)
                for roles, label in (
                    (NO_COMPRESSOR, "air-to-water, pump level and standby steps"),
                    (NO_THERMOSTAT, "air-to-water, pump level and standby steps, no thermostat"),
                ):
                    scenario = winter_weeks(spec, climate, seed, roles)
                    name = f"healthy shape / {climate.value} / {unit.value} / seed {seed} / {label}"
                    cases.append(Case(name, scenario, shape=True, label=label))
                if climate is not ClimateName.HUMID_NEAR_FREEZING:
                    label = FREQUENCY_LABEL
                    scenario = winter_weeks(
                        replace(spec, signals=True), climate, seed, FREQUENCY_ONLY
                    )
                    name = f"healthy shape / {climate.value} / {unit.value} / seed {seed} / {label}"
                    cases.append(Case(name, scenario, shape=True, label=label))
        for roles, label in (
            (NO_COMPRESSOR, "never stops in deep cold, all sources but the compressor"),
            (BASIC, "never stops in deep cold, basic sources"),
        ):
            scenario = Scenario(
                unit=NEVER_STOPS,
                climate=ClimateName.EXTREME_COLD,
                start=WINTER,
                days=7,
                step_seconds=30.0,
                seed=seed,
                roles=roles,
                running_at_start=True,
            )
            name = f"healthy shape / extreme_cold / inverter / seed {seed} / {label}"
            cases.append(Case(name, scenario, shape=True, label=label))
    return cases


def healthy_hot_water(seeds: Iterable[int]) -> list[Case]:
    """Healthy air-to-water units with a cylinder and their own signals, three winter weeks.

    Each runs twice: with the valve's source, and without it (the engine is not told which
    runs heat the cylinder), to show what knowing it changes.
    """
    cases = []
    for seed in seeds:
        for climate in HEATING:
            for unit in (UnitKind.FIXED_SPEED, UnitKind.INVERTER):
                for roles, label in ((frozenset(Role), "valve"), (NO_VALVE, "no valve")):
                    scenario = winter_weeks(replace(WATER_SIGNALS, kind=unit), climate, seed, roles)
                    name = f"healthy hot water / {climate.value} / {unit.value} / seed {seed} / {label}"
                    cases.append(Case(name, scenario, label=label, hot_water=True))
    return cases


def defrost_inference(seeds: Iterable[int]) -> list[Case]:
    """Units that report defrost, run without that source: inferred against true defrosts.

    Air units keep their thermostat (which does not say `defrosting`); air-to-water units have
    none, so the engine must tell heating from the flow, the return and the outdoor temperature.
    """
    cases = []
    for seed in seeds:
        for climate in (ClimateName.HUMID_NEAR_FREEZING, ClimateName.COLD):
            for unit in (UnitKind.FIXED_SPEED, UnitKind.INVERTER):
                for spec, roles, label in (
                    (UnitSpec(kind=unit), NO_DEFROST, ""),
                    (replace(AIR_TO_WATER, kind=unit), NO_THERMOSTAT, " / no thermostat"),
                ):
                    scenario = Scenario(
                        unit=spec,
                        climate=climate,
                        start=WINTER,
                        days=10,
                        seed=seed,
                        roles=roles,
                        defrost_in_climate=False,
                    )
                    name = (
                        f"defrost inference / {climate.value} / {unit.value} / seed {seed}{label}"
                    )
                    cases.append(Case(name, scenario, measure_defrost=True))
    return cases


def run(case: Case) -> Result:
    """Drive the engine through one case, the way live Home Assistant does."""
    began = clock.perf_counter()
    scenario = case.scenario
    engine = HealthEngine(EngineConfig(), UTC)
    result = Result(case, onset=scenario.origin + case.onset_day * DAY)
    if case.maintenance_day is not None:
        engine.record_maintenance(Maintenance.FILTER, scenario.origin + case.maintenance_day * DAY)
    simulation = simulate(scenario)
    inferred: list[tuple[float, float]] = []
    defrost_since: float | None = None
    hour: Period | None = None
    aux_mild = 0.0
    for observation in simulation.observations():
        engine.update(observation)
        result.observations += 1
        if case.hot_water and engine.state.hour is not hour:
            # the hour closed: keep its backup heat in mild weather
            aux_mild += hour.aux_mild_seconds if hour is not None else 0.0
            hour = engine.state.hour
        if case.measure_defrost:
            active = engine.state.defrost.active
            if active and defrost_since is None:
                defrost_since = observation.time
            elif not active and defrost_since is not None:
                inferred.append((defrost_since, observation.time))
                defrost_since = None
        result.findings += engine.drain_changes()
    engine.advance(scenario.end)
    result.findings += engine.drain_changes()
    truth = simulation.truth
    cycles = engine.state.cycles
    result.starts = (sum(hour.starts for hour in truth.hours), cycles.total_starts)
    result.runtime_h = (
        sum(run.seconds for run in truth.runs) / HOUR,
        (cycles.total_runtime + cycles.run_length(scenario.end)) / HOUR,
    )
    if case.expect is not None:
        raised = [f.start for f in result.findings if f.key is case.expect and f.end is None]
        fault_start = min((window.start for window in truth.faults), default=scenario.origin)
        after = [start for start in raised if start >= fault_start]
        result.detected_at = after[0] if after else None
        if case.manifest_starts is not None:
            shown = [
                hour.start
                for hour in truth.hours
                if hour.start >= fault_start and hour.starts >= case.manifest_starts
            ]
            if shown:
                result.onset = max(result.onset, shown[0])
    if case.hot_water:
        _count_hot_water(result, engine, truth, aux_mild)
    if case.measure_defrost:
        result.true_defrosts = len(truth.defrosts)
        result.inferred_defrosts = len(inferred)
        result.matched_defrosts = sum(
            1
            for start, end in inferred
            if any(d.start - 120 <= end and start <= d.end + 120 for d in truth.defrosts)
        )
    result.seconds = clock.perf_counter() - began
    return result


def _count_hot_water(result: Result, engine: HealthEngine, truth: Truth, aux_mild: float) -> None:
    """Hot water as the engine counted it and as it was; `aux_mild`: closed hours' mild backup heat."""
    totals = engine.totals()
    result.hot_water_runs = (len(truth.hot_water), totals.hot_water_runs)
    result.hot_water_starts = (len(truth.hot_water_starts), totals.hot_water_starts)
    result.hot_water_h = (
        sum(interval.seconds for interval in truth.hot_water) / HOUR,
        totals.hot_water_runtime_hours,
    )
    result.legionella = len(truth.legionella)
    result.aux_mild_h = (aux_mild + engine.state.hour.aux_mild_seconds) / HOUR


def false_alarms(result: Result) -> list[Finding]:
    """Warning or critical findings that started in a healthy run."""
    return [
        finding
        for finding in result.findings
        if finding.end is None and finding.severity in (Severity.WARNING, Severity.CRITICAL)
    ]


def replay_swiss() -> list[str]:
    """The measured Swiss heat pump's 15-minute energy, replayed as an energy counter.

    A meter's series, not the recorder's: it holds every 15-minute reading, so a missing one
    is silence, as it is live, and the series is fed through `HealthEngine.update`.
    `HealthEngine.read_history` keeps changes only and would take the gaps in its outdoor
    temperature for unchanged values, losing the stale-sensor findings docs/DETECTION.md shows.
    """
    path = (
        ROOT.parent / "shared" / "data" / "swiss_hp_smartmeter_15min_2022-10-01_to_2023-04-30.csv"
    )
    if not path.exists():
        return [f"(not run: {path.name} not found)"]
    intro = [
        "The measured 15-minute energy of one Swiss heat pump",
        "(`shared/data`, MIT, (c) 2023 Tobias Brudermüller) with its daily outdoor temperature,",
        "replayed as an energy counter:",
        "",
    ]
    zone = ZoneInfo("Europe/Zurich")
    engine = HealthEngine(EngineConfig(), zone)
    total = 0.0
    changes: list[Finding] = []
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            when = datetime.fromisoformat(row["timestamp"]).replace(tzinfo=zone).timestamp()
            if not row["hp_energy_kwh_15min"]:
                continue
            total += float(row["hp_energy_kwh_15min"])
            if row["daily_avg_outdoor_temp_c"]:
                outdoor = float(row["daily_avg_outdoor_temp_c"])
                engine.update(Observation(when, Role.OUTDOOR_TEMPERATURE, outdoor))
            engine.update(Observation(when, Role.ENERGY, total))
            changes += engine.drain_changes()
    days = [day for day in engine.state.history.days if day.complete]
    judged = [day for day in days if day.expected_kwh and day.energy_kwh is not None]
    ratios = [
        day.energy_kwh / day.expected_kwh
        for day in judged
        if day.energy_kwh is not None and day.expected_kwh
    ]
    lines = [
        *intro,
        f"- {len(days)} complete days, {total:.0f} kWh; the energy baseline judged {len(judged)} of them.",
        f"- Daily energy against the weather-normalised baseline: median ratio {median(ratios):.2f},"
        f" 10th-90th percentile {sorted(ratios)[len(ratios) // 10]:.2f}-{sorted(ratios)[len(ratios) * 9 // 10]:.2f}."
        if ratios
        else "- The baseline never finished learning.",
    ]
    started = [finding for finding in changes if finding.end is None]
    if not started:
        lines.append("- Findings: none.")
    for finding in started:
        day = datetime.fromtimestamp(finding.start, zone).date().isoformat()
        evidence = ", ".join(f"{key} {value}" for key, value in finding.evidence.items())
        lines.append(f"- Finding `{finding.key}` on {day}: {evidence}.")
    return lines


def report(results: list[Result], replays: dict[str, list[str]], wall: float) -> str:
    """The Markdown report: tuned seeds and untouched seeds side by side."""
    faults = [r for r in results if r.case.expect is not None and r.case.counted]
    masked = [r for r in results if r.case.expect is not None and not r.case.counted]
    healthy = [r for r in results if r.case.expect is None and not r.case.measure_defrost]
    inference = [r for r in results if r.case.measure_defrost]
    tuned = sorted({r.case.scenario.seed for r in results if r.case.tuned})
    untouched = sorted({r.case.scenario.seed for r in results if not r.case.tuned})
    cylinders = [r for r in healthy if r.case.hot_water]
    healthy = [r for r in healthy if not r.case.hot_water]
    years = sorted({r.case.scenario.seed for r in healthy if not r.case.shape})
    lines = [
        "# Detection quality",
        "",
        "Written by `scripts/bench-detection` (do not edit by hand). Simulated installations from",
        "`simulator/` run through the same `HealthEngine.update` path as live Home Assistant, with",
        "the default options. Delay is measured from the moment the fault reached its designed",
        "size (at once for most; after a day for a clogging filter or strainer; after ~23 days for a",
        "refrigerant leak losing 1.5 %/day down to 65 % capacity; for a short-cycling thermostat,",
        "from the first hour it really cycles, which waits for a call for heat). The allowance is the finding's",
        "sustain window (its evidence window plus its sustain time) plus one hour, or plus one day",
        "for findings judged on whole days.",
        "",
        "**Tuned and untouched seeds.** The defaults were tuned against the simulator's seeds"
        f" {_seeds(TUNED_SEEDS)}: thresholds moved until those runs passed (a few after seed 3 was",
        "first run), so their columns say how well the engine fits what it was fitted to, not how",
        f"it does on what it has not seen. Seeds {_seeds(UNTOUCHED_SEEDS)} were added with issue #19"
        " and no default was",
        "chosen or moved for them; their columns are the held-out test. The simulator was written",
        "by the same project, so even they share its physics; the Daikin week below is the check",
        "on a real unit. After any retuning on these figures, a new seed is again the honest check.",
        "One rule was moved after the untouched seeds' runs had been seen, and is no held-out",
        "figure any more: with issue #19, `efficiency_drop` against typical units lowers a day's",
        "typical COP by 1.5 times its share of runtime spent defrosting (at most a quarter), after",
        "healthy air-to-water shapes in humid weather near freezing (tuned seed 2, untouched seed 4)",
        "were raised at 59 % of the plain figure.",
        "",
        "**Shapes of real units**, also added with issue #19 on both kinds of seeds, written from the",
        "real units the issue describes while the engine was changed for it (their runs on the tuned",
        "seeds were seen while it changed, those on the untouched seeds were not): a circulation pump level",
        "and standby steps (8 W, 53 W with a base-plate heater below +5 °C, 138 W with the pump),",
        "inverters that never stop in a -24 °C January (monitored from mid-run, so no standby is",
        "ever seen), air-to-water units read without a thermostat (power, flow, return, outdoor),",
        "and faults present from day one, with no healthy period to learn from.",
        "",
        "**Air-to-water units with their own signals**, added with issue #20 on both kinds of seeds",
        "after the engine's flow, pressure, unit-fault and hot-water code was written, and run",
        "here for the first time: no threshold was chosen or moved on them, but two rules were",
        "set after their healthy runs had been seen (see Hot water), so these are no held-out",
        "figures for `low_flow_rate` and `aux_heat_overuse`. A unit reporting its",
        "compressor frequency, error code, flow rate and water pressure, with a hot-water",
        "cylinder behind a three-way valve: a strainer that clogs to 45 % flow over a day after",
        "four healthy days, a circuit losing 0.15 bar a day, an error code that locks the unit",
        "out; the same units healthy, with and without the valve's source; and units seen",
        "through their compressor frequency alone (with flow, return and outdoor temperature).",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()};"
        f" {len(results)} runs in {wall:.0f} s wall time. Seeds run: tuned {_seeds(tuned)},"
        f" untouched {_seeds(untouched)}; full healthy years for seeds {_seeds(years)}",
        " (a seed's ten healthy years cost several times its fault matrix: this many keeps the run",
        " within about 45 minutes on 2 cores).",
        "",
        "## Faults: recall and delay",
        "",
        *_fault_table([r for r in faults if not r.case.shape]),
    ]
    if masked:
        lines += [
            "Capacity faults in deep cold, where backup heat takes over the load and the split and",
            "so masks them (reported, not counted above):",
            "",
        ]
        lines += [f"- {r.case.name}: {_outcome(r)}" for r in masked]
        lines.append("")
    lines += [
        "## Faults on the shapes of real units",
        "",
        "Faults present from day one are judged against what typical units do (the unit's own",
        "normal never saw it healthy); air-to-water units without a thermostat must find their",
        "defrosts from the flow and return alone.",
        "",
        *_fault_table([r for r in faults if r.case.shape]),
        "## Healthy units: false alarms",
        "",
        "| healthy runs | seeds | runs | unit-years | warning or critical | per unit-year | informational |",
        "|---|---|---|---|---|---|---|",
    ]
    groups = (
        ("full years, every climate", [r for r in healthy if not r.case.shape]),
        ("real shapes, 1-3 winter weeks", [r for r in healthy if r.case.shape]),
        (
            "air-to-water, own signals and a cylinder, 3 winter weeks",
            [r for r in cylinders if r.case.label == "valve"],
        ),
        (
            "the same without the valve's source",
            [r for r in cylinders if r.case.label == "no valve"],
        ),
    )
    alarms: list[tuple[Result, Finding]] = []
    for label, group in groups:
        for kind, part in (("tuned", True), ("untouched", False)):
            runs = [r for r in group if r.case.tuned is part]
            if not runs:
                continue
            unit_years = sum(r.case.scenario.days for r in runs) / 365
            found = [(r, f) for r in runs for f in false_alarms(r)]
            alarms += found
            info = sum(
                1 for r in runs for f in r.findings if f.end is None and f.severity is Severity.INFO
            )
            seeds = sorted({r.case.scenario.seed for r in runs})
            lines.append(
                f"| {label} | {kind} {_seeds(seeds)} | {len(runs)} | {unit_years:.1f} | **{len(found)}** |"
                f" {len(found) / unit_years if unit_years else 0:.2f} | {info} |"
            )
    lines += ["", *_running_table([r for r in healthy if r.case.shape])]
    by_finding: dict[FindingKey, int] = defaultdict(int)
    for _, finding in alarms:
        by_finding[finding.key] += 1
    lines += ["", *[f"- `{key}`: {count}" for key, count in sorted(by_finding.items())]]
    if alarms:
        lines += ["", "The first of them:", ""]
    lines += [f"- {r.case.name}: `{f.key}` {f.evidence}" for r, f in alarms[:15]]
    lines += _hot_water_section(cylinders)
    if inference:
        lines += [
            "",
            "## Defrost inference",
            "",
            "Units that do report defrost, run with that source removed: air units with a",
            "thermostat that does not say `defrosting`, and air-to-water units with no thermostat",
            "at all. Defrosts are inferred from the supply temperature falling below the return and",
            "matched to the true defrosts (within two minutes).",
            "",
            "| units | seeds | runs | true | inferred | matched | recall | precision |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for label, thermostat in (
            ("air, thermostat", True),
            ("air-to-water, no thermostat", False),
        ):
            for kind, part in (("tuned", True), ("untouched", False)):
                runs = [
                    r
                    for r in inference
                    if r.case.tuned is part
                    and (Role.CLIMATE in r.case.scenario.roles) is thermostat
                ]
                if runs:
                    lines.append(_inference_row(label, kind, runs))
    for title, body in replays.items():
        lines += ["", f"## {title}", "", *body]
    obs = sum(r.observations for r in results)
    cpu = sum(r.seconds for r in results)
    lines += [
        "",
        "## Cost",
        "",
        f"{obs:,} observations in {cpu:.0f} s of CPU (simulation and engine together).",
        "",
    ]
    return "\n".join(lines)


def _running_table(results: list[Result]) -> list[str]:
    """Compressor starts and runtime as the engine saw them on the healthy shapes, against the truth."""
    if not results:
        return []
    lines = [
        "Running as the engine saw it on the healthy shapes (all seeds), against the truth:",
        "",
        "| shape | runs | true starts | engine starts | true runtime | engine runtime |",
        "|---|---|---|---|---|---|",
    ]
    groups: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        groups[result.case.label].append(result)
    for label, group in sorted(groups.items()):
        lines.append(
            f"| {label} | {len(group)} | {sum(r.starts[0] for r in group)} |"
            f" {sum(r.starts[1] for r in group)} | {sum(r.runtime_h[0] for r in group):.0f} h |"
            f" {sum(r.runtime_h[1] for r in group):.0f} h |"
        )
    return lines


def _hot_water_section(results: list[Result]) -> list[str]:
    """Hot water as the engine counted it on the healthy units with a cylinder, against the truth."""
    if not results:
        return []
    lines = [
        "",
        "## Hot water",
        "",
        "Healthy air-to-water units with their own signals (compressor frequency, error code,",
        "flow rate, water pressure) and a 150 L cylinder: reheats at 05:00 and 17:00 (the",
        "compressor at full speed, the flow at 45-55 °C), and on Sundays at 11:00 an",
        "anti-legionella run on the 3 kW immersion heater alone, which the simulator reports as",
        "aux heat. Mild and cold Januaries, fixed-speed and inverter, three weeks each, run with",
        "the valve's source (`hot_water`) and again without it. Added with issue #20: no default",
        "was chosen or moved on these runs, but two rules were set after seeing them: low flow",
        "needs a wider flow-return difference where supply and return are read (the simulated",
        "pump slows with the compressor), and the first backup-heat burst in six days is the",
        "immersion's weekly run with a hot-water source (the simulated boost runs with the valve",
        "back on space heating). The simulator also sizes a unit with a cylinder for it. True",
        "hot-water starts are the compressor starts a reheat caused (a run already going for",
        "space heating just carries on). Backup heat in mild weather is what the engine counted",
        "towards `aux_heat_overuse` (raised past an hour a day).",
        "",
        "| valve source | seeds | runs | hot-water runs: true | engine | hot-water starts: true"
        " | engine | hot-water runtime: true | engine | worst run's gap | compressor starts:"
        " true | engine | runtime: true | engine | anti-legionella runs | backup heat in"
        " mild weather | `aux_heat_overuse` |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    findings: dict[str, dict[FindingKey, int]] = defaultdict(lambda: defaultdict(int))
    for label in ("valve", "no valve"):
        for kind, part in (("tuned", True), ("untouched", False)):
            runs = [r for r in results if r.case.label == label and r.case.tuned is part]
            if not runs:
                continue
            for result in runs:
                for finding in result.findings:
                    if finding.end is None:
                        findings[label][finding.key] += 1
            seeds = sorted({r.case.scenario.seed for r in runs})
            overuse = sum(
                1
                for r in runs
                for f in r.findings
                if f.end is None and f.key is FindingKey.AUX_HEAT_OVERUSE
            )
            lines.append(
                f"| {'given' if label == 'valve' else 'not given'} | {kind} {_seeds(seeds)} |"
                f" {len(runs)} | {sum(r.hot_water_runs[0] for r in runs)} |"
                f" {_known_sum([r.hot_water_runs[1] for r in runs])} |"
                f" {sum(r.hot_water_starts[0] for r in runs)} |"
                f" {_known_sum([r.hot_water_starts[1] for r in runs])} |"
                f" {sum(r.hot_water_h[0] for r in runs):.1f} h |"
                f" {_known_hours([r.hot_water_h[1] for r in runs])} |"
                f" {_worst_gap(runs)} |"
                f" {sum(r.starts[0] for r in runs)} | {sum(r.starts[1] for r in runs)} |"
                f" {sum(r.runtime_h[0] for r in runs):.0f} h |"
                f" {sum(r.runtime_h[1] for r in runs):.0f} h |"
                f" {sum(r.legionella for r in runs)} |"
                f" {sum(r.aux_mild_h for r in runs):.1f} h | {overuse} |"
            )
    lines.append("")
    for label in ("valve", "no valve"):
        raised = findings.get(label)
        counts = (
            ", ".join(f"`{key}` {count}" for key, count in sorted(raised.items()))
            if raised
            else "none"
        )
        source = "With the valve's source" if label == "valve" else "Without it"
        lines.append(f"- {source}, findings raised at any severity (all seeds): {counts}.")
    return lines


def _known_sum(values: list[int | None]) -> str:
    """A sum of engine counts, or "-" when the engine could not tell (no valve source)."""
    known = [value for value in values if value is not None]
    return str(sum(known)) if known else "-"


def _known_hours(values: list[float | None]) -> str:
    """A sum of engine hours, or "-" when the engine could not tell."""
    known = [value for value in values if value is not None]
    return f"{sum(known):.1f} h" if known else "-"


def _worst_gap(results: list[Result]) -> str:
    """The largest difference of one run's hot-water runtime from the truth, or "-"."""
    gaps = [
        abs(engine - true)
        for true, engine in (r.hot_water_h for r in results)
        if engine is not None
    ]
    return f"{max(gaps):.1f} h" if gaps else "-"


def _fault_table(results: list[Result]) -> list[str]:
    """Recall and delay per finding (and shape), tuned and untouched seeds in their own columns."""
    lines = [
        "| finding | tuned: detected | recall | median delay | worst delay"
        " | untouched: detected | recall | median delay | worst delay | allowance |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    rows: dict[tuple[FindingKey, str], list[Result]] = defaultdict(list)
    for result in results:
        assert result.case.expect is not None
        rows[result.case.expect, result.case.label].append(result)
    order = list(FindingKey)
    for (key, label), group in sorted(
        rows.items(), key=lambda item: (order.index(item[0][0]), item[0][1])
    ):
        cells = [f"`{key}`" + (f", {label}" if label else "")]
        for part in (True, False):
            cells += _recall_cells([r for r in group if r.case.tuned is part])
        cells.append(_duration(ALLOWANCE[key]))
        lines.append("| " + " | ".join(cells) + " |")
    misses = [r for r in results if r.detected_at is None]
    lines += ["", "Missed runs:" if misses else "No run missed its finding.", ""]
    lines += [f"- {r.case.name}{'' if r.case.tuned else ' (untouched seed)'}" for r in misses]
    if misses:
        lines.append("")
    return lines


def _recall_cells(group: list[Result]) -> list[str]:
    """Detected of runs, recall, median and worst delay; dashes for no runs."""
    if not group:
        return ["-", "-", "-", "-"]
    delays = [max(0.0, r.detected_at - r.onset) for r in group if r.detected_at is not None]
    return [
        f"{len(delays)}/{len(group)}",
        f"{100 * len(delays) / len(group):.0f} %",
        _duration(median(delays)) if delays else "-",
        _duration(max(delays)) if delays else "-",
    ]


def _inference_row(label: str, kind: str, runs: list[Result]) -> str:
    """One line of the defrost inference table."""
    true = sum(r.true_defrosts for r in runs)
    inferred = sum(r.inferred_defrosts for r in runs)
    matched = sum(r.matched_defrosts for r in runs)
    seeds = sorted({r.case.scenario.seed for r in runs})
    recall = f"{100 * matched / true:.0f} %" if true else "-"
    precision = f"{100 * matched / inferred:.0f} %" if inferred else "-"
    return (
        f"| {label} | {kind} {_seeds(seeds)} | {len(runs)} | {true} | {inferred} | {matched} |"
        f" {recall} | {precision} |"
    )


def _outcome(result: Result) -> str:
    """Detected after how long, or not."""
    if result.detected_at is None:
        return "not detected"
    return f"detected after {_duration(max(0.0, result.detected_at - result.onset))}"


def _seeds(seeds: Iterable[int]) -> str:
    """Seeds as a short list: 1-3, or 4, 5."""
    values = sorted(seeds)
    if len(values) > 2 and values == list(range(values[0], values[-1] + 1)):
        return f"{values[0]}-{values[-1]}"
    return ", ".join(map(str, values)) or "none"


def _duration(seconds: float) -> str:
    """A short human duration."""
    if seconds < HOUR:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * DAY:
        return f"{seconds / HOUR:.1f} h"
    return f"{seconds / DAY:.1f} d"


def main(argv: list[str] | None = None) -> int:
    """Run the matrix and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="one tuned and one untouched seed, no healthy years"
    )
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "DETECTION.md")
    parser.add_argument("--only", help="run only cases whose name contains this text")
    args = parser.parse_args(argv)
    tuned = TUNED_SEEDS[:1] if args.quick else TUNED_SEEDS
    untouched = UNTOUCHED_SEEDS[:1] if args.quick else UNTOUCHED_SEEDS
    seeds = tuned + untouched
    cases = matrix(seeds) + healthy_shapes(seeds) + healthy_hot_water(seeds)
    cases += defrost_inference((tuned[0], untouched[0]))
    if not args.quick:
        cases += healthy_years(HEALTHY_YEAR_SEEDS)
    if args.only:
        cases = [case for case in cases if args.only in case.name]
    # The longest first, so that no core is left with a full year at the end.
    cases.sort(key=lambda case: -case.scenario.days / case.scenario.step_seconds)
    began = clock.perf_counter()
    with Pool(os.cpu_count() or 1) as pool:
        results = []
        for result in pool.imap_unordered(run, cases):
            results.append(result)
            status = (
                "healthy"
                if result.case.expect is None
                else ("detected" if result.detected_at is not None else "MISSED")
            )
            print(
                f"{len(results)}/{len(cases)} {result.case.name}: {status} ({result.seconds:.1f} s)",
                flush=True,
            )
    results.sort(key=lambda result: result.case.name)
    replays = {
        "Real data: the Swiss heat pump": replay_swiss(),
        "Real data: the Daikin Altherma week": replay_daikin(),
    }
    text = report(results, replays, clock.perf_counter() - began)
    if not args.only:
        args.output.parent.mkdir(exist_ok=True)
        args.output.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
