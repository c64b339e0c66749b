"""The water circuit and the unit's own faults: low flow, low pressure and reported errors.

Whole-engine streams (the `Stream` of test_detectors.py) show each finding raised, silent on
healthy data and cleared; verdict tests build the state a detector reads.
"""

from collections import deque
import json

import pytest

from custom_components.heat_pump_health.engine import (
    EngineConfig,
    FindingKey,
    Guidance,
    HealthEngine,
    Maintenance,
    Role,
    Severity,
)
from custom_components.heat_pump_health.engine.detectors.flow import FlowMemory
from custom_components.heat_pump_health.engine.detectors.pressure import (
    DailyLow,
    falling_trend,
    plausible_pressure,
)
from custom_components.heat_pump_health.engine.detectors.unit_fault import no_fault
from custom_components.heat_pump_health.engine.findings import EndReason

from .test_detectors import DAY, HOUR, MINUTE, Stream, heating_unit, only

K = FindingKey


# -- low flow rate -------------------------------------------------------------------------


def flowing_hours(
    stream: Stream,
    hours: int,
    flow: float,
    outdoor: float = 5.0,
    *,
    same_heat: bool = True,
) -> None:
    """Hours of steady heating with the pump moving `flow` L/min; values wobble a little.

    With `same_heat` the unit delivers what 20 L/min at a 5 K difference carry, so less water
    widens the difference (a clog); without it the difference stays 5 K (a pump that slows
    with the compressor, for less heat).
    """
    split = 5.0 * 20.0 / flow if same_heat and flow else 5.0
    for hour in range(hours):
        wobble = 0.1 * (hour % 2)
        stream.outdoor(outdoor + wobble)
        stream.water(35.0 + wobble, 35.0 + wobble - split)
        stream.report(Role.FLOW_RATE, flow + wobble if flow else 0.0)
        stream.wait(60, every=15)


def test_low_flow_rate_raised_against_the_units_own_normal_and_cleared() -> None:
    s = heating_unit(outdoor=5.0)
    flowing_hours(s, 36, 20.0)
    assert K.LOW_FLOW_RATE not in s.started_keys()  # healthy: nothing

    clogged = s.now
    flowing_hours(s, 4, 11.0)  # a clogged strainer: 55 % of normal
    assert s.open(K.LOW_FLOW_RATE) is None  # four low hours, not yet sustained
    flowing_hours(s, 1, 11.0)
    finding = only(s.raised(K.LOW_FLOW_RATE))
    assert finding.start == clogged + 5 * HOUR
    assert (finding.severity, finding.guidance) == (Severity.WARNING, Guidance.DIY)
    assert finding.evidence["flow"] == pytest.approx(11.1, abs=0.11)
    assert finding.evidence["normal_flow"] == pytest.approx(20.0, abs=0.11)
    assert finding.evidence["split"] == pytest.approx(9.1, abs=0.2)
    assert finding.evidence["normal_split"] == pytest.approx(5.0, abs=0.1)
    assert finding.evidence["reference"] == "own"
    assert finding.confidence == 1.0

    flowing_hours(s, 12, 11.0)  # the fault is not learned as normal while it is open
    assert s.open(K.LOW_FLOW_RATE) is not None

    cleaned = s.now
    flowing_hours(s, 4, 20.0)
    ended = only(s.ended(K.LOW_FLOW_RATE))
    assert ended.end_reason is EndReason.CLEARED
    assert ended.end is not None
    assert cleaned + 2 * HOUR <= ended.end <= cleaned + 4 * HOUR


def test_a_pump_slowing_with_the_compressor_is_no_low_flow() -> None:
    """Less water for less heat keeps the flow-return difference: no clog."""
    s = heating_unit(outdoor=5.0)
    flowing_hours(s, 36, 20.0)
    flowing_hours(s, 12, 9.0, same_heat=False)
    assert K.LOW_FLOW_RATE not in s.started_keys()


def test_without_supply_and_return_low_flow_is_judged_on_the_flow_alone() -> None:
    s = heating_unit(outdoor=5.0)
    for role in (Role.SUPPLY_TEMPERATURE, Role.RETURN_TEMPERATURE):
        s.silence(role)
        s.engine.state.readings.numbers.pop(role, None)
        s.engine.state.readings.values.pop(role, None)
    for flow, hours in ((20.0, 36), (9.0, 6)):
        for hour in range(hours):
            s.outdoor(5.0 + 0.1 * (hour % 2))
            s.report(Role.FLOW_RATE, flow + 0.1 * (hour % 2))
            s.wait(60, every=15)
    finding = only(s.raised(K.LOW_FLOW_RATE))
    assert "split" not in finding.evidence


def test_low_flow_rate_silent_on_a_slightly_lower_flow() -> None:
    s = heating_unit(outdoor=5.0)
    flowing_hours(s, 24, 20.0)
    flowing_hours(s, 24, 14.0)  # 70 % of normal: within what a modulating pump does
    assert K.LOW_FLOW_RATE not in s.started_keys()


def test_low_flow_rate_judged_per_outdoor_temperature() -> None:
    """A pump that moves less water on a mild day is not judged against a cold day's normal."""
    s = heating_unit(outdoor=-4.0)
    flowing_hours(s, 24, 25.0, outdoor=-4.0)
    flowing_hours(s, 24, 12.0, outdoor=12.0)  # half the cold-weather flow, in mild weather
    assert K.LOW_FLOW_RATE not in s.started_keys()
    assert s.engine.state.memory(K.LOW_FLOW_RATE, FlowMemory).baseline.expected(12.0) == (
        pytest.approx(12.0, abs=0.11)
    )


def test_low_flow_rate_needs_steady_running_with_water_flowing() -> None:
    """Hours with the compressor off, or the pump stopped (0 L/min), teach and judge nothing."""
    s = heating_unit(outdoor=5.0)
    s.compressor(False)
    flowing_hours(s, 12, 20.0)
    s.compressor(True)
    flowing_hours(s, 12, 0.0)
    memory = s.engine.state.memory(K.LOW_FLOW_RATE, FlowMemory)
    assert memory.learned == 0
    assert not memory.samples
    assert K.LOW_FLOW_RATE not in s.started_keys()


def test_a_flow_fault_present_from_the_start_is_learned_as_normal() -> None:
    """The documented limitation: its own normal cannot show a fault it never lived without."""
    s = heating_unit(outdoor=5.0)
    flowing_hours(s, 48, 8.0)
    assert K.LOW_FLOW_RATE not in s.started_keys()


def test_service_relearns_the_flow_normal_and_ends_low_flow_rate() -> None:
    s = heating_unit(outdoor=5.0)
    flowing_hours(s, 24, 20.0)
    flowing_hours(s, 6, 10.0)
    assert s.open(K.LOW_FLOW_RATE) is not None
    s.maintain(Maintenance.SERVICE)
    assert only(s.ended(K.LOW_FLOW_RATE)).end_reason is EndReason.RESOLVED
    assert s.engine.state.memory(K.LOW_FLOW_RATE, FlowMemory).learned == 0


def test_the_flow_normal_survives_a_restart() -> None:
    s = heating_unit(outdoor=5.0)
    flowing_hours(s, 24, 20.0)
    twin = s.restored()
    flowing_hours(twin, 6, 10.0)
    assert twin.open(K.LOW_FLOW_RATE) is not None


# -- low water pressure --------------------------------------------------------------------


def pressure_unit(bar: float = 1.5) -> Stream:
    """A heating unit whose room holds its setpoint, with a pressure sensor."""
    s = heating_unit()
    s.report(Role.WATER_PRESSURE, bar)
    return s


def test_low_water_pressure_below_one_bar_with_hysteresis() -> None:
    s = pressure_unit()
    s.wait(6 * 60)
    assert K.LOW_WATER_PRESSURE not in s.started_keys()

    low = s.now
    s.report(Role.WATER_PRESSURE, 0.8)
    s.wait(9, every=1)
    assert s.open(K.LOW_WATER_PRESSURE) is None  # not yet for ten minutes
    s.wait(2, every=1)
    finding = only(s.raised(K.LOW_WATER_PRESSURE))
    assert low + 10 * MINUTE <= finding.start <= low + 11 * MINUTE
    assert (finding.severity, finding.guidance) == (Severity.WARNING, Guidance.DIY)
    assert finding.evidence == {"pressure": 0.8, "fall_per_day": None, "days": None}

    s.report(Role.WATER_PRESSURE, 1.1)  # topped up a little: not above 1.2 bar yet
    s.wait(60)
    assert s.open(K.LOW_WATER_PRESSURE) is not None
    topped = s.now
    s.report(Role.WATER_PRESSURE, 1.5)
    s.wait(60)
    ended = only(s.ended(K.LOW_WATER_PRESSURE))
    assert ended.end_reason is EndReason.CLEARED
    assert ended.end is not None
    assert topped + 30 * MINUTE <= ended.end <= topped + 35 * MINUTE


def test_low_water_pressure_critical_below_half_a_bar_once_it_lasted() -> None:
    """Critical only after ten minutes under 0.5 bar, and only while the room falls short."""
    s = pressure_unit()
    s.thermostat("heat", "heating", 21.0, 19.0)  # the room falls short: nothing calms it
    s.wait(60)
    s.report(Role.WATER_PRESSURE, 0.8)
    s.wait(15, every=1)
    assert only(s.raised(K.LOW_WATER_PRESSURE)).severity is Severity.WARNING
    s.report(Role.WATER_PRESSURE, 0.4)  # one low reading...
    s.wait(1, every=1)
    s.report(Role.WATER_PRESSURE, 0.8)  # ...is not enough
    s.wait(15, every=1)
    assert not s.escalations(K.LOW_WATER_PRESSURE)

    s.report(Role.WATER_PRESSURE, 0.4)
    s.wait(9, every=1)
    assert not s.escalations(K.LOW_WATER_PRESSURE)
    s.wait(2, every=1)
    worse = only(s.escalations(K.LOW_WATER_PRESSURE))
    assert (worse.severity, worse.guidance) == (Severity.CRITICAL, Guidance.PROFESSIONAL)
    assert worse.evidence["pressure"] == 0.4

    s.thermostat("heat", "heating", 21.0, 20.5)  # the room holds: a warning, as everything else
    s.wait(2, every=1)
    shown = s.open(K.LOW_WATER_PRESSURE)
    assert shown is not None
    assert shown.severity is Severity.WARNING


def test_a_sensor_that_reads_zero_raises_nothing() -> None:
    """Under 0.2 bar is a sensor not reading (many report 0 while the unit is off)."""
    s = pressure_unit()
    s.wait(60)
    s.report(Role.WATER_PRESSURE, 0.0)
    s.wait(24 * 60)
    assert K.LOW_WATER_PRESSURE not in s.started_keys()
    assert not plausible_pressure(0.0)
    assert not plausible_pressure(0.15)
    assert plausible_pressure(0.2)


def test_an_open_low_pressure_finding_stays_while_the_sensor_reads_nothing() -> None:
    s = pressure_unit(0.8)
    s.wait(15, every=1)
    assert s.open(K.LOW_WATER_PRESSURE) is not None
    s.report(Role.WATER_PRESSURE, 0.0)
    s.wait(12 * 60)
    assert s.open(K.LOW_WATER_PRESSURE) is not None
    assert not s.ended(K.LOW_WATER_PRESSURE)


def falling_days(stream: Stream, lows: list[float]) -> None:
    """A day per low: an hour at the low at night, the rest of the day 0.3 bar higher (hot)."""
    for low in lows:
        stream.report(Role.WATER_PRESSURE, low)
        stream.wait(60, every=15)
        stream.report(Role.WATER_PRESSURE, low + 0.3)
        stream.wait(23 * 60, every=15)


def test_low_water_pressure_when_it_falls_day_after_day() -> None:
    """A slow leak: 0.07 bar a day, still well above 1 bar, is a technician's job."""
    s = pressure_unit()
    falling_days(s, [1.6] * 3)
    assert K.LOW_WATER_PRESSURE not in s.started_keys()
    falling_days(s, [1.53, 1.46, 1.39, 1.32])
    finding = only(s.raised(K.LOW_WATER_PRESSURE))
    assert (finding.severity, finding.guidance) == (Severity.WARNING, Guidance.PROFESSIONAL)
    assert finding.evidence["fall_per_day"] == pytest.approx(0.07, abs=0.005)
    assert finding.evidence["days"] == 4

    s.report(Role.WATER_PRESSURE, 1.9)  # topped up: the trend starts afresh
    s.wait(2 * DAY / MINUTE, every=15)
    assert only(s.ended(K.LOW_WATER_PRESSURE)).end_reason is EndReason.CLEARED


def test_a_single_step_down_is_no_leak() -> None:
    """The circuit settling cooler once heating stops: one step, not a fall day after day."""
    s = pressure_unit()
    falling_days(s, [1.6] * 5 + [1.35] * 8)
    assert K.LOW_WATER_PRESSURE not in s.started_keys()


def test_the_pressure_trend() -> None:
    now = 10 * DAY
    days = deque(DailyLow(now - (4 - day) * DAY, 1.6 - 0.05 * day) for day in range(5))
    trend = falling_trend(days, now)
    assert trend is not None
    assert trend.per_day == pytest.approx(0.05)
    assert trend.days == 4
    assert trend.steadiness == pytest.approx(0.1)
    assert falling_trend(deque(list(days)[1:]), now) is None  # too few days
    assert falling_trend(days, now + 3 * DAY) is None  # no recent day
    gappy = deque([DailyLow(now - 9 * DAY, 1.8), *list(days)[1:]])
    assert falling_trend(gappy, now) is None  # spread over more than a week
    topped = deque([*list(days)[:2], DailyLow(now - 2 * DAY, 1.9), *list(days)[3:]])
    assert falling_trend(topped, now) is None  # a top-up: afresh, too few days since


# -- the unit's own fault ------------------------------------------------------------------


@pytest.mark.parametrize(
    "state", ["0", "", "  ", "None", "OK", "normal", "No Error", " no error ", "0.0", "-;-;-;-;-"]
)
def test_states_that_mean_no_fault(state: str) -> None:
    assert no_fault(state)


@pytest.mark.parametrize("state", ["E7", "A5-00", "High pressure", "7", "Error"])
def test_states_that_are_a_fault(state: str) -> None:
    assert not no_fault(state)


def test_an_owner_added_state_means_no_fault() -> None:
    assert not no_fault("Standby")
    assert no_fault(" standby ", ("Standby",))


def fault_unit(config: EngineConfig | None = None) -> Stream:
    """A heating unit with an error-code sensor that shows no error."""
    s = heating_unit(config=config)
    s.report(Role.UNIT_ERROR, "No error")
    return s


def test_unit_fault_from_an_error_code_raised_and_cleared() -> None:
    s = fault_unit()
    s.wait(6 * 60)
    assert K.UNIT_FAULT not in s.started_keys()

    faulted = s.now
    s.report(Role.UNIT_ERROR, " E7 ")
    s.wait(4, every=1)
    assert s.open(K.UNIT_FAULT) is None  # a code shown for a moment is not told
    s.wait(2, every=1)
    finding = only(s.raised(K.UNIT_FAULT))
    assert faulted + 5 * MINUTE <= finding.start <= faulted + 6 * MINUTE
    assert (finding.severity, finding.guidance) == (Severity.WARNING, Guidance.PROFESSIONAL)
    assert finding.evidence == {"code": "E7"}

    s.wait(60)
    reset = s.now
    s.report(Role.UNIT_ERROR, "0")
    s.wait(15, every=1)
    ended = only(s.ended(K.UNIT_FAULT))
    assert ended.end is not None
    assert reset + 10 * MINUTE <= ended.end <= reset + 11 * MINUTE


def test_unit_fault_from_a_problem_binary_sensor() -> None:
    s = heating_unit()
    s.report(Role.UNIT_ERROR, False)
    s.wait(60)
    s.report(Role.UNIT_ERROR, True)
    s.wait(10, every=1)
    assert only(s.raised(K.UNIT_FAULT)).evidence == {"code": None}


def test_an_owner_added_ok_state_raises_nothing() -> None:
    s = fault_unit(EngineConfig(unit_error_ok_states=("Standby",)))
    s.report(Role.UNIT_ERROR, "standby")
    s.wait(6 * 60)
    assert K.UNIT_FAULT not in s.started_keys()
    twin = fault_unit()
    twin.report(Role.UNIT_ERROR, "standby")
    twin.wait(10, every=1)
    assert only(twin.raised(K.UNIT_FAULT)).evidence == {"code": "standby"}


def test_unit_fault_unknown_while_its_sensor_is_unavailable() -> None:
    s = fault_unit()
    s.report(Role.UNIT_ERROR, "E7")
    s.wait(10, every=1)
    s.report(Role.UNIT_ERROR, None)
    s.wait(24 * 60)
    assert s.open(K.UNIT_FAULT) is not None  # unknown: neither confirmed nor cleared
    s.wait(3 * DAY / MINUTE, every=30)
    assert only(s.ended(K.UNIT_FAULT)).end_reason is EndReason.STALE


def test_unit_fault_critical_once_the_unit_stopped_heating_for_half_an_hour() -> None:
    s = fault_unit()
    s.thermostat("heat", "heating", 21.0, 19.5)  # heat is called for, the room 1.5 K short
    s.report(Role.UNIT_ERROR, "U4")
    s.wait(10, every=1)
    assert only(s.raised(K.UNIT_FAULT)).severity is Severity.WARNING  # it still runs

    s.compressor(False)
    s.wait(29, every=1)  # the stop is final after 90 s; then half an hour
    assert not s.escalations(K.UNIT_FAULT)
    s.wait(4, every=1)
    worse = only(s.escalations(K.UNIT_FAULT))
    assert (worse.severity, worse.guidance) == (Severity.CRITICAL, Guidance.PROFESSIONAL)


def test_unit_fault_stays_a_warning_without_demand() -> None:
    """Stopped with the room warm and no call for heat: nothing is going cold."""
    s = fault_unit()
    s.thermostat("heat", "idle", 21.0, 21.5)
    s.compressor(False)
    s.report(Role.UNIT_ERROR, "U4")
    s.wait(3 * 60)
    finding = only(s.raised(K.UNIT_FAULT))
    assert finding.severity is Severity.WARNING
    assert not s.escalations(K.UNIT_FAULT)


def test_a_stop_during_a_unit_fault_is_no_power_cut() -> None:
    """The unit stopped itself and reports why: power_interrupted stays quiet."""
    s = Stream()
    s.thermostat("heat", None, 21.0, 21.0)
    s.outdoor(5.0)
    s.report(Role.UNIT_ERROR, "No error")
    for _ in range(25):  # learn standby and running power
        for watts in (15.0, 1200.0):
            s.power(watts)
            s.wait(30, every=10)
    s.thermostat("heat", "heating", 21.0, 19.5)
    s.report(Role.UNIT_ERROR, "E9 high pressure")
    s.power(0.0)
    s.wait(60)
    assert K.POWER_INTERRUPTED not in s.started_keys()
    assert s.open(K.UNIT_FAULT) is not None

    s.report(Role.UNIT_ERROR, "No error")  # the fault gone, no power: that is an outage
    s.wait(10, every=1)
    assert s.open(K.POWER_INTERRUPTED) is not None


# -- saved state ---------------------------------------------------------------------------


def test_a_state_saved_before_these_roles_loads_and_goes_on() -> None:
    """No version bump: the new fields, memories and findings take their defaults."""
    s = heating_unit()
    s.wait(3 * 60)
    saved = json.loads(json.dumps(s.engine.as_dict()))
    state = saved["state"]
    del state["readings"]["texts"]
    for period in ("hour", "day"):
        for name in ("flow_seconds", "flow_sum", "pressure_seconds", "pressure_sum"):
            del state[period][name]
    for key in ("low_flow_rate", "low_water_pressure", "unit_fault"):
        state["memories"].pop(key, None)
        state["tracked"].pop(key, None)

    restored = HealthEngine.from_dict(saved)
    assert restored.state.readings.texts == {}
    assert restored.state.hour.flow_seconds == 0.0
    s.engine = restored
    s.report(Role.UNIT_ERROR, "E7")
    s.wait(10, every=1)
    assert s.open(K.UNIT_FAULT) is not None
