"""Learning what normal is for this unit, as each hour and each local day closes.

The baselines shared by several detectors (runtime, load, split, daily energy) are learned
here; what one detector learns for itself lives in its memory (see `model.Memory`) and is
fed by the hooks called here.
"""

from datetime import datetime, tzinfo

from .calendar import day_bounds
from .detectors import DETECTORS
from .detectors.energy import EfficiencyMemory
from .detectors.split import WATER_RETURN, SplitMemory, load_band, reference_limit
from .durations import HOUR, MIN_HOUR
from .findings import FindingKey
from .hot_water import AFTER_HOT_WATER
from .model import HourSample, Memory, UnitState
from .observations import Role
from .periods import DailyRecord, Period
from .readings import Season
from .season import season_of

MIN_SPLIT_TIME = 0.25 * HOUR
# A day with this much observed time is complete enough for the energy baseline.
COMPLETE_DAY = 20 * HOUR
# A day with the thermostat off for more than this share of it is neither learned nor judged.
OFF_DAY_SHARE = 0.1
# The split baselines pause while a finding judged on them is open.
SPLIT_FINDINGS = (FindingKey.WEAK_AIRFLOW, FindingKey.LOW_TEMPERATURE_SPLIT)
# The detectors that learn something of their own: finding key, memory, judged on a baseline.
REMEMBERING: tuple[tuple[FindingKey, type[Memory], bool], ...] = tuple(
    (detector.key, detector.memory, detector.baseline)
    for detector in DETECTORS
    if detector.memory is not None
)


def close_hour(state: UnitState, boundary: float) -> None:
    """Feed the finished hour to the baselines and add it to the day."""
    hour = state.hour
    outdoor = hour.outdoor_mean
    if hour.seconds >= MIN_HOUR and outdoor is not None:
        # an hour spent partly heating the cylinder says nothing of what the rooms need
        if hour.missed_seconds < 0.1 * hour.seconds and hour.hot_water_seconds <= 0:
            state.runtime_baseline.add(outdoor, hour.runtime / hour.seconds)
            if (load := _load(hour)) is not None:
                state.load_baseline.add(outdoor, load)
        _learn_split(state, hour, outdoor, boundary)
    _note_running_flow(state, boundary)
    _note_medium(state, boundary)
    for key, kind, _ in REMEMBERING:
        state.memory(key, kind).hour_closed(hour, boundary, raised=state.is_open(key))
    if (indoor := state.readings.indoor) is not None:
        state.indoor_marks.append((boundary, indoor))
    if outdoor is not None:
        state.outdoor_hours.append(outdoor)
    state.day.add(hour)
    state.hour = Period(start=boundary)
    assert state.day_end is not None
    state.hour_end = min(boundary + HOUR, state.day_end)


def close_day(state: UnitState, boundary: float, zone: tzinfo) -> None:
    """Record the finished day, learn its energy, and start the next."""
    day = state.day
    outdoor = day.outdoor_mean
    energy = day.electric_kwh
    if energy is None and state.energy_seen:
        energy = 0.0
    complete = day.seconds >= COMPLETE_DAY
    # A day the thermostat was switched off for says nothing about how the unit heats.
    degree_days = day.degree_days if day.off_seconds < OFF_DAY_SHARE * day.seconds else None
    # The baseline learns space heating alone; a day's expectation adds the hot water it made.
    hot_water = day.hot_water_electric_kwh
    expected = state.energy_baseline.expected(*degree_days) if degree_days else None
    if expected is not None:
        expected += hot_water
    state.history.days.append(
        DailyRecord(
            date=datetime.fromtimestamp(day.start, zone).date().isoformat(),
            runtime_hours=round(day.runtime / HOUR, 3),
            starts=state.cycles.starts_today,
            defrosts=state.defrost.count_today,
            defrost_minutes=round(state.defrost.seconds_today / 60, 1),
            aux_hours=round(day.aux_seconds / HOUR, 3),
            outdoor_mean=_rounded(outdoor, 2),
            energy_kwh=_rounded(energy, 3),
            expected_kwh=_rounded(expected, 3),
            heat_kwh=_rounded(day.heat_kwh, 3),
            complete=complete,
            off_hours=round(day.off_seconds / HOUR, 3),
        )
    )
    runaway = state.is_open(FindingKey.RUNAWAY_ENERGY)
    if complete and energy is not None and degree_days is not None and not runaway:
        state.energy_baseline.add(*degree_days, max(0.0, energy - hot_water))
    for key, kind, _ in REMEMBERING:
        state.memory(key, kind).day_closed(day, boundary, raised=state.is_open(key))
    day_start, state.day_end = day_bounds(boundary, zone)
    state.day = Period(start=day_start)
    state.cycles.new_day(day_start)
    state.defrost.new_day()
    state.hot_water.new_day()


def reset_baselines(state: UnitState) -> None:
    """Forget what normal looked like: the shared baselines and the baseline detectors' memories."""
    for baseline in (
        state.runtime_baseline,
        state.load_baseline,
        state.energy_baseline,
    ):
        baseline.reset()
    state.splits.clear()
    for key, kind, on_baseline in REMEMBERING:
        if on_baseline:
            state.memories[key] = kind()


def _load(hour: Period) -> float | None:
    """The unit's mean power over an hour (W), when power was read through most of it."""
    if hour.power_seconds < 0.9 * hour.seconds:
        return None
    return hour.power_ws / hour.power_seconds


def _learn_split(state: UnitState, hour: Period, outdoor: float, boundary: float) -> None:
    """Mean steady split of the hour, against the unit's normal and the typical limit.

    The normal is kept per season (by any sign, see `season_of`) and load band, and judged
    only in an outdoor temperature bin it has learned itself: a unit working hard in the cold
    is not judged against a normal learned on a mild day. Hours with backup heat are left out:
    a heating element in the air or water stream raises the split, which then says nothing
    about the heat pump. A split beyond what healthy units show is never learned as normal.
    """
    split = hour.mean_split
    if split is None or hour.split_seconds < MIN_SPLIT_TIME or hour.aux_seconds > 0:
        return
    season = season_of(state, boundary)
    if season is None:
        return
    heating = season is Season.HEAT
    memory = state.memory(FindingKey.WEAK_AIRFLOW, SplitMemory)
    limit = reference_limit(heating=heating, water=memory.water)
    if limit is not None:
        memory.typical.append(HourSample(boundary, split, limit))
    band = load_band(memory, _running_watts(hour), _frequency_share(state, hour))
    baseline = memory.normal(f"{season.value}:{band}")
    expected = baseline.expected(outdoor, neighbours=0)
    if expected is not None and expected > 0:
        state.splits.append(HourSample(boundary, split, expected))
    beyond_typical = limit is not None and split > limit
    if not beyond_typical and not any(state.is_open(key) for key in SPLIT_FINDINGS):
        baseline.add(outdoor, split)


def _note_medium(state: UnitState, boundary: float) -> None:
    """Whether the unit heats water, not air: a return warmer than room air can be, running."""
    back = state.readings.values.get(Role.RETURN_TEMPERATURE)
    if back is None or back <= WATER_RETURN or not state.cycles.running:
        return
    if season_of(state, boundary) is Season.HEAT:
        state.memory(FindingKey.WEAK_AIRFLOW, SplitMemory).water = True


def _running_watts(hour: Period) -> float | None:
    """The unit's mean power while running in an hour (W), when power was read through it."""
    if hour.runtime <= 0 or (mean := _load(hour)) is None:
        return None
    return mean * hour.seconds / hour.runtime


def _frequency_share(state: UnitState, hour: Period) -> float | None:
    """The mean running compressor frequency of an hour as a share of the learned peak."""
    if hour.frequency_seconds <= 0:
        return None
    return state.frequency.share(hour.frequency_sum / hour.frequency_seconds)


def _note_running_flow(state: UnitState, boundary: float) -> None:
    """The flow temperature at the hour's close while running: the day's COP reference uses it."""
    flow = state.readings.values.get(Role.SUPPLY_TEMPERATURE)
    hot_water = state.hot_water.recently(boundary, AFTER_HOT_WATER)
    if flow is not None and state.cycles.running and not state.defrost.active and not hot_water:
        memory = state.memory(FindingKey.EFFICIENCY_DROP, EfficiencyMemory)
        memory.flows.append(flow)
        memory.water = state.memory(FindingKey.WEAK_AIRFLOW, SplitMemory).water


def _rounded(value: float | None, digits: int) -> float | None:
    """A value rounded for the daily record, None kept."""
    return None if value is None else round(value, digits)
