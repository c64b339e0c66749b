"""The Daikin Altherma week, replayed: the engine's starts, defrosts and findings beside the raw data's.

The source (../shared/data/daikin_altherma_espaltherma_2024-10-10_to_2024-10-16_30s.csv, from
matban666/heat-pump-stats, MIT, Copyright (c) 2024 Matt; see NOTICE) is one real air-to-water
heat pump read through ESPAltherma into Home Assistant, in 30 s frames that hold a value only
where Home Assistant recorded a change. Each cell that differs from its column's previous value
becomes one recorded state, fed through the replay tool's path (`SourceReader.read`, then
`HealthEngine.read_history`), as the integration's recorder backfill would take it.

Two replays, neither with a thermostat: power, flow, return and outdoor temperature; and the
same with the unit's own defrost flag. Run alone with `python -m benchmarks.daikin`.
"""

from collections import Counter
from collections.abc import Iterable, Iterator
import csv
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
import sys

from custom_components.heat_pump_health.engine import FindingKey, HealthEngine, Severity
from replay.history import Row
from replay.roles import parse_setup
from replay.runner import Replay

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
SOURCE = DATA / "daikin_altherma_espaltherma_2024-10-10_to_2024-10-16_30s.csv"
DEFROSTS = DATA / "daikin_altherma_defrost_events_derived.csv"
REFERENCE = DATA / "daikin_altherma_reference_cycles_from_author_tool.csv"
ZONE = "Europe/London"
# The raw data's own rule for a compressor run, and how close an engine event must be to count.
RAW_RUNNING_W = 300.0
MATCH_S = 5 * 60.0
SHORT_RUN_S = 10 * 60.0
# column -> (entity id, unit, device class)
NUMERIC = {
    "hp_elec_power_w": ("sensor.altherma_power", "W", "power"),
    "flow_temp_c": ("sensor.altherma_flow_temperature", "°C", "temperature"),
    "return_temp_c": ("sensor.altherma_return_temperature", "°C", "temperature"),
    "outdoor_temp_c": ("sensor.altherma_outdoor_temperature", "°C", "temperature"),
}
DEFROST_ENTITY = "binary_sensor.altherma_defrost"
# The third replay adds the three-way valve as the hot-water source, and the water flow.
VALVE_ENTITY = "binary_sensor.altherma_three_way_valve_dhw"
FLOW = {"flow_rate_lpm": ("sensor.altherma_flow_rate", "L/min", "volume_flow_rate")}
ROLES = {
    "power": "sensor.altherma_power",
    "supply_temperature": "sensor.altherma_flow_temperature",
    "return_temperature": "sensor.altherma_return_temperature",
    "outdoor_temperature": "sensor.altherma_outdoor_temperature",
    "time_zone": ZONE,
}

type Span = tuple[float, float]


def _time(text: str) -> float:
    """An ISO time with a Z (UTC), as epoch seconds."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def _frames() -> list[dict[str, str]]:
    with SOURCE.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def recorded_rows(
    frames: Iterable[dict[str, str]], *, defrost: bool, hot_water: bool = False
) -> list[Row]:
    """The frames as Home Assistant's recorder holds them: one row per change, in time order."""
    rows: list[Row] = []
    last: dict[str, str] = {}
    numeric = {**NUMERIC, **FLOW} if hot_water else NUMERIC
    for frame in frames:
        moment = _time(frame["timestamp_utc"])
        for column, (entity_id, unit, device_class) in numeric.items():
            raw = frame[column]
            if raw and last.get(column) != (state := str(float(raw))):
                last[column] = state
                attributes = {
                    "unit_of_measurement": unit,
                    "device_class": device_class,
                    "state_class": "measurement",
                }
                rows.append(Row(entity_id, state, attributes, moment, moment))
        raw = frame["defrost"]
        if defrost and raw and last.get("defrost") != (state := "on" if raw == "1" else "off"):
            last["defrost"] = state
            rows.append(Row(DEFROST_ENTITY, state, {"device_class": "cold"}, moment, moment))
        raw = frame["three_way_valve_dhw"]
        if hot_water and raw and last.get("valve") != (state := "on" if raw == "1" else "off"):
            last["valve"] = state
            rows.append(Row(VALVE_ENTITY, state, {}, moment, moment))
    return rows


@dataclass(slots=True)
class Seen:
    """What the engine concluded over one replay."""

    starts: list[float] = field(default_factory=list)
    defrosts: list[float] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    alarms: int = 0
    runtime_h: float = 0.0
    inferred: bool = True
    hot_water: bool = False
    hot_water_runs: int = 0
    hot_water_starts: int = 0
    hot_water_h: float = 0.0


def _watched(rows: list[Row], engine: HealthEngine, seen: Seen) -> Iterator[Row]:
    """The rows, noting the engine's new starts and defrosts after it took each one."""
    counted = 0
    defrosting = False
    for row in rows:
        yield row
        cycles = engine.state.cycles
        if cycles.total_starts > counted:
            seen.starts += list(cycles.starts)[counted - cycles.total_starts :]
            counted = cycles.total_starts
        active = engine.state.defrost.active
        if active and not defrosting:
            seen.defrosts.append(row.last_updated)
        defrosting = active


def replay(frames: list[dict[str, str]], *, defrost: bool, hot_water: bool = False) -> Seen:
    """Replay the week through the engine, with or without the defrost flag and the valve."""
    roles: dict[str, str] = dict(ROLES)
    if defrost:
        roles["defrost"] = DEFROST_ENTITY
    if hot_water:
        roles["hot_water"] = VALVE_ENTITY
        roles["flow_rate"] = FLOW["flow_rate_lpm"][0]
    runner = Replay(parse_setup(roles))
    rows = recorded_rows(frames, defrost=defrost, hot_water=hot_water)
    seen = Seen(inferred=not defrost, hot_water=hot_water)
    result = runner.run(_watched(rows, runner.engine, seen), rows[-1].last_updated)
    seen.runtime_h = runner.engine.state.cycles.total_runtime / 3600
    totals = result.totals
    seen.hot_water_runs = totals.hot_water_runs or 0
    seen.hot_water_starts = totals.hot_water_starts or 0
    seen.hot_water_h = totals.hot_water_runtime_hours or 0.0
    for finding in result.findings:
        day = datetime.fromtimestamp(finding.start, UTC).strftime("%m-%d %H:%M")
        ended = "" if finding.end is None else ", ended"
        seen.findings.append(f"`{finding.key}` {finding.severity} ({day} UTC{ended})")
        if finding.severity in (Severity.WARNING, Severity.CRITICAL) and finding.key not in (
            FindingKey.FILTER_DUE,
            FindingKey.SERVICE_DUE,
        ):
            seen.alarms += 1
    return seen


def runs_above(frames: list[dict[str, str]], column: str, above: float) -> list[Span]:
    """Spans where a forward-filled column is above a level."""
    spans: list[Span] = []
    since: float | None = None
    value: float | None = None
    moment = 0.0
    for frame in frames:
        moment = _time(frame["timestamp_utc"])
        if frame[column]:
            value = float(frame[column])
        if value is None:
            continue
        if value > above and since is None:
            since = moment
        elif value <= above and since is not None:
            spans.append((since, moment))
            since = None
    if since is not None:
        spans.append((since, moment))
    return spans


def hot_water_facts(
    frames: list[dict[str, str]], power: list[Span]
) -> tuple[list[Span], list[Span], int]:
    """Valve episodes at the tank: real hot-water runs, those inside a defrost, and starts.

    An episode during which the unit's defrost flag was on is the unit taking heat from the
    tank to defrost; a compressor run (power above the raw rule) that began inside a real run,
    or up to 3 min before it, is a start in hot water.
    """
    valve = runs_above(frames, "three_way_valve_dhw", 0.5)
    flagged = runs_above(frames, "defrost", 0.5)
    inside = [
        episode
        for episode in valve
        if any(start < episode[1] and end > episode[0] for start, end in flagged)
    ]
    real = [episode for episode in valve if episode not in inside]
    starts = sum(1 for start, _ in power if any(begin - 180 <= start < end for begin, end in real))
    return real, inside, starts


def matched(found: list[float], truth: list[float]) -> int:
    """Events of `truth` with one of `found` within MATCH_S, each used once."""
    used: set[int] = set()
    for moment in truth:
        for index, candidate in enumerate(found):
            if index not in used and abs(candidate - moment) <= MATCH_S:
                used.add(index)
                break
    return len(used)


def reference_counts(first: float, last: float) -> Counter[str]:
    """The owner's own tool: compressor starts by session type, and defrosts, in the week."""
    counts: Counter[str] = Counter()
    zone_offset = 3600.0  # the file is in UK local time, British Summer Time in October
    with REFERENCE.open(newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            start = datetime.fromisoformat(row["cycle_start_local"] + "+00:00").timestamp()
            if not first <= start - zone_offset <= last:
                continue
            counts[f"starts {row['session_type']}"] += int(row["cycle_compressor_starts"])
            counts["defrosts"] += int(row["cycle_defrost_count"])
    return counts


def replay_daikin() -> list[str]:
    """The report's section on the Daikin week, or a note that its data is absent."""
    missing = [path.name for path in (SOURCE, DEFROSTS, REFERENCE) if not path.exists()]
    if missing:
        return [f"(not run: {', '.join(missing)} not found in ../shared/data)"]
    frames = _frames()
    first, last = _time(frames[0]["timestamp_utc"]), _time(frames[-1]["timestamp_utc"])
    power = runs_above(frames, "hp_elec_power_w", RAW_RUNNING_W)
    current = runs_above(frames, "inv_primary_current_a", 0.0)
    heater = runs_above(frames, "backup_heater_step1", 0.5)
    hot_water = runs_above(frames, "three_way_valve_dhw", 0.5)
    with DEFROSTS.open(newline="", encoding="utf-8") as file:
        flagged = [_time(row["defrost_start_utc"]) for row in csv.DictReader(file)]
    reference = reference_counts(first, last)
    raw_starts = [start for start, _ in power]
    replays = [replay(frames, defrost=False), replay(frames, defrost=True)]
    water = [
        replay(frames, defrost=False, hot_water=True),
        replay(frames, defrost=True, hot_water=True),
    ]
    real, inside, raw_hot_starts = hot_water_facts(frames, power)
    lines = [
        "One real air-to-water heat pump (Daikin Altherma, UK, read through ESPAltherma into Home",
        "Assistant; `shared/data`, MIT, (c) 2024 Matt) over"
        f" {(last - first) / 86400:.1f} days of mild autumn, replayed",
        "as recorded history with no thermostat: power, flow and return water temperature and",
        "outdoor temperature, then the same with the unit's own defrost flag.",
        "A healthy unit: nothing should be raised at warning or above.",
        "",
        "Counted from the raw data (runs by a fixed rule; the owner's tool counts starts inside",
        "hot-water sessions too):",
        "",
        f"- power above {RAW_RUNNING_W:.0f} W: {len(power)} runs"
        f" ({sum(end - start for start, end in power) / 3600:.1f} h,"
        f" {sum(1 for start, end in power if end - start < SHORT_RUN_S)} under 10 min);"
        f" inverter current above 0: {len(current)} runs;",
        f"- backup-heater bursts: {len(heater)}; valve to the hot-water tank: {len(hot_water)} times;",
        f"- the owner's tool: {reference['starts CH']} starts in space heating,"
        f" {reference['starts DHW']} in hot water, {reference['defrosts']} defrosts;",
        f"- the unit's defrost flag: {len(flagged)} defrosts.",
        "",
        "| replay | compressor starts | matched to a raw start (5 min) | runtime |"
        " defrosts | matched to the flag (5 min) | warning or critical |",
        "|---|---|---|---|---|---|---|",
    ]
    lines.extend(
        f"| {_label(seen)} | {len(seen.starts)} | {matched(seen.starts, raw_starts)} of {len(raw_starts)}"
        f" | {seen.runtime_h:.1f} h | {len(seen.defrosts)}"
        f" ({'inferred' if seen.inferred else 'flagged'})"
        f" | {matched(seen.defrosts, flagged)} of {len(flagged)} | **{seen.alarms}** |"
        for seen in replays
    )
    return [
        *lines,
        *_findings(replays),
        *_hot_water_lines(water, real, inside, raw_hot_starts, reference),
    ]


def _label(seen: Seen) -> str:
    """What a replay was given, for a table row."""
    if seen.hot_water:
        return "+ valve, flow" + ("" if seen.inferred else ", defrost flag")
    return "power, flow/return" + ("" if seen.inferred else " + defrost flag")


def _findings(replays: list[Seen]) -> list[str]:
    """Each replay's findings, a line each."""
    lines: list[str] = []
    for seen in replays:
        lines += ["", f"Findings ({_label(seen)}): " + ("; ".join(seen.findings) or "none") + "."]
    return lines


def _hot_water_lines(
    water: list[Seen], real: list[Span], inside: list[Span], starts: int, reference: Counter[str]
) -> list[str]:
    """The hot-water replays beside the raw data's valve and the owner's own counts."""
    lines = [
        "",
        "Hot water: the same replays with the unit's three-way valve as `hot_water` and its",
        "water flow as `flow_rate`. In the raw data the valve went to the tank"
        f" {len(real) + len(inside)} times:",
        f"{len(inside)} of them inside a flagged defrost (the unit takes heat from the tank),"
        f" {len(real)} real hot-water runs",
        f"({sum(end - begin for begin, end in real) / 3600:.2f} h of valve time),"
        f" {starts} compressor starts at or just before a run began; the owner's tool",
        f"counts {reference['starts CH']} starts in space heating and {reference['starts DHW']}"
        " in hot water.",
        "",
        "| replay | compressor starts | hot-water runs | hot-water starts | hot-water runtime |"
        " warning or critical |",
        "|---|---|---|---|---|---|",
    ]
    lines.extend(
        f"| {_label(seen)} | {len(seen.starts)} | {seen.hot_water_runs} of {len(real)}"
        f" | {seen.hot_water_starts} of {starts} | {seen.hot_water_h:.2f} h | **{seen.alarms}** |"
        for seen in water
    )
    lines += [
        "",
        "Hot-water runtime counts the compressor running with the valve at the tank outside a"
        " defrost;",
        "the valve time above also holds the minutes the valve stayed there around it.",
    ]
    return lines + _findings(water)


def main() -> int:
    """Print the section."""
    print("\n".join(replay_daikin()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
