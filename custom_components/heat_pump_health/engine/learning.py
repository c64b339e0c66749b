"""Learning what normal is for this unit, as each hour and each local day closes.

The baselines shared by several detectors (runtime, load, split, daily energy) are learned
here; what one detector learns for itself lives in its memory (see `model.Memory`) and is
fed by the hooks called here.
"""

from datetime import datetime, tzinfo

from .calendar import day_bounds
from .detectors import DETECTORS
from .durations import HOUR, MIN_HOUR
from .findings import FindingKey
from .model import HourSample, Memory, UnitState
from .periods import DailyRecord, Period

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
        if hour.missed_seconds < 0.1 * hour.seconds:
            state.runtime_baseline.add(outdoor, hour.runtime / hour.seconds)
            if (load := _load(hour)) is not None:
                state.load_baseline.add(outdoor, load)
        _learn_split(state, hour, outdoor, boundary)
    for key, kind, _ in REMEMBERING:
        state.memory(key, kind).hour_closed(hour, boundary, raised=state.is_open(key))
    if (indoor := state.readings.indoor) is not None:
        state.indoor_marks.append((boundary, indoor))
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
    expected = state.energy_baseline.expected(*degree_days) if degree_days else None
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
        state.energy_baseline.add(*degree_days, energy)
    for key, kind, _ in REMEMBERING:
        state.memory(key, kind).day_closed(day, boundary, raised=state.is_open(key))
    day_start, state.day_end = day_bounds(boundary, zone)
    state.day = Period(start=day_start)
    state.cycles.new_day(day_start)
    state.defrost.new_day()


def reset_baselines(state: UnitState) -> None:
    """Forget what normal looked like: the shared baselines and the baseline detectors' memories."""
    for baseline in (
        state.heating_split_baseline,
        state.cooling_split_baseline,
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
    """Mean steady split of the hour, against the split baseline of its season.

    Hours with backup heat are left out: a heating element in the air or water stream
    raises the split, which then says nothing about the heat pump.
    """
    split = hour.mean_split
    if split is None or hour.split_seconds < MIN_SPLIT_TIME or hour.aux_seconds > 0:
        return
    heating = hour.heating_runtime >= hour.runtime / 2
    baseline = state.heating_split_baseline if heating else state.cooling_split_baseline
    expected = baseline.expected(outdoor)
    if expected is not None and expected > 0:
        state.splits.append(HourSample(boundary, split, expected))
    if not any(state.is_open(key) for key in SPLIT_FINDINGS):
        baseline.add(outdoor, split)


def _rounded(value: float | None, digits: int) -> float | None:
    """A value rounded for the daily record, None kept."""
    return None if value is None else round(value, digits)
