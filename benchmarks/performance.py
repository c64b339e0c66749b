"""`scripts/bench`: the performance figures side by side, written to docs/PERFORMANCE.md.

The engine is measured in this process (`benchmarks.engine_bench`); the Home Assistant side
(event-loop cost against core sensors, database writes, recorder backfill) runs in a real
test instance through pytest (`benchmarks/ha_bench.py`), which leaves its figures in a JSON
file read back here. Figures are printed and written; nothing here passes or fails on time.
"""

import argparse
import json
import os
from pathlib import Path
import subprocess
import sys
import tempfile
import time
from typing import Any

from . import engine_bench

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "PERFORMANCE.md"
KIB = 1024


def run_ha(backfill_days: int) -> dict[str, Any]:
    """Run the Home Assistant benchmarks in a test instance; their figures."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "ha.json"
        env = {
            **os.environ,
            "HPH_BENCH_OUT": str(out),
            "HPH_BENCH_BACKFILL_DAYS": str(backfill_days),
        }
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "benchmarks/ha_bench.py",
                "-q",
                "-p",
                "no:cacheprovider",
                "-p",
                "no:logging",
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        figures: dict[str, Any] = json.loads(out.read_text())
        return figures


def verdict(met: bool) -> str:
    """A goal's outcome in the table."""
    return "met" if met else "**not met**"


def report(engine: dict[str, Any], ha: dict[str, Any], seconds: float) -> str:
    """docs/PERFORMANCE.md."""
    loop, db, backfill = ha["event_loop"], ha["database"], ha["backfill"]
    added = loop["added_us_per_change"]
    ours = added["heat_pump_health (a fully configured heat pump)"]
    stats = added["statistics sensor (mean of power over 24 h)"]
    first, last = engine["first"], engine["last"]
    bounded = last["live_bytes"] < KIB * KIB
    history_growth = last["stored_by_field"]["history"] - first["stored_by_field"]["history"]
    energy_growth = (
        last["stored_by_field"]["energy_baseline"] - first["stored_by_field"]["energy_baseline"]
    )
    other_growth = engine["stored_growth_bytes"] - history_growth - energy_growth
    machine = engine["machine"]
    lines = [
        "# Performance",
        "",
        "Written by `scripts/bench` (about "
        f"{seconds / 60:.0f} minutes); do not edit by hand. Machine: {machine['machine']},"
        f" {machine['cpu_count']} cores, {machine['implementation']} {machine['python']},"
        " the same machine for every figure; a plain Python loop of ten million additions took"
        f" {machine['reference_loop_seconds']} s on it after the engine's year, and"
        f" {engine_bench.pace_range(engine)} during it (compare runs by this: machines of"
        " the same description differ several times over, and this one's speed moves within a"
        " run). Benchmarks print figures; no test passes or fails on them.",
        "",
        "| Goal | Measured | |",
        "|---|---|---|",
        f"| Event loop: no more per state change than one core `statistics` sensor | "
        f"{ours} µs against {stats} µs ({loop['ratio_to_statistics']}x) | {verdict(ours <= stats)} |",
        f"| Database: ≤ 120 state writes an hour per heat pump | {db['writes_per_hour']} an hour"
        f" | {verdict(db['writes_per_hour'] <= 120)} |",
        f"| Engine: ≥ 300,000 observations/s | {engine['raw_obs_per_second']:,.0f}/s (net"
        f" {engine['net_obs_per_second']:,.0f}/s) | {verdict(engine['raw_obs_per_second'] >= 300_000)} |",
        f"| Engine: < 1 MiB per heat pump after a year | {last['live_bytes'] / KIB:.0f} KiB |"
        f" {verdict(bounded)} |",
        "| Engine: no growth from month 1 to month 12 (within 2 KiB: a counter past 256, such"
        " as a bin's sample count, becomes a 28-byte object in Python) |"
        f" {engine['live_growth_bytes'] / KIB:+.1f} KiB live |"
        f" {verdict(engine['live_growth_bytes'] <= 2 * KIB)} |",
        f"| Backfill of {backfill['days']:.0f} days: < 10 s | {backfill['seconds']} s |"
        f" {verdict(backfill['seconds'] < 10)} |",
        "| Backfill: no event-loop block over 20 ms while the history is read | longest"
        f" {backfill['longest_block_while_reading_ms']} ms"
        f" ({backfill['blocks_over_20ms_while_reading']} over 20 ms) |"
        f" {verdict(backfill['longest_block_while_reading_ms'] <= 20)} |",
        "",
        "## 1. Event-loop cost per source state change",
        "",
        f"Method: in one Home Assistant test instance with the recorder, a simulated heat pump's"
        f" source states (all twelve roles, changes only, {loop['state_changes']:,} state changes"
        " over half a day) are written with `hass.states.async_set`, and the wall time of"
        " writing them, every listener's callback included, is measured with nothing listening,"
        " then with each consumer set up alone through its config entry: Home Assistant's"
        " `statistics` sensor (mean of the power over 24 h), its `history_stats` sensor"
        " (heating time today, on the thermostat) and one fully configured heat pump of this"
        f" integration. Each is measured {loop['repeats']} times on a fresh stretch of the"
        " same stream; the median less the baseline is the consumer's cost. The integration"
        " hears every source; the statistics sensor only the power and history_stats only the"
        " thermostat, so the comparison is per change of the whole stream.",
        "",
        "| Consumer | µs per state change (median) | fastest and slowest repeat |",
        "|---|---|---|",
        f"| nothing (state machine and recorder alone) | {loop['baseline_us_per_change']} | |",
        *[f"| {name} | +{value} | {_range(loop, name)} |" for name, value in added.items()],
        "",
        f"Ratios: {loop['ratio_to_statistics']}x the statistics sensor,"
        f" {loop['ratio_to_history_stats']}x the history_stats sensor. The spread of the"
        " repeats is the benchmark's own noise on this machine (other threads, the recorder's"
        " commits, the CPU's clock): a ratio inside it is not a difference.",
        "",
        "## 2. Database writes",
        "",
        f"Method: the integration's {db['entities']} entities follow a simulated heat pump for"
        " two days in a test instance, the clock ticking every simulated minute; every"
        " `state_changed` event of one of its entities is a row the recorder writes. The second"
        f" day is steady state: {db['state_writes']} writes in {db['hours']} h, while the"
        f" sources changed {db['source_changes_per_hour']} times an hour. Findings are"
        " judged every minute and the status, score and problem sensors are written as they"
        " change, so a finding is on the entities within a minute of its condition.",
        "",
        "## 3. Engine throughput and memory",
        "",
        engine["method"],
        "",
        f"- {engine['observations']:,} observations in {engine['engine_seconds']:.1f} s:"
        f" {engine['raw_obs_per_second']:,.0f} observations/s raw,"
        f" {engine['net_obs_per_second']:,.0f}/s with the replay's own cost taken out.",
        f"- {first['label']}: {first['live_bytes'] / KIB:.0f} KiB live,"
        f" {first['stored_bytes'] / KIB:.0f} KiB stored.",
        f"- {last['label']}: {last['live_bytes'] / KIB:.0f} KiB live,"
        f" {last['stored_bytes'] / KIB:.0f} KiB stored.",
        f"- Stored growth over the year: {engine['stored_growth_bytes'] / KIB:.0f} KiB, of which"
        f" {history_growth / KIB:.0f} KiB the daily history (kept 400 days by design, so this"
        f" winter can be compared with last) and {energy_growth / KIB:.0f} KiB the energy"
        f" baseline's days (kept 365 days); everything else {other_growth / KIB:+.1f} KiB."
        " In memory both are rows of floats allocated up front (`engine/rings.py`), as are"
        " each temperature bin's samples, so a full year takes the memory of the first day.",
        f"- One more day fed under tracemalloc: peak {engine['extra_day_peak_bytes'] / KIB:.0f}"
        " KiB.",
        "",
        "## 4. Backfill from the recorder",
        "",
        f"Method: {backfill['days']:.0f} days of the simulated heat pump's states (every source,"
        f" the power every 10 s when it changes: {backfill['power_states']:,} power states,"
        f" {backfill['states']:,} in all) are written to a real recorder (SQLite) in a test"
        " instance; then the heat pump is added and its setup, history reading included, is"
        " timed until Home Assistant is idle. Meanwhile a 1 ms timer on the event loop"
        " records how late it fires: the longest lateness is the longest the loop was blocked"
        " (the reading runs in the recorder's executor; the loop only hands over chunks)."
        " A block counts against the backfill when it began while the reading thread ran;"
        " one that began before is the setup's (creating the entities and their first states).",
        "",
        f"- {backfill['observations']:,} observations fed in {backfill['seconds']} s, of which"
        f" the reading thread ran {backfill['seconds_reading']} s.",
        f"- Longest event-loop block while the history was read:"
        f" {backfill['longest_block_while_reading_ms']} ms"
        f" ({backfill['samples_while_reading']:,} timer samples,"
        f" {backfill['blocks_over_20ms_while_reading']} over 20 ms).",
        f"- Longest block of the whole setup: {backfill['longest_loop_block_ms']} ms"
        f" ({backfill['loop_samples']:,} timer samples).",
        f"- Garbage collections: {backfill['garbage_collections']}, the longest"
        f" {backfill['longest_garbage_collection_ms']} ms; by generation (count, longest ms):"
        f" {_by_generation(backfill)}. A collection stops every thread, so one that runs while"
        " the history is read holds the event loop up too.",
        *_query_alone(backfill),
        "",
        "## Reproduce",
        "",
        "```sh",
        "scripts/setup",
        "scripts/bench            # all four, writes this file",
        "scripts/bench --quick    # a month of engine time and 3 days of backfill",
        "```",
        "",
    ]
    return "\n".join(lines)


def _range(loop: dict[str, Any], name: str) -> str:
    """A consumer's fastest and slowest repeat, less the baseline, or nothing if not recorded."""
    found = loop.get("added_us_per_change_range", {}).get(name)
    return f"+{found[0]} to +{found[1]}" if found else ""


def _query_alone(backfill: dict[str, Any]) -> list[str]:
    """The backfill's floor: Home Assistant's recorder query alone, as a line, if measured."""
    floor = backfill.get("query_alone")
    if not floor:
        return []
    return [
        f"- The floor, Home Assistant's own recorder query alone: the same window read again"
        f" afterwards ({floor['rows']:,} rows), in the same chunks, thread and pauses, the"
        f" rows going nowhere, took {floor['seconds']} s, with the longest event-loop block"
        f" {floor['longest_loop_block_ms']} ms ({floor['blocks_over_20ms']} over 20 ms,"
        f" {floor['loop_samples']:,} timer samples). Any integration that reads the history"
        " through the recorder's API pays this before doing anything with the rows.",
    ]


def _by_generation(backfill: dict[str, Any]) -> str:
    """The garbage collections per generation, as `generation 0: 450 up to 3.1 ms`."""
    found: dict[str, list[float]] = backfill.get("collections_by_generation", {})
    return (
        ", ".join(
            f"generation {generation}: {int(count)} up to {longest} ms"
            for generation, (count, longest) in found.items()
        )
        or "not recorded"
    )


def main() -> None:
    """Run everything and write docs/PERFORMANCE.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a short run, not written")
    args = parser.parse_args()
    began = time.perf_counter()
    engine = engine_bench.run(30 if args.quick else 365)
    print(engine_bench.report(engine))
    ha = run_ha(3 if args.quick else 30)
    text = report(engine, ha, time.perf_counter() - began)
    print(text)
    if not args.quick:
        DOC.write_text(text, encoding="utf-8")
        print(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
