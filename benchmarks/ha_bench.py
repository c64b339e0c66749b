"""Home Assistant side of `scripts/bench`: event-loop cost, database writes and backfill.

Run by `benchmarks.performance` through pytest (the test harness gives a real Home Assistant
with a real recorder); each test prints its figures and adds them to the JSON file named by
`HPH_BENCH_OUT`. They measure; they assert only that the measurement itself worked.
"""

import asyncio
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
import gc
import json
import logging
import os
from pathlib import Path
import statistics
import time
from typing import Any
from unittest.mock import patch

from homeassistant.components.recorder import history
from homeassistant.components.recorder.core import Recorder
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers.recorder import get_instance
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.heat_pump_health import backfill as backfill_module
from custom_components.heat_pump_health.backfill import (
    BOUNDARY,
    BackfillResult,
    HistoryRequest,
    Pacer,
    chunks,
    read_and_feed,
)
from custom_components.heat_pump_health.const import DOMAIN
from custom_components.heat_pump_health.sources import SourceReader
from simulator import Scenario
from simulator.ha_states import DEFAULT_ENTITY_IDS, ha_states

# The recorder's SQL would otherwise be logged statement by statement, slowing every figure.
logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)

OUT = Path(os.environ.get("HPH_BENCH_OUT", "/tmp/hph_ha_bench.json"))
# Each consumer is measured this many times on the same stream; the median is reported.
REPEATS = 11
SOURCES = {role.value: entity_id for role, entity_id in DEFAULT_ENTITY_IDS.items()}

type StateRow = tuple[str, str, dict[str, Any], float]


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Load the integration from custom_components."""


@pytest.fixture
def mock_recorder_before_hass(async_setup_recorder_instance: Any) -> None:  # noqa: ANN401
    """A real recorder (history_stats needs one, and the backfill reads it)."""


def record(section: str, figures: dict[str, Any]) -> None:
    """Add one section of figures to the shared results file, and print it."""
    results = json.loads(OUT.read_text()) if OUT.exists() else {}
    results[section] = figures
    OUT.write_text(json.dumps(results, indent=2, default=str))
    print(f"\n{section}: {json.dumps(figures, indent=2, default=str)}")


def stream(
    days: float, start: float, step: float = 10.0, power_every: float | None = None
) -> list[StateRow]:
    """A simulated heat pump's source states (changes only), shifted to begin at `start`.

    With `power_every`, the power sensor reports that often with a little noise, as a real
    meter does, so each report is a change the recorder keeps.
    """
    report = power_every if power_every is not None else 10**9
    scenario = Scenario(days=days, step_seconds=step, report_seconds=report)
    rows = list(ha_states(scenario, include_reported=power_every is not None))
    power = SOURCES["power"]
    first = datetime.fromisoformat(rows[0]["last_reported"]).timestamp()
    result: list[StateRow] = []
    last: dict[str, str] = {}
    for index, row in enumerate(rows):
        entity_id, state = row["entity_id"], row["state"]
        if power_every is not None and entity_id == power:
            state = f"{float(state) + (index % 7) * 0.1:.1f}"
        elif last.get(entity_id) == state and power_every is not None:
            continue  # other sources: changes only
        last[entity_id] = state
        stamp = datetime.fromisoformat(row["last_reported"]).timestamp() - first + start
        result.append((entity_id, state, row["attributes"], stamp))
    return result


def feed(hass: HomeAssistant, rows: Iterable[StateRow]) -> float:
    """Write the states as their integrations would; return the seconds it took."""
    began = time.perf_counter()
    for entity_id, state, attributes, stamp in rows:
        hass.states.async_set(entity_id, state, attributes, timestamp=stamp)
    return time.perf_counter() - began


def heat_pump_entry() -> MockConfigEntry:
    """A fully configured heat pump on the simulated sources."""
    data = {"name": "Heat pump", **SOURCES, "defrost_state": "on"}
    return MockConfigEntry(
        domain=DOMAIN, title="Heat pump", data=data, unique_id=SOURCES["climate"]
    )


def statistics_entry() -> MockConfigEntry:
    """Home Assistant's statistics sensor: mean power over a day, as commonly set up."""
    return MockConfigEntry(
        domain="statistics",
        title="Power mean",
        options={
            "name": "Power mean",
            "entity_id": SOURCES["power"],
            "state_characteristic": "mean",
            "keep_last_sample": False,
            "percentile": 50,
            "precision": 2,
            "sampling_size": 20000,
            "max_age": {"hours": 24},
        },
    )


def history_stats_entry() -> MockConfigEntry:
    """Home Assistant's history_stats sensor: hours the thermostat heated today."""
    return MockConfigEntry(
        domain="history_stats",
        title="Heating today",
        options={
            "name": "Heating today",
            "entity_id": SOURCES["climate"],
            "state": ["heat"],
            "type": "time",
            "start": "{{ today_at() }}",
            "end": "{{ now() }}",
        },
    )


async def consumer_cost(
    hass: HomeAssistant, make: Callable[[], MockConfigEntry] | None, rows: list[StateRow]
) -> float:
    """Seconds to feed the stream with one consumer set up, for its own fresh time range."""
    entry = make() if make else None
    if entry is not None:
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    seconds = feed(hass, rows)
    await hass.async_block_till_done()
    if entry is not None:
        assert await hass.config_entries.async_remove(entry.entry_id)
        await hass.async_block_till_done()
    return seconds


async def test_event_loop_cost(recorder_mock: Recorder, hass: HomeAssistant) -> None:
    """Event-loop time per source state change: the health monitor against core sensors."""
    now = dt_util.utcnow().timestamp()
    template = stream(days=0.5, start=0.0)
    consumers: dict[str, Callable[[], MockConfigEntry] | None] = {
        "nothing (the state machine and recorder alone)": None,
        "statistics sensor (mean of power over 24 h)": statistics_entry,
        "history_stats sensor (heating time today)": history_stats_entry,
        "heat_pump_health (a fully configured heat pump)": heat_pump_entry,
    }
    samples: dict[str, list[float]] = {name: [] for name in consumers}
    offset = now
    for _ in range(REPEATS):
        for name, make in consumers.items():
            rows = [(e, s, a, t + offset) for e, s, a, t in template]
            offset = rows[-1][3] + 60
            samples[name].append(await consumer_cost(hass, make, rows))
    changes = len(template)
    base = statistics.median(samples["nothing (the state machine and recorder alone)"])
    per_change = {
        name: round((statistics.median(values) - base) / changes * 1e6, 2)
        for name, values in samples.items()
        if make_is_consumer(name)
    }
    # Every repeat less the baseline's median: how far one run of the benchmark can move.
    spread = {
        name: [
            round((min(values) - base) / changes * 1e6, 2),
            round((max(values) - base) / changes * 1e6, 2),
        ]
        for name, values in samples.items()
        if make_is_consumer(name)
    }
    ours = per_change["heat_pump_health (a fully configured heat pump)"]
    record(
        "event_loop",
        {
            "state_changes": changes,
            "repeats": REPEATS,
            "baseline_us_per_change": round(base / changes * 1e6, 2),
            "added_us_per_change": per_change,
            "added_us_per_change_range": spread,
            "ratio_to_statistics": round(
                ours / per_change["statistics sensor (mean of power over 24 h)"], 2
            ),
            "ratio_to_history_stats": round(
                ours / per_change["history_stats sensor (heating time today)"], 2
            ),
        },
    )


def make_is_consumer(name: str) -> bool:
    """Every measured consumer but the baseline."""
    return not name.startswith("nothing")


async def test_database_writes(hass: HomeAssistant, freezer: Any) -> None:  # noqa: ANN401
    """State writes an hour caused by the integration's entities in steady state."""
    start = datetime(2026, 1, 12, tzinfo=UTC)
    freezer.move_to(start)
    rows = stream(days=2, start=start.timestamp())
    entry = heat_pump_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    ours = {
        e.entity_id
        for e in hass.data["entity_registry"].entities.values()
        if e.config_entry_id == entry.entry_id
    }
    writes: list[float] = []

    def count(event: Event) -> None:
        if event.data["entity_id"] in ours:
            writes.append(event.time_fired_timestamp)

    hass.bus.async_listen("state_changed", count)
    next_tick = start.timestamp() + 60
    for entity_id, state, attributes, stamp in rows:
        while stamp >= next_tick:
            freezer.move_to(datetime.fromtimestamp(next_tick, UTC))
            async_fire_time_changed(hass)
            next_tick += 60
        freezer.move_to(datetime.fromtimestamp(stamp, UTC))
        hass.states.async_set(entity_id, state, attributes)
    await hass.async_block_till_done()
    # Steady state: the second day, after the first day's learning.
    second_day = [t for t in writes if t >= start.timestamp() + 86400]
    hours = (rows[-1][3] - (start.timestamp() + 86400)) / 3600
    record(
        "database",
        {
            "entities": len(ours),
            "hours": round(hours, 1),
            "state_writes": len(second_day),
            "writes_per_hour": round(len(second_day) / hours, 1),
            "source_changes_per_hour": round(len(rows) / 48, 1),
        },
    )


class CollectionTimer:
    """A `gc.callbacks` entry that times each garbage collection, in whichever thread it runs."""

    def __init__(self) -> None:
        """Nothing timed yet."""
        self.seconds: list[float] = []
        self.generations: list[int] = []
        self._started: list[float] = []

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        """Note the start of a collection, or time it at its end."""
        if phase == "start":
            self._started.append(time.perf_counter())
        elif self._started:
            self.seconds.append(time.perf_counter() - self._started.pop())
            self.generations.append(info.get("generation", -1))

    def longest_by_generation(self) -> dict[str, list[float]]:
        """Per generation: how many collections, and the longest (ms)."""
        found: dict[str, list[float]] = {}
        for generation, seconds in zip(self.generations, self.seconds, strict=True):
            count, longest = found.get(str(generation), [0, 0.0])
            found[str(generation)] = [count + 1, round(max(longest, seconds * 1000), 1)]
        return dict(sorted(found.items()))


class LoopWatcher:
    """How late a 1 ms timer fires on the event loop: each lateness is a stretch it was busy."""

    def __init__(self) -> None:
        """Nothing watched yet; `blocks` are (when the wait began, seconds late)."""
        self.blocks: list[tuple[float, float]] = []
        self._running = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start the timer on the running loop."""
        self._running = True
        self._task = asyncio.get_running_loop().create_task(self._watch())

    async def stop(self) -> None:
        """Stop the timer and wait for its last sample."""
        self._running = False
        if self._task is not None:
            await self._task

    async def _watch(self) -> None:
        while self._running:
            before = time.perf_counter()
            await asyncio.sleep(0.001)
            self.blocks.append((before, time.perf_counter() - before - 0.001))


async def test_backfill(recorder_mock: Recorder, hass: HomeAssistant) -> None:
    """Thirty days of recorded history read at setup: total time and the longest loop block.

    The integration's own backfill reads it, into `HealthEngine.read_history` like every
    reader of recorded history.

    The clock runs (a frozen one would stop the loop watcher's timer): the stream ends now.
    """
    days = float(os.environ.get("HPH_BENCH_BACKFILL_DAYS", "30"))
    start = dt_util.utcnow() - timedelta(days=days)
    rows = stream(days=days, start=start.timestamp(), power_every=10.0)
    written = time.perf_counter()
    for entity_id, state, attributes, stamp in rows:
        hass.states.async_set(entity_id, state, attributes, timestamp=stamp)
    await async_wait_recording_done(hass)
    written = time.perf_counter() - written
    power_rows = sum(1 for row in rows if row[0] == SOURCES["power"])
    state_count = len(rows)
    # The benchmark's own half a million rows would otherwise make every full garbage
    # collection during the reading slow; a running Home Assistant holds no such list.
    del rows
    gc.collect()

    entry = heat_pump_entry()
    # When the reading thread ran: blocks then are the backfill's; blocks before it are the
    # setup's own (creating the entities), which every integration has.
    thread: list[float] = []

    def timed_reading(hass: HomeAssistant, request: HistoryRequest) -> BackfillResult:
        thread.append(time.perf_counter())
        try:
            return read_and_feed(hass, request)
        finally:
            thread.append(time.perf_counter())

    collections = CollectionTimer()
    gc.callbacks.append(collections)

    watcher = LoopWatcher()
    watcher.start()
    entry.add_to_hass(hass)
    began = time.perf_counter()
    with patch.object(backfill_module, "read_and_feed", timed_reading):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    total = time.perf_counter() - began
    await watcher.stop()
    blocks = watcher.blocks
    gc.callbacks.remove(collections)
    coordinator = entry.runtime_data
    assert coordinator.history.value == "read"
    assert len(thread) == 2, "the history was not read"
    floor = await recorder_query_alone(hass, coordinator.reader, start, dt_util.utcnow())
    # Samples taken while the reading thread ran; a block that began before it is the setup's.
    reading_blocks = [(start, block) for start, block in blocks if thread[0] <= start <= thread[1]]
    record(
        "backfill",
        {
            "days": days,
            "states": state_count,
            "power_states": power_rows,
            "observations": coordinator.engine.snapshot().observations,
            "seconds": round(total, 2),
            "seconds_to_record": round(written, 1),
            "seconds_reading": round(thread[1] - thread[0], 2),
            "longest_loop_block_ms": round(max(b for _, b in blocks) * 1000, 1),
            "longest_block_while_reading_ms": round(
                max((b for _, b in reading_blocks), default=0.0) * 1000, 1
            ),
            "blocks_over_20ms_while_reading": sum(1 for _, b in reading_blocks if b > 0.020),
            "loop_samples": len(blocks),
            "samples_while_reading": len(reading_blocks),
            "garbage_collections": len(collections.seconds),
            "longest_garbage_collection_ms": round(max(collections.seconds, default=0.0) * 1000, 1),
            "collections_by_generation": collections.longest_by_generation(),
            "query_alone": floor,
        },
    )


async def recorder_query_alone(
    hass: HomeAssistant, reader: SourceReader, start: datetime, end: datetime
) -> dict[str, Any]:
    """The same window read again with Home Assistant's query only: what any reader pays.

    Same chunks, same query, same thread and pauses as the backfill, but the rows go nowhere,
    so its time and loop blocks are the floor under the backfill's own.
    """
    entity_ids = sorted(reader.roles_by_entity)

    def query_only() -> int:
        pace, rows = Pacer(), 0
        for index, (lower, upper) in enumerate(chunks(start, end)):
            pace()
            found = history.get_significant_states(
                hass,
                lower - BOUNDARY,
                upper,
                entity_ids,
                include_start_time_state=index == 0,
                significant_changes_only=False,
                compressed_state_format=True,
            )
            rows += sum(len(entity_rows) for entity_rows in found.values())
        return rows

    gc.collect()
    watcher = LoopWatcher()
    watcher.start()
    began = time.perf_counter()
    rows = await get_instance(hass).async_add_executor_job(query_only)
    seconds = time.perf_counter() - began
    await watcher.stop()
    blocks = [block for _, block in watcher.blocks]
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "longest_loop_block_ms": round(max(blocks, default=0.0) * 1000, 1),
        "blocks_over_20ms": sum(1 for block in blocks if block > 0.020),
        "loop_samples": len(blocks),
    }
