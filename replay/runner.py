"""Drive the engine over recorded states exactly as the integration reads recorded history.

Rows go through the same `SourceReader.read` and `HealthEngine.read_history` as the
integration's recorder backfill, so a replay shows what Home Assistant would have concluded.
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT

from custom_components.heat_pump_health.engine import HealthEngine, Observation, Totals
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


def row_observations(reader: SourceReader, row: Row, units: Mapping[str, str]) -> list[Observation]:
    """A row's observations, with the roles file's unit where the history has none."""
    attributes = row.attributes
    if ATTR_UNIT_OF_MEASUREMENT not in attributes and row.entity_id in units:
        attributes = {**attributes, ATTR_UNIT_OF_MEASUREMENT: units[row.entity_id]}
    return reader.read(row.entity_id, row.state, attributes, row.last_updated)


def source_reader(setup: ReplaySetup) -> SourceReader:
    """The reader the coordinator would build for these sources."""
    return SourceReader.for_sources(
        setup.sources, setup.climate_unit, setup.defrost_state, setup.hot_water_state
    )


class Replay:
    """One engine fed a recorded history, collecting findings as they start and end."""

    def __init__(self, setup: ReplaySetup) -> None:
        """Start an engine configured as the roles file says."""
        self.setup = setup
        self.engine = HealthEngine(setup.engine_config, setup.zone)
        self.reader = source_reader(setup)
        self.log = FindingLog()
        self.first: float | None = None
        self.last: float | None = None
        self._maintenance = sorted((time, kind) for kind, time in setup.maintenance.items())
        self._judged = {MAINTENANCE_KEYS[kind] for kind in setup.maintenance}

    def run(self, rows: Iterable[Row], end: float | None = None) -> ReplayResult:
        """Feed every row as recorded history ending at `end`, then let time run to the last row.

        Without `end`, the rows are read into memory first to find it: the last row's time.
        """
        if end is None:
            rows = list(rows)
            end = max((row.last_updated for row in rows), default=None)
        if end is not None:
            self.engine.read_history(self._observations(rows), end)
            self._drain()
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

    def _observations(self, rows: Iterable[Row]) -> Iterator[Observation]:
        """The rows' observations, with maintenance and finding changes taken between rows.

        The engine pulls each observation only after taking the one before, so what happens
        here between two rows happens to the engine between them too.
        """
        for row in rows:
            time = row.last_updated
            if self.first is None:
                self.first = time
            self.last = time if self.last is None else max(self.last, time)
            self._record_maintenance(time)
            yield from row_observations(self.reader, row, self.setup.units)
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
