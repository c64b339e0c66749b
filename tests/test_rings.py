"""Preallocated rings: the daily history and the energy baseline's days."""

import json
import tracemalloc

import pytest

from custom_components.heat_pump_health.engine.baselines import EnergyBaseline, EnergyDays
from custom_components.heat_pump_health.engine.periods import (
    DAILY_HISTORY,
    DailyHistory,
    DailyRecord,
    DailyRecords,
)
from custom_components.heat_pump_health.engine.state import from_plain, to_plain


def record(day: int, *, energy: float | None = 12.5, complete: bool = True) -> DailyRecord:
    """A record for day `day` of January 2026 (or later)."""
    return DailyRecord(
        date=f"2026-{1 + (day - 1) // 28:02d}-{1 + (day - 1) % 28:02d}",
        runtime_hours=10.25,
        starts=day,
        defrosts=3,
        defrost_minutes=12.5,
        aux_hours=0.0,
        outdoor_mean=None if day % 2 else -3.75,
        energy_kwh=energy,
        expected_kwh=None,
        heat_kwh=40.125,
        complete=complete,
        off_hours=0.5,
    )


def test_records_come_back_as_they_went_in() -> None:
    ring = DailyRecords(5)
    records = [record(day, energy=None if day == 2 else 8.0 + day) for day in range(1, 4)]
    ring.extend(records)
    assert list(ring) == records
    assert ring[0] == records[0]
    assert ring[-1] == records[-1]
    assert ring.recent(2) == records[1:]
    assert ring.recent(10) == records
    assert ring.recent(0) == []
    with pytest.raises(IndexError):
        ring[3]
    with pytest.raises(IndexError):
        ring[-4]


def test_the_oldest_drops_off_when_full() -> None:
    ring = EnergyDays(3)
    for day in range(7):
        ring.append((float(day), 0.0, 10.0 + day))
    assert len(ring) == 3
    assert [day[0] for day in ring] == [4.0, 5.0, 6.0]
    assert ring[-1] == (6.0, 0.0, 16.0)
    ring.clear()
    assert not ring
    assert list(ring) == []
    ring.append((1.0, 2.0, 3.0))
    assert list(ring) == [(1.0, 2.0, 3.0)]


def test_a_row_of_the_wrong_width_is_refused() -> None:
    ring = EnergyDays(3)
    with pytest.raises(ValueError, match="3 values"):
        ring.append((1.0, 2.0))  # type: ignore[arg-type]
    assert not ring


def test_rings_compare_by_kind_and_content() -> None:
    first, second = EnergyDays(3, [(1.0, 0.0, 2.0)]), EnergyDays(3, [(1.0, 0.0, 2.0)])
    assert first == second
    second.append((2.0, 0.0, 3.0))
    assert first != second
    assert first != [(1.0, 0.0, 2.0)]
    assert repr(second) == "EnergyDays(2 of 3)"


def test_saved_and_restored_unchanged_with_capacity_kept() -> None:
    history = DailyHistory()
    history.days.extend(record(day) for day in range(1, 40))
    plain = to_plain(history)
    assert plain["days"][0]["date"] == "2026-01-01"
    assert plain["days"][1]["outdoor_mean"] == -3.75
    assert plain["days"][0]["outdoor_mean"] is None
    restored = from_plain(DailyHistory, json.loads(json.dumps(plain)))
    assert restored == history
    assert restored.days.capacity == DAILY_HISTORY

    baseline = EnergyBaseline()
    for day in range(30):
        baseline.add(float(day % 12), 0.0, 5.0 + 1.5 * (day % 12))
    again = from_plain(EnergyBaseline, json.loads(json.dumps(to_plain(baseline))))
    assert again.days == baseline.days
    assert again.expected(6.0, 0.0) == baseline.expected(6.0, 0.0)


def test_a_full_history_takes_no_more_memory_than_an_empty_one() -> None:
    history = DailyHistory()
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    history.days.extend(record(1 + day % 300) for day in range(2 * DAILY_HISTORY))
    after, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(history.days) == DAILY_HISTORY
    assert after - before < 1024
