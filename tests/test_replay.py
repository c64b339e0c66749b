"""The replay tool: the three history formats, the roles file, the report and the command."""

from collections.abc import Iterator
import csv
from datetime import UTC, datetime
import io
import json
from pathlib import Path
import sqlite3
import subprocess
import sys
from typing import Any

from homeassistant.components.recorder.db_schema import Base
import pytest
from sqlalchemy import create_engine

from custom_components.heat_pump_health.engine import ClimateReading, Role
from custom_components.heat_pump_health.engine.findings import (
    EndReason,
    Finding,
    FindingKey,
    Guidance,
    Maintenance,
    Severity,
)
from replay.cli import main
from replay.history import BadRow, HistoryError, HistoryFormat, Row, Tally, read_history
from replay.report import Report, render_text
from replay.roles import RolesError, parse_setup
from replay.runner import FindingLog, Replay, row_observations, source_reader

REPO = Path(__file__).parent.parent
T0 = datetime(2026, 1, 15, 10, 0, tzinfo=UTC).timestamp()
MINUTE = 60.0

POWER = "sensor.heat_pump_power"
OUTDOOR = "sensor.outdoor_temperature"
CLIMATE = "climate.heat_pump"
LEAK = "binary_sensor.leak"
OTHER = "sensor.kitchen_humidity"

KW = {"device_class": "power", "unit_of_measurement": "kW", "state_class": "measurement"}
FAHRENHEIT = {"device_class": "temperature", "unit_of_measurement": "°F"}
MOISTURE = {"device_class": "moisture"}

# (minute, entity, state, attributes): two 30-minute runs of a heat pump metered in kW.
type Event = tuple[float, str, str, dict[str, Any]]

EVENTS: list[Event] = [
    (0, POWER, "0.02", KW),
    (0, OUTDOOR, "41", FAHRENHEIT),
    (0, CLIMATE, "heat", {"hvac_action": "idle", "temperature": 21, "current_temperature": 20}),
    (5, OTHER, "48", {"unit_of_measurement": "%"}),
    (10, POWER, "1.5", KW),
    (10, CLIMATE, "heat", {"hvac_action": "heating", "temperature": 21, "current_temperature": 20}),
    (40, POWER, "0.03", KW),
    (60, OUTDOOR, "39.2", FAHRENHEIT),
    (70, POWER, "1.4", KW),
    (100, POWER, "0.02", KW),
    (120, OUTDOOR, "37.4", FAHRENHEIT),
]
ROLES: dict[str, Any] = {
    "name": "Test heat pump",
    "climate": CLIMATE,
    "power": POWER,
    "outdoor_temperature": OUTDOOR,
    "options": {"power_running_threshold": 500},
    "time_zone": "Europe/Zurich",
}
# The history panel's download has no units: the roles file names them.
CSV_UNITS = {POWER: "kW", OUTDOOR: "°F"}


def _iso(minute: float) -> str:
    return datetime.fromtimestamp(T0 + minute * MINUTE, UTC).isoformat()


def _write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _rest(events: list[Event]) -> list[list[dict[str, Any]]]:
    """A minimal_response REST answer: full first object per entity, then state and time."""
    series: dict[str, list[dict[str, Any]]] = {}
    for minute, entity_id, state, attributes in events:
        items = series.setdefault(entity_id, [])
        if items and not entity_id.startswith("climate."):
            items.append({"state": state, "last_changed": _iso(minute)})
            continue
        items.append(
            {
                "entity_id": entity_id,
                "state": state,
                "attributes": attributes,
                "last_changed": _iso(minute),
                "last_updated": _iso(minute),
            }
        )
    return list(series.values())


def _csv(events: list[Event]) -> str:
    """The history panel's download: climate attribute columns, times from toISOString."""
    climate_columns = [
        "current_temperature",
        "hvac_action",
        "target_temp_high",
        "target_temp_low",
        "temperature",
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["entity_id", "state", "last_changed", *climate_columns])
    for minute, entity_id, state, attributes in events:
        moment = datetime.fromtimestamp(T0 + minute * MINUTE, UTC)
        when = moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        extra = [attributes.get(name, "") for name in climate_columns]
        writer.writerow([entity_id, state, when, *(extra if entity_id == CLIMATE else [])])
    return out.getvalue()


def _recorder(path: Path, events: list[Event]) -> Path:
    """A recorder database with Home Assistant's own schema."""
    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    engine.dispose()
    with sqlite3.connect(path) as connection:
        for entity_id in dict.fromkeys(entity for _, entity, _, _ in events):
            connection.execute("INSERT INTO states_meta (entity_id) VALUES (?)", (entity_id,))
        for minute, entity_id, state, attributes in events:
            shared = json.dumps(attributes)
            cursor = connection.execute(
                "INSERT INTO state_attributes (hash, shared_attrs) VALUES (?, ?)",
                (hash(shared) & 0xFFFFFFFF, shared),
            )
            # last_changed_ts is NULL when it equals last_updated_ts, as the recorder writes it.
            connection.execute(
                "INSERT INTO states (metadata_id, state, attributes_id, last_updated_ts,"
                " last_changed_ts) VALUES ((SELECT metadata_id FROM states_meta"
                " WHERE entity_id = ?), ?, ?, ?, NULL)",
                (entity_id, state, cursor.lastrowid, T0 + minute * MINUTE),
            )
    connection.close()
    return path


@pytest.fixture
def roles_file(tmp_path: Path) -> Path:
    return _write_json(tmp_path / "roles.json", {**ROLES, "units": CSV_UNITS})


@pytest.fixture(scope="module")
def recorder_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _recorder(tmp_path_factory.mktemp("recorder") / "home-assistant_v2.db", EVENTS)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _report(
    capsys: pytest.CaptureFixture[str], history: Path, roles: Path, tmp_path: Path
) -> dict[str, Any]:
    out = tmp_path / "out.json"
    code, text, err = _run(
        capsys, "--history", str(history), "--roles", str(roles), "--json", str(out)
    )
    assert (code, err) == (0, "")
    assert "Summary:" in text
    return dict(json.loads(out.read_text(encoding="utf-8")))


def _history(tmp_path: Path, kind: str) -> Path:
    """The same events in one format, under a name that does not give the format away."""
    path = tmp_path / f"history-{kind}.download"
    if kind == "recorder":
        return _recorder(path, EVENTS)
    if kind == "rest":
        return _write_json(path, _rest(EVENTS))
    path.write_text(_csv(EVENTS), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["rest", "csv", "recorder"])
def test_formats_round_trip(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, roles_file: Path, kind: str
) -> None:
    """Each format, told by content, gives the same cycles over the same period."""
    report = _report(capsys, _history(tmp_path, kind), roles_file, tmp_path)

    summary = report["summary"]
    assert summary["format"] == kind
    assert summary["period_start"] == "2026-01-15T11:00:00+01:00"
    assert summary["period_end"] == "2026-01-15T13:00:00+01:00"
    assert summary["cycles"] == 2
    assert summary["runtime_hours"] == pytest.approx(1.0)
    # Energy integrated from the kW sensor in W: 1.5 kW and 1.4 kW for half an hour each,
    # plus standby.
    assert summary["energy_kwh"] == pytest.approx(1.475, rel=1e-3)
    # Rows of entities that play no role are not read from a database at all.
    other = 0 if kind == "recorder" else 1
    assert (summary["rows_read"], summary["rows_bad"]) == (len(EVENTS) - 1 + other, 0)
    assert summary["rows_other_entities"] == other
    assert summary["observations"] == len(EVENTS) - 1
    assert summary["late_observations"] == 0


@pytest.mark.parametrize("kind", ["rest", "csv", "recorder"])
def test_history_end_known_before_the_rows(tmp_path: Path, kind: str) -> None:
    """Each format tells the period's end before its rows are read: the last row's time."""
    _, rows = read_history(_history(tmp_path, kind), {POWER, OUTDOOR, CLIMATE}, UTC, Tally())

    assert rows.end == T0 + 120 * MINUTE
    assert max(row.last_updated for row in rows) == rows.end


def test_replay_reads_recorded_history_through_the_engine(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The rows reach the engine as recorded history ending at the period's end, in one call."""
    setup = parse_setup(ROLES)
    history = _history(tmp_path, "recorder")
    _, rows = read_history(history, set(setup.sources.values()), UTC, Tally())
    replay = Replay(setup)
    calls: list[tuple[int, float]] = []
    read = replay.engine.read_history

    def spy(states: Iterator[Any], end: float) -> int:
        fed = read(states, end)
        calls.append((fed, end))
        return fed

    monkeypatch.setattr(replay.engine, "read_history", spy)

    result = replay.run(rows, rows.end)

    assert calls == [(len(EVENTS) - 1, T0 + 120 * MINUTE)]
    assert result.period_end == T0 + 120 * MINUTE
    assert replay.engine.changes_only is False


def test_json_shape_and_iso_times(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, roles_file: Path
) -> None:
    """--json writes findings and a summary with ISO 8601 times and nulls for unknowns."""
    report = _report(capsys, _history(tmp_path, "rest"), roles_file, tmp_path)

    assert set(report) == {"version", "findings", "summary"}
    assert isinstance(report["findings"], list)
    summary = report["summary"]
    for key in (
        "period_start",
        "period_end",
        "cycles",
        "runtime_hours",
        "defrost_count",
        "defrost_minutes_avg",
        "energy_kwh",
        "rows_read",
        "rows_bad",
        "observations",
        "late_observations",
    ):
        assert key in summary
    start = datetime.fromisoformat(summary["period_start"])
    assert start.utcoffset() is not None
    assert start.timestamp() == T0


def test_totals_null_where_roles_cannot_tell(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A running sensor alone tells cycles, but neither defrosts nor energy."""
    compressor = "binary_sensor.compressor"
    events: list[Event] = [
        (0, compressor, "off", {}),
        (10, compressor, "on", {}),
        (40, compressor, "off", {}),
    ]
    history = _write_json(tmp_path / "history.json", _rest(events))
    roles = _write_json(tmp_path / "roles.json", {"compressor": compressor})

    summary = _report(capsys, history, roles, tmp_path)["summary"]

    assert summary["cycles"] == 1
    assert summary["defrost_count"] is None
    assert summary["defrost_minutes_avg"] is None
    assert summary["energy_kwh"] is None


def test_finding_json_fields() -> None:
    """A finding is written with its key, ISO times, severity, guidance and evidence."""
    finding = Finding(
        FindingKey.WATER_LEAK,
        start=T0,
        severity=Severity.CRITICAL,
        guidance=Guidance.EMERGENCY,
        evidence={"sensor": LEAK},
    )
    setup = parse_setup(ROLES)
    result = Replay(setup).run([])
    result.findings.append(finding)
    report = Report(Path("h.json"), HistoryFormat.REST, setup.zone, Tally(), result)

    (written,) = report.as_dict()["findings"]
    assert written["key"] == "water_leak"
    assert written["start"] == "2026-01-15T11:00:00+01:00"
    assert written["end"] is None
    assert (written["severity"], written["guidance"]) == ("critical", "emergency")
    assert written["evidence"] == {"sensor": LEAK}


def test_findings_in_text_report() -> None:
    """The text report shows each finding's key, severity, guidance, times and evidence."""
    setup = parse_setup(ROLES)
    result = Replay(setup).run([])
    started = Finding(
        FindingKey.SHORT_CYCLING,
        start=T0,
        severity=Severity.WARNING,
        guidance=Guidance.DIY,
        evidence={"starts_per_hour": 7.25, "median_run_minutes": 4},
    )
    result.findings += [started.ended(T0 + 3600, EndReason.CLEARED), started]
    tally = Tally(read=3)
    tally.skip(BadRow.BAD_TIME)

    text = render_text(Report(Path("h.csv"), HistoryFormat.CSV, setup.zone, tally, result))

    assert "Findings (2):" in text
    assert "  short_cycling: warning, diy" in text
    assert "from 2026-01-15 11:00:00+0100 to 2026-01-15 12:00:00+0100 (cleared)" in text
    assert "to still open" in text
    assert "evidence: starts_per_hour=7.25, median_run_minutes=4" in text
    assert "Rows: 3 read, 1 bad (1 bad_time)" in text


def test_csv_naive_times_in_roles_time_zone(tmp_path: Path) -> None:
    """A time without an offset is read in the roles file's time zone."""
    path = tmp_path / "history.csv"
    path.write_text(
        f"entity_id,state,last_changed\n{POWER},1.5,2026-01-15T11:00:00\n", encoding="utf-8"
    )

    _, rows = read_history(path, {POWER}, parse_setup(ROLES).zone, Tally())

    assert [row.last_updated for row in rows] == [T0]


def test_unit_conversion_fahrenheit_and_kilowatts() -> None:
    """°F and kW sources reach the engine in °C and W, through the live SourceReader."""
    setup = parse_setup({**ROLES, "options": {"climate_unit": "°F"}})
    reader = source_reader(setup)

    def value(entity_id: str, state: str, attributes: dict[str, Any]) -> object:
        row = Row(entity_id, state, attributes, T0, T0)
        (observation,) = row_observations(reader, row, setup.units)
        return observation.value

    assert value(OUTDOOR, "50", FAHRENHEIT) == pytest.approx(10.0)
    assert value(POWER, "1.5", KW) == pytest.approx(1500.0)
    climate = value(CLIMATE, "heat", {"hvac_action": "heating", "current_temperature": "68"})
    assert isinstance(climate, ClimateReading)
    assert climate.current_temperature == pytest.approx(20.0)


def test_units_from_roles_file_when_history_has_none() -> None:
    """The roles file's units apply only where a state has no unit of its own."""
    setup = parse_setup({**ROLES, "units": {POWER: "kW"}})
    reader = source_reader(setup)
    watts = {"unit_of_measurement": "W"}
    bare = row_observations(reader, Row(POWER, "2", {}, T0, T0), setup.units)
    own = row_observations(reader, Row(POWER, "2", watts, T0, T0), setup.units)

    assert [obs.value for obs in bare] == [2000.0]
    assert [obs.value for obs in own] == [2.0]


def test_compressor_frequency_alone_is_an_activity_source() -> None:
    """A roles file with only a compressor frequency is accepted; its CSV unit is % or Hz."""
    frequency = "sensor.compressor_frequency"
    setup = parse_setup({"compressor_frequency": frequency, "units": {frequency: "%"}})
    reader = source_reader(setup)
    rows = row_observations(reader, Row(frequency, "64", {}, T0, T0), setup.units)

    assert setup.sources == {Role.COMPRESSOR_FREQUENCY: frequency}
    assert [obs.value for obs in rows] == [64.0]


def test_csv_climate_columns_and_quoting(tmp_path: Path) -> None:
    """Climate attribute columns become attributes; quoted states keep their commas."""
    path = tmp_path / "history.csv"
    path.write_text(
        "\ufeffentity_id,state,last_changed,current_temperature,hvac_action,"
        "target_temp_high,target_temp_low,temperature\n"
        f"{CLIMATE},heat,2026-01-15T10:00:00.000Z,20.5,heating,,,21\n"
        'select.mode,"auto, eco",2026-01-15T10:01:00.000Z\n',
        encoding="utf-8",
    )
    tally = Tally()

    kind, rows = read_history(path, {CLIMATE, "select.mode"}, UTC, tally)

    assert kind is HistoryFormat.CSV
    climate, mode = list(rows)
    assert climate.attributes == {
        "current_temperature": "20.5",
        "hvac_action": "heating",
        "temperature": "21",
    }
    assert climate.last_updated == T0
    assert mode.state == "auto, eco"


def test_bad_rows_counted_never_fatal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, roles_file: Path
) -> None:
    """Unusable rows are counted by reason and the rest is replayed."""
    series: list[Any] = _rest(EVENTS)
    series[0] += [
        {"state": "1.0", "last_changed": "yesterday"},
        {"last_changed": _iso(3)},
        "not an object",
        {"state": "1.0", "last_changed": _iso(4), "attributes": ["not", "a", "dict"]},
    ]
    series.append([{"state": "1.0", "last_changed": _iso(5)}])
    series.append("not a list")
    history = _write_json(tmp_path / "history.json", series)

    summary = _report(capsys, history, roles_file, tmp_path)["summary"]

    assert summary["rows_bad"] == 6
    assert summary["rows_bad_reasons"] == {
        "bad_time": 1,
        "missing_state": 1,
        "not_an_object": 2,
        "bad_attributes": 1,
        "missing_entity": 1,
    }
    assert summary["cycles"] == 2


def test_bad_csv_rows_counted(tmp_path: Path) -> None:
    """Short rows, rows without an entity and unparseable times are counted."""
    path = tmp_path / "history.csv"
    path.write_text(
        "entity_id,state,last_changed\n"
        f"{POWER},1.5,2026-01-15T10:00:00.000Z\n"
        f"{POWER},1.5\n"
        ",1.5,2026-01-15T10:00:00.000Z\n"
        f"{POWER},1.5,15/01/2026 10:00\n"
        "\n",
        encoding="utf-8",
    )
    tally = Tally()

    _, rows = read_history(path, {POWER}, UTC, tally)

    assert len(list(rows)) == 1
    assert tally.read == 4
    assert tally.bad == {BadRow.SHORT_ROW: 1, BadRow.MISSING_ENTITY: 1, BadRow.BAD_TIME: 1}


def test_bad_recorder_rows_counted(tmp_path: Path) -> None:
    """Database rows without a state, a time or readable attributes are counted."""
    path = _recorder(tmp_path / "home-assistant_v2.db", EVENTS[:1])
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT INTO state_attributes (shared_attrs) VALUES ('{broken')")
        broken = connection.execute("SELECT max(attributes_id) FROM state_attributes").fetchone()
        for state, attributes_id, updated in [
            (None, 1, T0 + 60),
            ("1.0", 1, None),
            ("1.0", broken[0], T0 + 120),
        ]:
            connection.execute(
                "INSERT INTO states (metadata_id, state, attributes_id, last_updated_ts)"
                " VALUES (1, ?, ?, ?)",
                (state, attributes_id, updated),
            )
    connection.close()
    tally = Tally()

    _, rows = read_history(path, {POWER}, UTC, tally)

    assert [row.state for row in rows] == ["0.02"]
    assert tally.bad == {
        BadRow.MISSING_STATE: 1,
        BadRow.BAD_TIME: 1,
        BadRow.BAD_ATTRIBUTES: 1,
    }


def test_recorder_database_opened_read_only(recorder_db: Path) -> None:
    """Reading a database leaves it as it was."""
    before = recorder_db.read_bytes()

    _, rows = read_history(recorder_db, {POWER, OUTDOOR}, UTC, Tally())

    assert len(list(rows)) == 8
    assert recorder_db.read_bytes() == before


def _bad_roles() -> Iterator[Any]:
    yield pytest.param(None, id="missing")
    yield pytest.param("{not json", id="invalid-json")
    yield pytest.param([], id="not-an-object")
    yield pytest.param({"leak": LEAK}, id="no-activity-source")
    yield pytest.param({"power": "not an entity"}, id="bad-entity-id")
    yield pytest.param({"power": POWER, "compresor": "binary_sensor.x"}, id="unknown-key")
    yield pytest.param({"power": POWER, "time_zone": "Mars/Olympus"}, id="bad-time-zone")
    yield pytest.param({"power": POWER, "options": {"filter_days": "x"}}, id="bad-option")
    yield pytest.param({"power": POWER, "options": {"filter_dayz": 3}}, id="unknown-option")
    yield pytest.param({"power": POWER, "options": {"climate_unit": "°X"}}, id="bad-climate-unit")
    yield pytest.param({"power": POWER, "maintenance": {"filter": "soon"}}, id="bad-date")
    yield pytest.param({"power": POWER, "maintenance": {"coil": "2026-01-01"}}, id="bad-kind")
    yield pytest.param({"power": POWER, "units": {POWER: 1000}}, id="bad-unit")
    yield pytest.param({"power": POWER, "defrost_state": 1}, id="bad-defrost-state")
    yield pytest.param({"power": POWER, "options": []}, id="options-not-an-object")
    yield pytest.param(
        {"power": POWER, "options": {"unit_error_ok_states": "Standby"}}, id="ok-states-not-a-list"
    )


@pytest.mark.parametrize("content", _bad_roles())
def test_bad_roles_file_exit_code_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: Any
) -> None:
    """A roles file that cannot be used is one line on stderr and exit code 2."""
    history = _history(tmp_path, "rest")
    roles = tmp_path / "roles.json"
    if isinstance(content, str):
        roles.write_text(content, encoding="utf-8")
    elif content is not None:
        _write_json(roles, content)

    code, out, err = _run(capsys, "--history", str(history), "--roles", str(roles))

    assert code == 2
    assert out == ""
    assert err.startswith("replay: ")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    "content",
    [None, b"", b"hello", b'{"message": "Unauthorized"}', b"[not json", b"\xff\xfe"],
    ids=["missing", "empty", "text", "json-object", "broken-json", "binary"],
)
def test_unreadable_history_exit_code_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, roles_file: Path, content: bytes | None
) -> None:
    """A missing file or one of no known format is one line on stderr and exit code 2."""
    history = tmp_path / "history"
    if content is not None:
        history.write_bytes(content)

    code, out, err = _run(capsys, "--history", str(history), "--roles", str(roles_file))

    assert (code, out) == (2, "")
    assert err.startswith("replay: ")
    assert err.count("\n") == 1


def test_sqlite_file_that_is_not_a_recorder(tmp_path: Path) -> None:
    """Any SQLite file is not a recorder database."""
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE things (id INTEGER)")
    connection.close()

    with pytest.raises(HistoryError, match="not a Home Assistant recorder database"):
        read_history(path, {POWER}, UTC, Tally())


def test_roles_file_settings() -> None:
    """Dates, options and the time zone are read as the integration reads them."""
    setup = parse_setup(
        {
            **ROLES,
            "defrost_state": "Defrost",
            "maintenance": {"filter": "2026-01-01", "service": "2025-10-01T08:30:00+00:00"},
            "options": {"power_running_threshold": None, "filter_days": 30, "notify_entities": []},
        }
    )

    assert setup.sources[Role.POWER] == POWER
    assert setup.defrost_state == "Defrost"
    assert setup.engine_config.filter_days == 30
    assert setup.engine_config.power_running_threshold is None
    # A date is midnight in the roles file's time zone (Zurich is UTC+1 in winter).
    assert (
        setup.maintenance[Maintenance.FILTER] == datetime(2025, 12, 31, 23, tzinfo=UTC).timestamp()
    )
    assert (
        setup.maintenance[Maintenance.SERVICE]
        == datetime(2025, 10, 1, 8, 30, tzinfo=UTC).timestamp()
    )
    with pytest.raises(RolesError, match="IANA time zone"):
        parse_setup({**ROLES, "time_zone": 5})


def _maintenance_finding(key: FindingKey, start: float) -> Finding:
    return Finding(key, start=start, severity=Severity.INFO, guidance=Guidance.DIY)


@pytest.mark.parametrize(
    ("maintenance", "expected"),
    [
        ({}, []),
        ({"filter": "2025-11-01"}, ["filter_due"]),
        ({"filter": "2025-11-01", "service": "2025-06-01"}, ["filter_due", "service_due"]),
    ],
)
def test_maintenance_findings_only_with_dates(
    monkeypatch: pytest.MonkeyPatch, maintenance: dict[str, str], expected: list[str]
) -> None:
    """Without a date the replay cannot know when maintenance was due, so it says nothing."""
    replay = Replay(parse_setup({**ROLES, "maintenance": maintenance}))
    recorded: list[tuple[Maintenance, float]] = []
    monkeypatch.setattr(
        replay.engine, "record_maintenance", lambda kind, time: recorded.append((kind, time))
    )
    changes = [
        _maintenance_finding(FindingKey.FILTER_DUE, T0),
        _maintenance_finding(FindingKey.SERVICE_DUE, T0),
    ]
    batches = iter([changes])
    monkeypatch.setattr(replay.engine, "drain_changes", lambda: next(batches, []))

    result = replay.run([Row(POWER, "0.02", KW, T0, T0)])

    assert sorted({finding.key.value for finding in result.findings}) == expected
    assert sorted(kind.value for kind, _ in recorded) == sorted(maintenance)


def test_maintenance_within_the_period_recorded_when_it_happens(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A filter replaced mid-history reaches the engine between the states around it."""
    replay = Replay(parse_setup({**ROLES, "maintenance": {"filter": _iso(30)}, "time_zone": "UTC"}))
    calls: list[str] = []
    monkeypatch.setattr(
        replay.engine, "record_maintenance", lambda kind, time: calls.append(f"maintenance {time}")
    )
    update = replay.engine.update

    def spy(observation: Any) -> bool:
        calls.append(f"update {observation.time}")
        return update(observation)

    monkeypatch.setattr(replay.engine, "update", spy)

    replay.run([Row(POWER, "0.02", KW, T0, T0), Row(POWER, "1.5", KW, T0 + 3600, T0 + 3600)])

    assert calls == [
        f"update {T0}",
        f"maintenance {T0 + 30 * MINUTE}",
        f"update {T0 + 3600}",
    ]


def test_finding_log_pairs_starts_and_ends() -> None:
    """An ended finding replaces its start; a later start of the same key is a new entry."""
    log = FindingLog()
    first = _maintenance_finding(FindingKey.SHORT_CYCLING, T0)
    log.add(first)
    log.add(first.ended(T0 + 60, EndReason.CLEARED))
    log.add(_maintenance_finding(FindingKey.SHORT_CYCLING, T0 + 120))

    assert [(finding.start, finding.end) for finding in log.findings] == [
        (T0, T0 + 60),
        (T0 + 120, None),
    ]


def test_empty_history_reports_no_period(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, roles_file: Path
) -> None:
    """A history without the configured entities is a report with no period, not a crash."""
    history = _write_json(tmp_path / "history.json", [])

    code, out, _ = _run(capsys, "--history", str(history), "--roles", str(roles_file))

    assert code == 0
    assert "no states of the configured entities" in out


def test_command_line_through_python_m_replay(tmp_path: Path, roles_file: Path) -> None:
    """`python -m replay` prints the report; the format is told by content."""
    history = _history(tmp_path, "csv")

    process = subprocess.run(
        [sys.executable, "-m", "replay", "--history", str(history), "--roles", str(roles_file)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert process.returncode == 0, process.stderr
    assert "Heat Pump Health replay: Test heat pump" in process.stdout
    assert "history panel download (CSV)" in process.stdout
    assert "compressor starts:    2" in process.stdout


# The integration's Home Assistant side, which the replay tool and the benchmarks do not need.
HOME_ASSISTANT_LAYER = (
    "homeassistant.components.recorder",
    "custom_components.heat_pump_health.coordinator",
)


# Home Assistant's sensor platform and the websocket API and HTTP server it brings along.
SENSOR_PLATFORM = (
    "homeassistant.components.sensor",
    "homeassistant.components.websocket_api",
    "homeassistant.components.http",
)


def _import_alone(module: str, unwanted: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
    """Import `module` in a fresh interpreter; it fails if any of `unwanted` got loaded."""
    code = (
        f"import {module}, sys; "
        f"loaded = [name for name in {unwanted!r} if name in sys.modules]; "
        "assert not loaded, loaded"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize(
    "module",
    ["custom_components.heat_pump_health.engine", "custom_components.heat_pump_health.sources"],
)
def test_engine_and_reader_import_without_the_home_assistant_layer(module: str) -> None:
    """Importing the engine or the source reader loads neither the coordinator nor the recorder.

    They cost the replay tool seconds of every run (issue #18).
    """
    process = _import_alone(module, HOME_ASSISTANT_LAYER)

    assert process.returncode == 0, process.stderr


def test_source_reader_imports_without_the_sensor_platform() -> None:
    """The source reader loads no sensor platform: half of the replay tool's import time."""
    process = _import_alone("custom_components.heat_pump_health.sources", SENSOR_PLATFORM)

    assert process.returncode == 0, process.stderr


def test_leak_sensor_raises_water_leak(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A moisture sensor turning on is a water_leak finding that is still open at the end.

    The one test that depends on a detector (the engine's leak detector), not only on replay.
    """
    events: list[Event] = [
        *EVENTS,
        (0, LEAK, "off", MOISTURE),
        (90, LEAK, "on", MOISTURE),
    ]
    history = _write_json(tmp_path / "history.json", _rest(events))
    roles = _write_json(tmp_path / "roles.json", {**ROLES, "leak": LEAK})

    report = _report(capsys, history, roles, tmp_path)

    leaks = [finding for finding in report["findings"] if finding["key"] == "water_leak"]
    assert len(leaks) == 1
    start = datetime.fromisoformat(leaks[0]["start"]).timestamp()
    assert T0 + 90 * MINUTE <= start <= T0 + 120 * MINUTE
    assert leaks[0]["end"] is None


def test_error_code_and_pressure_in_psi(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The unit's error code (an owner's extra ok state included) and a pressure in psi.

    The error code E7 is a fault from minute 30 until the unit shows "Standby", which the roles
    file names as meaning no fault; the pressure, 11.6 psi (0.8 bar), is low throughout.
    Like the leak test above, it depends on the engine's detectors.
    """
    error, pressure = "sensor.heat_pump_error_code", "sensor.heat_pump_water_pressure"
    psi = {"device_class": "pressure", "unit_of_measurement": "psi"}
    events: list[Event] = [
        *EVENTS,
        (0, error, "No error", {}),
        (0, pressure, "11.6", psi),
        (30, error, "E7", {}),
        (60, error, "Standby", {}),
        (110, pressure, "11.7", psi),
    ]
    history = _write_json(tmp_path / "history.json", _rest(events))
    setup = {
        **ROLES,
        "unit_error": error,
        "water_pressure": pressure,
        "options": {**ROLES["options"], "unit_error_ok_states": ["standby"]},
    }
    roles = _write_json(tmp_path / "roles.json", setup)

    report = _report(capsys, history, roles, tmp_path)

    by_key = {finding["key"]: finding for finding in report["findings"]}
    fault = by_key["unit_fault"]
    assert fault["evidence"] == {"code": "E7"}
    assert datetime.fromisoformat(fault["start"]).timestamp() >= T0 + 35 * MINUTE
    assert fault["end"] is not None
    # judged when a row arrives: the clear window passed at the power reading of minute 100
    assert T0 + 70 * MINUTE <= datetime.fromisoformat(fault["end"]).timestamp() <= T0 + 100 * MINUTE
    low = by_key["low_water_pressure"]
    assert low["evidence"]["pressure"] == 0.8
    assert low["end"] is None
