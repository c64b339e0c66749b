"""Drive the engine over recorded states exactly as the live integration does.

States go through the same `SourceReader` and `HealthEngine.update` as the coordinator's state
listener, so a replay shows what Home Assistant would have concluded.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT
from homeassistant.core import Context, State

from custom_components.heat_pump_health.engine import HealthEngine
from custom_components.heat_pump_health.engine.engine import Totals
from custom_components.heat_pump_health.engine.findings import (
    MAINTENANCE_FINDINGS,
    Finding,
    FindingKey,
    Maintenance,
)
from custom_components.heat_pump_health.sources import SourceReader

from .history import Row
from .roles import ReplaySetup

# The finding each recorded maintenance date lets the replay judge.
MAINTENANCE_KEYS: dict[Maintenance, FindingKey] = {
    Maintenance.FILTER: FindingKey.FILTER_DUE,
    Maintenance.SERVICE: FindingKey.SERVICE_DUE,
}
# One context for every replayed state, instead of a fresh id per state.
_CONTEXT = Context(id="heat_pump_health_replay")


@dataclass(slots=True)
class ReplayResult:
    """What the engine concluded over the replayed period."""

    findings: list[Finding]
    totals: Totals
    period_start: float | None
    period_end: float | None
    observations: int
    late_observations: int


@dataclass(slots=True)
class FindingLog:
    """Findings in start order; a change of an open finding replaces it."""

    findings: list[Finding] = field(default_factory=list)
    _open: dict[FindingKey, int] = field(default_factory=dict)

    def add(self, change: Finding) -> None:
        """Take one change from `HealthEngine.drain_changes`."""
        index = self._open.get(change.key)
        if index is None:
            index = len(self.findings)
            self.findings.append(change)
        else:
            self.findings[index] = change
        if change.end is None:
            self._open[change.key] = index
        else:
            self._open.pop(change.key, None)


def to_state(row: Row, units: dict[str, str]) -> State:
    """A Home Assistant state, with the roles file's unit where the history has none."""
    attributes = row.attributes
    if ATTR_UNIT_OF_MEASUREMENT not in attributes and row.entity_id in units:
        attributes = {**attributes, ATTR_UNIT_OF_MEASUREMENT: units[row.entity_id]}
    updated = datetime.fromtimestamp(row.last_updated, UTC)
    return State(
        row.entity_id,
        row.state,
        attributes,
        last_changed=datetime.fromtimestamp(row.last_changed, UTC),
        last_reported=updated,
        last_updated=updated,
        context=_CONTEXT,
        last_updated_timestamp=row.last_updated,
    )


def source_reader(setup: ReplaySetup) -> SourceReader:
    """The reader the coordinator would build for these sources."""
    return SourceReader.for_sources(setup.sources, setup.climate_unit, setup.defrost_state)


class Replay:
    """One engine fed a recorded history, collecting findings as they start and end."""

    def __init__(self, setup: ReplaySetup) -> None:
        """Start an engine configured as the roles file says."""
        self.setup = setup
        self.engine = HealthEngine(setup.engine_config, setup.zone)
        # Recorded history keeps changes only, as the recorder backfill reads it.
        self.engine.changes_only = True
        self.reader = source_reader(setup)
        self.log = FindingLog()
        self.first: float | None = None
        self.last: float | None = None
        self._maintenance = sorted((time, kind) for kind, time in setup.maintenance.items())
        self._judged = {MAINTENANCE_KEYS[kind] for kind in setup.maintenance}

    def run(self, rows: Iterable[Row]) -> ReplayResult:
        """Feed every row, then let time run to the period's end."""
        for row in rows:
            self.feed(to_state(row, self.setup.units))
        if self.last is not None:
            self.engine.advance(self.last)
            self._drain()
        snapshot = self.engine.snapshot()
        return ReplayResult(
            findings=self.log.findings,
            totals=self.engine.totals(),
            period_start=self.first,
            period_end=self.last,
            observations=snapshot.observations,
            late_observations=snapshot.late_observations,
        )

    def feed(self, state: State) -> None:
        """One recorded state, through the live path."""
        time = state.last_updated_timestamp
        if self.first is None:
            self.first = time
        self.last = time if self.last is None else max(self.last, time)
        self._record_maintenance(time)
        for observation in self.reader.observations(state):
            self.engine.update(observation)
        self._drain()

    def _record_maintenance(self, until: float) -> None:
        """Tell the engine of maintenance done by `until`, at the moment it was done."""
        while self._maintenance and self._maintenance[0][0] <= until:
            time, kind = self._maintenance.pop(0)
            if self.first is not None and time > self.first:
                self.engine.advance(time)
                self._drain()
            self.engine.record_maintenance(kind, time)
            self._drain()

    def _drain(self) -> None:
        """Collect the engine's changes; maintenance findings only where a date was given."""
        for change in self.engine.drain_changes():
            if change.key in MAINTENANCE_FINDINGS and change.key not in self._judged:
                continue
            self.log.add(change)
