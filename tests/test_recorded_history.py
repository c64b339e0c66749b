"""One meaning of recorded history: the backfill and the replay tool read one stream alike.

A heat pump's sources are recorded by a real recorder. The integration reads them at setup
through its backfill; the same stream, downloaded from Home Assistant's REST history API, is
read by the replay tool. Both must reach the same totals and the same open findings.
"""

from datetime import datetime, timedelta
import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import history
from homeassistant.components.recorder.core import Recorder
from homeassistant.core import HomeAssistant
from homeassistant.helpers.json import json_bytes
from homeassistant.helpers.recorder import get_instance
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.heat_pump_health.const import DOMAIN
from custom_components.heat_pump_health.engine import Finding, FindingKey, Severity, Totals
from replay.cli import replay
from replay.history import HistoryFormat

from .conftest import CLIMATE, ENERGY, SOURCE_DATA, START, set_climate, set_power, set_sources

ENTRY_ID = "01RECORDEDHISTORY000000000"


@pytest.fixture
def mock_recorder_before_hass(async_setup_recorder_instance: Any) -> None:
    """Prepare the recorder before Home Assistant starts."""


class Recording:
    """Writes the source states of one heat pump as time passes, its meter counting."""

    def __init__(self, hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
        """Start from the sources as `set_sources` leaves them."""
        self.hass, self.freezer = hass, freezer
        self.energy = 1234.5

    def run(self, minutes: float) -> None:
        """The unit heats for `minutes`, then its meter shows what it used."""
        set_climate(self.hass, "heating")
        set_power(self.hass, 1200)
        self.freezer.tick(timedelta(minutes=minutes))
        self.energy += 1.2 * minutes / 60
        self.hass.states.async_set(
            ENERGY,
            f"{self.energy:.3f}",
            {"device_class": "energy", "unit_of_measurement": "kWh", "state_class": "total"},
        )

    def rest(self, minutes: float) -> None:
        """The unit stands by for `minutes`."""
        set_climate(self.hass, "idle")
        set_power(self.hass, 20)
        self.freezer.tick(timedelta(minutes=minutes))

    def outage(self, minutes: int) -> None:
        """No power at all for `minutes`, while the room cools and so calls for heat.

        The room's temperature falls a tenth of a degree every two minutes, the last at the
        end, so the recorder holds states all through the outage.
        """
        set_power(self.hass, 0)
        set_climate(self.hass, "idle", current_temperature=19.5)
        for step in range(1, minutes // 2 + 1):
            self.freezer.tick(timedelta(minutes=2))
            set_climate(self.hass, "idle", current_temperature=19.5 - step / 10)


def record_stream(recording: Recording) -> None:
    """Normal runs, a short outage, hours of short cycling, and a second outage at the end.

    The first outage starts and ends inside the history; the second, still going at the
    end, is the second in a day and so critical; the short cycling is still open then.
    """
    for _ in range(2):
        recording.run(20)
        recording.rest(40)
    recording.outage(20)
    recording.rest(40)
    for _ in range(75):  # ten starts an hour, three-minute runs, for seven and a half hours
        recording.run(3)
        recording.rest(3)
    recording.outage(20)


async def rest_history(hass: HomeAssistant, start: datetime, path: Path) -> Path:
    """The sources' history as `GET /api/history/period` answers it, written to `path`.

    The history API's own query and encoding, for every recorded change with attributes
    (`significant_changes_only=0`), as a user would download it for the replay tool.
    """
    entity_ids = sorted(str(value) for value in SOURCE_DATA.values() if "." in str(value))

    def download() -> None:
        found = history.get_significant_states(
            hass,
            start,
            dt_util.utcnow(),
            entity_ids,
            include_start_time_state=True,
            significant_changes_only=False,
            minimal_response=False,
            no_attributes=False,
        )
        path.write_bytes(json_bytes(list(found.values())))

    await get_instance(hass).async_add_executor_job(download)
    return path


def summary(totals: Totals) -> tuple[int, float, float | None, int | None]:
    """Starts, runtime, energy and defrosts, rounded past float noise."""
    energy = None if totals.energy_kwh is None else round(totals.energy_kwh, 6)
    return totals.starts, round(totals.runtime_hours, 6), energy, totals.defrost_count


def described(findings: list[Finding]) -> list[tuple[FindingKey, float, Severity]]:
    """What identifies a finding: its key, when it started and how severe it is."""
    return sorted((finding.key, finding.start, finding.severity) for finding in findings)


async def test_backfill_and_replay_agree(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    tmp_path: Path,
) -> None:
    """The same recorded stream, read by the backfill and by replay: same summary, findings."""
    freezer.move_to(START)
    start = dt_util.utcnow() - timedelta(minutes=1)
    set_sources(hass)
    record_stream(Recording(hass, freezer))
    await hass.async_block_till_done()
    await async_wait_recording_done(hass)

    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Heat pump",
        data=dict(SOURCE_DATA),
        unique_id=CLIMATE,
        entry_id=ENTRY_ID,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await async_wait_recording_done(hass)
    await hass.async_block_till_done()
    engine = entry.runtime_data.engine
    assert engine.snapshot().observations > 0

    downloaded = await rest_history(hass, start, tmp_path / "history.json")
    roles = tmp_path / "roles.json"
    roles.write_text(
        json.dumps({**SOURCE_DATA, "time_zone": hass.config.time_zone}), encoding="utf-8"
    )
    report = await hass.async_add_executor_job(replay, downloaded, roles)
    replayed = report.result

    assert report.format is HistoryFormat.REST
    assert report.tally.bad.total() == 0
    assert replayed.late_observations == 0
    assert summary(replayed.totals) == summary(engine.totals())
    still_open = [finding for finding in replayed.findings if finding.end is None]
    assert described(still_open) == described(list(engine.findings))
    # The stream does raise what it was made for, the critical outage on top of an ended one.
    outages = [f for f in replayed.findings if f.key is FindingKey.POWER_INTERRUPTED]
    assert [(f.end is None, f.severity) for f in outages] == [
        (False, Severity.WARNING),
        (True, Severity.CRITICAL),
    ]
    assert FindingKey.SHORT_CYCLING in {finding.key for finding in still_open}
    assert engine.totals().starts >= 75
