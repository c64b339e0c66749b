"""Recorded history in the three shapes Home Assistant hands it out, read as plain rows.

The format is told by content, since downloads are often renamed. Rows that cannot be used are
counted by reason and skipped: one bad line must not cost a whole replay.
"""

from collections import Counter
from collections.abc import Collection, Iterable, Iterator
import csv
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from enum import StrEnum
import io
import json
from pathlib import Path
import sqlite3
from typing import Any

SQLITE_MAGIC = b"SQLite format 3\x00"
# The history panel's download: these columns first, then per-domain attribute columns.
CSV_HEADER = ("entity_id", "state", "last_changed")


class HistoryFormat(StrEnum):
    """Where a history file came from."""

    REST = "rest"  # GET /api/history/period/<start>
    RECORDER = "recorder"  # home-assistant_v2.db
    CSV = "csv"  # the history panel's "Download data"


class HistoryError(ValueError):
    """The history file cannot be read at all; the message says why in one line."""


class BadRow(StrEnum):
    """Why a row was skipped."""

    NOT_AN_OBJECT = "not_an_object"
    MISSING_ENTITY = "missing_entity"
    MISSING_STATE = "missing_state"
    BAD_TIME = "bad_time"
    BAD_ATTRIBUTES = "bad_attributes"
    SHORT_ROW = "short_row"


@dataclass(frozen=True, slots=True)
class Row:
    """One recorded state of one entity; times are epoch seconds."""

    entity_id: str
    state: str
    attributes: dict[str, Any]
    last_updated: float
    last_changed: float


@dataclass(slots=True)
class Tally:
    """What reading a history file met: rows read, skipped as bad, or of other entities."""

    read: int = 0
    bad: Counter[BadRow] = field(default_factory=Counter)
    other_entities: int = 0

    def skip(self, reason: BadRow) -> None:
        """Count a row that cannot be used."""
        self.bad[reason] += 1


def detect_format(path: Path) -> HistoryFormat:
    """Tell the format by the file's first bytes."""
    try:
        with path.open("rb") as file:
            head = file.read(4096)
    except FileNotFoundError:
        raise HistoryError(f"history file not found: {path}") from None
    except OSError as err:
        raise HistoryError(f"cannot read history file {path}: {err}") from None
    if head.startswith(SQLITE_MAGIC):
        return HistoryFormat.RECORDER
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    if text.startswith("["):
        return HistoryFormat.REST
    if tuple(text.split("\n", 1)[0].strip().split(",")[:3]) == CSV_HEADER:
        return HistoryFormat.CSV
    raise HistoryError(
        f"{path} is neither Home Assistant REST history JSON, a recorder database,"
        " nor a history panel CSV download"
    )


@dataclass(frozen=True, slots=True)
class RecordedRows:
    """Rows in time order, and the period's end, known before the rows are read.

    The engine takes recorded history together with the end of its window
    (`HealthEngine.read_history`); a recorder database is streamed, so its end is asked for
    apart from its rows.
    """

    rows: Iterator[Row]
    end: float | None

    def __iter__(self) -> Iterator[Row]:
        """The rows, once."""
        return self.rows


def read_history(
    path: Path, entity_ids: Collection[str], zone: tzinfo, tally: Tally
) -> tuple[HistoryFormat, RecordedRows]:
    """The rows of the given entities, sorted by last_updated; naive times are in `zone`."""
    kind = detect_format(path)
    match kind:
        case HistoryFormat.RECORDER:
            return kind, read_recorder(path, entity_ids, tally)
        case HistoryFormat.REST:
            rows = read_rest(_text(path), entity_ids, zone, tally)
        case HistoryFormat.CSV:
            rows = read_csv(_text(path), entity_ids, zone, tally)
    rows.sort(key=lambda row: row.last_updated)
    return kind, RecordedRows(iter(rows), rows[-1].last_updated if rows else None)


def _text(path: Path) -> str:
    """A text file's content; a leading byte order mark is dropped."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise HistoryError(f"cannot read history file {path}: {err}") from None


def parse_time(value: object, zone: tzinfo) -> float | None:
    """An ISO 8601 time in epoch seconds, or None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.timestamp()


# REST API: GET /api/history/period/<start> returns one list per entity. With
# minimal_response, objects after the first carry only state and last_changed; with
# no_attributes, attributes are empty.


def read_rest(text: str, entity_ids: Collection[str], zone: tzinfo, tally: Tally) -> list[Row]:
    """Rows of a REST history response."""
    try:
        # A list: detection saw the text start with "[".
        data: list[Any] = json.loads(text)
    except json.JSONDecodeError as err:
        raise HistoryError(f"history file is not valid JSON: {err}") from None
    rows: list[Row] = []
    for series in data:
        if not isinstance(series, list):
            tally.read += 1
            tally.skip(BadRow.NOT_AN_OBJECT)
            continue
        rows.extend(_rest_series(series, entity_ids, zone, tally))
    return rows


def _rest_series(
    series: list[Any], entity_ids: Collection[str], zone: tzinfo, tally: Tally
) -> Iterator[Row]:
    """One entity's list: objects may omit entity_id and attributes after the first."""
    first = series[0] if series and isinstance(series[0], dict) else {}
    series_entity = first.get("entity_id")
    attributes: dict[str, Any] = {}
    for item in series:
        tally.read += 1
        if not isinstance(item, dict):
            tally.skip(BadRow.NOT_AN_OBJECT)
            continue
        entity_id = item.get("entity_id", series_entity)
        if not isinstance(entity_id, str):
            tally.skip(BadRow.MISSING_ENTITY)
            continue
        if entity_id not in entity_ids:
            tally.other_entities += 1
            continue
        if isinstance(own := item.get("attributes"), dict):
            attributes = own
        if (row := _rest_row(entity_id, item, attributes, zone, tally)) is not None:
            yield row


def _rest_row(
    entity_id: str, item: dict[str, Any], attributes: dict[str, Any], zone: tzinfo, tally: Tally
) -> Row | None:
    """One state object of a REST response, or None (counted) when it is unusable."""
    state = item.get("state")
    changed = parse_time(item.get("last_changed"), zone)
    updated = parse_time(item.get("last_updated"), zone) if "last_updated" in item else changed
    if not isinstance(state, str):
        tally.skip(BadRow.MISSING_STATE)
        return None
    if "attributes" in item and not isinstance(item["attributes"], dict):
        tally.skip(BadRow.BAD_ATTRIBUTES)
        return None
    if updated is None or changed is None:
        tally.skip(BadRow.BAD_TIME)
        return None
    return Row(entity_id, state, attributes, updated, changed)


# The history panel's CSV: "entity_id,state,last_changed" and, for climate, humidifier and
# water heater entities, extra attribute columns. Times are UTC (JavaScript's toISOString);
# climate rows carry last_updated in that column. There are no units: the roles file names them.


def read_csv(text: str, entity_ids: Collection[str], zone: tzinfo, tally: Tally) -> list[Row]:
    """Rows of a history panel download."""
    lines = csv.reader(io.StringIO(text, newline=""))
    header = next(lines, [])
    rows: list[Row] = []
    for line in lines:
        if not any(line):
            continue
        tally.read += 1
        if (row := _csv_row(header, line, entity_ids, zone, tally)) is not None:
            rows.append(row)
    return rows


def _csv_row(
    header: list[str], line: list[str], entity_ids: Collection[str], zone: tzinfo, tally: Tally
) -> Row | None:
    """One CSV line, or None (counted) when it is unusable or of another entity."""
    if len(line) < len(CSV_HEADER):
        tally.skip(BadRow.SHORT_ROW)
        return None
    entity_id, state, changed_text = line[:3]
    if not entity_id:
        tally.skip(BadRow.MISSING_ENTITY)
        return None
    if entity_id not in entity_ids:
        tally.other_entities += 1
        return None
    if (changed := parse_time(changed_text, zone)) is None:
        tally.skip(BadRow.BAD_TIME)
        return None
    # Each row fills only its own domain's columns; the others are empty.
    attributes = {name: value for name, value in zip(header[3:], line[3:], strict=False) if value}
    return Row(entity_id, state, attributes, changed, changed)


# The recorder database (schema 30 and later: entity ids in states_meta, attributes shared in
# state_attributes, times as epoch floats). last_changed_ts is NULL when it equals last_updated.

_RECORDER_QUERY = """
SELECT states_meta.entity_id, states.state, state_attributes.shared_attrs,
       states.last_updated_ts, states.last_changed_ts
FROM states
JOIN states_meta ON states.metadata_id = states_meta.metadata_id
LEFT JOIN state_attributes ON states.attributes_id = state_attributes.attributes_id
WHERE states_meta.entity_id IN ({placeholders})
ORDER BY states.last_updated_ts, states.state_id
"""
# The period's end, asked for before the rows are streamed: the time of the last state of the
# entities that has a state and a time (a row with unreadable attributes still counts).
_RECORDER_END_QUERY = """
SELECT MAX(states.last_updated_ts)
FROM states
JOIN states_meta ON states.metadata_id = states_meta.metadata_id
WHERE states_meta.entity_id IN ({placeholders})
  AND typeof(states.state) = 'text'
  AND typeof(states.last_updated_ts) IN ('integer', 'real')
"""


def read_recorder(path: Path, entity_ids: Collection[str], tally: Tally) -> RecordedRows:
    """Rows of the given entities from a recorder database, opened read-only."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as err:
        raise HistoryError(f"cannot open recorder database {path}: {err}") from None
    placeholders = ", ".join("?" * len(entity_ids))
    wanted = tuple(entity_ids)
    try:
        (end,) = connection.execute(
            _RECORDER_END_QUERY.format(placeholders=placeholders), wanted
        ).fetchone()
        cursor = connection.execute(_RECORDER_QUERY.format(placeholders=placeholders), wanted)
    except sqlite3.Error as err:
        connection.close()
        raise HistoryError(f"{path} is not a Home Assistant recorder database: {err}") from None
    rows = _recorder_rows(connection, cursor, tally)
    return RecordedRows(rows, None if end is None else float(end))


def _recorder_rows(
    connection: sqlite3.Connection, cursor: Iterable[tuple[Any, ...]], tally: Tally
) -> Iterator[Row]:
    """Rows from a query result; the connection is closed when they run out."""
    try:
        for entity_id, state, shared_attrs, updated, changed in cursor:
            tally.read += 1
            row = _recorder_row(entity_id, state, shared_attrs, updated, changed)
            if isinstance(row, BadRow):
                tally.skip(row)
            else:
                yield row
    except sqlite3.Error as err:
        raise HistoryError(f"recorder database cannot be read: {err}") from None
    finally:
        connection.close()


def _recorder_row(
    entity_id: str, state: object, shared_attrs: object, updated: object, changed: object
) -> Row | BadRow:
    """One database row as a Row, or why it cannot be one."""
    if not isinstance(state, str):
        return BadRow.MISSING_STATE
    if not isinstance(updated, int | float):
        return BadRow.BAD_TIME
    try:
        attributes = json.loads(shared_attrs) if isinstance(shared_attrs, str) else {}
    except json.JSONDecodeError:
        return BadRow.BAD_ATTRIBUTES
    if not isinstance(attributes, dict):
        return BadRow.BAD_ATTRIBUTES
    last_changed = float(changed) if isinstance(changed, int | float) else float(updated)
    return Row(entity_id, state, attributes, float(updated), last_changed)
