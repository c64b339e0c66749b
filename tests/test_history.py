"""Learning from the recorder: setup reads the history, a restart reads the gap, nothing twice."""

from collections.abc import Callable
from datetime import timedelta
from http import HTTPStatus
import logging
import threading
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.models import StatisticMeanType
from homeassistant.components.recorder.statistics import async_import_statistics
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    CLIENT_ID,
    MockConfigEntry,
    MockUser,
    async_capture_events,
    async_fire_time_changed,
    async_mock_service,
)
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from sqlalchemy.exc import OperationalError

from custom_components.heat_pump_health import backfill
from custom_components.heat_pump_health.const import DOMAIN, EVENT_FINDING
from custom_components.heat_pump_health.engine import Maintenance, Role

from .conftest import (
    CLIMATE,
    ENERGY,
    INDOOR,
    LEAK,
    OUTDOOR,
    SOURCE_DATA,
    START,
    set_climate,
    set_leak,
    set_power,
    set_sources,
    tick,
)

STATUS = "sensor.heat_pump_health_status"


@pytest.fixture
def mock_recorder_before_hass(async_setup_recorder_instance: Any) -> None:
    """Prepare the recorder before Home Assistant starts, for the tests that use it."""


def entry_for(entry_id: str, **options: Any) -> MockConfigEntry:
    """A heat pump entry on the standard sources."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Heat pump",
        data=dict(SOURCE_DATA),
        options=options,
        unique_id=CLIMATE,
        entry_id=entry_id,
    )


async def set_up(hass: HomeAssistant, entry_id: str) -> MockConfigEntry:
    """Add a heat pump on the standard sources and wait until it is set up."""
    entry = entry_for(entry_id)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def run_cycles(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hours: int, energy: list[float]
) -> None:
    """Hours of a unit that runs 20 minutes in every 40, with its meter and the weather."""
    for hour in range(hours):
        for _ in range(3):
            set_climate(hass, "heating")
            set_power(hass, 1200)
            freezer.tick(timedelta(minutes=10))
            async_fire_time_changed(hass)
            energy[0] += 0.4
            hass.states.async_set(
                ENERGY,
                f"{energy[0]:.2f}",
                {"device_class": "energy", "unit_of_measurement": "kWh"},
            )
            freezer.tick(timedelta(minutes=10))
            set_climate(hass, "idle")
            set_power(hass, 20)
            freezer.tick(timedelta(seconds=1))
            hass.states.async_set(
                OUTDOOR,
                str(2.0 + hour % 5 / 2),
                {"device_class": "temperature", "unit_of_measurement": "°C"},
            )
            freezer.tick(timedelta(minutes=20) - timedelta(seconds=1))
            async_fire_time_changed(hass)
        await hass.async_block_till_done()


def held_reading(gate: threading.Event) -> Any:
    """Hold the reading thread until `gate` is set, to act while the history is being read."""
    original: Callable[..., Any] = backfill.read_and_feed

    def held(*args: Any) -> Any:
        assert gate.wait(10)
        return original(*args)

    return patch("custom_components.heat_pump_health.backfill.read_and_feed", held)


def statistics_of(entry: MockConfigEntry) -> tuple[int, float, float | None, list[Any]]:
    """Starts, runtime, energy and the finished days, for comparing two engines."""
    engine = entry.runtime_data.engine
    totals = engine.totals()
    days = [
        (day.date, day.starts, round(day.runtime_hours, 3), day.energy_kwh)
        for day in engine.state.history.days
    ]
    energy = None if totals.energy_kwh is None else round(totals.energy_kwh, 3)
    return totals.starts, round(totals.runtime_hours, 3), energy, days


async def test_history_learned_equals_live(
    recorder_mock: Recorder, hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A heat pump added after two days learns from the recorder what a live one saw."""
    freezer.move_to(START)
    set_sources(hass)
    live = await set_up(hass, "01LIVE0000000000000000000A")
    energy = [1234.5]
    await run_cycles(hass, freezer, 40, energy)
    await async_wait_recording_done(hass)

    late = await set_up(hass, "01LATE0000000000000000000B")
    await async_wait_recording_done(hass)
    await hass.async_block_till_done()

    assert late.runtime_data.history.value == "read"
    learned, seen = statistics_of(late), statistics_of(live)
    assert seen[0] == 120
    assert learned == seen
    assert len(learned[3]) >= 1


async def test_history_follows_a_unit_change(
    recorder_mock: Recorder, hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A meter that switches from W to kW within one chunk of history is read in its new unit."""
    freezer.move_to(START)
    set_sources(hass)
    live = await set_up(hass, "01LIVE0000000000000000000A")
    await run_cycles(hass, freezer, 3, [1234.5])
    for _ in range(3):
        set_climate(hass, "heating")
        set_power(hass, 1.2, unit="kW")
        freezer.tick(timedelta(minutes=10))
        async_fire_time_changed(hass)
        set_climate(hass, "idle")
        set_power(hass, 0.02, unit="kW")
        freezer.tick(timedelta(minutes=30))
        async_fire_time_changed(hass)
    # an hour more, so that the change falls inside a chunk of history, not on its edge
    freezer.tick(timedelta(hours=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    await async_wait_recording_done(hass)

    late = await set_up(hass, "01LATE0000000000000000000B")

    assert late.runtime_data.history.value == "read"
    assert statistics_of(late)[:2] == statistics_of(live)[:2] == (12, 3.5)
    assert late.runtime_data.engine.state.readings.number(Role.POWER) == pytest.approx(20.0)


async def test_live_changes_while_reading_are_kept_once(
    recorder_mock: Recorder, hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Changes that arrive while the history is read are fed after it, none lost or doubled."""
    freezer.move_to(START)
    set_sources(hass)
    energy = [1234.5]
    await run_cycles(hass, freezer, 2, energy)
    await async_wait_recording_done(hass)

    gate = threading.Event()
    entry = entry_for("01HELD0000000000000000000C")
    entry.add_to_hass(hass)
    with held_reading(gate):
        assert await hass.config_entries.async_setup(entry.entry_id)
        status = hass.states.get(STATUS)
        assert status.state == "learning"
        assert status.attributes["recorder_history"] == "reading"
        # Changes while the history is read (without waiting: that would wait for the reading).
        for _ in range(3):
            set_climate(hass, "heating")
            set_power(hass, 1200)
            freezer.tick(timedelta(minutes=10))
            set_climate(hass, "idle")
            set_power(hass, 20)
            freezer.tick(timedelta(minutes=30))
        gate.set()
        await hass.async_block_till_done()
        await async_wait_recording_done(hass)
        await hass.async_block_till_done()

    assert entry.runtime_data.engine.totals().starts == 9
    assert entry.runtime_data.engine.state.late == 0
    assert hass.states.get(STATUS).attributes["recorder_history"] == "read"


async def test_restart_mid_cycle_reads_only_the_gap(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """A run that goes on across a restart is one run, with the time it ran while we were down."""
    freezer.move_to(START)
    set_sources(hass)
    entry = entry_for("01RESTART00000000000000000")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    energy = [1234.5]
    await run_cycles(hass, freezer, 1, energy)
    before = entry.runtime_data.engine.totals()
    set_climate(hass, "heating")
    set_power(hass, 1200)
    freezer.tick(timedelta(minutes=10))
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(entry.entry_id)

    # While Home Assistant (or the integration) is down the unit runs on, then stops.
    freezer.tick(timedelta(minutes=30))
    set_power(hass, 1250)
    freezer.tick(timedelta(minutes=20))
    set_climate(hass, "idle")
    set_power(hass, 20)
    freezer.tick(timedelta(minutes=5))
    await async_wait_recording_done(hass)

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await async_wait_recording_done(hass)
    await hass.async_block_till_done()

    engine = entry.runtime_data.engine
    assert engine.totals().starts == before.starts + 1
    assert engine.totals().runtime_hours == pytest.approx(before.runtime_hours + 1.0, abs=0.02)
    assert engine.state.late == 0


async def test_purged_history_learns_from_statistics(
    recorder_mock: Recorder, hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Where only long-term statistics are left, daily energy against the weather is learned."""
    freezer.move_to(START)
    now = dt_util.utcnow()
    first = (now - timedelta(days=20)).replace(minute=0, second=0, microsecond=0)
    hours = [first + timedelta(hours=hour) for hour in range(24 * 19)]
    async_import_statistics(
        hass,
        {
            "has_sum": True,
            "mean_type": StatisticMeanType.NONE,
            "name": None,
            "source": "recorder",
            "statistic_id": ENERGY,
            "unit_class": "energy",
            "unit_of_measurement": "kWh",
        },
        [
            {"start": hour, "sum": 1000 + 0.5 * index, "state": 1000 + 0.5 * index}
            for index, hour in enumerate(hours)
        ],
    )
    async_import_statistics(
        hass,
        {
            "has_sum": False,
            "mean_type": StatisticMeanType.ARITHMETIC,
            "name": None,
            "source": "recorder",
            "statistic_id": OUTDOOR,
            "unit_class": "temperature",
            "unit_of_measurement": "°C",
        },
        [{"start": hour, "mean": 4.0, "min": 3.0, "max": 5.0} for hour in hours],
    )
    await async_wait_recording_done(hass)
    set_sources(hass)
    entry = entry_for("01PURGED000000000000000000")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await async_wait_recording_done(hass)
    await hass.async_block_till_done()

    days = list(entry.runtime_data.engine.state.history.days)
    complete = [day for day in days if day.complete]
    assert len(complete) >= 17
    assert all(day.energy_kwh == pytest.approx(12.0, abs=0.6) for day in complete)
    assert len(entry.runtime_data.engine.state.energy_baseline.days) >= 17


async def test_no_recorder_learns_live_and_says_so(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """Without the recorder nothing is read; the status sensor and the log say so."""
    caplog.set_level(logging.INFO)
    freezer.move_to(START)
    set_sources(hass)
    init_integration = entry_for("01NORECORDER00000000000000")
    init_integration.add_to_hass(hass)
    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(STATUS).attributes["recorder_history"] == "no_recorder"
    assert "no recorder, so learning from live changes only" in caplog.text
    assert init_integration.runtime_data.engine.snapshot().observations > 0


async def test_owner_and_diagnostics_are_served_while_reading(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    hass_admin_user: MockUser,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Diagnostics, buttons and actions work mid-read, and what the owner did survives it."""
    freezer.move_to(START)
    set_sources(hass)
    await run_cycles(hass, freezer, 2, [1234.5])
    await async_wait_recording_done(hass)
    gate = threading.Event()
    entry = entry_for("01MIDREAD0000000000000000J")
    entry.add_to_hass(hass)
    assert await async_setup_component(hass, "diagnostics", {})
    # A token issued now: the test's clock is far from the one the fixture's token knows.
    refresh_token = await hass.auth.async_create_refresh_token(hass_admin_user, CLIENT_ID)
    client = await hass_client(hass.auth.async_create_access_token(refresh_token))
    with held_reading(gate):
        assert await hass.config_entries.async_setup(entry.entry_id)
        assert entry.runtime_data.reading_history
        # The download itself, as the frontend makes it (the harness's helper would first
        # wait for every task, the reading included).
        response = await client.get(f"/api/diagnostics/config_entry/{entry.entry_id}")
        assert response.status == HTTPStatus.OK
        diagnostics = (await response.json())["data"]
        await hass.services.async_call(
            "button", "press", {ATTR_ENTITY_ID: "button.heat_pump_filter_replaced"}, blocking=True
        )
        await hass.services.async_call(
            DOMAIN, "reset_baseline", {"config_entry_id": entry.entry_id}, blocking=True
        )
        assert entry.runtime_data.reading_history
        gate.set()
        await hass.async_block_till_done()
        await async_wait_recording_done(hass)
        await hass.async_block_till_done()

    assert diagnostics["engine_state"]["state"]["first_time"] is None
    coordinator = entry.runtime_data
    assert not coordinator.reading_history
    assert coordinator.engine.totals().starts == 6
    assert Maintenance.FILTER in coordinator.engine.state.maintenance


async def test_history_days_zero_reads_nothing(
    recorder_mock: Recorder, hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """With the history option at 0 the integration only learns live."""
    freezer.move_to(START)
    set_sources(hass)
    entry = entry_for("01ZERO0000000000000000000D", history_days=0)
    entry.add_to_hass(hass)
    with patch("custom_components.heat_pump_health.backfill.read_and_feed") as reader:
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    reader.assert_not_called()
    assert hass.states.get(STATUS).attributes["recorder_history"] == "up_to_date"


async def test_unreadable_history_never_blocks(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A recorder that fails to answer is logged; learning goes on live."""
    freezer.move_to(START)
    set_sources(hass)
    entry = entry_for("01BROKEN00000000000000000E")
    entry.add_to_hass(hass)
    with patch(
        "custom_components.heat_pump_health.backfill.read_and_feed",
        side_effect=OperationalError("SELECT", {}, Exception("database is locked")),
    ):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    assert "could not read the recorder's history" in caplog.text
    assert entry.runtime_data.engine.snapshot().observations > 0
    assert hass.states.get(STATUS).state == "learning"


async def test_a_bug_while_reading_is_not_called_a_recorder_failure(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A bug met while reading is raised as one (not hidden); live learning still goes on."""
    freezer.move_to(START)
    set_sources(hass)
    entry = entry_for("01BUGGY00000000000000000K")
    entry.add_to_hass(hass)
    with patch(
        "custom_components.heat_pump_health.backfill.read_and_feed",
        side_effect=ZeroDivisionError("a detector's bug"),
    ):
        assert await hass.config_entries.async_setup(entry.entry_id)
        assert entry.runtime_data.history_task is not None
        with pytest.raises(ZeroDivisionError):
            await entry.runtime_data.history_task
        await hass.async_block_till_done()
    assert "could not read the recorder's history" not in caplog.text
    assert not entry.runtime_data.reading_history
    assert entry.runtime_data.engine.snapshot().observations > 0


async def test_unreadable_state_raises_an_issue(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    issue_registry: ir.IssueRegistry,
) -> None:
    """A saved state the engine cannot read starts afresh and tells the owner in Repairs."""
    entry = entry_for("01CORRUPT0000000000000000F")
    key = f"{DOMAIN}.{entry.entry_id}"
    hass_storage[key] = {
        "version": 2,
        "minor_version": 1,
        "key": key,
        "data": {"engine": {"version": 2, "state": {"cycles": "garbage"}}},
    }
    set_sources(hass)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    issue = issue_registry.async_get_issue(DOMAIN, f"{entry.entry_id}_state_reset")
    assert issue is not None
    assert issue.translation_placeholders["name"] == "Heat pump"
    assert not issue.is_fixable


async def test_steady_sources_in_history_are_not_silent(
    recorder_mock: Recorder, hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The recorder keeps changes only: a power sensor steady for hours is not a fault."""
    freezer.move_to(START)
    set_sources(hass)
    for _ in range(10):  # the thermostat changes now and then; power and outdoor stay put
        freezer.tick(timedelta(hours=1))
        set_climate(hass, "idle", current_temperature=20.6)
        freezer.tick(timedelta(hours=1))
        set_climate(hass, "idle")
    await async_wait_recording_done(hass)
    entry = entry_for("01STEADY000000000000000000")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    for _ in range(20):
        freezer.tick(timedelta(minutes=1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    engine = entry.runtime_data.engine
    assert engine.snapshot().observations > 20
    assert not [finding for finding in engine.findings if finding.key == "sensor_fault"]
    assert hass.states.get(STATUS).attributes["findings"] == []


async def test_new_sources_relearn_from_history(
    recorder_mock: Recorder, hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """After the sources change, a young engine re-learns the window with the new sources."""
    freezer.move_to(START)
    set_sources(hass)
    entry = entry_for("01RECONFIGURE0000000000000")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    energy = [1234.5]
    await run_cycles(hass, freezer, 3, energy)
    await hass.services.async_call(
        DOMAIN,
        "record_maintenance",
        {"config_entry_id": entry.entry_id, "kind": "filter", "date": "2026-11-01"},
        blocking=True,
    )
    starts = entry.runtime_data.engine.totals().starts
    await async_wait_recording_done(hass)

    hass.config_entries.async_update_entry(
        entry, data={**entry.data, "indoor_temperature": "sensor.living_room_temperature"}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await async_wait_recording_done(hass)
    await hass.async_block_till_done()

    engine = entry.runtime_data.engine
    assert engine.state.readings.indoor == pytest.approx(20.8)
    assert engine.totals().starts == starts
    assert "filter" in {kind.value for kind in engine.state.maintenance}
    assert engine.state.late == 0


async def leak_then_dry_then_leak(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """A leak that comes and goes (its finding starts and ends), then one that stays."""
    for wet, minutes in ((True, 10), (False, 30), (True, 10)):
        set_leak(hass, wet=wet)
        for _ in range(minutes):
            await tick(hass, freezer)
    await async_wait_recording_done(hass)


def leak_entry(entry_id: str) -> MockConfigEntry:
    """A heat pump whose sources include the leak sensor, telling a phone."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Heat pump",
        data={**SOURCE_DATA, "leak": LEAK},
        options={"notify_services": ["notify.phone"]},
        unique_id=CLIMATE,
        entry_id=entry_id,
    )


def leak_events(events: list[Event]) -> list[str]:
    """The types of the water-leak events, in order."""
    return [event.data["type"] for event in events if event.data["key"] == "water_leak"]


async def test_history_read_announces_only_what_is_open(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A leak that came and went before setup is history; the one still open is news, once."""
    freezer.move_to(START)
    set_sources(hass)
    set_leak(hass, wet=False)
    await tick(hass, freezer, 5)
    await leak_then_dry_then_leak(hass, freezer)
    events = async_capture_events(hass, EVENT_FINDING)
    phone = async_mock_service(hass, "notify", "phone")

    entry = leak_entry("01LEAKLATE000000000000000G")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await async_wait_recording_done(hass)
    await hass.async_block_till_done()

    assert entry.runtime_data.history.value == "read"
    assert leak_events(events) == ["finding_started"]
    assert len(phone) == 1
    issues = [i for i in issue_registry.issues.values() if i.domain == DOMAIN]
    assert [issue.translation_key for issue in issues] == ["water_leak"]


@pytest.mark.parametrize("change", ["rename", "reconfigure"])
async def test_reading_history_again_is_not_news(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    issue_registry: ir.IssueRegistry,
    change: str,
) -> None:
    """After a rename or a reconfigure the history is read again, and none of it is news."""
    freezer.move_to(START)
    leak = entity_registry.async_get_or_create(
        "binary_sensor", "vendor", "leak", suggested_object_id="heat_pump_leak"
    )
    assert leak.entity_id == LEAK
    set_sources(hass)
    set_leak(hass, wet=False)
    phone = async_mock_service(hass, "notify", "phone")
    entry = leak_entry("01LEAKLIVE000000000000000H")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    events = async_capture_events(hass, EVENT_FINDING)
    await leak_then_dry_then_leak(hass, freezer)
    assert leak_events(events) == ["finding_started", "finding_cleared", "finding_started"]
    told = len(phone)
    events.clear()

    if change == "rename":
        entity_registry.async_update_entity(LEAK, new_entity_id="binary_sensor.cellar_leak")
        await hass.async_block_till_done()
        hass.states.async_set("binary_sensor.cellar_leak", "on", {"device_class": "moisture"})
    else:
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, "indoor_temperature": INDOOR}
        )
        await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await async_wait_recording_done(hass)
    await hass.async_block_till_done()

    coordinator = entry.runtime_data
    assert coordinator.history.value == "read"
    assert [f.key for f in coordinator.engine.findings] == ["water_leak"]
    assert leak_events(events) == []
    assert len(phone) == told
    issues = [i for i in issue_registry.issues.values() if i.domain == DOMAIN]
    assert [issue.translation_key for issue in issues] == ["water_leak"]
