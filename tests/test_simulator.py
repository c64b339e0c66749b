"""The simulator: deterministic, shaped like Home Assistant, plausible, faults visible."""

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import groupby, islice, pairwise
from operator import attrgetter
import statistics

import pytest

from custom_components.heat_pump_health.engine import ClimateReading, Observation, Role
from simulator import (
    BASIC_ROLES,
    ClimateName,
    CylinderSpec,
    Distribution,
    Fault,
    FaultKind,
    HvacMode,
    Interval,
    Scenario,
    SensorTarget,
    Simulation,
    Truth,
    UnitKind,
    UnitSpec,
    ha_states,
    simulate,
)
from simulator.streams import HOT_WATER_ROLE
from simulator.weather import DAY, Weather

JANUARY = datetime(2026, 1, 10, tzinfo=UTC)
MARCH = datetime(2026, 3, 5, tzinfo=UTC)
JULY = datetime(2026, 7, 10, tzinfo=UTC)
HOUR = 3600.0
FIXED = UnitSpec()
INVERTER = UnitSpec(kind=UnitKind.INVERTER)


def _scenario(**changes: object) -> Scenario:
    return replace(Scenario(start=JANUARY, days=2.0), **changes)  # type: ignore[arg-type]


def _drive(scenario: Scenario, sample: Callable[[Simulation], None] | None = None) -> Truth:
    """Run a scenario to its end, calling `sample` after every step."""
    sim = Simulation(scenario)
    end = sim.end_time - sim.dt / 2
    while sim.time < end:
        sim.step()
        if sample is not None:
            sample(sim)
    return sim.finish()


def _after(truth: Truth, start: float) -> Truth:
    """The part of the truth from `start` on (hours, runs and defrosts that begin then)."""
    return Truth(
        runs=[r for r in truth.runs if r.start >= start],
        defrosts=[d for d in truth.defrosts if d.start >= start],
        aux=[a for a in truth.aux if a.start >= start],
        faults=truth.faults,
        hours=[h for h in truth.hours if h.start >= start],
    )


def _starts_per_hour(truth: Truth) -> float:
    return sum(h.starts for h in truth.hours) / len(truth.hours)


def _indoor_error(truth: Truth) -> float:
    hours = [h for h in truth.hours if h.mode != HvacMode.OFF]
    return statistics.fmean(h.indoor_c - h.target_c for h in hours)


def _cop(truth: Truth) -> float:
    return sum(h.heat_kwh for h in truth.hours) / sum(h.electric_kwh for h in truth.hours)


def _splits(scenario: Scenario, since_day: float = 0.0) -> list[float]:
    """Supply minus return while the compressor has been delivering heat for a while."""
    splits: list[float] = []
    start = scenario.origin + since_day * DAY
    run_for = [0.0]

    def sample(sim: Simulation) -> None:
        unit = sim.unit
        heating = unit.modulation > 0 and not unit.defrosting
        run_for[0] = run_for[0] + sim.dt if heating else 0.0
        if run_for[0] >= 600 and sim.time >= start:
            splits.append(sim.supply_reading - sim.return_reading)

    _drive(scenario, sample)
    return splits


# --- Weather -------------------------------------------------------------------------------


def test_weather_profiles_reach_their_extremes() -> None:
    """Extreme cold has long spells below -20 °C; hot has summer days of 33-38 °C."""
    cold = Weather(ClimateName.EXTREME_COLD, seed=0)
    january = JANUARY.timestamp()
    hours = [cold.sample(january + h * HOUR).temperature_c for h in range(20 * 24)]
    assert sum(t <= -20 for t in hours) > 0.5 * len(hours)
    assert min(hours) < -28

    hot = Weather(ClimateName.HOT, seed=0)
    july = JULY.timestamp()
    maxima = [
        max(hot.sample(july + d * DAY + h * HOUR).temperature_c for h in range(24))
        for d in range(20)
    ]
    assert 33 <= statistics.median(maxima) <= 38


def test_weather_does_not_depend_on_the_run_start() -> None:
    """A short scenario sees the same weather as a long one with the same seed."""
    weather = Weather(ClimateName.MILD, seed=3)
    again = Weather(ClimateName.MILD, seed=3)
    other = Weather(ClimateName.MILD, seed=4)
    moment = MARCH.timestamp() + 12345.0
    again.sample(moment - 30 * DAY)
    assert weather.sample(moment) == again.sample(moment)
    assert weather.sample(moment) != other.sample(moment)


# --- Observations ----------------------------------------------------------------------------


def test_same_seed_same_run() -> None:
    """Runs are deterministic given the seed."""
    scenario = _scenario(days=0.5)
    first = list(simulate(scenario).observations())
    assert first == list(simulate(scenario).observations())
    assert first != list(simulate(replace(scenario, seed=1)).observations())


# Roles only a unit that reports its own signals (`UnitSpec.signals`) has.
NOT_SIMULATED = frozenset(
    {Role.FLOW_RATE, Role.WATER_PRESSURE, Role.UNIT_ERROR, Role.COMPRESSOR_FREQUENCY}
) | ({HOT_WATER_ROLE} if HOT_WATER_ROLE is not None else set())


def test_observations_look_like_home_assistant() -> None:
    """Time-ordered, rounded like sensors, sent on change and re-reported every 5 minutes."""
    scenario = _scenario(days=1.0)
    observations = list(simulate(scenario).observations())
    times = [o.time for o in observations]
    assert times == sorted(times)
    by_role: dict[Role, list[Observation]] = {}
    for o in observations:
        by_role.setdefault(o.role, []).append(o)
    assert set(by_role) == set(Role) - NOT_SIMULATED
    for role, series in by_role.items():
        gaps = [b.time - a.time for a, b in pairwise(series)]
        assert max(gaps) <= scenario.report_seconds, role
        values = [o.value for o in series]
        if role in {Role.COMPRESSOR, Role.DEFROST, Role.AUX_HEAT, Role.LEAK}:
            assert all(isinstance(v, bool) for v in values)
        elif role is Role.CLIMATE:
            assert all(isinstance(v, ClimateReading) for v in values)
            actions = {v.hvac_action for v in values if isinstance(v, ClimateReading)}
            assert actions <= {"heating", "cooling", "idle", "off", "defrosting"}
        else:
            numbers = [v for v in values if isinstance(v, float)]
            assert len(numbers) == len(values)
            decimals = {Role.POWER: 0, Role.HEAT_OUTPUT: 0, Role.ENERGY: 3}.get(role, 1)
            assert all(round(v, decimals) == v for v in numbers)
    energy = [o.value for o in by_role[Role.ENERGY] if isinstance(o.value, float)]
    assert energy == sorted(energy)
    assert energy[-1] > 5


def test_only_exposed_roles_are_emitted() -> None:
    """A scenario with a thermostat and a smart plug emits those two roles only."""
    scenario = _scenario(days=0.25, roles=BASIC_ROLES)
    assert {o.role for o in simulate(scenario).observations()} == BASIC_ROLES


def test_truth_fills_while_observing() -> None:
    """Runs are closed at the end; `complete` gives the same truth without observations."""
    scenario = _scenario(days=1.0)
    run = simulate(scenario)
    for _ in run.observations():
        pass
    observed = run.truth
    assert observed.runs
    assert simulate(scenario).complete() == observed
    assert observed.runs[-1].end <= scenario.end
    assert len(observed.hours) == 24


# --- Healthy units ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("climate", "start", "unit"),
    [
        (ClimateName.MILD, JANUARY, FIXED),
        (
            ClimateName.MILD,
            JANUARY,
            UnitSpec(kind=UnitKind.INVERTER, distribution=Distribution.WATER),
        ),
        (ClimateName.COLD, JANUARY, FIXED),
        (ClimateName.HOT, JULY, FIXED),
        (ClimateName.HOT, JULY, INVERTER),
        (ClimateName.EXTREME_COLD, JANUARY, FIXED),
    ],
)
def test_healthy_unit_holds_setpoint(climate: ClimateName, start: datetime, unit: UnitSpec) -> None:
    """Indoors stays within about 1 K of the setpoint, heating or cooling."""
    truth = _after(_drive(_scenario(climate=climate, start=start, unit=unit, days=4.0)), 0)
    assert abs(_indoor_error(truth)) < 0.7
    assert all(abs(h.indoor_c - h.target_c) < 1.5 for h in truth.hours)


def test_extreme_cold_runs_nonstop_with_aux() -> None:
    """At -20..-30 °C a correctly sized unit runs all the time and aux heat tops it up."""
    truth = _drive(_scenario(climate=ClimateName.EXTREME_COLD, days=3.0))
    cold_hours = [h for h in truth.hours if h.outdoor_c < -20]
    assert len(cold_hours) > 24
    assert statistics.fmean(h.run_seconds for h in cold_hours) > 0.95 * HOUR
    assert sum(h.aux_kwh for h in cold_hours) > 10
    assert abs(statistics.fmean(h.indoor_c - h.target_c for h in cold_hours)) < 1.0


def test_inverter_sized_for_deep_cold_never_stops() -> None:
    """Big enough to need no backup heat: it modulates all day at kilowatts, never at standby."""
    unit = UnitSpec(
        kind=UnitKind.INVERTER, rated_heat_w=32000.0, min_modulation=0.2, aux_heat_w=0.0
    )
    scenario = _scenario(
        climate=ClimateName.EXTREME_COLD, unit=unit, days=3.0, running_at_start=True
    )
    power: list[float] = []
    truth = _drive(scenario, lambda sim: power.append(sim.unit.power_w))
    assert truth.runs == [Interval(scenario.origin, scenario.end)]
    assert sum(h.starts for h in truth.hours) == 0
    assert min(power) > 1500
    assert statistics.median(power) > 2500
    assert sum(h.aux_kwh for h in truth.hours) == 0
    assert abs(_indoor_error(truth)) < 0.7
    first = list(islice(simulate(replace(scenario, days=0.01)).observations(), len(Role)))
    watts = next(o.value for o in first if o.role is Role.POWER)
    assert isinstance(watts, float)
    assert watts > 1000  # the first reading is already a run's
    assert next(o.value for o in first if o.role is Role.COMPRESSOR) is True


def test_pump_level_and_standby_steps() -> None:
    """At rest: standby, plus a base-plate heater in the cold, plus the pump after a call."""
    unit = UnitSpec(
        distribution=Distribution.WATER,
        standby_w=8.0,
        standby_heater_w=45.0,
        standby_heater_below_c=8.0,
        pump_w=130.0,
        pump_overrun_s=600.0,
    )
    levels: set[int] = set()
    calls: list[float] = []

    def sample(sim: Simulation) -> None:
        if sim.thermostat.call:
            calls.append(sim.time)
        if sim.unit.running:
            return
        expected = 8.0 + (45.0 if sim.outdoor_c < 8.0 else 0.0)
        if calls and sim.time - calls[-1] < 600.0:
            expected += 130.0
        assert sim.unit.power_w == pytest.approx(expected)
        levels.add(round(sim.unit.power_w))

    _drive(_scenario(unit=unit, days=2.0), sample)
    assert levels == {8, 53, 138, 183}


@pytest.mark.parametrize(
    ("climate", "start"),
    [(ClimateName.MILD, JANUARY), (ClimateName.MILD, MARCH), (ClimateName.COLD, MARCH)],
)
def test_fixed_speed_cycles_like_the_fleet(climate: ClimateName, start: datetime) -> None:
    """0.5-3 starts an hour in heating weather, never 5 or more an hour over six hours."""
    truth = _drive(_scenario(climate=climate, start=start, days=6.0))
    assert 0.5 <= _starts_per_hour(truth) <= 3.0
    starts = [h.starts for h in truth.hours]
    assert max(sum(starts[i : i + 6]) for i in range(len(starts) - 5)) < 30


def test_inverter_starts_far_less() -> None:
    """A modulating unit meets mild loads by slowing down, not by stopping."""
    fixed = _drive(_scenario(start=MARCH, days=4.0))
    inverter = _drive(_scenario(start=MARCH, days=4.0, unit=INVERTER))
    assert _starts_per_hour(inverter) < 0.25
    assert _starts_per_hour(inverter) < _starts_per_hour(fixed) / 4


def test_air_split_in_heating_and_cooling() -> None:
    """Supply air 8-17 K above return in heating, 8-12 K below in cooling."""
    heating = statistics.fmean(_splits(_scenario(days=1.0)))
    cooling = statistics.fmean(_splits(_scenario(climate=ClimateName.HOT, start=JULY, days=1.0)))
    assert 8 <= heating <= 17
    assert -12 <= cooling <= -8


def test_water_split_near_five_kelvin() -> None:
    """Flow about 5 K above return at full flow."""
    unit = UnitSpec(distribution=Distribution.WATER)
    assert 3.5 <= statistics.fmean(_splits(_scenario(unit=unit, days=1.0))) <= 6


def test_cop_follows_outdoor_temperature() -> None:
    """About 4 in mild weather, about 2 in deep cold (aux heat included)."""
    mild = _cop(_drive(_scenario(start=MARCH, days=2.0)))
    cold = _cop(_drive(_scenario(climate=ClimateName.COLD, days=2.0)))
    assert 3.2 <= mild <= 4.8
    assert 1.3 <= cold <= 2.6


def test_defrost_depends_on_frost_weather() -> None:
    """Frequent in humid near-freezing weather; rare in mild or dry cold weather."""
    days = 4.0
    humid = _drive(_scenario(climate=ClimateName.HUMID_NEAR_FREEZING, days=days))
    mild = _drive(_scenario(start=MARCH, days=days))
    dry = _drive(_scenario(climate=ClimateName.COLD, days=days))
    per_day = len(humid.defrosts) / days
    assert per_day >= 8
    assert len(mild.defrosts) / days <= per_day / 4
    assert len(dry.defrosts) / days <= per_day / 3
    durations = [d.seconds / 60 for d in humid.defrosts]
    assert 3 <= min(durations) <= max(durations) <= 8
    # A defrost belongs to a run: every one lies inside a compressor run.
    assert all(
        any(r.start <= d.start and d.end <= r.end for r in humid.runs) for d in humid.defrosts
    )


def test_defrost_signature() -> None:
    """Flow drops below return, power stays at 60-80 % of running power, action says so."""
    unit = UnitSpec(kind=UnitKind.INVERTER, distribution=Distribution.WATER)
    scenario = _scenario(climate=ClimateName.HUMID_NEAR_FREEZING, unit=unit, days=1.0)
    run = simulate(scenario)
    latest: dict[Role, object] = {}
    during: list[dict[Role, object]] = []
    ratios: list[float] = []
    running = 0.0
    for _, group in groupby(run.observations(), key=attrgetter("time")):
        changes = {o.role: o.value for o in group}
        latest.update(changes)
        power = latest[Role.POWER]
        assert isinstance(power, float)
        if latest[Role.DEFROST]:
            during.append(dict(latest))
            ratios.append(power / running)
        elif latest[Role.COMPRESSOR] and Role.POWER in changes:
            running = power
    assert len(run.truth.defrosts) >= 5
    drops = [float(s[Role.RETURN_TEMPERATURE]) - float(s[Role.SUPPLY_TEMPERATURE]) for s in during]  # type: ignore[arg-type]
    assert 3 <= max(drops) <= 12
    assert 0.6 <= min(ratios) <= max(ratios) <= 0.8
    assert all(s[Role.COMPRESSOR] is True for s in during)
    climate = [s[Role.CLIMATE] for s in during]
    assert all(isinstance(c, ClimateReading) and c.hvac_action == "defrosting" for c in climate)
    assert all(float(s[Role.HEAT_OUTPUT]) < 0 for s in during)  # type: ignore[arg-type]


# --- Faults ----------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", [FIXED, INVERTER])
def test_short_cycling(unit: UnitSpec) -> None:
    """8-12 starts an hour, runs under 8 minutes, in mild heating weather."""
    truth = _drive(
        _scenario(unit=unit, start=MARCH, days=2.0, faults=(Fault(FaultKind.SHORT_CYCLING, 1.0),))
    )
    late = _after(truth, truth.faults[0].start)
    assert 8 <= _starts_per_hour(late) <= 12
    assert statistics.median(r.seconds for r in late.runs) < 8 * 60


def test_dirty_filter_raises_the_split() -> None:
    """Less airflow, same-ish heat: the air leaves the coil much hotter."""
    scenario = _scenario(days=3.0, faults=(Fault(FaultKind.DIRTY_FILTER, 1.0),))
    splits = _splits(replace(scenario, days=1.0))
    clogged = _splits(scenario, since_day=2.0)
    assert statistics.fmean(clogged) > 1.5 * statistics.fmean(splits)


@pytest.mark.parametrize(
    ("distribution", "size", "least_k"),
    [(Distribution.AIR, 0.3, 25.0), (Distribution.WATER, 0.25, 10.0)],
)
def test_fault_present_from_day_one(
    distribution: Distribution, size: float, least_k: float
) -> None:
    """A filter clogged before the run began is at its full size from the first run on."""
    unit = UnitSpec(distribution=distribution)
    fault = Fault(FaultKind.DIRTY_FILTER, 0.0, size=size, age_days=1.0)
    splits = _splits(_scenario(unit=unit, days=0.5, faults=(fault,)))
    assert splits
    assert min(splits) > least_k
    sim = Simulation(_scenario(unit=unit, faults=(fault,)))
    assert sim.effects.airflow == pytest.approx(size)
    fresh = Simulation(_scenario(unit=unit, faults=(replace(fault, age_days=0.0),)))
    assert fresh.effects.airflow == pytest.approx(1.0)


def _twins(fault: Fault, **changes: object) -> tuple[Truth, Truth]:
    """A healthy and a faulty run in the very same weather, from the fault's start on."""
    scenario = _scenario(**changes)
    healthy = _drive(scenario)
    faulty = _drive(replace(scenario, faults=(fault,)))
    start = faulty.faults[0].start
    return _after(healthy, start), _after(faulty, start)


def test_refrigerant_leak_costs_capacity_and_efficiency() -> None:
    """After weeks of leaking: a lower split and more energy per heat."""
    fault = Fault(FaultKind.REFRIGERANT_LEAK, 1.0)
    scenario = _scenario(start=MARCH, days=30.0)
    healthy, faulty = _twins(fault, start=MARCH, days=30.0)
    late = [h for h in faulty.hours if h.start > scenario.origin + 24 * DAY]
    twin = [h for h in healthy.hours if h.start > scenario.origin + 24 * DAY]
    assert _cop(Truth(hours=late)) < 0.85 * _cop(Truth(hours=twin))
    leaking = _splits(replace(scenario, faults=(fault,)), since_day=24.0)
    assert statistics.fmean(leaking) < 0.8 * statistics.fmean(_splits(scenario, since_day=24.0))


def test_capacity_loss_runs_nonstop_without_holding() -> None:
    """A big sudden loss: nonstop running and a cold house in mild weather."""
    _, faulty = _twins(Fault(FaultKind.CAPACITY_LOSS, 1.0), days=3.0)
    assert statistics.fmean(h.run_seconds for h in faulty.hours[12:]) > 0.97 * HOUR
    assert _indoor_error(Truth(hours=faulty.hours[12:])) < -1.0


def test_energy_waste() -> None:
    """The same heat for 40-60 % more electricity."""
    healthy, faulty = _twins(Fault(FaultKind.ENERGY_WASTE, 1.0))
    ratio = sum(h.electric_kwh for h in faulty.hours) / sum(h.electric_kwh for h in healthy.hours)
    assert 1.3 <= ratio <= 1.6
    assert sum(h.heat_kwh for h in faulty.hours) == pytest.approx(
        sum(h.heat_kwh for h in healthy.hours), rel=0.05
    )


def test_defrost_none_lets_capacity_collapse() -> None:
    """No defrost at all, the coil ices up and the heat output falls away."""
    healthy, faulty = _twins(
        Fault(FaultKind.DEFROST_NONE, 1.0), climate=ClimateName.HUMID_NEAR_FREEZING, days=3.0
    )
    assert not [d for d in faulty.defrosts if d.start > faulty.faults[0].start + 600]
    assert healthy.defrosts
    last_day = slice(-24, None)
    heat = sum(h.heat_kwh for h in faulty.hours[last_day])
    assert heat < 0.7 * sum(h.heat_kwh for h in healthy.hours[last_day])
    assert _indoor_error(Truth(hours=faulty.hours[last_day])) < -2


def test_defrost_too_frequent_and_too_long() -> None:
    """Every 10-15 minutes of running, even without frost; or nearly half an hour each."""
    frequent = _drive(_scenario(start=MARCH, faults=(Fault(FaultKind.DEFROST_TOO_FREQUENT, 1.0),)))
    late = [d for d in frequent.defrosts if d.start >= frequent.faults[0].start]
    run_hours = sum(h.run_seconds for h in frequent.hours[24:]) / HOUR
    assert 3 <= len(late) / run_hours <= 6
    long = _drive(
        _scenario(
            climate=ClimateName.HUMID_NEAR_FREEZING,
            faults=(Fault(FaultKind.DEFROST_TOO_LONG, 1.0),),
        )
    )
    late = [d for d in long.defrosts if d.start >= long.faults[0].start]
    assert late
    assert all(25 * 60 <= d.seconds <= 30 * 60 for d in late[:-1])


def test_aux_lockout_high_runs_aux_in_mild_weather() -> None:
    """A lockout at +12 °C: the strip comes on with every call."""
    truth = _drive(_scenario(faults=(Fault(FaultKind.AUX_LOCKOUT_HIGH, 1.0),)))
    assert not [a for a in truth.aux if a.start < truth.faults[0].start]
    late = [h for h in truth.hours[24:] if h.run_seconds > 0 and h.outdoor_c < 11.5]
    assert len(late) > 6
    assert all(h.aux_kwh > 0 for h in late)
    assert min(h.outdoor_c for h in late) > 0


def test_breaker_trips_cut_the_power() -> None:
    """Power reads zero during each trip while the thermostat keeps calling."""
    fault = Fault(FaultKind.BREAKER_TRIP, 0.5, size=2.0, count=3, interval_hours=6.0)
    run = simulate(_scenario(roles=BASIC_ROLES | {Role.COMPRESSOR}, faults=(fault,)))
    observations = list(run.observations())
    windows = run.truth.faults
    assert [w.end - w.start for w in windows] == [2 * HOUR] * 3
    assert windows[1].start - windows[0].start == 6 * HOUR
    for window in windows:
        inside = [o for o in observations if window.start < o.time < window.end]
        assert all(o.value == 0.0 for o in inside if o.role is Role.POWER)
        assert not any(o.value for o in inside if o.role is Role.COMPRESSOR)
        actions = {o.value.hvac_action for o in inside if isinstance(o.value, ClimateReading)}
        assert "heating" in actions
        assert not [r for r in run.truth.runs if window.start < r.start < window.end]


@pytest.mark.parametrize("target", [SensorTarget.INDOOR, SensorTarget.OUTDOOR, SensorTarget.SUPPLY])
def test_stuck_sensor_keeps_reporting_one_value(target: SensorTarget) -> None:
    """The value freezes but the sensor still reports it."""
    role = {
        SensorTarget.INDOOR: Role.INDOOR_TEMPERATURE,
        SensorTarget.OUTDOOR: Role.OUTDOOR_TEMPERATURE,
        SensorTarget.SUPPLY: Role.SUPPLY_TEMPERATURE,
    }[target]
    scenario = _scenario(faults=(Fault(FaultKind.STUCK_SENSOR, 1.0, target=target),))
    series = [o for o in simulate(scenario).observations() if o.role is role]
    start = scenario.origin + DAY
    before = {o.value for o in series if o.time < start}
    after = [o for o in series if o.time > start]
    assert len(before) > 3
    assert len({o.value for o in after}) == 1
    assert len(after) >= DAY / scenario.report_seconds - 1


def test_drifting_indoor_sensor() -> None:
    """The room sensor walks away from the thermostat's reading by about 1.5 K a day."""
    scenario = _scenario(days=3.0, faults=(Fault(FaultKind.DRIFTING_SENSOR, 1.0),))
    latest: dict[Role, float] = {}
    gaps: list[tuple[float, float]] = []
    for o in simulate(scenario).observations():
        if isinstance(o.value, ClimateReading) and o.value.current_temperature is not None:
            latest[Role.CLIMATE] = o.value.current_temperature
        elif o.role is Role.INDOOR_TEMPERATURE and isinstance(o.value, float):
            latest[o.role] = o.value
            if Role.CLIMATE in latest:
                gaps.append((o.time, o.value - latest[Role.CLIMATE]))
    at_end = statistics.fmean(g for t, g in gaps if t > scenario.end - HOUR)
    assert at_end == pytest.approx(3.0, abs=0.3)
    assert abs(statistics.fmean(g for t, g in gaps if t < scenario.origin + DAY)) < 0.1


def test_dead_compressor_lets_the_house_cool() -> None:
    """Fans only (60-100 W) while the thermostat still says heating; no heat, a colder house."""
    scenario = _scenario(days=2.0, faults=(Fault(FaultKind.DEAD_COMPRESSOR, 0.5),))
    latest: dict[Role, object] = {}
    calling_power: list[float] = []
    for o in simulate(scenario).observations():
        latest[o.role] = o.value
        climate = latest.get(Role.CLIMATE)
        if (
            o.role is Role.POWER
            and o.time > scenario.origin + 0.6 * DAY
            and isinstance(climate, ClimateReading)
            and climate.hvac_action == "heating"
        ):
            calling_power.append(float(o.value))  # type: ignore[arg-type]
            assert latest[Role.COMPRESSOR] is False
    assert calling_power
    assert all(60 <= p <= 100 for p in calling_power)
    truth = _drive(scenario)
    assert truth.hours[-1].indoor_c < truth.hours[-1].target_c - 3


def test_water_leak_sensor() -> None:
    """The leak sensor turns on in its window and off after it."""
    scenario = _scenario(days=1.0, faults=(Fault(FaultKind.WATER_LEAK, 0.25, end_day=0.5),))
    leak = [(o.time, o.value) for o in simulate(scenario).observations() if o.role is Role.LEAK]
    on = [t for t, value in leak if value]
    assert on
    assert scenario.origin + 0.25 * DAY <= min(on) <= max(on) < scenario.origin + 0.5 * DAY


# --- Home Assistant states -------------------------------------------------------------------


def test_ha_states_shape_and_units() -> None:
    """Entity ids, string states, units in °F and kW, and change times."""
    scenario = _scenario(days=0.25, start=JANUARY + timedelta(hours=1))
    states = list(ha_states(scenario, temperature_unit="°F", power_unit="kW"))
    by_entity: dict[str, list[dict[str, object]]] = {}
    for state in states:
        by_entity.setdefault(str(state["entity_id"]), []).append(state)
    assert "climate.heat_pump" in by_entity
    assert "sensor.heat_pump_power" in by_entity

    climate = by_entity["climate.heat_pump"][0]
    attributes = climate["attributes"]
    assert isinstance(attributes, dict)
    assert climate["state"] == "heat"
    assert attributes["temperature"] == pytest.approx(69.8)
    assert 60 < attributes["current_temperature"] < 80
    assert attributes["hvac_modes"] == ["off", "heat", "cool"]
    assert climate["last_changed"] == (JANUARY + timedelta(hours=1)).isoformat()

    power = by_entity["sensor.heat_pump_power"]
    assert power[0]["attributes"] == {
        "state_class": "measurement",
        "unit_of_measurement": "kW",
        "device_class": "power",
        "friendly_name": "Heat pump power",
    }
    assert any(float(str(p["state"])) > 0.3 for p in power)
    assert all(len(str(p["state"]).split(".")[-1]) <= 3 for p in power)
    outdoor = by_entity["sensor.outdoor_temperature"][0]
    assert outdoor["attributes"]["unit_of_measurement"] == "°F"  # type: ignore[index]
    assert by_entity["binary_sensor.heat_pump_defrost"][0]["state"] == "off"
    # A climate entity whose attributes move keeps its last_changed.
    assert all(s["last_changed"] == climate["last_changed"] for s in by_entity["climate.heat_pump"])
    assert len({s["last_updated"] for s in by_entity["climate.heat_pump"]}) > 1


def test_ha_states_skip_unchanged_reports_unless_asked() -> None:
    """state_reported repeats only show with include_reported, with a new last_reported."""
    observations = list(simulate(_scenario(days=0.1, roles=frozenset({Role.LEAK}))).observations())
    assert len(observations) > 10
    assert len(list(ha_states(observations))) == 1
    reported = list(ha_states(observations, include_reported=True))
    assert len(reported) == len(observations)
    assert reported[-1]["last_changed"] == reported[0]["last_changed"]
    assert reported[-1]["last_reported"] != reported[0]["last_reported"]


def test_fixed_mode_and_climate_without_defrost_action() -> None:
    """A scenario can fix the mode, and hide defrost from the climate entity."""
    scenario = _scenario(
        climate=ClimateName.HUMID_NEAR_FREEZING,
        days=1.0,
        mode=HvacMode.HEAT,
        defrost_in_climate=False,
        roles=frozenset({Role.CLIMATE}),
    )
    run = simulate(scenario)
    readings = [o.value for o in run.observations() if isinstance(o.value, ClimateReading)]
    assert run.truth.defrosts
    assert {r.hvac_mode for r in readings} == {"heat"}
    assert "defrosting" not in {r.hvac_action for r in readings}


# --- The unit's own signals -------------------------------------------------------------------

SIGNAL_ROLES = frozenset(
    {Role.FLOW_RATE, Role.WATER_PRESSURE, Role.UNIT_ERROR, Role.COMPRESSOR_FREQUENCY}
)
# A 7 kW air-to-water unit whose controller reports itself, with a pump that overruns 10 min.
WATER_UNIT = UnitSpec(
    distribution=Distribution.WATER,
    rated_heat_w=7000.0,
    pump_w=60.0,
    pump_overrun_s=600.0,
    signals=True,
)


def _series(scenario: Scenario, role: Role) -> list[tuple[float, object]]:
    return [(o.time, o.value) for o in simulate(scenario).observations() if o.role is role]


def test_unit_signals_are_opt_in_and_change_nothing_else() -> None:
    """Without `signals` no new role appears; with it, the other roles' stream is unchanged."""
    quiet = _scenario(days=0.5, unit=replace(WATER_UNIT, signals=False))
    before = list(simulate(quiet).observations())
    assert not {o.role for o in before} & SIGNAL_ROLES
    after = list(simulate(replace(quiet, unit=WATER_UNIT)).observations())
    assert {o.role for o in after} >= SIGNAL_ROLES
    assert [o for o in after if o.role not in SIGNAL_ROLES] == before
    # An air unit has no water circuit to report.
    air = _scenario(days=0.25, unit=UnitSpec(signals=True))
    roles = {o.role for o in simulate(air).observations()}
    assert roles & SIGNAL_ROLES == {Role.UNIT_ERROR, Role.COMPRESSOR_FREQUENCY}


def test_frequency_only_unit_emits_its_roles_only() -> None:
    """A unit seen through compressor frequency, outdoor and water temperatures alone."""
    roles = frozenset(
        {
            Role.COMPRESSOR_FREQUENCY,
            Role.OUTDOOR_TEMPERATURE,
            Role.SUPPLY_TEMPERATURE,
            Role.RETURN_TEMPERATURE,
        }
    )
    scenario = _scenario(days=0.5, unit=replace(WATER_UNIT, kind=UnitKind.INVERTER), roles=roles)
    assert {o.role for o in simulate(scenario).observations()} == roles


def test_flow_rate_follows_the_pump() -> None:
    """~2.9 L/min per kW while the pump runs (overrun included), 0 once it stops."""
    scenario = _scenario(days=1.0, unit=WATER_UNIT)
    running: list[float] = []
    overrun: list[float] = []
    stopped: list[float] = []

    def sample(sim: Simulation) -> None:
        unit, flow = sim.unit, sim.flow_reading
        if unit.running and not unit.defrosting:
            running.append(flow)
        elif unit.pump_on:
            overrun.append(flow)
        elif not unit.aux_on:
            stopped.append(flow)

    _drive(scenario, sample)
    assert running
    assert overrun
    assert stopped
    assert 19.0 <= statistics.fmean(running) <= 21.5
    assert 0.05 <= statistics.stdev(running) <= 0.5  # a little noise
    assert 19.0 <= statistics.fmean(overrun) <= 21.5
    assert set(stopped) == {0.0}
    big = _scenario(days=0.5, unit=replace(WATER_UNIT, rated_heat_w=14000.0))
    flows = [v for _, v in _series(big, Role.FLOW_RATE) if isinstance(v, float) and v > 0]
    assert 38.0 <= statistics.median(flows) <= 43.0
    assert all(round(v, 1) == v for v in flows)


def test_clogged_strainer_cuts_the_flow_and_widens_the_split() -> None:
    """A clogged strainer leaves ~45 % of the flow after its day of clogging; the split grows."""
    fault = Fault(FaultKind.CLOGGED_STRAINER, 1.0)
    scenario = _scenario(days=3.0, unit=WATER_UNIT, faults=(fault,))
    healthy: list[float] = []
    clogged: list[float] = []

    def sample(sim: Simulation) -> None:
        if sim.unit.running and not sim.unit.defrosting:
            day = (sim.time - scenario.origin) / DAY
            if day < 1.0:
                healthy.append(sim.flow_reading)
            elif day >= 2.0:
                clogged.append(sim.flow_reading)

    truth = _drive(scenario, sample)
    assert 0.38 <= statistics.fmean(clogged) / statistics.fmean(healthy) <= 0.52
    assert [w.kind for w in truth.faults] == [FaultKind.CLOGGED_STRAINER]
    assert statistics.fmean(_splits(scenario, since_day=2.0)) > 1.5 * statistics.fmean(
        _splits(replace(scenario, faults=()), since_day=2.0)
    )


def test_water_pressure_rises_when_hot_and_falls_with_a_loss() -> None:
    """~1.5 bar cold, a few tenths more when hot; a loss takes 0.15 bar a day off, to 0."""
    pairs: list[tuple[float, float]] = []

    def sample(sim: Simulation) -> None:
        pairs.append((sim.unit.water_c, sim.pressure_reading))

    _drive(_scenario(days=1.0, unit=WATER_UNIT, climate=ClimateName.COLD), sample)
    cool = [bar for water, bar in pairs if water < 23.0]
    hot = [bar for water, bar in pairs if water > 33.0]
    assert cool
    assert hot
    assert 1.45 <= statistics.fmean(cool) <= 1.6
    assert 0.15 <= statistics.fmean(hot) - statistics.fmean(cool) <= 0.4
    assert statistics.correlation(*zip(*pairs, strict=True)) > 0.95

    def daily_lows(scenario: Scenario) -> list[float]:
        series = _series(scenario, Role.WATER_PRESSURE)
        assert all(round(float(v), 2) == v for _, v in series)  # type: ignore[arg-type]
        return [
            min(float(v) for t, v in series if day <= (t - scenario.origin) / DAY < day + 1)  # type: ignore[arg-type]
            for day in range(4)
        ]

    healthy = _scenario(days=4.0, unit=WATER_UNIT)
    assert all(abs(a - b) < 0.05 for a, b in pairwise(daily_lows(healthy)))
    losing = replace(healthy, faults=(Fault(FaultKind.PRESSURE_LOSS, 0.0),))
    assert all(0.1 <= a - b <= 0.2 for a, b in pairwise(daily_lows(losing)))
    empty = _scenario(
        days=1.0, unit=WATER_UNIT, faults=(Fault(FaultKind.PRESSURE_LOSS, 0.0, size=5.0),)
    )
    assert _series(empty, Role.WATER_PRESSURE)[-1][1] == 0.0


def test_compressor_frequency_follows_modulation() -> None:
    """An inverter's Hz is 90 x its modulation while it runs, 0 at rest; fixed speed reads 50."""
    inverter = _scenario(days=1.0, unit=replace(WATER_UNIT, kind=UnitKind.INVERTER))
    seen: list[tuple[bool, float, float]] = []

    def sample(sim: Simulation) -> None:
        unit = sim.unit
        if not unit.defrosting:
            seen.append((unit.running, unit.modulation, sim.frequency_reading))

    _drive(inverter, sample)
    running = [(mod, hz) for on, mod, hz in seen if on]
    assert running
    assert {hz for on, _, hz in seen if not on} == {0.0}
    assert all(hz == pytest.approx(90.0 * max(0.3, mod)) for mod, hz in running)
    assert len({round(hz) for _, hz in running}) > 10  # it modulates
    fixed = _series(_scenario(days=0.5, unit=WATER_UNIT), Role.COMPRESSOR_FREQUENCY)
    assert {v for _, v in fixed} == {0.0, 50.0}


def test_unit_error_reports_a_code_and_stops_the_compressor() -> None:
    """ "0" when fine, "E7" while the fault lasts; no compressor run and no aux heat meanwhile."""
    fault = Fault(FaultKind.UNIT_ERROR, 0.5, end_day=1.0)
    scenario = _scenario(days=1.5, unit=WATER_UNIT, faults=(fault,))
    run = simulate(scenario)
    codes = [(o.time, o.value) for o in run.observations() if o.role is Role.UNIT_ERROR]
    start, end = scenario.origin + 0.5 * DAY, scenario.origin + DAY
    assert {v for t, v in codes if start <= t < end} == {"E7"}
    assert {v for t, v in codes if t < start or t >= end} == {"0"}
    truth = run.truth
    assert [(w.kind, w.start, w.end) for w in truth.faults] == [(FaultKind.UNIT_ERROR, start, end)]
    assert not any(r.end > start + 600 and r.start < end for r in truth.runs)
    assert any(r.start >= end for r in truth.runs)  # it comes back
    assert all(h.heat_kwh <= 0.01 for h in truth.hours if start + 600 <= h.start < end - HOUR)
    coded = _scenario(days=0.1, unit=WATER_UNIT, faults=(Fault(FaultKind.UNIT_ERROR, 0.0, size=3),))
    assert {v for _, v in _series(coded, Role.UNIT_ERROR)} == {"E3"}


def test_ha_states_of_the_unit_signals() -> None:
    """Flow, pressure, frequency and error code as Home Assistant sensors."""
    scenario = _scenario(days=0.25, unit=WATER_UNIT)
    first: dict[str, dict[str, object]] = {}
    for state in ha_states(scenario):
        first.setdefault(str(state["entity_id"]), state)
    expected = {
        "sensor.heat_pump_flow_rate": ("volume_flow_rate", "L/min"),
        "sensor.heat_pump_water_pressure": ("pressure", "bar"),
        "sensor.heat_pump_compressor_frequency": ("frequency", "Hz"),
    }
    for entity_id, (device_class, unit) in expected.items():
        attributes = first[entity_id]["attributes"]
        assert isinstance(attributes, dict)
        assert attributes["device_class"] == device_class
        assert attributes["unit_of_measurement"] == unit
        assert attributes["state_class"] == "measurement"
        float(str(first[entity_id]["state"]))
    error = first["sensor.heat_pump_error_code"]
    assert error["state"] == "0"
    assert "device_class" not in error["attributes"]  # type: ignore[operator]


# --- Hot water ---------------------------------------------------------------------------------

# 2026-01-10 is a Saturday: three days hold one Sunday anti-legionella run.
HOT_WATER_UNIT = replace(WATER_UNIT, kind=UnitKind.INVERTER, hot_water=CylinderSpec())


def _hot_water_run(climate: ClimateName = ClimateName.MILD) -> tuple[Truth, list[str]]:
    """Three January days with a cylinder; the problems seen in the steps, if any."""
    scenario = _scenario(days=3.0, unit=HOT_WATER_UNIT, climate=climate)
    problems: list[str] = []

    def sample(sim: Simulation) -> None:
        unit = sim.unit
        if unit.hot_water and not unit.running and not sim.effects.dead_compressor:
            problems.append("a reheat without the compressor")
        reheating = unit.hot_water and not unit.defrosting and not unit.backup_on
        if reheating and abs(unit.heat_w - unit.cylinder_w) > 1e-6:
            problems.append("heat for the house during a reheat")
        if unit.immersion_on and not unit.aux_on:
            problems.append("the immersion heater without the aux signal")

    return _drive(scenario, sample), problems


def test_cylinder_reheats_twice_a_day_and_boosts_on_sunday() -> None:
    """Reheats at 05:00 and 17:00 for 15-60 min; the Sunday boost heats with the immersion."""
    truth, problems = _hot_water_run()
    assert not problems
    hours = [datetime.fromtimestamp(i.start, UTC) for i in truth.hot_water]
    assert [(h.hour, h.minute) for h in hours] == [(5, 0), (17, 0)] * 3
    assert all(15 * 60 <= i.seconds <= 60 * 60 for i in truth.hot_water)
    (boost,) = truth.legionella
    start = datetime.fromtimestamp(boost.start, UTC)
    assert (start.strftime("%A"), start.hour) == ("Sunday", 11)
    assert 20 * 60 <= boost.seconds <= 50 * 60
    assert boost in truth.aux
    # 3 kW of immersion heat for its time, in the hours' aux energy.
    aux_kwh = sum(h.aux_kwh for h in truth.hours)
    assert aux_kwh == pytest.approx(3.0 * boost.seconds / HOUR, rel=0.02)


def test_reheat_keeps_a_running_compressor_and_starts_an_idle_one() -> None:
    """A reheat starts the compressor only if it was idle; a running one carries on."""
    for climate in (ClimateName.MILD, ClimateName.COLD):
        truth, _ = _hot_water_run(climate)
        carried = started = 0
        for reheat in truth.hot_water:
            (run,) = [r for r in truth.runs if r.start <= reheat.start < r.end]
            if run.start < reheat.start:
                carried += 1
                assert run.start not in truth.hot_water_starts
            else:
                started += 1
                assert run.start in truth.hot_water_starts
        assert carried + started == 6
        assert len(truth.hot_water_starts) == started
    assert carried > 0  # the cold case runs through most reheats


def test_reheat_flows_hot_at_a_lower_cop() -> None:
    """Flow ~50-55 °C by the end of a reheat; COP about a quarter below space heating."""
    scenario = _scenario(days=2.0, unit=replace(HOT_WATER_UNIT, kind=UnitKind.FIXED_SPEED))
    flows: list[float] = []
    energy = {True: [0.0, 0.0], False: [0.0, 0.0]}
    steady = [0.0]  # seconds of running at full speed, past a start's ramp

    def sample(sim: Simulation) -> None:
        unit = sim.unit
        if unit.hot_water:
            flows.append(sim.supply_reading)
        running = unit.running and not unit.defrosting and not unit.aux_on
        steady[0] = steady[0] + sim.dt if running else 0.0
        if steady[0] > 600.0:
            pump = unit.spec.pump_w if unit.pump_on else 0.0
            energy[unit.hot_water][0] += unit.heat_w
            energy[unit.hot_water][1] += unit.power_w - unit.spec.standby_w - pump

    _drive(scenario, sample)
    assert 49.0 <= max(flows) <= 57.0
    hot_water_cop = energy[True][0] / energy[True][1]
    space_cop = energy[False][0] / energy[False][1]
    assert 0.6 <= hot_water_cop / space_cop <= 0.85


def test_hot_water_is_off_by_default_and_only_on_water_units() -> None:
    """No cylinder unless asked; an air unit cannot have one."""
    assert UnitSpec().hot_water is None
    assert not _drive(_scenario(days=0.5, unit=WATER_UNIT)).hot_water
    with pytest.raises(ValueError, match="water unit"):
        Simulation(_scenario(unit=UnitSpec(hot_water=CylinderSpec())))


def test_same_seed_same_hot_water() -> None:
    """The cylinder's use is drawn from the seed: same seed, same reheats."""
    first = _drive(_scenario(days=1.0, unit=HOT_WATER_UNIT))
    again = _drive(_scenario(days=1.0, unit=HOT_WATER_UNIT))
    other = _drive(_scenario(days=1.0, unit=HOT_WATER_UNIT, seed=7))
    assert first.hot_water == again.hot_water
    assert first.hot_water != other.hot_water


@pytest.mark.skipif(HOT_WATER_ROLE is None, reason="the engine has no hot_water role yet")
def test_hot_water_valve_signal() -> None:
    """The valve's binary sensor is on exactly during the truth's reheats."""
    assert HOT_WATER_ROLE is not None
    scenario = _scenario(days=1.0, unit=HOT_WATER_UNIT)
    run = simulate(scenario)
    valve = [(o.time, o.value) for o in run.observations() if o.role is HOT_WATER_ROLE]
    switches = [(t, v) for (_, a), (t, v) in pairwise(valve) if a != v]
    expected = [(i.start, True) for i in run.truth.hot_water]
    expected += [(i.end, False) for i in run.truth.hot_water]
    assert switches == sorted(expected)
    states = [
        s for s in ha_states(scenario) if s["entity_id"] == "binary_sensor.heat_pump_hot_water"
    ]
    assert {s["state"] for s in states} == {"on", "off"}
