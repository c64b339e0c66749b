"""Engine cost, measured: throughput over a simulated year of 10-second samples, and its memory.

A fully configured heat pump (every role, each reported every 10 s) is simulated for four weeks,
one from each season, and replayed cyclically over the year so the engine sees one continuous,
time-ordered stream. The figures: observations per second (raw, and with the replay's own cost
subtracted), the live memory of the engine's state after month 1 and month 12 (tracemalloc while
restoring it from its stored form), the stored size, and the peak while one more day is fed.

Run with `PYTHONPATH=. .venv/bin/python -m benchmarks.engine_bench [--days N]`.
"""

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import gc
import json
import os
import platform
import sys
import time as clock
import tracemalloc
from typing import Any, cast

from custom_components.heat_pump_health.engine import EngineConfig, HealthEngine, Observation, Role
from custom_components.heat_pump_health.engine.baselines import ENERGY_DAYS
from custom_components.heat_pump_health.engine.observations import ObservationValue
from custom_components.heat_pump_health.engine.periods import DAILY_HISTORY
from simulator import Scenario, simulate
from simulator.weather import ClimateName

DAY = 86_400.0
STEP_SECONDS = 10.0
CLIMATE = ClimateName.COLD
SEED = 1
WEEK_DAYS = 7
# One week from each season, so every cycle of the replay holds winter heating with defrosts,
# shoulder days, summer cooling and autumn: whatever the engine learns is met in every cycle.
SEASON_WEEKS: tuple[datetime, ...] = (
    datetime(2026, 1, 5, tzinfo=UTC),
    datetime(2026, 4, 6, tzinfo=UTC),
    datetime(2026, 7, 6, tzinfo=UTC),
    datetime(2026, 10, 5, tzinfo=UTC),
)
# The replayed year: day 1 is 1 January, so month 1 is January and month 12 December.
YEAR_START = datetime(2025, 1, 1, tzinfo=UTC)
MIB = 1024 * 1024
GOAL_OBS_PER_SECOND = 300_000
GOAL_BYTES = MIB
GROWTH_TOLERANCE = 2048
# Additions in each pace probe during the engine pass (a tenth of the reference loop).
PACE_PROBE = 1_000_000

type Sample = tuple[float, Role, ObservationValue]
type Consumer = Callable[[Observation], object]


@dataclass(frozen=True, slots=True)
class Replay:
    """The generated weeks, split into days, with times already placed at the year's start.

    Replaying cycle k shifts every time by k whole spans and every energy reading by k times
    the energy of one span, so the counter keeps rising instead of looking replaced.
    """

    days: list[list[Sample]]
    energy_kwh: float
    generate_seconds: float

    @property
    def span(self) -> float:
        """Seconds in one cycle (whole days, so the time of day is kept)."""
        return len(self.days) * DAY

    def day(self, index: int) -> tuple[list[Sample], float, float]:
        """Day `index` of the year: its samples, the time shift and the energy shift."""
        cycle, day = divmod(index, len(self.days))
        return self.days[day], cycle * self.span, cycle * self.energy_kwh


@dataclass(slots=True)
class Checkpoint:
    """The engine's size at the end of one month (or of a shorter run)."""

    label: str
    day: int
    live_bytes: int
    stored_bytes: int
    stored_by_field: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        """Plain figures, for the returned report."""
        return {
            "label": self.label,
            "day": self.day,
            "live_bytes": self.live_bytes,
            "stored_bytes": self.stored_bytes,
            "stored_by_field": self.stored_by_field,
        }


@dataclass(slots=True)
class Tally:
    """Running totals of the timed passes."""

    observations: int = 0
    engine_seconds: float = 0.0
    engine_cpu_seconds: float = 0.0
    replay_seconds: float = 0.0
    findings: int = 0
    checkpoints: list[Checkpoint] = field(default_factory=list)
    # The reference loop's pace at each month's end (seconds for ten million additions).
    paces: list[float] = field(default_factory=list)


def generate() -> Replay:
    """Simulate the season weeks once and lay them end to end from the year's start.

    Each week ends before its last sample (the simulator includes the end instant, which is
    the next week's first), and its energy counter continues from the week before.
    """
    began = clock.perf_counter()
    origin = YEAR_START.timestamp()
    days: list[list[Sample]] = []
    energy = 0.0
    for week, start in enumerate(SEASON_WEEKS):
        scenario = Scenario(
            climate=CLIMATE,
            start=start,
            days=WEEK_DAYS,
            step_seconds=STEP_SECONDS,
            report_seconds=STEP_SECONDS,
            seed=SEED,
        )
        shift = origin + week * WEEK_DAYS * DAY - scenario.origin
        week_days: list[list[Sample]] = [[] for _ in range(WEEK_DAYS)]
        last_kwh = 0.0
        for observation in simulate(scenario).observations():
            if observation.time >= scenario.end:
                break
            value = observation.value
            if observation.role is Role.ENERGY:
                last_kwh = cast(float, value)
                value = last_kwh + energy
            day = int((observation.time - scenario.origin) // DAY)
            week_days[day].append((observation.time + shift, observation.role, value))
        days += week_days
        energy += last_kwh
    return Replay(days, energy, clock.perf_counter() - began)


def feed(consume: Consumer, samples: Sequence[Sample], shift: float, energy: float) -> float:
    """Hand one day to `consume`, building each shifted observation on the way; the seconds.

    The same loop times the engine and, with a consumer that does nothing, the replay itself.
    The stream is live, not recorded history: every source reports every 10 s, as
    state_reported delivers it, so the engine takes it through `HealthEngine.update` as the
    coordinator's listeners do. Recorded history keeps changes only and enters through
    `HealthEngine.read_history`; `ha_bench.test_backfill` times that path.
    """
    began = clock.perf_counter()
    for time, role, value in samples:
        shifted = cast(float, value) + energy if role is Role.ENERGY else value
        consume(Observation(time + shift, role, shifted))
    return clock.perf_counter() - began


def discard(observation: Observation) -> bool:
    """The no-op consumer: what is left of the loop is the replay's own cost."""
    return True


def end_of_day(engine: HealthEngine, time: float) -> int:
    """Close the day and take the findings, as the integration's clock tick does live.

    Taking them keeps the engine's change list from growing; the count is reported.
    """
    engine.advance(time)
    return len(engine.drain_changes())


def measure(engine: HealthEngine, label: str, day: int) -> Checkpoint:
    """The memory of the engine's live state: tracemalloc while restoring it from its JSON.

    A restored engine holds exactly the state, without the garbage of a year's work, and
    tracing only the restore keeps the year itself at full speed. It is restored from the
    JSON text, as the integration does at start-up: restored straight from `as_dict`, it
    would share that dict's floats and strings, which were allocated before tracing began
    and so would go uncounted. A first, untraced restore fills the caches restoring builds
    once per process (about 9 KiB), which would otherwise be charged to month 1 alone.
    """
    state = engine.as_dict()
    text = json.dumps(state)
    fields = {key: len(json.dumps(value).encode()) for key, value in state["state"].items()}
    HealthEngine.from_dict(json.loads(text), EngineConfig(), UTC)  # warm the restore's caches
    gc.collect()
    tracemalloc.start()
    restored = HealthEngine.from_dict(json.loads(text), EngineConfig(), UTC)
    live, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del restored
    return Checkpoint(label, day, live, len(text.encode()), fields)


def month_ends(days: int) -> dict[int, str]:
    """Day counts at which a calendar month (or the run) ends, with a label for each."""
    ends: dict[int, str] = {}
    for done in range(1, days + 1):
        date = YEAR_START + timedelta(days=done)
        if date.day == 1:
            previous = date - timedelta(days=1)
            ends[done] = f"month {len(ends) + 1} ({previous:%b %Y})"
    if days not in ends:
        ends[days] = f"end of run, day {days} (part of month {len(ends) + 1})"
    return ends


def replay_year(replay: Replay, engine: HealthEngine, days: int) -> Tally:
    """Feed `days` days, each timed twice: the no-op pass, then the engine pass.

    Interleaving the two passes day by day puts them under the same machine load.
    """
    tally = Tally()
    ends = month_ends(days)
    origin = YEAR_START.timestamp()
    for index in range(days):
        samples, shift, energy = replay.day(index)
        tally.replay_seconds += feed(discard, samples, shift, energy)
        cpu = clock.process_time()
        seconds = feed(engine.update, samples, shift, energy)
        began = clock.perf_counter()
        tally.findings += end_of_day(engine, origin + (index + 1) * DAY)
        tally.engine_seconds += seconds + clock.perf_counter() - began
        tally.engine_cpu_seconds += clock.process_time() - cpu
        tally.observations += len(samples)
        if index + 1 in ends:
            tally.checkpoints.append(measure(engine, ends[index + 1], index + 1))
            tally.paces.append(reference_loop(PACE_PROBE) * 10_000_000 / PACE_PROBE)
    return tally


def extra_day(replay: Replay, engine: HealthEngine, index: int) -> tuple[int, int]:
    """Net growth and peak (bytes, tracemalloc) while the engine takes one more day."""
    samples, shift, energy = replay.day(index)
    gc.collect()
    tracemalloc.start()
    feed(engine.update, samples, shift, energy)
    end_of_day(engine, YEAR_START.timestamp() + (index + 1) * DAY)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return current, peak


def machine() -> dict[str, Any]:
    """Where the figures were taken."""
    return {
        "machine": platform.machine(),
        "system": platform.system(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "load_average": [round(load, 2) for load in os.getloadavg()]
        if hasattr(os, "getloadavg")
        else None,
        "reference_loop_seconds": reference_loop(),
    }


def reference_loop(additions: int = 10_000_000) -> float:
    """Seconds a plain Python loop of `additions` additions takes: the machine's pace.

    Cloud machines of the same description differ several times over in speed, so figures
    from two runs compare only as far as this one does.
    """
    began = clock.perf_counter()
    total = 0
    for step in range(additions):
        total += step
    return round(clock.perf_counter() - began, 3)


def method(days: int) -> str:
    """The method in plain English, for docs/PERFORMANCE.md."""
    first = SEASON_WEEKS[0]
    return (
        f"One fully configured heat pump (all {len(Role)} roles, each reported every"
        f" {STEP_SECONDS:.0f} s, as Home Assistant's state_reported would) is simulated in the"
        f" {CLIMATE.value} climate, seed {SEED}, for one week from each season (weeks starting"
        f" {', '.join(f'{start:%d %b}' for start in SEASON_WEEKS)} {first:%Y}). The"
        f" {len(SEASON_WEEKS) * WEEK_DAYS} days are laid end to end and replayed cyclically for"
        f" {days} days from {YEAR_START:%d %b %Y}, each cycle shifted by whole days and its"
        " energy counter continued, so the engine (UTC, default options) sees one continuous,"
        " time-ordered stream through HealthEngine.update, with advance() and drain_changes()"
        " at every midnight as the integration's periodic settle does. Each day is fed twice"
        " through the same loop, which builds each shifted Observation: once into a no-op"
        " consumer (the replay's own cost) and once into the engine, timed with"
        " time.perf_counter with the garbage collector enabled; the generated input is"
        " gc.freeze()d so the collector does not keep scanning the benchmark's own buffer."
        " Raw throughput is observations over the engine pass's time (building the Observation"
        " included, as live Home Assistant builds one per state change); net throughput"
        " subtracts the no-op pass. Memory is not traced during the year: at the end of every"
        " calendar month the engine's state is taken with as_dict(), its stored size is the"
        " length of that JSON, and its live size is what tracemalloc counts still allocated"
        " after HealthEngine.from_dict has rebuilt an engine from the parsed JSON (as the"
        " integration does at start-up; restoring from the as_dict() output itself would share"
        " its untraced floats and strings and undercount; an untraced restore first fills the"
        " once-per-process caches). As a cross-check, one more day is"
        " fed to the final engine under tracemalloc: the peak during the day, and the net,"
        " which counts every object made that day and still alive, replacements of older ones"
        " included, so it is an upper bound on the day's growth. Because every"
        " four-week cycle holds all seasons, month 1 already meets every kind of day; growth"
        " between month 1 and month 12 therefore shows what the engine keeps as time passes."
    )


def run(days: int = 365) -> dict[str, Any]:
    """Measure the engine over `days` days; every figure, with the machine and the method."""
    began = clock.perf_counter()
    load_before = machine()["load_average"]
    replay = generate()
    gc.collect()
    gc.freeze()
    try:
        engine = HealthEngine(EngineConfig(), UTC)
        tally = replay_year(replay, engine, days)
        extra_net, extra_peak = extra_day(replay, engine, days)
    finally:
        gc.unfreeze()
    first, last = tally.checkpoints[0], tally.checkpoints[-1]
    net_seconds = tally.engine_seconds - tally.replay_seconds
    raw = tally.observations / tally.engine_seconds
    net = tally.observations / net_seconds
    growth = last.live_bytes - first.live_bytes
    fields = {
        key: size - first.stored_by_field.get(key, 0)
        for key, size in last.stored_by_field.items()
        if size != first.stored_by_field.get(key, 0)
    }
    return {
        "days": days,
        "generated_days": len(replay.days),
        "generate_seconds": replay.generate_seconds,
        "observations": tally.observations,
        "engine_seconds": tally.engine_seconds,
        "engine_cpu_seconds": tally.engine_cpu_seconds,
        "replay_seconds": tally.replay_seconds,
        "net_seconds": net_seconds,
        "raw_obs_per_second": raw,
        "net_obs_per_second": net,
        "cpu_obs_per_second": tally.observations / tally.engine_cpu_seconds,
        "findings_changes": tally.findings,
        # the machine's speed moves within a run; these show how far during the engine pass
        "reference_loop_during_pass_seconds": [round(pace, 3) for pace in tally.paces],
        "checkpoints": [checkpoint.as_dict() for checkpoint in tally.checkpoints],
        "first": first.as_dict(),
        "last": last.as_dict(),
        "live_growth_bytes": growth,
        "live_growth_per_day_bytes": growth / (last.day - first.day)
        if last.day > first.day
        else 0.0,
        # the day-by-day records the state keeps, and for how many days: growth from them ends there
        "retention_days": {"daily history": DAILY_HISTORY, "energy baseline": ENERGY_DAYS},
        "stored_growth_bytes": last.stored_bytes - first.stored_bytes,
        "stored_growth_by_field": dict(sorted(fields.items(), key=lambda item: -abs(item[1]))),
        "extra_day_net_bytes": extra_net,
        "extra_day_peak_bytes": extra_peak,
        "goals": {
            "obs_per_second": {
                "goal": GOAL_OBS_PER_SECOND,
                "raw_met": raw >= GOAL_OBS_PER_SECOND,
                "net_met": net >= GOAL_OBS_PER_SECOND,
            },
            "live_bytes": {"goal": GOAL_BYTES, "met": last.live_bytes < GOAL_BYTES},
            # Within 2 KiB: a counter past 256 becomes a 28-byte int object in Python.
            "growth": {"goal": GROWTH_TOLERANCE, "met": growth <= GROWTH_TOLERANCE},
        },
        "machine": {**machine(), "load_average_before": load_before},
        "method": method(days),
        "wall_seconds": clock.perf_counter() - began,
    }


def pace_range(figures: dict[str, Any]) -> str:
    """The reference loop's fastest and slowest pace during the engine pass, in words."""
    paces = figures.get("reference_loop_during_pass_seconds") or []
    if not paces:
        return "not probed"
    return f"{min(paces):.3f} to {max(paces):.3f} s ({len(paces)} probes, one per month)"


def _kib(size: int) -> str:
    """Bytes as KiB."""
    return f"{size / 1024:,.1f} KiB"


def report(figures: dict[str, Any]) -> str:
    """The figures, readably."""
    host = figures["machine"]
    goals = figures["goals"]
    first, last = figures["first"], figures["last"]
    lines = [
        f"Engine benchmark: {figures['days']} days of {STEP_SECONDS:.0f}-second samples"
        f" ({figures['generated_days']} simulated days replayed cyclically, generated in"
        f" {figures['generate_seconds']:.1f} s)",
        f"Machine: {host['machine']}, {host['cpu_count']} cores, {host['implementation']}"
        f" {host['python']} on {host['system']}; load average before {host['load_average_before']},"
        f" after {host['load_average']}",
        "",
        "Throughput",
        f"  observations:          {figures['observations']:,}",
        f"  engine pass:           {figures['engine_seconds']:.2f} s wall,"
        f" {figures['engine_cpu_seconds']:.2f} s CPU",
        f"  replay alone (no-op):  {figures['replay_seconds']:.2f} s",
        f"  raw (engine pass):     {figures['raw_obs_per_second']:,.0f} obs/s"
        f"  [goal {goals['obs_per_second']['goal']:,}: {'met' if goals['obs_per_second']['raw_met'] else 'NOT met'}]",
        f"  net (replay subtracted): {figures['net_obs_per_second']:,.0f} obs/s"
        f"  [{'met' if goals['obs_per_second']['net_met'] else 'NOT met'}]",
        f"  raw by CPU time:       {figures['cpu_obs_per_second']:,.0f} obs/s",
        f"  finding changes taken: {figures['findings_changes']}",
        f"  reference loop during the pass: {pace_range(figures)}",
        "",
        "Memory (live: tracemalloc while restoring from the stored JSON; stored: JSON length)",
    ]
    lines += [
        f"  {point['label']:<40} live {_kib(point['live_bytes']):>12}   stored {_kib(point['stored_bytes']):>12}"
        for point in figures["checkpoints"]
    ]
    lines += [
        f"  growth, {first['label']} -> {last['label']}:"
        f" live {figures['live_growth_bytes']:+,} B, stored {figures['stored_growth_bytes']:+,} B"
        f"  [goal no growth (within 2 KiB): {'met' if goals['growth']['met'] else 'NOT met'}]",
        "  stored growth by state field: "
        + (
            ", ".join(
                f"{key} {size:+,} B" for key, size in figures["stored_growth_by_field"].items()
            )
            or "none"
        ),
        f"  live growth {figures['live_growth_per_day_bytes']:,.0f} B/day; day-by-day records kept at most "
        + ", ".join(f"{days} days ({name})" for name, days in figures["retention_days"].items()),
        f"  live at the end {_kib(last['live_bytes'])}"
        f"  [goal under 1 MiB: {'met' if goals['live_bytes']['met'] else 'NOT met'}]",
        f"  one more day under tracemalloc: peak {_kib(figures['extra_day_peak_bytes'])},"
        f" net {figures['extra_day_net_bytes']:+,} B (an upper bound: replaced objects count)",
        "",
        f"Whole run: {figures['wall_seconds']:.0f} s wall.",
        "",
        "Method: " + figures["method"],
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--days", type=int, default=365, help="days to replay (default 365)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.days < 1:
        parser.error("--days must be at least 1")
    figures = run(args.days)
    print(json.dumps(figures, indent=2) if args.json else report(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
