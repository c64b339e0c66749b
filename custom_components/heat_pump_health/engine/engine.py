"""The health engine: one object per heat pump, fed observations in time order.

Between observations the latest readings are integrated into hour and day totals; every
minute of observed time the detectors are asked for a verdict; hours feed the baselines; days
feed the energy baseline and the daily history. Work per observation is O(1) amortised and the
state is bounded, so a year of readings costs what a day does.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
import math
from statistics import median
from typing import Any

from .activity import running_from
from .baselines import degrees
from .calendar import day_bounds
from .config import EngineConfig
from .detectors import DETECTORS, Context, track_outages
from .detectors.base import ICING_MAX, STEADY_AFTER
from .detectors.cycling import SETPOINT_MISSED
from .findings import Finding, FindingKey, Maintenance
from .model import HourSample, TrackedFinding, UnitState
from .observations import MAX_MAGNITUDE, EnergyTotal, Observation, Role, finite
from .periods import HOUR_KWH, DailyRecord, Period
from .recorded import with_statistics
from .state import from_plain, to_plain
from .tracker import resolve, step

STATE_VERSION = 2
HOUR = 3600.0
DAY = 86400.0
# How much history the engine wants before it calls its statistics settled.
LEARNING_PERIOD = DAY
# Detectors are asked for a verdict at most this often (seconds of observed time).
EVALUATION_INTERVAL = 60.0
# A silence longer than this with no observation at all is a gap (Home Assistant was down):
# nothing is integrated across it.
MAX_GAP = HOUR
# An hour with less observed time than this does not feed the baselines.
MIN_HOUR = 0.75 * HOUR
MIN_SAMPLE_RUNTIME = 0.5 * HOUR
MIN_SPLIT_TIME = 0.25 * HOUR
MIN_COP_KWH = 0.05
# A day with this much observed time is complete enough for the energy baseline.
COMPLETE_DAY = 20 * HOUR
# A day with the thermostat off for more than this share of it is neither learned nor judged.
OFF_DAY_SHARE = 0.1
# Hours of room-sensor versus thermostat readings used to learn their normal difference.
OFFSET_HOURS = 12
# Frost melts once the weather is this far above the icing range.
THAW_MARGIN = 2.0
# Aux heat shortly after a defrost is the unit recovering, not overuse.
AUX_AFTER_DEFROST = 10 * 60.0
# The roles `_take` has bookkeeping for.
TAKE_ROLES = frozenset({Role.ENERGY, Role.HEAT_OUTPUT, Role.POWER, Role.CLIMATE})
# The roles whose readings `_refresh` uses (running, defrost, season, split).
REFRESH_ROLES = frozenset(
    {
        Role.CLIMATE,
        Role.POWER,
        Role.COMPRESSOR,
        Role.SUPPLY_TEMPERATURE,
        Role.RETURN_TEMPERATURE,
        Role.DEFROST,
    }
)
BASELINE_FINDINGS: dict[str, tuple[FindingKey, ...]] = {
    "cop": (FindingKey.EFFICIENCY_DROP,),
    "split": (FindingKey.WEAK_AIRFLOW, FindingKey.LOW_TEMPERATURE_SPLIT),
    "defrost": (
        FindingKey.DEFROST_TOO_FREQUENT,
        FindingKey.DEFROST_TOO_LONG,
        FindingKey.DEFROST_MISSING,
    ),
}


class StateVersionError(ValueError):
    """Saved state comes from a version this engine cannot read."""


@dataclass(frozen=True, slots=True)
class HealthSnapshot:
    """The statistics at one moment, for entities, diagnostics and reports.

    Bookkeeping fields do not take part in equality, so an unchanged picture compares equal.
    """

    time: float | None = field(compare=False)
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
    filter_replaced: float | None = None
    serviced: float | None = None
    findings: tuple[Finding, ...] = ()
    observations: int = field(default=0, compare=False)
    late_observations: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Totals:
    """Lifetime totals since the engine started; None where the sources cannot tell."""

    starts: int
    runtime_hours: float
    defrost_count: int | None
    defrost_minutes_avg: float | None
    energy_kwh: float | None


class HealthEngine:
    """Consumes observations of one heat pump and keeps its statistics and findings."""

    def __init__(self, config: EngineConfig | None = None, zone: tzinfo = UTC) -> None:
        """Start with nothing learned."""
        self.config = config or EngineConfig()
        self.zone = zone
        self.state = UnitState()
        self._changes: list[Finding] = []
        # Set while recorded history is fed: it keeps state changes only, so a source that did
        # not change was not necessarily silent (see `assume_reported`).
        self.changes_only = False
        # The hour the hourly detectors last judged (see `Detector.hourly`); not saved, so a
        # restored engine, or one whose options or baselines changed, judges them at once.
        self._judged_hour: float | None = None

    # -- input ---------------------------------------------------------------------------

    def update(self, observation: Observation) -> bool:
        """Take one observation; return False when it arrived late and was dropped."""
        state = self.state
        time = observation.time
        if (state.last_time is not None and time < state.last_time) or not math.isfinite(time):
            state.late += 1
            return False
        if state.first_time is None:
            state.first_time = time
        value, role = observation.value, observation.role
        # floats and flags, the common cases, are checked here without a call
        if type(value) is float:
            if not -MAX_MAGNITUDE <= value <= MAX_MAGNITUDE:  # `plausible`, without the call
                value = None
                observation = Observation(time, role, None)
        elif not isinstance(value, bool) and (finite_value := finite(value)) is not value:
            value = finite_value
            observation = Observation(time, role, finite_value)
        if time != state.last_time:  # several sources often report at the same instant
            self._move_to(time)
        state.observations += 1
        readings = state.readings
        if type(value) is float and role is not Role.CLIMATE and role not in readings.flags:
            changed = readings.record_number(role, time, value)  # `record`, without its sorting
        else:
            changed = readings.record(observation)
        if role in TAKE_ROLES:
            self._take(observation)
        if self._needs_refresh(role, changed=changed):
            self._refresh(time)
        if self._needs_aux_update(role):
            self._refresh_aux()
        if state.next_evaluation is None or time >= state.next_evaluation:
            self._evaluate(time)
        return True

    def advance(self, time: float) -> None:
        """Let time pass with no new reading (windows, pending stops, day boundaries)."""
        state = self.state
        if state.last_time is None or time < state.last_time:
            return
        self._move_to(time)
        self._refresh(time)
        self._refresh_aux()
        if state.next_evaluation is None or time >= state.next_evaluation:
            self._evaluate(time)

    def read_history(
        self,
        states: Iterable[Observation],
        end: float,
        statistics: Sequence[Observation] = (),
    ) -> int:
        """Take recorded history up to the window's `end`; return how many observations counted.

        The one way recorded history enters an engine: the backfill, the replay tool and the
        benchmarks all come through here. `states` are time-ordered; `statistics` (hourly, in
        time order) stand in before the first state. Recorded history keeps changes only, so
        silence in it is not news, and at `end` every source with a value is taken as alive.
        """
        self.changes_only = True
        try:
            fed = sum(
                self.update(observation) for observation in with_statistics(states, statistics)
            )
        finally:
            self.changes_only = False
        self.assume_reported(end)
        return fed

    def assume_reported(self, time: float) -> None:
        """Take every source with a value as having reported up to `time`.

        Recorded history shows changes only; at its end a steady source is taken as alive,
        not as silent since its last change.
        """
        readings = self.state.readings
        for reading in readings.numbers.values():
            if reading.seen is not None:
                reading.seen = max(reading.seen, time)
        if readings.climate_seen is not None:
            readings.climate_seen = max(readings.climate_seen, time)

    def record_maintenance(self, kind: Maintenance, time: float) -> None:
        """Note that the filter was replaced or the unit serviced; its reminder ends."""
        self.state.maintenance[kind] = time
        key = FindingKey.FILTER_DUE if kind is Maintenance.FILTER else FindingKey.SERVICE_DUE
        if (tracked := self.state.tracked.get(key)) and (ended := resolve(tracked, time)):
            self._changes.append(ended)
        if kind is Maintenance.SERVICE:
            self.reset_baselines(time)

    def reset_baselines(self, time: float) -> None:
        """Forget what normal looked like (a repair changed it), and end findings judged on it."""
        state = self.state
        for baseline in (
            state.cop_baseline,
            state.heating_split_baseline,
            state.cooling_split_baseline,
            state.defrost_baseline,
            state.runtime_baseline,
            state.load_baseline,
            state.energy_baseline,
        ):
            baseline.reset()
        state.efficiency.clear()
        state.splits.clear()
        self._judged_hour = None
        for key in (
            FindingKey.RUNAWAY_ENERGY,
            FindingKey.EFFICIENCY_DROP,
            FindingKey.WEAK_AIRFLOW,
            FindingKey.LOW_TEMPERATURE_SPLIT,
        ):
            if (tracked := state.tracked.get(key)) and (ended := resolve(tracked, time)):
                self._changes.append(ended)

    def _take(self, observation: Observation) -> None:
        """Role-specific bookkeeping: energy counters and the power clusters."""
        state = self.state
        value = observation.value
        role = observation.role
        if role is Role.ENERGY and isinstance(value, int | float) and not isinstance(value, bool):
            if math.isfinite(value):
                added = state.counter.increment(observation.time, float(value))
                state.hour.counter_kwh += added
                state.hour.counter_seen = True
                state.energy_total += added
                state.energy_seen = True
        elif role is Role.HEAT_OUTPUT and isinstance(value, EnergyTotal):
            state.heat_is_counter = True
            if math.isfinite(value.kwh):
                state.hour.heat_counter_kwh += state.heat_counter.increment(
                    observation.time, value.kwh
                )
                state.hour.heat_counter_seen = True
        elif role is Role.POWER:
            watts = state.readings.values.get(Role.POWER)
            if watts is not None and watts >= 0 and not state.aux.running:
                state.clusters.update(watts)
        elif role is Role.CLIMATE and state.readings.hvac_action == "defrosting":
            state.climate_reports_defrost = True

    # -- derived state -------------------------------------------------------------------

    @property
    def power_threshold(self) -> float | None:
        """The configured running threshold, else the learned one."""
        if self.config.power_running_threshold is not None:
            return self.config.power_running_threshold
        return self.state.clusters.threshold

    def _defrost_signal(self) -> bool | None:
        """The unit's own defrost signal, or None when it gives none."""
        readings = self.state.readings
        if Role.DEFROST in readings.flags:
            return readings.flags[Role.DEFROST]
        if readings.climate_defrost is not None:
            return readings.climate_defrost
        if self.state.climate_reports_defrost:
            return readings.hvac_action == "defrosting"
        return None

    def _refresh(self, time: float) -> None:
        """Recompute running and defrost from the latest readings.

        Given the same readings it changes nothing, so `update` calls it only when a reading
        it uses changed. Power always counts as changed: it moves the threshold.
        """
        state = self.state
        readings = state.readings
        power = readings.values.get(Role.POWER)
        running = running_from(
            readings.flags.get(Role.COMPRESSOR), power, self.power_threshold, readings.hvac_action
        )
        defrost = state.defrost
        was_defrosting = defrost.active
        runtime = state.cycles.total_runtime + state.cycles.run_length(time)
        defrost.update(
            time,
            self._defrost_signal(),
            heating=bool(running) and readings.season == "heat",
            split=readings.split,
            supply=readings.values.get(Role.SUPPLY_TEMPERATURE),
            runtime=runtime,
        )
        if defrost.active and not was_defrosting:
            state.hour.defrosts += 1
        elif was_defrosting and not defrost.active:
            state.icing_runtime = 0.0
        starts = state.cycles.total_starts
        state.cycles.update(time, True if defrost.active else running)
        state.hour.starts += state.cycles.total_starts - starts

    @staticmethod
    def _needs_refresh(role: Role, *, changed: bool) -> bool:
        """Whether a reading of `role` can change what `_refresh` decides."""
        return role is Role.POWER or (changed and role in REFRESH_ROLES)

    def _needs_aux_update(self, role: Role) -> bool:
        """Whether a reading of `role` can change what `_refresh_aux` decides.

        Inferred aux heat learns from every call, so it always can. An aux-heat source alone
        decides otherwise, so only its own reading can.
        """
        if role is Role.AUX_HEAT:
            return True
        readings = self.state.readings
        return Role.AUX_HEAT not in readings.flags and Role.AUX_HEAT not in readings.values

    def _refresh_aux(self) -> None:
        """Decide whether aux heat runs; when inferred, each call is also a learning sample."""
        state = self.state
        readings = state.readings
        state.aux.update(
            readings.flags.get(Role.AUX_HEAT),
            readings.values.get(Role.AUX_HEAT),
            readings.values.get(Role.POWER),
            compressor=bool(state.cycles.running),
        )

    # -- time ----------------------------------------------------------------------------

    def _move_to(self, time: float) -> None:
        """Integrate up to `time`, closing the hours and days passed on the way."""
        state = self.state
        if state.last_time is None or state.hour_end is None or state.day_end is None:
            self._open_periods(time)
            state.last_time = time
            return
        cursor = state.last_time
        if time < state.hour_end and time - cursor <= MAX_GAP:
            # the common case: within the hour, no boundary to close
            self._integrate(cursor, time)
            state.last_time = time
            if state.cycles.pending_stop is not None:
                state.cycles.advance(time)
            return
        integrate = time - cursor <= MAX_GAP
        while time >= (boundary := min(state.hour_end, state.day_end)):
            if integrate:
                self._integrate(cursor, boundary)
            self._close_hour(boundary)
            if boundary >= state.day_end:
                self._close_day(boundary)
            cursor = boundary
        if integrate:
            self._integrate(cursor, time)
        state.last_time = time
        state.cycles.advance(time)

    def _open_periods(self, time: float) -> None:
        """Start the first hour and day."""
        state = self.state
        day_start, state.day_end = day_bounds(time, self.zone)
        state.day = Period(start=day_start)
        state.cycles.new_day(day_start)
        state.hour = Period(start=time)
        state.hour_end = min(time - time % HOUR + HOUR, state.day_end)

    def _integrate(self, start: float, end: float) -> None:
        """Add the latest readings, held constant from `start` to `end`, to the hour."""
        seconds = end - start
        if seconds <= 0:
            return
        state = self.state
        hour, readings = state.hour, state.readings
        hour.seconds += seconds
        if readings.hvac_mode == "off":
            hour.off_seconds += seconds
        running = bool(state.cycles.running)
        season = readings.season
        run_seconds = seconds if running else 0.0
        if running and (stop := state.cycles.pending_stop) is not None:
            run_seconds = max(0.0, min(end, stop) - start)  # stopped, not yet final
        if run_seconds > 0:
            hour.runtime += run_seconds
            if season == "heat":
                hour.heating_runtime += run_seconds
            off = readings.heating_deficit() if season == "heat" else readings.cooling_excess()
            if off is not None and off >= SETPOINT_MISSED:
                hour.missed_seconds += run_seconds
        outdoor = readings.outdoor
        if outdoor is not None:
            hour.outdoor_seconds += seconds
            hour.outdoor_sum += outdoor * seconds
            heating, cooling = degrees(outdoor)
            hour.heating_degree_seconds += heating * seconds
            hour.cooling_degree_seconds += cooling * seconds
        values = readings.values
        if (power := values.get(Role.POWER)) is not None:
            hour.power_seconds += seconds
            hour.power_ws += max(0.0, power) * seconds
            state.power_energy_total += max(0.0, power) * seconds / HOUR_KWH
            state.power_seen = True
        if not state.heat_is_counter and (heat := values.get(Role.HEAT_OUTPUT)) is not None:
            hour.heat_seconds += seconds
            hour.heat_ws += heat * seconds
        if state.defrost.active:
            hour.defrost_seconds += seconds
        self._integrate_aux(end, seconds, outdoor)
        self._integrate_split(seconds, running, season, outdoor)
        room = values.get(Role.INDOOR_TEMPERATURE)
        if room is not None and readings.climate_temperature is not None:
            hour.offset_seconds += seconds
            hour.offset_sum += (room - readings.climate_temperature) * seconds

    def _integrate_aux(self, end: float, seconds: float, outdoor: float | None) -> None:
        """Aux heat time, and the part of it in weather too mild to need it."""
        state = self.state
        if not state.aux.running:
            return
        state.hour.aux_seconds += seconds
        last_defrost = state.defrost.last_end
        after_defrost = last_defrost is not None and end - last_defrost < AUX_AFTER_DEFROST
        if (
            outdoor is not None
            and outdoor > self.config.aux_heat_max_outdoor_temperature
            and not state.defrost.active
            and not after_defrost
        ):
            state.hour.aux_mild_seconds += seconds
            state.aux_mild.add(end, seconds)

    def _integrate_split(
        self, seconds: float, running: bool, season: str | None, outdoor: float | None
    ) -> None:
        """Split while running steadily, and the icing-runtime bookkeeping of defrost."""
        state = self.state
        split = state.readings.split
        steady = (
            running
            and not state.defrost.active
            and state.cycles.run_length(state.last_time or 0.0) >= STEADY_AFTER
        )
        if steady and split is not None:
            state.hour.split_seconds += seconds
            state.hour.split_sum += abs(split) * seconds
        if outdoor is not None and outdoor > ICING_MAX + THAW_MARGIN:
            state.icing_runtime = 0.0
        elif running and season == "heat" and not state.defrost.active and outdoor is not None:
            state.icing_runtime += seconds

    @staticmethod
    def _load(hour: Period) -> float | None:
        """The unit's mean power over an hour (W), when power was read through most of it."""
        if hour.power_seconds < 0.9 * hour.seconds:
            return None
        return hour.power_ws / hour.power_seconds

    def _close_hour(self, boundary: float) -> None:
        """Feed the finished hour to the baselines and add it to the day."""
        state = self.state
        hour = state.hour
        outdoor = hour.outdoor_mean
        if hour.seconds >= MIN_HOUR and outdoor is not None:
            if hour.missed_seconds < 0.1 * hour.seconds:
                state.runtime_baseline.add(outdoor, hour.runtime / hour.seconds)
                if (load := self._load(hour)) is not None:
                    state.load_baseline.add(outdoor, load)
            self._learn_defrost(hour, outdoor)
            self._learn_cop(hour, outdoor, boundary)
            self._learn_split(hour, outdoor, boundary)
        self._learn_offset(hour, boundary)
        if (indoor := state.readings.indoor) is not None:
            state.indoor_marks.append((boundary, indoor))
        state.day.add(hour)
        state.hour = Period(start=boundary)
        assert state.day_end is not None
        state.hour_end = min(boundary + HOUR, state.day_end)

    def _active(self, kind: str) -> bool:
        """Whether a finding judged on a baseline of this kind is open."""
        tracked = self.state.tracked
        return any(
            (entry := tracked.get(key)) is not None and entry.finding is not None
            for key in BASELINE_FINDINGS[kind]
        )

    def _learn_defrost(self, hour: Period, outdoor: float) -> None:
        """Defrosts per heating hour at this outdoor temperature."""
        state = self.state
        if (
            hour.heating_runtime >= MIN_SAMPLE_RUNTIME
            and state.defrost.known
            and not self._active("defrost")
        ):
            state.defrost_baseline.add(outdoor, hour.defrosts / (hour.heating_runtime / HOUR))

    def _learn_cop(self, hour: Period, outdoor: float, boundary: float) -> None:
        """COP of a running hour, against the COP baseline."""
        state = self.state
        electric, heat = hour.electric_kwh, hour.heat_kwh
        if (
            heat is None
            or electric is None
            or electric < MIN_COP_KWH
            or hour.runtime < MIN_SAMPLE_RUNTIME
            or hour.aux_seconds > 0
        ):
            return
        cop = heat / electric
        expected = state.cop_baseline.expected(outdoor)
        if expected is not None and expected > 0:
            state.efficiency.append(HourSample(boundary, cop, expected))
        if not self._active("cop"):
            state.cop_baseline.add(outdoor, cop)

    def _learn_split(self, hour: Period, outdoor: float, boundary: float) -> None:
        """Mean steady split of the hour, against the split baseline of its season.

        Hours with backup heat are left out: a heating element in the air or water stream
        raises the split, which then says nothing about the heat pump.
        """
        state = self.state
        split = hour.mean_split
        if split is None or hour.split_seconds < MIN_SPLIT_TIME or hour.aux_seconds > 0:
            return
        heating = hour.heating_runtime >= hour.runtime / 2
        baseline = state.heating_split_baseline if heating else state.cooling_split_baseline
        expected = baseline.expected(outdoor)
        if expected is not None and expected > 0:
            state.splits.append(HourSample(boundary, split, expected))
        if not self._active("split"):
            baseline.add(outdoor, split)

    def _learn_offset(self, hour: Period, boundary: float) -> None:
        """The room sensor's difference from the thermostat: learned first, then watched."""
        state = self.state
        offset = hour.mean_offset
        if offset is None or hour.offset_seconds < MIN_HOUR:
            return
        if state.offset_reference is None:
            state.offset_learning.append(offset)
            if len(state.offset_learning) >= OFFSET_HOURS:
                state.offset_reference = median(state.offset_learning)
            return
        state.offsets.append(HourSample(boundary, offset, state.offset_reference))

    def _close_day(self, boundary: float) -> None:
        """Record the finished day and start the next."""
        state = self.state
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
                date=datetime.fromtimestamp(day.start, self.zone).date().isoformat(),
                runtime_hours=round(day.runtime / HOUR, 3),
                starts=state.cycles.starts_today,
                defrosts=state.defrost.count_today,
                defrost_minutes=round(state.defrost.seconds_today / 60, 1),
                aux_hours=round(day.aux_seconds / HOUR, 3),
                outdoor_mean=None if outdoor is None else round(outdoor, 2),
                energy_kwh=None if energy is None else round(energy, 3),
                expected_kwh=None if expected is None else round(expected, 3),
                heat_kwh=None if day.heat_kwh is None else round(day.heat_kwh, 3),
                complete=complete,
                off_hours=round(day.off_seconds / HOUR, 3),
            )
        )
        tracked = state.tracked.get(FindingKey.RUNAWAY_ENERGY)
        runaway = tracked is not None and tracked.finding is not None
        if complete and energy is not None and degree_days is not None and not runaway:
            state.energy_baseline.add(*degree_days, energy)
        day_start, state.day_end = day_bounds(boundary, self.zone)
        state.day = Period(start=day_start)
        state.cycles.new_day(day_start)
        state.defrost.new_day()

    # -- verdicts ------------------------------------------------------------------------

    def _evaluate(self, time: float) -> None:
        """Ask every detector for its verdict and update the findings."""
        state = self.state
        state.next_evaluation = time - time % EVALUATION_INTERVAL + EVALUATION_INTERVAL
        track_outages(state, time)
        context = Context(state, self.config, time, changes_only=self.changes_only)
        hour_closed = self._judged_hour != state.hour.start
        self._judged_hour = state.hour.start
        for detector in DETECTORS:
            if detector.hourly and not hour_closed:
                continue
            tracked = state.tracked.get(detector.key)
            if tracked is None:
                tracked = state.tracked[detector.key] = TrackedFinding()
            condition = detector.detect(context)
            if not condition.present and tracked.finding is None and tracked.pending_since is None:
                continue  # nothing open or pending: `step` would change nothing
            change = step(detector.key, tracked, detector.timing, condition, time)
            if change is not None:
                self._changes.append(change)

    # -- output --------------------------------------------------------------------------

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The open findings, in detector order."""
        tracked = self.state.tracked
        return tuple(
            entry.finding
            for detector in DETECTORS
            if (entry := tracked.get(detector.key)) is not None and entry.finding is not None
        )

    def drain_changes(self) -> list[Finding]:
        """Findings that started (end None), escalated or ended since the last call."""
        changes, self._changes = self._changes, []
        return changes

    def snapshot(self, time: float | None = None) -> HealthSnapshot:
        """Return the statistics as of `time` (default: the last observation)."""
        state = self.state
        now = time if time is not None else state.last_time
        seen = 0.0
        if now is not None and state.first_time is not None:
            seen = max(0.0, now - state.first_time)
        progress = min(1.0, seen / LEARNING_PERIOD)
        cycles, defrost = state.cycles, state.defrost
        if now is None:
            return HealthSnapshot(
                time=None,
                learning=True,
                learning_progress=0.0,
                running=None,
                power_threshold=self.power_threshold,
                starts_last_hour=0,
                starts_today=0,
                runtime_today_hours=0.0,
                median_run_minutes=None,
                median_off_minutes=None,
                total_starts=0,
            )
        median_run = cycles.median_run(now)
        median_off = cycles.median_off(now)
        durations = [seconds for _, seconds in defrost.durations]
        window = min(DAY, seen)
        today = self._today()
        energy_today = today.electric_kwh
        heat_today = today.heat_kwh
        return HealthSnapshot(
            time=now,
            learning=progress < 1.0,
            learning_progress=progress,
            running=cycles.running,
            power_threshold=self.power_threshold,
            starts_last_hour=cycles.starts_within(now, HOUR),
            starts_today=cycles.starts_today,
            runtime_today_hours=cycles.runtime_today_at(now) / HOUR,
            median_run_minutes=median_run / 60 if median_run is not None else None,
            median_off_minutes=median_off / 60 if median_off is not None else None,
            total_starts=cycles.total_starts,
            duty_cycle=cycles.runtime_within(now, window) / window if window > 0 else None,
            defrosting=defrost.active,
            defrosts_today=defrost.count_today,
            defrost_minutes_avg=median(durations) / 60 if durations else None,
            last_defrost=defrost.last_end,
            defrost_recovery_minutes=(
                median(defrost.recoveries) / 60 if defrost.recoveries else None
            ),
            temperature_split=state.readings.split,
            aux_heat_running=state.aux.running,
            energy_today_kwh=energy_today,
            expected_energy_today_kwh=self._expected_so_far(today),
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
            filter_replaced=state.maintenance.get(Maintenance.FILTER),
            serviced=state.maintenance.get(Maintenance.SERVICE),
            findings=self.findings,
            observations=state.observations,
            late_observations=state.late,
        )

    def _today(self) -> Period:
        """Today's totals so far: the closed hours and the hour in progress."""
        today = Period(start=self.state.day.start)
        today.add(self.state.day)
        today.add(self.state.hour)
        return today

    def _expected_so_far(self, today: Period) -> float | None:
        """The baseline's daily energy for today's weather, pro rata for the time observed."""
        degree_days = today.degree_days
        if degree_days is None or today.seconds <= 0:
            return None
        expected = self.state.energy_baseline.expected(*degree_days)
        return None if expected is None else expected * min(1.0, today.seconds / DAY)

    def totals(self) -> Totals:
        """Lifetime totals, for reports."""
        state = self.state
        defrost = state.defrost
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
        )

    # -- persistence ---------------------------------------------------------------------

    def as_dict(self) -> dict[str, Any]:
        """Return everything learned as plain, JSON-serialisable data."""
        return {"version": STATE_VERSION, "state": to_plain(self.state)}

    @classmethod
    def from_dict(
        cls, data: dict[str, Any], config: EngineConfig | None = None, zone: tzinfo = UTC
    ) -> HealthEngine:
        """Restore an engine from `as_dict` output; configuration is not part of the state."""
        if data.get("version") != STATE_VERSION:
            raise StateVersionError(f"unsupported engine state version {data.get('version')!r}")
        engine = cls(config, zone)
        engine.state = from_plain(UnitState, data["state"])
        return engine
