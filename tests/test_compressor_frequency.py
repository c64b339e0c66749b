"""The compressor frequency: running above 0.5, its learned highest, and full capacity by it."""

import pytest

from custom_components.heat_pump_health.engine import Role
from custom_components.heat_pump_health.engine.activity import (
    PEAK_HALF_LIFE,
    FrequencyPeak,
    running_from,
)
from custom_components.heat_pump_health.engine.detectors.split import SplitMemory, load_band
from custom_components.heat_pump_health.engine.findings import FindingKey as K
from custom_components.heat_pump_health.engine.persistence import restore, save

from .test_detectors import Stream, heating_unit, learned_mild_day, steady_hours


@pytest.mark.parametrize(
    ("compressor", "frequency", "power", "action", "running"),
    [
        (None, 45.0, None, None, True),
        (None, 0.0, None, None, False),
        (None, 0.4, None, "heating", False),  # at or below 0.5: idle, whatever the thermostat
        (None, 0.0, 2500.0, "heating", False),  # the frequency before power and thermostat
        (None, 30.0, 0.0, "idle", True),
        (False, 60.0, None, None, False),  # a running sensor before the frequency
        (True, 0.0, None, None, True),
        (None, None, 2500.0, "idle", True),  # without a frequency, power as before
    ],
)
def test_running_from_frequency_in_order(
    compressor: bool | None,
    frequency: float | None,
    power: float | None,
    action: str | None,
    running: bool,
) -> None:
    assert running_from(compressor, power, None, action, frequency=frequency) is running


def test_a_frequency_only_unit_runs_and_stops() -> None:
    s = Stream()
    s.report(Role.COMPRESSOR_FREQUENCY, 0.0)
    s.wait(30)
    assert s.engine.state.cycles.running is False
    s.report(Role.COMPRESSOR_FREQUENCY, 52.0)
    s.wait(30)
    assert s.engine.state.cycles.running is True
    s.report(Role.COMPRESSOR_FREQUENCY, 0.0)
    s.wait(30)
    assert s.engine.state.cycles.running is False
    assert s.engine.state.cycles.total_starts == 1
    assert s.engine.state.frequency.peak == pytest.approx(52.0, rel=0.01)


def test_learned_highest_frequency_is_held_and_decays_by_half_over_a_year() -> None:
    peak = FrequencyPeak()
    peak.observe(0.0, 0.3)  # idle readings teach nothing
    assert peak.share(0.3) is None
    peak.observe(5.0, 90.0)
    assert peak.share(90.0) is None  # one reading is no top speed yet
    peak.observe(10.0, 90.0)
    peak.observe(15.0, 250.0)  # a glitch of one reading
    peak.observe(20.0, 40.0)
    assert peak.peak == pytest.approx(90.0, rel=1e-4)
    assert peak.at_full(82.0)
    assert not peak.at_full(78.0)
    peak.observe(20.0 + 30 * 24 * 3600.0, 30.0)  # a mild month at part speed
    assert not peak.at_full(40.0)
    peak.observe(20.0 + PEAK_HALF_LIFE, 30.0)
    assert peak.peak == pytest.approx(45.0, rel=1e-3)
    assert peak.at_full(42.0)
    peak.observe(30.0 + PEAK_HALF_LIFE, 60.0)
    peak.observe(40.0 + PEAK_HALF_LIFE, 60.0)  # a higher speed held raises it again at once
    assert peak.peak == 60.0


def test_learned_frequency_is_saved_and_old_states_still_load() -> None:
    s = Stream()
    s.report(Role.COMPRESSOR_FREQUENCY, 70.0)
    s.wait(10)
    saved = save(s.engine.state)
    assert restore(saved).frequency.peak == pytest.approx(s.engine.state.frequency.peak)
    del saved["state"]["frequency"]
    assert restore(saved).frequency == FrequencyPeak()


def test_load_band_by_frequency_before_power() -> None:
    memory = SplitMemory()
    assert load_band(memory, 2000.0, 0.5) == "part"  # the highest power, at half speed
    assert load_band(memory, 1000.0, 0.85) == "full"  # half the power, near top speed
    assert load_band(memory, 1000.0) == "part"  # without a frequency, power as before
    assert load_band(SplitMemory(), None, 0.9) == "full"
    assert load_band(SplitMemory(), None) == "any"


def learned_split_at(frequency: float) -> Stream:
    """Two days of a 5 K split at about +5 °C, at `frequency` Hz after reaching 90 Hz."""
    s = heating_unit(outdoor=5.0)
    s.report(Role.COMPRESSOR_FREQUENCY, 90.0)
    s.wait(10)
    s.report(Role.COMPRESSOR_FREQUENCY, frequency)
    steady_hours(s, 48, split=5.0)
    assert not s.started_keys() & {K.WEAK_AIRFLOW, K.LOW_TEMPERATURE_SPLIT}
    return s


@pytest.mark.parametrize(("frequency", "raised"), [(85.0, False), (40.0, True)])
def test_a_large_split_at_full_frequency_is_judged_in_the_full_load_band(
    frequency: float, raised: bool
) -> None:
    """8.5 K where 5 K was learned at part speed: a fault at part speed, load at full speed."""
    s = learned_split_at(40.0)
    s.report(Role.COMPRESSOR_FREQUENCY, frequency)
    steady_hours(s, 6, split=8.5)
    assert (K.WEAK_AIRFLOW in s.started_keys()) is raised


@pytest.mark.parametrize(
    ("frequency", "room", "raised"),
    [
        (88.0, 19.5, False),  # at full speed, 1.5 K off is the weather
        (88.0, 17.5, True),  # but 3.5 K off is more than the weather
        (45.0, 19.5, True),  # at half speed, 1.5 K off counts
    ],
)
def test_nonstop_running_at_full_frequency_asks_a_larger_shortfall(
    frequency: float, room: float, raised: bool
) -> None:
    s = learned_mild_day()
    s.report(Role.COMPRESSOR_FREQUENCY, 90.0)
    s.wait(5)
    s.report(Role.COMPRESSOR_FREQUENCY, frequency)
    s.thermostat("heat", None, 21.0, room)
    s.compressor(True)
    s.wait(12 * 60)
    assert (K.NONSTOP_RUNNING in s.started_keys()) is raised
