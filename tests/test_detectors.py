"""Every detector on small hand-built observation streams.

Each detector is shown raising once its condition has held for its sustain window (and not
before), staying silent on the healthy counterpart, clearing after its clear window (with the
documented hysteresis), and staying silent while it still has to learn what normal is.
"""

from datetime import UTC, datetime
import json

import pytest

from custom_components.heat_pump_health.engine import (
    ClimateReading,
    EngineConfig,
    Finding,
    FindingKey,
    Guidance,
    HealthEngine,
    Maintenance,
    Observation,
    Role,
    Severity,
)
from custom_components.heat_pump_health.engine.baselines import (
    MIN_ENERGY_DAYS,
    MIN_NEARBY_DAYS,
    BinnedBaseline,
)
from custom_components.heat_pump_health.engine.detectors.energy import ENERGY_DAYS, EfficiencyMemory
from custom_components.heat_pump_health.engine.detectors.split import SplitMemory
from custom_components.heat_pump_health.engine.findings import EndReason
from custom_components.heat_pump_health.engine.observations import ObservationValue

# Local midnight (the engine's zone is UTC), so stream days are engine days.
T0 = datetime(2026, 1, 15, 0, 0, tzinfo=UTC).timestamp()
MINUTE = 60.0
HOUR = 3600.0
DAY = 86400.0

K = FindingKey


class Stream:
    """A HealthEngine fed by hand, with a clock.

    Setters report a value now and remember it; `wait` moves time forward and re-reports every
    remembered value at each step (as Home Assistant's state_reported would), so a source only
    falls silent when a test says so. Every change the engine reports is collected.
    """

    def __init__(self, config: EngineConfig | None = None, *, start: float = T0) -> None:
        self.engine = HealthEngine(config)
        self.now = start
        self.values: dict[Role, ObservationValue] = {}
        self.energy_kw: float | None = None
        self.changes: list[Finding] = []

    # -- reporting -------------------------------------------------------------------------

    def report(self, role: Role, value: ObservationValue) -> None:
        """Report a value now and keep re-reporting it."""
        self.values[role] = value
        self._send(role, value)

    def silence(self, role: Role) -> None:
        """The source stops reporting at all."""
        self.values.pop(role, None)

    def _send(self, role: Role, value: ObservationValue) -> None:
        self.engine.update(Observation(self.now, role, value))
        self.changes.extend(self.engine.drain_changes())

    def thermostat(
        self,
        mode: str | None = "heat",
        action: str | None = None,
        target: float | None = 21.0,
        current: float | None = 21.0,
    ) -> None:
        self.report(
            Role.CLIMATE,
            ClimateReading(
                hvac_mode=mode,
                hvac_action=action,
                target_temperature=target,
                current_temperature=current,
            ),
        )

    def power(self, watts: float | None) -> None:
        self.report(Role.POWER, watts)

    def outdoor(self, celsius: float | None) -> None:
        self.report(Role.OUTDOOR_TEMPERATURE, celsius)

    def room(self, celsius: float | None) -> None:
        self.report(Role.INDOOR_TEMPERATURE, celsius)

    def water(self, supply: float, back: float) -> None:
        self.report(Role.SUPPLY_TEMPERATURE, supply)
        self.report(Role.RETURN_TEMPERATURE, back)

    def compressor(self, running: bool | None) -> None:
        self.report(Role.COMPRESSOR, running)

    def defrost(self, active: bool) -> None:
        self.report(Role.DEFROST, active)

    def leak(self, wet: bool) -> None:
        self.report(Role.LEAK, wet)

    def aux(self, running: bool) -> None:
        self.report(Role.AUX_HEAT, running)

    def heat_output(self, watts: float) -> None:
        self.report(Role.HEAT_OUTPUT, watts)

    def energy(self, kwh: float, *, kw: float | None = None) -> None:
        """Report the energy counter; with `kw` it keeps rising at that rate while waiting."""
        self.energy_kw = kw
        self.report(Role.ENERGY, kwh)

    def maintain(self, kind: Maintenance) -> None:
        self.engine.record_maintenance(kind, self.now)
        self.changes.extend(self.engine.drain_changes())

    def wait(self, minutes: float, every: float = 5.0) -> None:
        """Move time forward, re-reporting every current value every `every` minutes."""
        end = self.now + minutes * MINUTE
        while self.now < end:
            step = min(every * MINUTE, end - self.now)
            self.now += step
            if self.energy_kw is not None and Role.ENERGY in self.values:
                counter = self.values[Role.ENERGY]
                assert isinstance(counter, float)
                self.values[Role.ENERGY] = counter + self.energy_kw * step / HOUR
            if not self.values:
                self.engine.advance(self.now)
            for role, value in list(self.values.items()):
                self._send(role, value)

    def restored(self) -> Stream:
        """A twin whose engine went through JSON, at the same time with the same values."""
        twin = Stream(self.engine.config, start=self.now)
        saved = json.loads(json.dumps(self.engine.as_dict()))
        twin.engine = HealthEngine.from_dict(saved, self.engine.config)
        twin.values = dict(self.values)
        twin.energy_kw = self.energy_kw
        return twin

    # -- looking ---------------------------------------------------------------------------

    def open(self, key: FindingKey) -> Finding | None:
        """The open finding of a key."""
        return next((finding for finding in self.engine.findings if finding.key is key), None)

    def raised(self, key: FindingKey) -> list[Finding]:
        """Each finding of a key as it first started (escalations left out)."""
        seen: set[float] = set()
        started = []
        for change in self.changes:
            if change.key is key and change.end is None and change.start not in seen:
                seen.add(change.start)
                started.append(change)
        return started

    def escalations(self, key: FindingKey) -> list[Finding]:
        """Changes of a still-open finding that raised its severity."""
        starts: set[float] = set()
        escalated = []
        for change in self.changes:
            if change.key is not key or change.end is not None:
                continue
            if change.start in starts:
                escalated.append(change)
            starts.add(change.start)
        return escalated

    def ended(self, key: FindingKey) -> list[Finding]:
        """Each finding of a key that ended."""
        return [change for change in self.changes if change.key is key and change.end is not None]

    def started_keys(self) -> set[FindingKey]:
        """Every key that ever started."""
        return {change.key for change in self.changes}


def only(findings: list[Finding]) -> Finding:
    """The single finding of a list."""
    assert len(findings) == 1, findings
    return findings[0]


def cycle(stream: Stream, on: float, off: float, count: int, every: float = 5.0) -> None:
    """`count` compressor cycles of `on` minutes running and `off` minutes stopped."""
    for _ in range(count):
        stream.compressor(True)
        stream.wait(on, every)
        stream.compressor(False)
        stream.wait(off, every)


def defrost_cycles(stream: Stream, heat: float, defrost: float, count: int) -> list[float]:
    """`count` times: heat for `heat` minutes, then defrost for `defrost`; the defrost starts."""
    starts = []
    for _ in range(count):
        stream.wait(heat)
        starts.append(stream.now)
        stream.defrost(True)
        stream.wait(defrost)
        stream.defrost(False)
    return starts


def heating_unit(outdoor: float = 0.0, config: EngineConfig | None = None) -> Stream:
    """A unit heating nonstop with the room at its setpoint and a 5 K supply-return split."""
    stream = Stream(config)
    stream.thermostat("heat", "heating")
    stream.outdoor(outdoor)
    stream.compressor(True)
    stream.water(35.0, 30.0)
    return stream


def steady_hours(stream: Stream, hours: int, split: float, outdoor: float = 5.0) -> None:
    """Hours of steady running; temperatures wobble a little so no sensor looks frozen."""
    for hour in range(hours):
        wobble = 0.1 * (hour % 2)
        stream.outdoor(outdoor + wobble)
        stream.water(35.0 + wobble, 35.0 + wobble - split)
        stream.wait(60, every=15)


# -- water leak ----------------------------------------------------------------------------


def test_water_leak_is_immediate_and_clears_after_five_dry_minutes() -> None:
    s = Stream()
    s.thermostat()
    s.leak(False)
    s.wait(30)
    assert s.open(K.WATER_LEAK) is None

    wet = s.now
    s.leak(True)
    s.wait(1, every=1)
    finding = s.open(K.WATER_LEAK)
    assert finding is not None
    assert wet <= finding.start <= wet + MINUTE
    assert finding.severity is Severity.CRITICAL
    assert finding.guidance is Guidance.EMERGENCY
    assert finding.evidence == {"sensor": "leak"}

    s.wait(60)
    dry = s.now
    s.leak(False)
    s.wait(5, every=1)
    assert s.open(K.WATER_LEAK) is not None  # one dry reading is not enough
    s.wait(5, every=1)
    assert s.open(K.WATER_LEAK) is None
    ended = only(s.ended(K.WATER_LEAK))
    assert ended.end_reason is EndReason.CLEARED
    assert ended.start == finding.start
    assert ended.end is not None
    assert dry + 5 * MINUTE <= ended.end <= dry + 7 * MINUTE


def test_no_leak_sensor_no_leak_finding() -> None:
    s = Stream()
    s.thermostat()
    s.wait(120)
    assert K.WATER_LEAK not in s.started_keys()


# -- short cycling -------------------------------------------------------------------------


def short_cycler() -> Stream:
    s = Stream()
    s.thermostat("heat", None, 21.0, 21.0)
    s.outdoor(5.0)
    s.compressor(False)
    s.wait(3)
    return s


def test_short_cycling_raised_after_window_not_before() -> None:
    s = short_cycler()
    cycle(s, on=3, off=3, count=58)  # ten starts an hour, 3-minute runs, 5.8 h
    assert s.now < T0 + 6 * HOUR
    assert s.open(K.SHORT_CYCLING) is None  # the window has not been observed yet
    cycle(s, on=3, off=3, count=4)

    finding = only(s.raised(K.SHORT_CYCLING))
    assert T0 + 6 * HOUR <= finding.start <= T0 + 6 * HOUR + 6 * MINUTE
    assert finding.severity is Severity.WARNING
    assert finding.guidance is Guidance.DIY
    assert finding.evidence["starts_per_hour"] == pytest.approx(10, abs=0.5)
    assert finding.evidence["median_run_minutes"] == pytest.approx(3)
    assert finding.evidence["window_hours"] == 6


def test_short_cycling_silent_at_two_starts_an_hour() -> None:
    s = short_cycler()
    cycle(s, on=3, off=27, count=24)  # short runs, but only two starts an hour
    assert K.SHORT_CYCLING not in s.started_keys()


def test_short_cycling_silent_at_five_starts_an_hour() -> None:
    s = short_cycler()
    cycle(s, on=3, off=9, count=60)
    assert K.SHORT_CYCLING not in s.started_keys()


def test_short_cycling_clears_with_hysteresis() -> None:
    s = short_cycler()
    cycle(s, on=3, off=3, count=70)
    finding = s.open(K.SHORT_CYCLING)
    assert finding is not None

    # Five starts an hour would not raise it (see above), but do not clear it either.
    cycle(s, on=3, off=9, count=40)
    assert s.open(K.SHORT_CYCLING) is not None
    assert not s.ended(K.SHORT_CYCLING)

    calmer = s.now
    cycle(s, on=50, off=10, count=8)
    ended = only(s.ended(K.SHORT_CYCLING))
    assert ended.end_reason is EndReason.CLEARED
    assert ended.end is not None
    assert calmer + 2 * HOUR <= ended.end <= calmer + 4 * HOUR


# -- nonstop running -----------------------------------------------------------------------


def learned_mild_day(outdoor: float = 5.0) -> Stream:
    """A first day of ordinary cycling at the setpoint, so learning is over."""
    s = Stream()
    s.thermostat("heat", None, 21.0, 21.0)
    s.outdoor(outdoor)
    s.compressor(False)
    cycle(s, on=30, off=30, count=24)
    assert s.now == T0 + DAY
    return s


def test_nonstop_running_raised_after_eight_hours_off_setpoint() -> None:
    s = learned_mild_day()
    s.thermostat("heat", None, 21.0, 19.0)
    run = s.now
    s.compressor(True)
    s.wait(8 * 60 + 25)
    assert s.open(K.NONSTOP_RUNNING) is None
    s.wait(15)

    finding = only(s.raised(K.NONSTOP_RUNNING))
    assert run + 8.5 * HOUR <= finding.start <= run + 8.5 * HOUR + 5 * MINUTE
    assert finding.severity is Severity.WARNING
    assert finding.guidance is Guidance.DIY
    assert 8.0 <= finding.evidence["run_hours"] <= 8.6
    assert finding.evidence["off_setpoint"] == pytest.approx(2.0)
    assert finding.evidence["outdoor_temperature"] == pytest.approx(5.0)

    held = s.now
    s.thermostat("heat", None, 21.0, 21.0)
    s.wait(55)
    assert s.open(K.NONSTOP_RUNNING) is not None
    s.wait(15)
    ended = only(s.ended(K.NONSTOP_RUNNING))
    assert ended.end_reason is EndReason.CLEARED
    assert ended.end is not None
    assert ended.end >= held + HOUR


def test_daily_runtime_matches_the_runs() -> None:
    s = learned_mild_day()
    s.wait(5)
    record = s.engine.state.history.days[-1]
    assert s.engine.totals().runtime_hours == pytest.approx(12.0)
    assert record.runtime_hours == pytest.approx(12.0, abs=0.1)


def test_nonstop_running_silent_at_design_cold() -> None:
    s = learned_mild_day()
    s.outdoor(-15.0)
    s.thermostat("heat", None, 21.0, 19.0)
    s.compressor(True)
    s.wait(12 * 60)
    assert K.NONSTOP_RUNNING not in s.started_keys()


def test_nonstop_running_silent_when_setpoint_held() -> None:
    s = learned_mild_day()
    s.thermostat("heat", None, 21.0, 20.5)
    s.compressor(True)
    s.wait(12 * 60)
    assert K.NONSTOP_RUNNING not in s.started_keys()


def test_nonstop_running_waits_for_learning() -> None:
    s = Stream()
    s.thermostat("heat", None, 21.0, 19.0)
    s.outdoor(5.0)
    s.compressor(True)
    s.wait(23 * 60 + 55, every=15)
    assert K.NONSTOP_RUNNING not in s.started_keys()
    s.wait(60)
    finding = only(s.raised(K.NONSTOP_RUNNING))
    assert T0 + DAY + 30 * MINUTE <= finding.start <= T0 + DAY + 40 * MINUTE


def sized_for_mild_weather() -> Stream:
    """A day of holding the setpoint: flat out at 0 °C, at 80 % power at 4 °C, half at 8 °C."""
    s = Stream()
    s.thermostat("heat", None, 21.0, 21.0)
    s.compressor(True)
    s.power(2000.0)
    s.outdoor(0.0)
    s.wait(8 * 60)
    s.outdoor(4.0)
    s.power(1600.0)
    s.wait(8 * 60)
    s.outdoor(8.0)
    s.power(1000.0)
    s.wait(8 * 60)
    assert s.engine.state.load_baseline.peak() == pytest.approx(2000.0)
    return s


@pytest.mark.parametrize(
    ("outdoor", "power", "room", "raised"),
    [
        (0.0, 2000.0, 19.5, False),  # at capacity: 1.5 K off is the weather, not a fault
        (0.0, 2000.0, 18.5, False),
        (0.0, 2000.0, 17.5, True),  # but 3.5 K off is more than the weather
        (4.0, 2000.0, 19.5, False),  # near capacity: 1.5 K off is not enough
        (4.0, 2000.0, 18.5, True),
        (8.0, 2000.0, 19.5, True),  # half its power used to be enough here
    ],
)
def test_nonstop_running_judged_by_how_hard_the_unit_worked_to_keep_up(
    outdoor: float, power: float, room: float, raised: bool
) -> None:
    s = sized_for_mild_weather()
    s.outdoor(outdoor)
    s.power(power)
    s.thermostat("heat", None, 21.0, room)
    s.wait(12 * 60)
    assert (K.NONSTOP_RUNNING in s.started_keys()) is raised


def test_nonstop_running_silent_while_the_room_recovers() -> None:
    s = learned_mild_day()
    s.compressor(True)
    for hour in range(12):
        s.thermostat("heat", None, 21.0, 16.0 + 0.2 * hour)
        s.wait(60)
    assert K.NONSTOP_RUNNING not in s.started_keys()
    s.wait(4 * 60)  # the room stops coming closer, 2.8 K short
    assert s.raised(K.NONSTOP_RUNNING)


# -- power interrupted ---------------------------------------------------------------------


def learned_standby(*, running_first: bool = False) -> Stream:
    """A day of 15 W standby and 1200 W running, the room at its setpoint."""
    s = Stream()
    s.thermostat("heat", None, 21.0, 21.0)
    s.outdoor(5.0)
    levels = (1200.0, 15.0) if running_first else (15.0, 1200.0)
    for _ in range(25):
        for watts in levels:
            s.power(watts)
            s.wait(30, every=10)
    return s


def test_power_interrupted_warns_then_escalates_on_a_second_outage() -> None:
    """A second outage in a day is a breaker that tripped again: urgent once the room falls short.

    While the room holds its setpoint nothing but a water leak is critical or an emergency.
    """
    s = learned_standby()
    assert K.POWER_INTERRUPTED not in s.started_keys()
    s.thermostat("heat", "heating", 21.0, 21.0)

    out = s.now
    s.power(0.0)
    s.wait(5, every=1)
    assert s.open(K.POWER_INTERRUPTED) is None
    s.wait(2, every=1)
    first = only(s.raised(K.POWER_INTERRUPTED))
    assert out + 5 * MINUTE <= first.start <= out + 6 * MINUTE
    assert first.severity is Severity.WARNING
    assert first.guidance is Guidance.DIY
    assert first.evidence["power"] == 0
    assert first.evidence["interruptions_last_day"] == 1

    s.wait(20)
    back = s.now
    s.power(15.0)
    s.wait(30, every=1)
    ended = only(s.ended(K.POWER_INTERRUPTED))
    assert ended.end_reason is EndReason.CLEARED
    assert ended.end is not None
    assert back + 10 * MINUTE <= ended.end <= back + 12 * MINUTE

    s.wait(3 * 60)
    s.power(0.0)
    s.wait(10, every=1)
    second = s.raised(K.POWER_INTERRUPTED)[-1]
    assert second.start > back
    assert second.evidence["interruptions_last_day"] == 2
    assert (second.severity, second.guidance) == (Severity.WARNING, Guidance.PROFESSIONAL)

    s.thermostat("heat", "heating", 21.0, 19.5)  # the room falls short: now it is urgent
    s.wait(2, every=1)
    worse = [c for c in s.changes if c.key is K.POWER_INTERRUPTED and c.end is None][-1]
    assert worse.start == second.start
    assert (worse.severity, worse.guidance) == (Severity.CRITICAL, Guidance.EMERGENCY)
    s.thermostat("heat", "heating", 21.0, 20.5)  # back within 1 K: no longer urgent
    s.wait(2, every=1)
    shown = only([f for f in s.engine.findings if f.key is K.POWER_INTERRUPTED])
    assert (shown.severity, shown.guidance) == (Severity.WARNING, Guidance.PROFESSIONAL)


def test_power_interrupted_silent_on_standby_when_first_seen_running() -> None:
    s = learned_standby(running_first=True)
    s.power(15.0)
    s.wait(120)
    assert K.POWER_INTERRUPTED not in s.started_keys()


def test_power_interrupted_escalates_when_the_breaker_trips_again_at_once() -> None:
    s = learned_standby()
    s.thermostat("heat", "heating", 21.0, 19.5)  # the room falls short: urgent once it trips again
    s.power(0.0)
    s.wait(10, every=1)
    first = only(s.raised(K.POWER_INTERRUPTED))
    s.power(15.0)  # reset: power for two minutes, then gone again
    s.wait(2, every=1)
    s.power(0.0)
    s.wait(10, every=1)

    assert only(s.raised(K.POWER_INTERRUPTED)) == first  # the same finding, still open
    escalated = only(s.escalations(K.POWER_INTERRUPTED))
    assert escalated.start == first.start
    assert escalated.severity is Severity.CRITICAL
    assert escalated.guidance is Guidance.EMERGENCY
    assert not s.ended(K.POWER_INTERRUPTED)


def test_power_interrupted_silent_when_switched_off() -> None:
    s = learned_standby()
    s.thermostat("off", "off", 21.0, 21.0)
    s.power(0.0)
    s.wait(120)
    assert K.POWER_INTERRUPTED not in s.started_keys()


def test_power_interrupted_needs_standby_or_demand_while_learning() -> None:
    s = Stream()
    s.thermostat("heat", None, 21.0, 21.0)
    s.power(15.0)
    s.wait(60)
    s.power(0.0)  # nothing learned and no demand: cannot tell an outage from a unit at rest
    s.wait(60)
    assert K.POWER_INTERRUPTED not in s.started_keys()

    s.thermostat("heat", None, 21.0, 19.0)  # the room calls for heat
    s.wait(10)
    finding = only(s.raised(K.POWER_INTERRUPTED))
    assert finding.confidence < 1


# -- not heating / not cooling -------------------------------------------------------------


@pytest.mark.parametrize(
    ("room", "outdoor", "guidance"),
    [
        (19.0, 5.0, Guidance.PROFESSIONAL),
        (11.0, 5.0, Guidance.EMERGENCY),
        (19.0, -15.0, Guidance.EMERGENCY),
    ],
)
def test_not_heating_after_an_hour_without_running(
    room: float, outdoor: float, guidance: Guidance
) -> None:
    s = Stream()
    s.outdoor(outdoor)
    s.compressor(False)
    s.thermostat("heat", "idle", 21.0, room)
    cold = s.now
    s.wait(60, every=1)
    assert s.open(K.NOT_HEATING) is None
    s.wait(3, every=1)

    finding = only(s.raised(K.NOT_HEATING))
    assert cold + HOUR <= finding.start <= cold + HOUR + 2 * MINUTE
    assert finding.severity is Severity.CRITICAL
    assert finding.guidance is guidance
    assert finding.evidence["reason"] == "not_running"
    assert finding.evidence["off_setpoint"] == pytest.approx(21.0 - room)
    assert finding.evidence["indoor_temperature"] == pytest.approx(room)
    assert finding.evidence["outdoor_temperature"] == pytest.approx(outdoor)


def test_not_heating_silent_on_an_unanswered_call_while_the_room_holds() -> None:
    """A call the compressor seems not to answer is no shortfall while the room holds.

    An inverter that never idles, judged not running while its power threshold is unlearned,
    looks like this; so does backup heat carrying the load. Only a measurable shortfall counts.
    """
    s = Stream()
    s.outdoor(-5.0)
    s.compressor(False)
    s.thermostat("heat", "heating", 21.0, 20.8)
    s.wait(180, every=1)
    assert K.NOT_HEATING not in s.started_keys()

    s.thermostat("heat", "heating", 21.0, 19.4)  # 1.6 K short: now it is judged
    calling = s.now
    s.wait(63, every=1)
    finding = only(s.raised(K.NOT_HEATING))
    assert calling + HOUR <= finding.start <= calling + HOUR + 2 * MINUTE
    assert finding.evidence["reason"] == "not_running"
    assert finding.guidance is Guidance.PROFESSIONAL


def test_not_heating_silent_while_the_compressor_answers_the_call() -> None:
    s = Stream()
    s.outdoor(-5.0)
    s.compressor(True)
    s.thermostat("heat", "heating", 21.0, 20.8)
    s.wait(180)
    assert K.NOT_HEATING not in s.started_keys()


def test_not_heating_clears_once_heat_comes() -> None:
    s = Stream()
    s.outdoor(5.0)
    s.compressor(False)
    s.thermostat("heat", "idle", 21.0, 19.0)
    s.wait(90)
    assert s.open(K.NOT_HEATING) is not None

    s.thermostat("heat", "heating", 21.0, 19.0)
    s.compressor(True)
    s.water(35.0, 30.0)
    started = s.now
    s.wait(25)
    assert s.open(K.NOT_HEATING) is not None
    s.wait(60)
    ended = only(s.ended(K.NOT_HEATING))
    assert ended.end_reason is EndReason.CLEARED
    assert ended.end is not None
    assert ended.end >= started + 30 * MINUTE


def test_not_heating_silent_when_room_at_setpoint_or_heat_delivered() -> None:
    idle = Stream()
    idle.outdoor(5.0)
    idle.compressor(False)
    idle.thermostat("heat", "idle", 21.0, 20.0)  # 1 K under: not enough to judge
    idle.wait(180)
    assert K.NOT_HEATING not in idle.started_keys()

    working = heating_unit(outdoor=5.0)
    working.thermostat("heat", "heating", 21.0, 19.0)
    working.wait(180)
    assert K.NOT_HEATING not in working.started_keys()


def test_not_heating_when_running_without_split() -> None:
    s = heating_unit(outdoor=5.0)
    s.thermostat("heat", "heating", 21.0, 19.0)
    s.water(30.2, 30.0)
    s.wait(90)
    finding = only(s.raised(K.NOT_HEATING))
    # steady after 10 minutes, then an hour of sustain
    assert T0 + 70 * MINUTE <= finding.start <= T0 + 80 * MINUTE
    assert finding.evidence["reason"] == "no_split"


@pytest.mark.parametrize(
    ("room", "outdoor", "guidance"),
    [
        (27.0, 30.0, Guidance.PROFESSIONAL),
        (27.0, 38.0, Guidance.EMERGENCY),
        (33.0, 30.0, Guidance.EMERGENCY),
    ],
)
def test_not_cooling_after_an_hour_without_running(
    room: float, outdoor: float, guidance: Guidance
) -> None:
    s = Stream()
    s.outdoor(outdoor)
    s.compressor(False)
    s.thermostat("cool", "idle", 24.0, room)
    hot = s.now
    s.wait(60, every=1)
    assert s.open(K.NOT_COOLING) is None
    s.wait(3, every=1)

    finding = only(s.raised(K.NOT_COOLING))
    assert hot + HOUR <= finding.start <= hot + HOUR + 2 * MINUTE
    assert finding.severity is Severity.CRITICAL
    assert finding.guidance is guidance
    assert finding.evidence["off_setpoint"] == pytest.approx(room - 24.0)
    assert K.NOT_HEATING not in s.started_keys()


def test_not_cooling_silent_when_cooling_or_room_near_setpoint() -> None:
    near = Stream()
    near.outdoor(30.0)
    near.compressor(False)
    near.thermostat("cool", "idle", 24.0, 25.0)
    near.wait(180)
    assert K.NOT_COOLING not in near.started_keys()

    working = Stream()
    working.outdoor(30.0)
    working.thermostat("cool", "cooling", 24.0, 27.0)
    working.compressor(True)
    working.water(12.0, 20.0)
    working.wait(180)
    assert K.NOT_COOLING not in working.started_keys()


# -- defrost -------------------------------------------------------------------------------


def test_defrost_too_long_from_the_median_of_three() -> None:
    s = heating_unit()
    s.defrost(False)
    defrost_cycles(s, heat=60, defrost=20, count=2)
    s.wait(30)
    assert s.open(K.DEFROST_TOO_LONG) is None  # two defrosts are not a pattern
    defrost_cycles(s, heat=30, defrost=20, count=1)
    third_end = s.now
    s.wait(10)

    finding = only(s.raised(K.DEFROST_TOO_LONG))
    assert third_end <= finding.start <= third_end + 5 * MINUTE
    assert finding.severity is Severity.WARNING
    assert finding.guidance is Guidance.PROFESSIONAL
    assert finding.evidence["defrost_minutes"] == pytest.approx(20)
    assert finding.evidence["limit_minutes"] == 15

    defrost_cycles(s, heat=60, defrost=5, count=1)
    assert s.open(K.DEFROST_TOO_LONG) is not None  # median of 20, 20, 5
    defrost_cycles(s, heat=60, defrost=5, count=1)
    normal = s.now
    s.wait(55)
    assert s.open(K.DEFROST_TOO_LONG) is not None
    s.wait(15)
    ended = only(s.ended(K.DEFROST_TOO_LONG))
    assert ended.end_reason is EndReason.CLEARED
    assert ended.end is not None
    assert normal + HOUR <= ended.end <= normal + HOUR + 10 * MINUTE


def test_defrost_too_long_raised_during_one_endless_defrost() -> None:
    s = heating_unit()
    s.defrost(False)
    s.wait(60)
    began = s.now
    s.defrost(True)
    s.wait(40, every=1)
    finding = only(s.raised(K.DEFROST_TOO_LONG))
    assert began + 30 * MINUTE < finding.start <= began + 32 * MINUTE


def test_defrost_too_long_silent_for_short_defrosts() -> None:
    s = heating_unit()
    s.defrost(False)
    defrost_cycles(s, heat=55, defrost=5, count=12)
    assert K.DEFROST_TOO_LONG not in s.started_keys()
    assert K.DEFROST_TOO_FREQUENT not in s.started_keys()


def test_defrost_too_long_goes_stale_after_the_heating_season() -> None:
    s = heating_unit()
    s.defrost(False)
    defrost_cycles(s, heat=60, defrost=20, count=3)
    last_end = s.now
    s.wait(10)
    assert s.open(K.DEFROST_TOO_LONG) is not None

    # Spring: the unit stops heating and never defrosts again.
    s.outdoor(16.0)
    s.thermostat("off", "off", 21.0, 21.0)
    s.compressor(False)
    s.wait(4 * 24 * 60, every=60)
    assert s.open(K.DEFROST_TOO_LONG) is not None  # nothing to contradict it yet
    s.wait(2 * 24 * 60, every=60)
    ended = only(s.ended(K.DEFROST_TOO_LONG))
    assert ended.end_reason is EndReason.STALE
    assert ended.end is not None
    # unknown two days after the last defrost, stale three days after that
    assert last_end + 5 * DAY <= ended.end <= last_end + 5 * DAY + 2 * HOUR


def test_defrost_too_frequent_after_six_short_spacings_and_an_hour() -> None:
    s = heating_unit()
    s.defrost(False)
    starts = defrost_cycles(s, heat=15, defrost=5, count=12)  # one every 20 minutes of runtime

    seventh = starts[6]  # the sixth spacing is known once the seventh defrost starts
    finding = only(s.raised(K.DEFROST_TOO_FREQUENT))
    assert seventh + HOUR <= finding.start <= seventh + HOUR + 5 * MINUTE
    assert finding.severity is Severity.WARNING
    assert finding.guidance is Guidance.DIY
    assert finding.evidence["runtime_between_defrosts_minutes"] == pytest.approx(20)
    assert finding.evidence["outdoor_temperature"] == 0


def test_defrost_too_frequent_silent_at_normal_spacing() -> None:
    s = heating_unit()
    s.defrost(False)
    defrost_cycles(s, heat=23, defrost=5, count=20)  # 28 min apart: above the 25 min limit
    assert K.DEFROST_TOO_FREQUENT not in s.started_keys()


def test_defrost_too_frequent_clears_with_hysteresis() -> None:
    s = heating_unit()
    s.defrost(False)
    defrost_cycles(s, heat=15, defrost=5, count=12)
    assert s.open(K.DEFROST_TOO_FREQUENT) is not None

    defrost_cycles(s, heat=23, defrost=5, count=15)  # 28 min: silent when fresh, not a clear
    assert s.open(K.DEFROST_TOO_FREQUENT) is not None

    calmer = s.now
    defrost_cycles(s, heat=55, defrost=5, count=8)
    ended = only(s.ended(K.DEFROST_TOO_FREQUENT))
    assert ended.end_reason is EndReason.CLEARED
    assert ended.end is not None
    assert ended.end >= calmer + 2 * HOUR


def icing_day() -> Stream:
    """A first day at 0 °C, defrosting once per hour of heating."""
    s = heating_unit(outdoor=0.0)
    s.defrost(False)
    defrost_cycles(s, heat=55, defrost=5, count=24)
    assert s.now == T0 + DAY
    return s


def test_defrost_missing_when_split_falls_for_hours_without_defrost() -> None:
    s = icing_day()
    assert K.DEFROST_MISSING not in s.started_keys()
    last_defrost = s.now
    for hour in range(8):
        # the coil ices: the split holds for an hour, then falls 0.5 K an hour
        split = 5.0 - 0.5 * max(0, hour - 1)
        s.water(30.0 + split, 30.0)
        s.wait(60)

    finding = only(s.raised(K.DEFROST_MISSING))
    # the hourly splits of the last two hours (3.5 and 3 K) fall below 70 % of the normal 5 K
    # once the sixth hour closes, then it is sustained for half an hour
    assert last_defrost + 6.5 * HOUR <= finding.start <= last_defrost + 6.5 * HOUR + 5 * MINUTE
    assert finding.severity is Severity.WARNING
    assert finding.guidance is Guidance.PROFESSIONAL
    assert finding.evidence["usual_runtime_between_defrosts_minutes"] == 60
    assert finding.evidence["normal_split"] == pytest.approx(5.0)
    assert finding.evidence["split"] == pytest.approx(3.2, abs=0.1)
    assert finding.evidence["outdoor_temperature"] == 0

    defrost_cycles(s, heat=0, defrost=5, count=1)  # it defrosts at last: no clear window
    ended = only(s.ended(K.DEFROST_MISSING))
    assert ended.end_reason is EndReason.CLEARED
    assert ended.end is not None
    assert ended.end <= s.now


def test_defrost_missing_silent_when_the_weather_lowers_the_split() -> None:
    """A split that falls because it got colder is judged against the normal split there."""
    s = icing_day()
    s.outdoor(-8.0)
    s.water(33.0, 30.0)  # 3 K is this unit's normal split at -8 °C
    defrost_cycles(s, heat=55, defrost=5, count=24)
    s.outdoor(0.0)
    s.water(35.0, 30.0)
    defrost_cycles(s, heat=55, defrost=5, count=2)
    for hour in range(8):
        # after the last defrost at 0 °C (5 K), it turns colder and the split follows
        s.outdoor(-1.0 * min(8, 2 * hour))
        s.water(30.0 + 5.0 - 0.25 * min(8, 2 * hour), 30.0)
        s.wait(60)
    assert K.DEFROST_MISSING not in s.started_keys()


def test_defrost_missing_silent_while_capacity_holds() -> None:
    s = icing_day()
    s.wait(8 * 60)
    assert K.DEFROST_MISSING not in s.started_keys()


def test_defrost_missing_silent_above_icing_weather() -> None:
    s = icing_day()
    s.outdoor(10.0)
    for hour in range(8):
        s.water(35.0 - 0.5 * hour, 30.0)
        s.wait(60)
    assert K.DEFROST_MISSING not in s.started_keys()


def test_defrost_missing_silent_while_learning() -> None:
    s = heating_unit(outdoor=0.0)
    s.defrost(False)
    defrost_cycles(s, heat=30, defrost=5, count=1)
    for hour in range(10):
        s.water(35.0 - 0.5 * hour, 30.0)
        s.wait(60)
    assert s.now < T0 + DAY
    assert K.DEFROST_MISSING not in s.started_keys()


def test_defrost_inferred_from_supply_below_return() -> None:
    s = heating_unit(outdoor=0.0)
    s.wait(60)
    assert s.engine.totals().defrost_count is None  # no defrost signal, none seen yet
    for _ in range(3):
        s.water(25.0, 30.0)  # the indoor coil turns cold: a reverse-cycle defrost
        s.wait(5)
        s.water(35.0, 30.0)
        s.wait(55)

    totals = s.engine.totals()
    assert totals.defrost_count == 3
    assert totals.defrost_minutes_avg == pytest.approx(5)
    assert s.engine.snapshot().defrosts_today == 3


def test_no_defrost_inferred_while_cooling() -> None:
    s = Stream()
    s.outdoor(30.0)
    s.thermostat("cool", "cooling", 24.0, 25.0)
    s.compressor(True)
    s.water(12.0, 20.0)
    s.wait(180)
    assert s.engine.totals().defrost_count is None


# -- temperature split ---------------------------------------------------------------------


def learned_split(power: float | None = None) -> Stream:
    """Two days of steady running with a 5 K split, at about +5 °C (at `power`, if given)."""
    s = heating_unit(outdoor=5.0)
    if power is not None:
        s.power(power)
    steady_hours(s, 48, split=5.0)
    assert s.now == T0 + 2 * DAY
    assert not s.started_keys() & {K.WEAK_AIRFLOW, K.LOW_TEMPERATURE_SPLIT}
    return s


def test_weak_airflow_raised_on_a_high_split_and_cleared_with_hysteresis() -> None:
    s = learned_split()
    change = s.now
    steady_hours(s, 2, split=8.5)
    s.wait(55, every=5)
    assert s.open(K.WEAK_AIRFLOW) is None
    steady_hours(s, 1, split=8.5)

    finding = only(s.raised(K.WEAK_AIRFLOW))
    # two hourly samples make the median of the window, then an hour of sustain
    assert change + 3 * HOUR <= finding.start <= change + 3 * HOUR + 15 * MINUTE
    assert finding.severity is Severity.WARNING
    assert finding.guidance is Guidance.DIY
    assert finding.evidence["split"] == pytest.approx(8.5)
    assert finding.evidence["normal_split"] == pytest.approx(5.0)
    assert K.LOW_TEMPERATURE_SPLIT not in s.started_keys()

    steady_hours(s, 6, split=6.0)  # 20 % above normal: would not raise, does not clear
    assert s.open(K.WEAK_AIRFLOW) is not None
    normal = s.now
    steady_hours(s, 6, split=5.0)
    ended = only(s.ended(K.WEAK_AIRFLOW))
    assert ended.end_reason is EndReason.CLEARED
    assert ended.end is not None
    assert ended.end >= normal + 2 * HOUR


def test_weak_airflow_silent_on_a_slightly_higher_split() -> None:
    s = learned_split()
    steady_hours(s, 8, split=6.0)
    assert not s.started_keys() & {K.WEAK_AIRFLOW, K.LOW_TEMPERATURE_SPLIT}


def test_low_temperature_split_raised_on_a_low_split() -> None:
    s = learned_split()
    change = s.now
    steady_hours(s, 5, split=3.0)
    finding = only(s.raised(K.LOW_TEMPERATURE_SPLIT))
    assert change + 3 * HOUR <= finding.start <= change + 3 * HOUR + 15 * MINUTE
    assert finding.severity is Severity.WARNING
    assert finding.guidance is Guidance.PROFESSIONAL
    assert finding.evidence["split"] == pytest.approx(3.0)
    assert finding.evidence["normal_split"] == pytest.approx(5.0)
    assert K.WEAK_AIRFLOW not in s.started_keys()


def test_weak_airflow_on_day_one_against_typical_units() -> None:
    """A dirty filter there when the monitor was installed: a 33 K rise on an air unit."""
    s = Stream()
    s.thermostat("heat", "heating", 21.0, 21.0)
    s.outdoor(5.0)
    s.compressor(True)
    for hour in range(6):
        wobble = 0.1 * (hour % 2)
        s.water(53.0 + wobble, 20.0 + wobble)  # supply air 53 °C, room air back at 20 °C
        s.wait(60, every=15)
    finding = only(s.raised(K.WEAK_AIRFLOW))
    assert finding.evidence["reference"] == "typical"
    assert finding.evidence["normal_split"] == 25.0
    assert finding.confidence <= 0.6
    assert finding.severity is Severity.WARNING


def test_full_load_in_the_cold_is_not_judged_against_a_mild_normal() -> None:
    """8 K at full power a little colder is no fault where 5 K was learned at part load."""
    s = learned_split(power=800.0)
    s.power(2600.0)  # compressor near its maximum
    steady_hours(s, 8, split=8.0, outdoor=3.0)
    assert K.WEAK_AIRFLOW not in s.started_keys()


def test_low_temperature_split_silent_on_a_slightly_lower_split() -> None:
    s = learned_split()
    steady_hours(s, 8, split=4.2)
    assert not s.started_keys() & {K.WEAK_AIRFLOW, K.LOW_TEMPERATURE_SPLIT}


def test_split_findings_silent_while_learning() -> None:
    s = heating_unit(outdoor=5.0)
    steady_hours(s, 2, split=5.0)
    steady_hours(s, 3, split=9.0)  # fewer hours than a baseline needs: nothing to judge
    assert not s.engine.state.splits
    assert not s.started_keys() & {K.WEAK_AIRFLOW, K.LOW_TEMPERATURE_SPLIT}


def test_service_resets_the_split_baseline_and_ends_its_finding() -> None:
    s = learned_split()
    steady_hours(s, 4, split=8.5)
    assert s.open(K.WEAK_AIRFLOW) is not None

    s.maintain(Maintenance.SERVICE)
    ended = only(s.ended(K.WEAK_AIRFLOW))
    assert ended.end_reason is EndReason.RESOLVED
    assert ended.end == s.now
    memory = s.engine.state.memories.get(K.WEAK_AIRFLOW)
    assert memory is None or (isinstance(memory, SplitMemory) and not memory.normals)

    steady_hours(s, 12, split=8.5)  # the repaired unit's split is its new normal
    assert len(s.raised(K.WEAK_AIRFLOW)) == 1


# -- efficiency ----------------------------------------------------------------------------


def efficient_day() -> Stream:
    """A day of steady heating at COP 3.5 around +5 °C."""
    s = heating_unit(outdoor=5.0)
    s.power(1000.0)
    s.heat_output(3500.0)
    steady_hours(s, 24, split=5.0)
    return s


def test_efficiency_drop_raised_when_cop_falls_a_quarter() -> None:
    s = efficient_day()
    assert K.EFFICIENCY_DROP not in s.started_keys()
    drop = s.now
    s.heat_output(2625.0)
    steady_hours(s, 36, split=5.0)

    finding = only(s.raised(K.EFFICIENCY_DROP))
    assert drop < finding.start <= drop + 36 * HOUR
    assert finding.severity is Severity.WARNING
    assert finding.guidance is Guidance.PROFESSIONAL
    assert finding.evidence["drop_percent"] == 25
    assert finding.evidence["expected_cop"] == pytest.approx(3.5)
    assert finding.evidence["hours"] >= 12


def test_efficiency_drop_waits_for_a_baseline_and_enough_hours() -> None:
    s = heating_unit(outdoor=5.0)
    s.power(1000.0)
    s.heat_output(3500.0)
    steady_hours(s, 6, split=5.0)  # the hours that make the COP baseline
    s.heat_output(2000.0)
    steady_hours(s, 6, split=5.0)
    assert K.EFFICIENCY_DROP not in s.started_keys()  # six judged hours are not enough
    steady_hours(s, 12, split=5.0)
    finding = only(s.raised(K.EFFICIENCY_DROP))
    assert finding.start >= T0 + 17 * HOUR
    assert finding.evidence["drop_percent"] == 43


def test_efficiency_drop_silent_at_steady_cop() -> None:
    s = efficient_day()
    s.heat_output(3300.0)  # 6 % down: within normal
    steady_hours(s, 36, split=5.0)
    assert K.EFFICIENCY_DROP not in s.started_keys()


def cop_baseline(stream: Stream) -> BinnedBaseline:
    """The COP baseline, which efficiency_drop keeps in its memory."""
    return stream.engine.state.memory(K.EFFICIENCY_DROP, EfficiencyMemory).baseline


def test_service_resets_the_cop_baseline_and_ends_efficiency_drop() -> None:
    s = efficient_day()
    s.heat_output(2625.0)
    steady_hours(s, 36, split=5.0)
    assert s.open(K.EFFICIENCY_DROP) is not None

    s.maintain(Maintenance.SERVICE)
    ended = only(s.ended(K.EFFICIENCY_DROP))
    assert ended.end_reason is EndReason.RESOLVED
    assert ended.end == s.now
    assert cop_baseline(s).expected(5.0) is None
    steady_hours(s, 24, split=5.0)
    assert len(s.raised(K.EFFICIENCY_DROP)) == 1


def test_filter_change_keeps_the_baselines() -> None:
    s = efficient_day()
    s.maintain(Maintenance.FILTER)
    assert cop_baseline(s).expected(5.0) == pytest.approx(3.5)


# -- runaway energy ------------------------------------------------------------------------

# Days until the energy baseline is fitted, then a full window of judged days.
NORMAL_DAYS = MIN_ENERGY_DAYS + ENERGY_DAYS

OUTDOOR_DAYS = [2.0, 8.0, -3.0, 5.0, 10.0, 0.0, 6.0, -5.0, 3.0, 9.0, 1.0, 7.0, -2.0, 4.0, 11.0]


def normal_kwh(outdoor: float) -> float:
    """Daily use following heating degree-days (base 15.5 °C)."""
    return 4.0 + 1.5 * max(0.0, 15.5 - outdoor)


def energy_days(
    s: Stream, first: int, count: int, factor: float = 1.0, reset_on: int | None = None
) -> float:
    """Days of use on an energy counter; returns the kWh used."""
    used = 0.0
    for day in range(first, first + count):
        outdoor = OUTDOOR_DAYS[day % len(OUTDOOR_DAYS)]
        kwh = factor * normal_kwh(outdoor)
        used += kwh
        s.outdoor(outdoor)
        counter = s.values[Role.ENERGY]
        assert isinstance(counter, float)
        s.energy(counter, kw=kwh / 24)
        if day == reset_on:
            s.wait(12 * 60, every=60)
            s.energy(0.0, kw=kwh / 24)  # the meter restarts from zero
            s.wait(12 * 60, every=60)
        else:
            s.wait(24 * 60, every=60)
    return used


def test_runaway_energy_raised_within_three_days_of_a_jump() -> None:
    s = Stream()
    s.energy(0.0)
    used = energy_days(s, 0, NORMAL_DAYS, reset_on=9)
    assert K.RUNAWAY_ENERGY not in s.started_keys()  # the counter reset did not look like use
    assert s.engine.totals().energy_kwh == pytest.approx(used, rel=1e-6)

    jump = s.now
    used += energy_days(s, NORMAL_DAYS, 3, factor=1.6)
    finding = only(s.raised(K.RUNAWAY_ENERGY))
    assert jump < finding.start <= jump + 3 * DAY
    assert finding.severity is Severity.WARNING
    assert finding.guidance is Guidance.DIY
    assert finding.evidence["days"] == ENERGY_DAYS
    assert finding.evidence["excess_percent"] >= 30
    assert s.engine.totals().energy_kwh == pytest.approx(used, rel=1e-6)

    back = s.now
    energy_days(s, NORMAL_DAYS + 3, ENERGY_DAYS)  # normal use again
    ended = only(s.ended(K.RUNAWAY_ENERGY))
    assert ended.end_reason is EndReason.CLEARED
    assert ended.end is not None
    # hysteresis: one day back to normal still leaves the window well above half the limit
    assert back + 2 * DAY <= ended.end <= back + ENERGY_DAYS * DAY


def test_runaway_energy_silent_when_use_follows_the_weather() -> None:
    s = Stream()
    s.energy(0.0)
    energy_days(s, 0, NORMAL_DAYS + 10)
    assert K.RUNAWAY_ENERGY not in s.started_keys()
    records = list(s.engine.state.history.days)
    judged = [record for record in records if record.expected_kwh is not None]
    assert len(judged) >= 10
    for record in judged:
        assert record.energy_kwh == pytest.approx(record.expected_kwh, rel=0.15)


def test_runaway_energy_silent_within_the_units_own_noise() -> None:
    """A unit whose days swing ±20 % is not flagged for a week 32 % up; a steady one would be."""
    s = Stream()
    s.energy(0.0)
    for day in range(NORMAL_DAYS + 5):
        energy_days(s, day, 1, factor=1.2 if day % 2 else 0.8)
    assert K.RUNAWAY_ENERGY not in s.started_keys()
    energy_days(s, NORMAL_DAYS + 5, ENERGY_DAYS, factor=1.32)
    records = list(s.engine.state.history.days)[-ENERGY_DAYS:]
    used = sum(record.energy_kwh or 0.0 for record in records)
    expected = sum(record.expected_kwh or 0.0 for record in records)
    assert used / expected - 1 >= s.engine.config.runaway_energy_percent / 100
    assert K.RUNAWAY_ENERGY not in s.started_keys()


def test_runaway_energy_not_judged_in_weather_harsher_than_any_learned() -> None:
    """Energy grows faster than any fit in a first deep cold snap: it is learned, not judged."""
    s = Stream()
    s.energy(0.0)
    energy_days(s, 0, NORMAL_DAYS)
    for _ in range(ENERGY_DAYS):
        kwh = 1.6 * normal_kwh(-15.0)
        s.outdoor(-15.0)
        counter = s.values[Role.ENERGY]
        assert isinstance(counter, float)
        s.energy(counter, kw=kwh / 24)
        s.wait(24 * 60, every=60)
    cold = list(s.engine.state.history.days)[-ENERGY_DAYS:]
    # until enough such days are learned, none is judged
    assert all(record.expected_kwh is None for record in cold[:MIN_NEARBY_DAYS])
    assert K.RUNAWAY_ENERGY not in s.started_keys()


def test_days_with_the_thermostat_off_are_neither_learned_nor_judged() -> None:
    """Heating switched off (or on again) changes use for reasons that are not the unit's."""
    s = Stream()
    s.energy(0.0)
    s.thermostat("heat")
    energy_days(s, 0, NORMAL_DAYS)
    learned = len(s.engine.state.energy_baseline.days)
    s.thermostat("off")
    energy_days(s, NORMAL_DAYS, 2, factor=0.1)
    s.thermostat("heat")
    energy_days(s, NORMAL_DAYS + 2, 1)

    off_days = list(s.engine.state.history.days)[-3:-1]
    assert all(record.off_hours > 20 and record.expected_kwh is None for record in off_days)
    assert len(s.engine.state.energy_baseline.days) == learned + 1
    assert list(s.engine.state.history.days)[-1].expected_kwh is not None


def test_runaway_energy_ignores_a_replaced_meter() -> None:
    s = Stream()
    s.energy(0.0)
    used = energy_days(s, 0, 18)
    s.energy(50_000.0, kw=1.0)  # a new meter that starts at a high reading
    s.wait(60, every=60)
    used += 1.0
    assert s.engine.totals().energy_kwh == pytest.approx(used, rel=1e-6)
    assert K.RUNAWAY_ENERGY not in s.started_keys()


# -- aux heat ------------------------------------------------------------------------------


def aux_unit(outdoor: float) -> Stream:
    s = heating_unit(outdoor=outdoor)
    s.aux(False)
    s.wait(60)
    return s


def test_aux_heat_overuse_in_mild_weather() -> None:
    s = aux_unit(8.0)
    on = s.now
    s.aux(True)
    s.wait(55)
    assert s.open(K.AUX_HEAT_OVERUSE) is None
    s.wait(65)
    finding = only(s.raised(K.AUX_HEAT_OVERUSE))
    assert on + HOUR <= finding.start <= on + HOUR + 5 * MINUTE
    assert finding.severity is Severity.WARNING
    assert finding.guidance is Guidance.DIY
    assert finding.evidence["outdoor_temperature"] == 8
    assert finding.evidence["lockout_temperature"] == 2
    assert finding.evidence["inferred"] is False

    off = s.now
    s.aux(False)
    s.wait(12 * 60, every=15)
    assert s.open(K.AUX_HEAT_OVERUSE) is not None  # two hours in the last day
    s.wait(16 * 60, every=15)
    ended = only(s.ended(K.AUX_HEAT_OVERUSE))
    assert ended.end_reason is EndReason.CLEARED
    assert ended.end is not None
    assert off + DAY - 2 * HOUR <= ended.end <= off + DAY + 3 * HOUR


def test_aux_heat_silent_in_the_cold() -> None:
    s = aux_unit(-10.0)
    s.aux(True)
    s.wait(4 * 60)
    assert K.AUX_HEAT_OVERUSE not in s.started_keys()


def test_aux_heat_during_and_just_after_defrost_not_counted() -> None:
    s = aux_unit(3.0)
    s.defrost(False)
    for _ in range(8):
        s.defrost(True)
        s.aux(True)
        s.wait(10)
        s.defrost(False)
        s.wait(5)  # recovering from the defrost
        s.aux(False)
        s.wait(45)
    state = s.engine.state
    assert state.day.aux_seconds + state.hour.aux_seconds >= 2 * HOUR  # aux did run
    assert K.AUX_HEAT_OVERUSE not in s.started_keys()


# -- sensor faults -------------------------------------------------------------------------


def watched_unit() -> Stream:
    s = Stream()
    s.thermostat("heat", None, 21.0, 21.0)
    s.outdoor(5.0)
    s.power(15.0)
    s.wait(60)
    return s


def test_sensor_fault_on_an_impossible_reading() -> None:
    s = watched_unit()
    bad = s.now
    s.outdoor(85.0)
    s.wait(15, every=1)
    assert s.open(K.SENSOR_FAULT) is None
    s.wait(2, every=1)
    finding = only(s.raised(K.SENSOR_FAULT))
    assert bad + 15 * MINUTE <= finding.start <= bad + 17 * MINUTE
    assert finding.severity is Severity.WARNING
    assert finding.guidance is Guidance.DIY
    assert finding.evidence == {
        "sensor": "outdoor_temperature",
        "problem": "impossible",
        "value": 85.0,
    }

    good = s.now
    s.outdoor(5.0)
    s.wait(29, every=1)
    assert s.open(K.SENSOR_FAULT) is not None
    s.wait(3, every=1)
    ended = only(s.ended(K.SENSOR_FAULT))
    assert ended.end_reason is EndReason.CLEARED
    assert ended.end is not None
    assert good + 30 * MINUTE <= ended.end <= good + 32 * MINUTE


def test_sensor_fault_on_a_silent_power_sensor() -> None:
    s = watched_unit()
    last = s.now
    s.silence(Role.POWER)
    s.wait(6 * 60 + 10)
    assert s.open(K.SENSOR_FAULT) is None
    s.wait(15)
    finding = only(s.raised(K.SENSOR_FAULT))
    assert last + 6.25 * HOUR <= finding.start <= last + 6.25 * HOUR + 5 * MINUTE
    assert finding.evidence["sensor"] == "power"
    assert finding.evidence["problem"] == "stale"


def test_sensor_fault_respects_sensor_stale_hours() -> None:
    s = Stream(EngineConfig(sensor_stale_hours=2))
    s.thermostat()
    s.power(15.0)
    s.wait(30)
    s.silence(Role.POWER)
    s.wait(2 * 60 + 30)
    assert only(s.raised(K.SENSOR_FAULT)).evidence["problem"] == "stale"


def test_sensor_fault_on_an_unavailable_power_sensor() -> None:
    s = watched_unit()
    gone = s.now
    s.power(None)
    s.wait(6 * 60 + 10)
    assert s.open(K.SENSOR_FAULT) is None
    s.wait(15)
    finding = only(s.raised(K.SENSOR_FAULT))
    assert gone + 6.25 * HOUR <= finding.start <= gone + 6.25 * HOUR + 5 * MINUTE
    assert finding.evidence["sensor"] == "power"
    assert finding.evidence["problem"] == "unavailable"


def running_unit(outdoor: float) -> Stream:
    """Heating nonstop, with no supply or return sensors."""
    s = Stream()
    s.thermostat("heat", "heating")
    s.outdoor(outdoor)
    s.compressor(True)
    return s


def cycling_unit(outdoor: float) -> Stream:
    """Heating in runs of 40 minutes and pauses of 20, with no supply or return sensors."""
    s = Stream()
    s.thermostat("heat", "heating")
    s.outdoor(outdoor)
    return s


def cycle_hours(s: Stream, hours: int) -> None:
    """Hours of 40-minute runs and 20-minute pauses."""
    for _ in range(hours):
        s.compressor(True)
        s.wait(40, every=10)
        s.compressor(False)
        s.wait(20, every=10)


def test_sensor_fault_on_a_frozen_outdoor_temperature_across_starts_and_stops() -> None:
    s = cycling_unit(5.0)
    cycle_hours(s, 24)
    assert s.open(K.SENSOR_FAULT) is None
    cycle_hours(s, 1)
    finding = only(s.raised(K.SENSOR_FAULT))
    assert T0 + DAY + 15 * MINUTE <= finding.start <= T0 + DAY + 20 * MINUTE
    assert finding.evidence == {"sensor": "outdoor_temperature", "problem": "stuck", "value": 5.0}


def test_no_stuck_sensor_on_a_unit_that_never_stops() -> None:
    """An inverter running all day holds its temperatures steady: no start or stop moved them."""
    s = running_unit(-24.0)
    s.water(35.0, 30.0)
    s.room(21.0)
    s.wait(3 * 24 * 60, every=15)
    assert K.SENSOR_FAULT not in s.started_keys()


def test_no_stuck_sensor_on_a_steady_room() -> None:
    """A thermostat that does its job holds the room steady for days, across starts and stops."""
    s = cycling_unit(5.0)
    s.room(21.0)
    for hour in range(72):
        s.outdoor(5.0 + 0.1 * (hour % 2))
        cycle_hours(s, 1)
    assert K.SENSOR_FAULT not in s.started_keys()


def test_no_sensor_fault_for_a_changing_or_idle_outdoor_reading() -> None:
    moving = running_unit(5.0)
    for hour in range(30):
        moving.outdoor(5.0 + 0.1 * (hour % 2))
        moving.wait(60, every=15)
    assert K.SENSOR_FAULT not in moving.started_keys()

    idle = Stream()  # a frozen reading while the unit rests is just a still night
    idle.thermostat("heat", None, 21.0, 21.0)
    idle.outdoor(5.0)
    idle.compressor(False)
    idle.wait(30 * 60, every=15)
    assert K.SENSOR_FAULT not in idle.started_keys()


def drifting_room(drift: float) -> Stream:
    """Thirteen hours of a room sensor 0.5 K above the thermostat, then `drift` K more."""
    s = Stream()
    s.thermostat("heat", None, 21.0, 20.5)
    s.outdoor(5.0)
    s.room(21.0)
    s.wait(13 * 60, every=15)
    s.room(21.0 + drift)
    return s


def test_sensor_fault_when_the_room_sensor_drifts_from_the_thermostat() -> None:
    s = drifting_room(3.0)
    change = s.now
    s.wait(4 * 60, every=5)
    finding = only(s.raised(K.SENSOR_FAULT))
    assert change + 2 * HOUR + 15 * MINUTE <= finding.start <= change + 2.5 * HOUR
    assert finding.evidence == {
        "sensor": "indoor_temperature",
        "problem": "disagrees",
        "value": 3.0,
    }


def test_no_sensor_fault_for_a_small_room_sensor_drift() -> None:
    s = drifting_room(1.0)
    s.wait(6 * 60, every=15)
    assert K.SENSOR_FAULT not in s.started_keys()


# -- maintenance ---------------------------------------------------------------------------


def test_filter_due_only_after_a_recorded_change() -> None:
    s = Stream()
    s.thermostat()
    s.wait(90 * 24 * 60, every=6 * 60)
    assert K.FILTER_DUE not in s.started_keys()  # no date recorded: nothing to count from

    changed = s.now
    s.maintain(Maintenance.FILTER)
    s.wait(59 * 24 * 60, every=6 * 60)
    assert s.open(K.FILTER_DUE) is None
    s.wait(2 * 24 * 60, every=6 * 60)
    finding = only(s.raised(K.FILTER_DUE))
    assert changed + 60 * DAY <= finding.start <= changed + 60 * DAY + 6 * HOUR
    assert finding.severity is Severity.INFO
    assert finding.guidance is Guidance.DIY
    assert finding.evidence == {"days_since": 60, "interval_days": 60}

    s.wait(30 * 24 * 60, every=6 * 60)
    assert s.open(K.FILTER_DUE) is not None  # reminders never go stale
    s.maintain(Maintenance.FILTER)
    ended = only(s.ended(K.FILTER_DUE))
    assert ended.end_reason is EndReason.RESOLVED
    assert ended.end == s.now
    s.wait(10 * 24 * 60, every=6 * 60)
    assert len(s.raised(K.FILTER_DUE)) == 1


def test_service_due_after_the_interval_and_resolved_by_a_service() -> None:
    s = Stream()
    s.thermostat()
    serviced = s.now
    s.maintain(Maintenance.SERVICE)
    s.wait(365 * 24 * 60, every=24 * 60)
    assert s.open(K.SERVICE_DUE) is None
    s.wait(2 * 24 * 60, every=6 * 60)
    finding = only(s.raised(K.SERVICE_DUE))
    assert serviced + 365 * DAY <= finding.start <= serviced + 366 * DAY
    assert finding.severity is Severity.INFO
    assert finding.guidance is Guidance.PROFESSIONAL
    assert finding.evidence["interval_days"] == 365

    s.maintain(Maintenance.SERVICE)
    ended = only(s.ended(K.SERVICE_DUE))
    assert ended.end_reason is EndReason.RESOLVED
    assert s.open(K.SERVICE_DUE) is None


def test_service_interval_is_configurable() -> None:
    s = Stream(EngineConfig(service_months=1, filter_days=10))
    s.thermostat()
    s.maintain(Maintenance.SERVICE)
    s.maintain(Maintenance.FILTER)
    s.wait(9 * 24 * 60, every=6 * 60)
    assert not s.started_keys() & {K.FILTER_DUE, K.SERVICE_DUE}
    s.wait(2 * 24 * 60, every=6 * 60)
    assert s.started_keys() == {K.FILTER_DUE}
    s.wait(20 * 24 * 60, every=6 * 60)
    assert s.started_keys() == {K.FILTER_DUE, K.SERVICE_DUE}


# -- persistence and order -----------------------------------------------------------------


def test_round_trip_mid_finding_continues_identically() -> None:
    s = learned_split(power=1000.0)
    s.energy(100.0, kw=1.0)
    steady_hours(s, 4, split=8.5)
    assert s.open(K.WEAK_AIRFLOW) is not None
    s.wait(7)  # mid-hour, mid-evaluation interval

    twin = s.restored()
    assert twin.engine.findings == s.engine.findings
    assert twin.engine.snapshot() == s.engine.snapshot()
    assert twin.engine.as_dict() == s.engine.as_dict()

    before = len(s.changes)
    for stream in (s, twin):
        steady_hours(stream, 8, split=5.0)
    assert s.changes[before:] == twin.changes
    assert only(twin.ended(K.WEAK_AIRFLOW)).end_reason is EndReason.CLEARED
    assert twin.engine.as_dict() == s.engine.as_dict()
    assert twin.engine.totals() == s.engine.totals()


def test_round_trip_mid_short_cycling_with_a_pending_stop() -> None:
    s = short_cycler()
    cycle(s, on=3, off=3, count=70)
    assert s.open(K.SHORT_CYCLING) is not None
    s.compressor(True)
    s.wait(3)
    s.compressor(False)
    s.wait(1, every=1)  # the stop is still pending
    assert s.engine.state.cycles.pending_stop is not None

    twin = s.restored()
    before = len(s.changes)
    for stream in (s, twin):
        stream.wait(2)
        cycle(stream, on=50, off=10, count=8)
    assert s.changes[before:] == twin.changes
    assert only(twin.ended(K.SHORT_CYCLING)).end_reason is EndReason.CLEARED
    assert twin.engine.as_dict() == s.engine.as_dict()


def test_late_observations_are_dropped() -> None:
    s = Stream()
    s.thermostat()
    s.leak(False)
    s.wait(30)

    late = Observation(s.now - 10 * MINUTE, Role.LEAK, True)
    assert s.engine.update(late) is False
    s.wait(30)
    assert K.WATER_LEAK not in s.started_keys()
    assert s.engine.snapshot().late_observations == 1
    assert s.engine.state.readings.flags[Role.LEAK] is False
