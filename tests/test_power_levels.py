"""Running from power on every real shape: standby, auxiliary levels, compressor, no idle at all.

`PowerLevels` on hand-made power series (two, three and four levels, standby steps, an outage,
a modulating compressor, an inverter that never stops), `running_from`'s order, and
power_interrupted as the supply gone rather than a step between the unit's own low levels.
"""

from collections.abc import Iterable
import json

import pytest

from custom_components.heat_pump_health.engine import FindingKey, Guidance, Severity
from custom_components.heat_pump_health.engine.activity import (
    ABSOLUTE_RUNNING,
    BINS,
    HALF_LIFE,
    PowerLevels,
    running_from,
)
from custom_components.heat_pump_health.engine.state import from_plain, to_plain

from .test_detectors import Stream

MINUTE = 60.0
HOUR = 3600.0
DAY = 24 * HOUR
T0 = 1_768_435_200.0

# A day's pattern as (watts, minutes) segments, repeated.
Pattern = list[tuple[float, float]]


def fed(
    pattern: Pattern, days: float = 2.0, *, every: float = 2.0, start: float = T0
) -> PowerLevels:
    """Levels that learned `pattern`, repeated for `days`, read every `every` minutes."""
    levels = PowerLevels()
    feed(levels, pattern, days, every=every, start=start)
    return levels


def feed(
    levels: PowerLevels, pattern: Pattern, days: float, *, every: float = 2.0, start: float = T0
) -> float:
    """Feed `pattern` for `days` from `start`; return the time after the last reading."""
    time = start
    end = start + days * DAY
    while time < end:
        for watts, minutes in pattern:
            for reading in readings(watts, minutes, every):
                levels.observe(time, reading)
                time += every * MINUTE
    return time


def readings(watts: float, minutes: float, every: float) -> Iterable[float]:
    """A level held for `minutes`, read every `every` minutes, with a little meter noise."""
    count = max(1, round(minutes / every))
    return (watts * (1 + 0.02 * ((index % 5) - 2) / 2) for index in range(count))


def test_two_levels_split_between_standby_and_compressor() -> None:
    levels = fed([(15.0, 40), (1200.0, 20)])
    assert levels.threshold is not None
    assert 15 < levels.threshold < 1000
    assert levels.standby == pytest.approx(15.0, rel=0.15)


def test_three_levels_the_threshold_sits_above_the_pump() -> None:
    """Standby, a circulation pump and the compressor: the pump is not running."""
    levels = fed([(8.0, 30), (130.0, 20), (900.0, 20), (1800.0, 10), (130.0, 10)])
    assert levels.threshold is not None
    assert 140 < levels.threshold < 850
    assert levels.standby == pytest.approx(8.0, rel=0.15)


def test_standby_steps_are_not_the_compressor_however_little_it_runs() -> None:
    """Standby stepping between 8 W and 40 W (a base-plate heater), the compressor 10 %."""
    levels = fed([(8.0, 60), (40.0, 48), (1500.0, 12)])
    assert levels.threshold is not None
    assert 45 < levels.threshold < 1000
    assert levels.standby == pytest.approx(8.0, rel=0.15)


def test_an_outage_is_no_level_below_standby() -> None:
    """Power at zero for a while does not pull the threshold down to standby."""
    levels = fed([(20.0, 45), (1200.0, 15)], days=0.5)
    feed(levels, [(0.0, 180)], days=0.1, start=T0 + 0.5 * DAY)
    feed(levels, [(20.0, 45), (1200.0, 15)], days=1.0, start=T0 + 0.7 * DAY)
    assert levels.threshold is not None
    assert levels.threshold > 25
    assert levels.standby == pytest.approx(20.0, rel=0.15)


def test_an_outage_before_anything_is_learned_does_not_hide_standby() -> None:
    """A unit mostly at standby, its first hours an outage: standby still below the threshold."""
    levels = fed([(0.0, 20)], days=20 / (24 * 60))
    feed(levels, [(20.0, 45), (1200.0, 15)], days=1.0, start=T0 + 20 * MINUTE)
    assert levels.threshold is not None
    assert levels.threshold > 25


def test_a_modulating_compressor_is_not_split() -> None:
    """An inverter's spread from 700 W to 3 kW is one level, whatever its dips."""
    spread: Pattern = [(700.0 * 1.15**step, 6) for step in range(11)]
    levels = fed([(15.0, 60), *spread])
    assert levels.threshold is not None
    assert 15 < levels.threshold < 700


def test_an_inverter_that_never_idles_learns_no_threshold_and_still_runs() -> None:
    """Deep cold: 2.5-4.5 kW all day, no standby ever seen."""
    levels = fed([(2500.0, 60), (3500.0, 60), (4500.0, 60), (3000.0, 60)], days=5)
    assert levels.threshold is None
    assert levels.standby is None
    assert running_from(None, 2500.0, levels.threshold, None) is True
    assert running_from(None, 2500.0, levels.threshold, "idle") is True


def test_nothing_is_learned_in_the_first_hours() -> None:
    levels = fed([(15.0, 40), (1200.0, 20)], days=1.5 / 24)
    assert levels.threshold is None


def test_a_new_standby_is_learned_as_the_old_one_fades() -> None:
    """Weights halve every two weeks: a pump replaced by a frugal one shows within weeks."""
    levels = fed([(60.0, 40), (1200.0, 20)], days=14)
    assert levels.standby == pytest.approx(60.0, rel=0.15)
    feed(levels, [(6.0, 40), (1200.0, 20)], days=2 * HALF_LIFE / DAY, start=T0 + 14 * DAY)
    assert levels.standby == pytest.approx(6.0, rel=0.15)


def test_learning_off_adds_nothing() -> None:
    """While backup heat runs, its power is no level of the heat pump's."""
    levels = PowerLevels()
    for minute in range(0, 600, 2):
        levels.observe(T0 + minute * MINUTE, 6000.0, learn=False)
    assert sum(levels.weights.values()) == 0
    assert levels.threshold is None


def test_bounded_serialisable_and_deterministic() -> None:
    pattern: Pattern = [(8.0, 30), (130.0, 20), (900.0, 20), (1800.0, 10), (0.5, 5)]
    levels = fed(pattern, days=3)
    again = fed(pattern, days=3)
    assert levels == again
    assert len(levels.weights) <= BINS
    plain = json.loads(json.dumps(to_plain(levels)))
    assert from_plain(PowerLevels, plain) == levels


@pytest.mark.parametrize(
    ("compressor", "power", "threshold", "action", "running"),
    [
        (False, 3000.0, 200.0, "heating", False),  # a running sensor wins
        (True, 5.0, None, "idle", True),
        (None, 1000.0, None, "idle", True),  # kilowatts run, learned or not
        (None, 300.0, 200.0, "idle", True),  # the threshold where one is known
        (None, 150.0, 200.0, "heating", False),
        (None, 1200.0, 1500.0, None, False),  # a configured threshold above the floor rules
        (None, 25.0, None, "heating", False),  # standby watts are idle
        (None, 400.0, None, "heating", True),  # between, the thermostat says
        (None, 400.0, None, "idle", False),
        (None, 400.0, None, None, None),
        (None, None, None, "heating", True),
        (None, None, None, None, None),
    ],
)
def test_running_from_in_order(
    compressor: bool | None,
    power: float | None,
    threshold: float | None,
    action: str | None,
    running: bool | None,
) -> None:
    assert running_from(compressor, power, threshold, action) is running


def test_learned_threshold_never_above_the_floor() -> None:
    """Standby 300 W (a large fan), compressor 5 kW: the gap's middle is above 1 kW."""
    levels = fed([(300.0, 40), (5000.0, 20)])
    assert levels.threshold == ABSOLUTE_RUNNING


# -- power_interrupted --------------------------------------------------------------------


def pump_unit() -> Stream:
    """A day and a half of standby 8 W, pump 130 W and compressor 1500 W, the room held."""
    s = Stream()
    s.thermostat("heat", "idle", 21.0, 21.0)
    s.outdoor(2.0)
    for _ in range(36):
        for watts, minutes in ((8.0, 20), (130.0, 10), (1500.0, 20), (130.0, 10)):
            s.power(watts)
            s.wait(minutes, every=2)
    return s


def test_a_step_from_the_pump_to_standby_is_no_outage() -> None:
    s = pump_unit()
    assert s.engine.state.levels.standby == pytest.approx(8.0, rel=0.15)
    s.thermostat("heat", "heating", 21.0, 21.0)  # even while the thermostat calls
    s.power(130.0)
    s.wait(30, every=1)
    s.power(8.0)
    s.wait(60, every=1)
    assert FindingKey.POWER_INTERRUPTED not in {change.key for change in s.changes}


def test_no_power_at_all_is_an_outage_once_standby_is_known() -> None:
    s = pump_unit()
    s.power(0.0)
    s.wait(10, every=1)
    (finding,) = [f for f in s.engine.findings if f.key is FindingKey.POWER_INTERRUPTED]
    assert (finding.severity, finding.guidance) == (Severity.WARNING, Guidance.DIY)
    assert finding.confidence == 1.0


def test_an_unavailable_source_is_an_outage_only_while_the_unit_should_run() -> None:
    s = pump_unit()
    s.power(None)
    s.wait(30, every=1)
    assert FindingKey.POWER_INTERRUPTED not in {change.key for change in s.changes}

    s.thermostat("heat", "heating", 21.0, 21.0)
    s.wait(10, every=1)
    (finding,) = [f for f in s.engine.findings if f.key is FindingKey.POWER_INTERRUPTED]
    assert finding.severity is Severity.WARNING
    assert finding.evidence["unavailable"] is True
    assert finding.evidence["power"] is None
    assert finding.confidence < 1


def test_a_unit_that_never_idles_runs_while_its_thermostat_heats() -> None:
    """Deep cold, kilowatts all day, the room held: running, and no finding at all."""
    s = Stream()
    s.outdoor(-24.0)
    s.thermostat("heat", "heating", 21.0, 21.0)
    for hour in range(48):
        s.power(2500.0 + 1000.0 * (hour % 3))
        s.wait(60, every=5)
        assert s.engine.snapshot().running is True
    assert s.engine.power_threshold is None
    assert s.engine.snapshot().total_starts == 0
    assert not [f for f in s.engine.findings if f.severity is not Severity.INFO]
