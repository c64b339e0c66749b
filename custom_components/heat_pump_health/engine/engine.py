"""The health engine: one object per heat pump, fed observations in time order.

A facade over modules with one job each, in the order an observation meets them:
`intake` (what counts, role bookkeeping), `integrate` (readings held between observations,
summed into hours and days), `learning` (baselines, as hours and days close), `operation`
(running, defrost, aux heat), `judging` (the detectors' verdicts, every minute, turned into
findings), `report` (snapshot and totals) and `persistence` (saved state). Work per
observation is O(1) amortised and the state is bounded, so a year costs what a day does.
"""

from collections.abc import Iterable, Sequence
from datetime import UTC, tzinfo
import math
from typing import Any

from . import intake, operation
from .config import EngineConfig
from .detectors import BASELINE_FINDINGS
from .findings import Finding, FindingKey, Maintenance
from .integrate import move_to
from .judging import Judge, open_findings
from .learning import reset_baselines
from .model import UnitState
from .observations import Observation
from .persistence import STATE_VERSION, StateVersionError, restore, save
from .recorded import with_statistics
from .report import HealthSnapshot, Totals, snapshot, totals

__all__ = ["STATE_VERSION", "HealthEngine", "HealthSnapshot", "StateVersionError", "Totals"]


class HealthEngine:
    """Consumes observations of one heat pump and keeps its statistics and findings."""

    def __init__(self, config: EngineConfig | None = None, zone: tzinfo = UTC) -> None:
        """Start with nothing learned."""
        self.config = config or EngineConfig()
        self.zone = zone
        self.state = UnitState()
        self._judge = Judge()
        # Set while recorded history is fed: it keeps state changes only, so a source that did
        # not change was not necessarily silent (see `assume_reported`).
        self.changes_only = False

    # -- input ---------------------------------------------------------------------------

    def update(self, observation: Observation) -> bool:
        """Take one observation; return False when it arrived late and was dropped."""
        state = self.state
        time, role = observation.time, observation.role
        if (state.last_time is not None and time < state.last_time) or not math.isfinite(time):
            state.late += 1  # arrived late, or with no real time: dropped
            return False
        if state.first_time is None:
            state.first_time = time
        if time != state.last_time:  # several sources often report at the same instant
            move_to(state, time, self.config, self.zone)
        state.observations += 1
        observation = intake.usable(observation)
        changed = state.readings.record(observation)
        if role in intake.BOOKKEEPING_ROLES:
            intake.bookkeep(state, observation)
        if operation.needs_refresh(role, changed=changed):
            operation.refresh(state, self.power_threshold, time)
        if operation.needs_aux_update(state, role):
            operation.refresh_aux(state)
        if state.next_evaluation is None or time >= state.next_evaluation:
            self._judge_if_due(time)
        return True

    def advance(self, time: float) -> None:
        """Let time pass with no new reading (windows, pending stops, day boundaries)."""
        state = self.state
        if state.last_time is None or time < state.last_time:
            return
        move_to(state, time, self.config, self.zone)
        operation.refresh(state, self.power_threshold, time)
        operation.refresh_aux(state)
        if state.next_evaluation is None or time >= state.next_evaluation:
            self._judge_if_due(time)

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
        self._judge.resolve(self.state, (key,), time)
        if kind is Maintenance.SERVICE:
            self.reset_baselines(time)

    def reset_baselines(self, time: float) -> None:
        """Forget what normal looked like (a repair changed it), and end findings judged on it."""
        reset_baselines(self.state)
        self._judge.judged_hour = None
        self._judge.resolve(self.state, BASELINE_FINDINGS, time)

    @property
    def power_threshold(self) -> float | None:
        """The configured running threshold, else the learned one."""
        return operation.power_threshold(self.config, self.state)

    def _judge_if_due(self, time: float) -> None:
        """Ask the detectors once a minute of observed time has passed."""
        self._judge.evaluate(self.state, self.config, time, changes_only=self.changes_only)

    # -- output --------------------------------------------------------------------------

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The open findings, in detector order."""
        return open_findings(self.state)

    def drain_changes(self) -> list[Finding]:
        """Findings that started (end None), escalated or ended since the last call."""
        return self._judge.drain()

    def snapshot(self, time: float | None = None) -> HealthSnapshot:
        """Return the statistics as of `time` (default: the last observation)."""
        now = time if time is not None else self.state.last_time
        return snapshot(self.state, now, self.power_threshold, self.findings)

    def totals(self) -> Totals:
        """Lifetime totals, for reports."""
        return totals(self.state)

    # -- persistence ---------------------------------------------------------------------

    def as_dict(self) -> dict[str, Any]:
        """Return everything learned as plain, JSON-serialisable data."""
        return save(self.state)

    @classmethod
    def from_dict(
        cls, data: dict[str, Any], config: EngineConfig | None = None, zone: tzinfo = UTC
    ) -> HealthEngine:
        """Restore an engine from `as_dict` output; configuration is not part of the state."""
        engine = cls(config, zone)
        engine.state = restore(data)
        return engine
