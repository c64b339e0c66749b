"""Severity fits the evidence: invariants over random streams of plausible heat-pump readings.

Each stream is a run of segments (a power level, temperatures, a room near or off its
setpoint) held for some minutes, every source reporting every two minutes, as a live unit
does. The invariants are the promises the README makes about what a finding may claim.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from hypothesis import HealthCheck, example, given, settings, strategies as st

from custom_components.heat_pump_health.engine import (
    ClimateReading,
    HealthEngine,
    Observation,
    Role,
)
from custom_components.heat_pump_health.engine.findings import (
    Finding,
    FindingKey,
    Guidance,
    Severity,
)

T0 = 1_768_000_000.0
STEP = 120.0
SETPOINT = 21.0
# Standby, a circulation pump or fan, a base-plate heater: never a compressor, never an outage.
QUIET_LEVELS = (5.0, 12.0, 20.0, 90.0, 130.0)
SETTINGS = settings(
    max_examples=25, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@dataclass(frozen=True, slots=True)
class Segment:
    """Readings held for a while."""

    minutes: int
    power: float
    room_offset: float
    outdoor: float
    supply: float
    back: float
    action: str | None


def segments(room: float, *, power: st.SearchStrategy[float]) -> st.SearchStrategy[Segment]:
    """Segments whose room stays within `room` kelvin of the setpoint."""
    return st.builds(
        Segment,
        minutes=st.integers(min_value=2, max_value=240),
        power=power,
        room_offset=st.floats(min_value=-room, max_value=room),
        outdoor=st.floats(min_value=-28.0, max_value=18.0),
        supply=st.floats(min_value=20.0, max_value=55.0),
        back=st.floats(min_value=18.0, max_value=50.0),
        action=st.sampled_from([None, "heating", "idle", "defrosting"]),
    )


ANY_POWER = st.one_of(st.sampled_from(QUIET_LEVELS), st.floats(min_value=0.0, max_value=9000.0))
COMPRESSOR_POWER = st.floats(min_value=400.0, max_value=6000.0)


def observations(stream: list[Segment], *, climate: bool = True) -> Iterator[Observation]:
    """Every source reporting every two minutes through each segment, in time order."""
    time = T0
    for segment in stream:
        for _ in range(max(1, segment.minutes * 60 // int(STEP))):
            room = SETPOINT + segment.room_offset
            if climate:
                reading = ClimateReading("heat", segment.action, SETPOINT, None, None, room)
                yield Observation(time, Role.CLIMATE, reading)
            yield Observation(time, Role.POWER, segment.power)
            yield Observation(time, Role.INDOOR_TEMPERATURE, room)
            yield Observation(time, Role.OUTDOOR_TEMPERATURE, segment.outdoor)
            yield Observation(time, Role.SUPPLY_TEMPERATURE, segment.supply)
            yield Observation(time, Role.RETURN_TEMPERATURE, segment.back)
            time += STEP


def feed(stream: list[Segment], *, climate: bool = True) -> Iterator[HealthEngine]:
    """Feed the stream, yielding the engine after each time step's readings."""
    engine = HealthEngine()
    last = None
    for observation in observations(stream, climate=climate):
        if last is not None and observation.time != last:
            yield engine
        engine.update(observation)
        last = observation.time
    yield engine


def is_stuck_indoor(finding: Finding) -> bool:
    """A stuck-sensor finding about the room temperature."""
    evidence = finding.evidence
    return finding.key is FindingKey.SENSOR_FAULT and (
        evidence.get("sensor") == Role.INDOOR_TEMPERATURE and evidence.get("problem") == "stuck"
    )


@SETTINGS
@given(stream=st.lists(segments(0.95, power=ANY_POWER), min_size=1, max_size=40))
def test_nothing_critical_while_the_room_holds_its_setpoint(stream: list[Segment]) -> None:
    """With the room within 1 K of its setpoint only a water leak may be critical or urgent."""
    for engine in feed(stream):
        for finding in engine.findings:
            if finding.key is FindingKey.WATER_LEAK:
                continue
            assert finding.severity is not Severity.CRITICAL, finding
            assert finding.guidance is not Guidance.EMERGENCY, finding


@SETTINGS
@given(stream=st.lists(segments(1.45, power=ANY_POWER), min_size=1, max_size=40))
def test_no_heating_fault_without_a_measurable_shortfall(stream: list[Segment]) -> None:
    """`not_heating` and `not_cooling` need the room at least 1.5 K off its setpoint."""
    for engine in feed(stream):
        keys = {finding.key for finding in engine.findings}
        assert FindingKey.NOT_HEATING not in keys
        assert FindingKey.NOT_COOLING not in keys
        assert not any(is_stuck_indoor(finding) for finding in engine.findings)


@SETTINGS
@given(
    power=COMPRESSOR_POWER,
    outdoor=st.floats(min_value=-28.0, max_value=5.0),
    supply=st.floats(min_value=28.0, max_value=50.0),
    rise=st.floats(min_value=2.0, max_value=8.0),
    climate=st.booleans(),
)
def test_a_steady_unit_in_a_steady_room_has_no_stuck_sensor(
    power: float, outdoor: float, supply: float, rise: float, climate: bool
) -> None:
    """An inverter that never stops holds every temperature steady: that is not a fault."""
    stream = [Segment(240, power, 0.0, outdoor, supply, supply - rise, "heating")] * 18
    for engine in feed(stream, climate=climate):
        assert FindingKey.SENSOR_FAULT not in {finding.key for finding in engine.findings}


@SETTINGS
@given(stream=st.lists(segments(3.0, power=ANY_POWER), min_size=1, max_size=40))
def test_kilowatts_mean_running(stream: list[Segment]) -> None:
    """With no compressor sensor, a unit drawing 1 kW or more is running, whatever was learned."""
    for engine in feed(stream, climate=False):
        power = engine.state.readings.number(Role.POWER)
        if power is not None and power >= 1000.0:
            assert engine.state.cycles.running is True


@SETTINGS
@given(
    stream=st.lists(
        segments(3.0, power=st.one_of(st.sampled_from(QUIET_LEVELS), COMPRESSOR_POWER)),
        min_size=1,
        max_size=40,
    )
)
@example(  # a pump that stops, leaving standby while the room is a little short
    stream=[
        Segment(180, 130.0, 0.0, 2.0, 30.0, 28.0, "idle"),
        Segment(60, 2500.0, -0.5, 2.0, 40.0, 35.0, "heating"),
    ]
    * 4
    + [Segment(240, 8.0, -1.5, 2.0, 25.0, 25.0, "heating")]
)
def test_a_step_between_standby_levels_is_not_an_outage(stream: list[Segment]) -> None:
    """Standby, pump and heater levels come and go; none of them means the supply is gone."""
    for engine in feed(stream):
        assert FindingKey.POWER_INTERRUPTED not in {f.key for f in engine.findings}


@settings(SETTINGS, max_examples=10)
@given(
    power=st.floats(min_value=1000.0, max_value=6000.0),  # running without a thermostat too
    outdoor=st.floats(min_value=-10.0, max_value=10.0),
    split=st.floats(min_value=27.0, max_value=40.0),
    room_offset=st.floats(min_value=-3.0, max_value=0.0),
    climate=st.booleans(),
)
def test_a_verdict_against_typical_units_stays_a_warning(
    power: float, outdoor: float, split: float, room_offset: float, climate: bool
) -> None:
    """A unit judged against typical units alone is less certain: a warning, confidence ≤ 0.6.

    Supply air far above its return from the first day, as behind a filter clogged before the
    monitor was installed: the unit's own normal cannot show it, typical units can.
    """
    stream = [Segment(240, power, room_offset, outdoor, 20.0 + split, 20.0, "heating")] * 4
    typical: list[Finding] = []
    for engine in feed(stream, climate=climate):
        for finding in engine.findings:
            if finding.evidence.get("reference") == "typical":
                typical.append(finding)
                assert finding.severity is Severity.WARNING, finding
                assert finding.confidence <= 0.6, finding
    assert typical  # the stream does show the fault
