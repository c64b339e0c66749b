"""The runtime of one heat pump: source states in, engine snapshots out to its entities."""

from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from enum import StrEnum
import time
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import (
    Event,
    EventStateChangedData,
    EventStateReportedData,
    HomeAssistant,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.device import async_entity_id_to_device_id
from homeassistant.helpers.event import (
    async_track_state_change_event,
    async_track_state_report_event,
    async_track_time_interval,
)
from homeassistant.helpers.helper_integration import async_handle_source_entity_changes
from homeassistant.helpers.recorder import get_instance
from homeassistant.helpers.start import async_at_started
from homeassistant.helpers.storage import Store
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .backfill import HistoryRequest, backfill_start, read_and_feed, recorder_available
from .const import (
    CONF_DEFROST_STATE,
    CONF_HISTORY_DAYS,
    DEFAULT_HISTORY_DAYS,
    DOMAIN,
    EVENT_FINDING,
    FINDING_CLEARED,
    FINDING_ESCALATED,
    FINDING_STARTED,
    LOGGER,
    MAX_EMERGENCY_SNOOZE,
    SAVE_DELAY,
    SOURCE_ROLES,
    TICK_INTERVAL,
)
from .engine import (
    EngineConfig,
    Finding,
    FindingKey,
    Guidance,
    HealthEngine,
    HealthSnapshot,
    Maintenance,
    Observation,
    Role,
)
from .engine.engine import StateVersionError
from .issues import FindingIssues
from .notifications import Notifier
from .sources import SourceReader, primary_source
from .texts import FindingTexts, placeholders

# Version 2 keeps the engine's state next to the snoozes and notification times.
STORAGE_VERSION = 2
# The status sensor's reading progress is refreshed at most this often (s).
PROGRESS_INTERVAL = 1.0


class HistoryStatus(StrEnum):
    """Where learning from the recorder stands (the status sensor's `recorder_history`)."""

    READING = "reading"
    READ = "read"
    UP_TO_DATE = "up_to_date"
    NO_RECORDER = "no_recorder"


type FindingListener = Callable[[str, Finding, dict[str, Any]], None]

type HeatPumpHealthConfigEntry = ConfigEntry[HeatPumpHealthCoordinator]


def configured_sources(entry: ConfigEntry) -> dict[Role, str]:
    """The source entity of each configured role."""
    return {role: entry.data[role.value] for role in SOURCE_ROLES if entry.data.get(role.value)}


def _iso(time: float) -> str:
    """Epoch seconds as an ISO 8601 UTC time."""
    return dt_util.utc_from_timestamp(time).isoformat()


class HealthStore(Store[dict[str, Any]]):
    """One heat pump's saved state, migrated from older layouts on load."""

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: dict[str, Any]
    ) -> dict[str, Any]:
        """Version 1 held the engine's state alone."""
        if old_major_version == 1:
            return {"engine": old_data}
        return old_data


def _store(hass: HomeAssistant, entry_id: str) -> HealthStore:
    """Where one heat pump's learned state is kept."""
    return HealthStore(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}")


class HeatPumpHealthCoordinator(DataUpdateCoordinator[HealthSnapshot]):
    """Feeds one heat pump's source states to its engine; entities listen for snapshots."""

    config_entry: HeatPumpHealthConfigEntry

    def __init__(self, hass: HomeAssistant, entry: HeatPumpHealthConfigEntry) -> None:
        """Prepare the engine's store; nothing runs until `async_start`."""
        super().__init__(hass, LOGGER, config_entry=entry, name=entry.title, always_update=False)
        self.sources = configured_sources(entry)
        self.primary_source = primary_source(entry.data)
        self.store = _store(hass, entry.entry_id)
        self.engine_config = EngineConfig.from_mapping(dict(entry.options))
        self.engine = HealthEngine(self.engine_config, dt_util.get_default_time_zone())
        self.reader = SourceReader.for_sources(
            self.sources, hass.config.units.temperature_unit, entry.data.get(CONF_DEFROST_STATE)
        )
        self._save_pending = False
        zone = dt_util.get_default_time_zone()
        self.issues = FindingIssues(hass, entry.entry_id, entry.title, zone)
        self.texts = FindingTexts({})
        self.notifier = Notifier.from_options(
            hass,
            entry_id=entry.entry_id,
            name=entry.title,
            zone=zone,
            texts=self.texts,
            options=dict(entry.options),
        )
        self._finding_listeners: list[FindingListener] = []
        # Findings whose start has been announced; a change to one of them is an escalation.
        self._announced: set[FindingKey] = set()
        self.history_days = int(entry.options.get(CONF_HISTORY_DAYS, DEFAULT_HISTORY_DAYS))
        self.history = HistoryStatus.UP_TO_DATE
        self.history_progress = 0.0
        # While the recorder's history is fed to the engine (in the recorder's executor), live
        # observations wait here and the event loop leaves the engine alone.
        self._buffer: list[Observation] | None = None
        self._rebuild = False
        # (start, end, fresh) of the recorder reading `async_start` found missing
        self._reading: tuple[datetime, datetime, bool] | None = None
        self._progress_shown = 0.0
        self._before_reading: dict[str, Any] | None = None
        self.write_now = False

    async def async_load(self) -> None:
        """Restore what was learned; a state that cannot be read starts the engine afresh."""
        self.texts = self.notifier.texts = await FindingTexts.async_load(self.hass)
        saved = await self.store.async_load()
        if saved is None:
            return
        try:
            self.engine = HealthEngine.from_dict(
                saved["engine"], self.engine_config, self.engine.zone
            )
            self.issues.restore(saved.get("issues", {}))
            self.notifier.restore(saved.get("notifier", {}))
        except (StateVersionError, KeyError, TypeError, ValueError) as err:
            LOGGER.warning("Saved state of %s is unusable, starting afresh: %s", self.name, err)
            self.engine = HealthEngine(self.engine_config, self.engine.zone)
            self.issues.state_reset(str(err))
            return
        if saved.get("sources") != self._source_signature():
            self._rebuild = self._learned_within_window()

    def _source_signature(self) -> list[str]:
        """The configured sources, to tell a reconfigure from a restart."""
        return sorted(f"{role}={entity_id}" for role, entity_id in self.sources.items())

    def _learned_within_window(self) -> bool:
        """Whether everything learned so far lies inside the history window.

        Then re-reading the window with the new sources loses nothing, and the engine is
        rebuilt from it; an engine with older learning keeps it and reads only the gap.
        """
        first = self.engine.state.first_time
        window = dt_util.utcnow() - timedelta(days=self.history_days)
        return first is not None and dt_util.utc_from_timestamp(first) >= window

    @callback
    def async_start(self) -> None:
        """Follow the sources: current states now, every change later, and a clock tick."""
        entry = self.config_entry
        self._announced = {finding.key for finding in self.engine.findings}
        entry.async_on_unload(
            async_track_state_change_event(
                self.hass, sorted(self.reader.roles_by_entity), self._async_state_changed
            )
        )
        # A source that writes an unchanged state reports it; that keeps it from looking stale.
        entry.async_on_unload(
            async_track_state_report_event(
                self.hass, sorted(self.reader.roles_by_entity), self._async_state_reported
            )
        )
        entry.async_on_unload(
            async_track_time_interval(self.hass, self._async_tick, timedelta(seconds=TICK_INTERVAL))
        )
        for role, entity_id in self.sources.items():
            entry.async_on_unload(self._follow_source_changes(role, entity_id))
        entry.async_on_unload(async_at_started(self.hass, self._check_sources))
        now = dt_util.utcnow()
        start = backfill_start(self.engine, now, self.history_days, rebuild=self._rebuild)
        if start is not None and not recorder_available(self.hass):
            LOGGER.info("%s: no recorder, so learning from live changes only", self.name)
            self.history = HistoryStatus.NO_RECORDER
            start = None
        if start is None:
            self._feed_current_states()
            self._settle()
            return
        if self._rebuild:
            self._restart_engine()
        self._before_reading = self._data_to_save()
        self._buffer = []
        self.history = HistoryStatus.READING
        self.async_set_updated_data(self.engine.snapshot())
        self._reading = (start, now, self.engine.state.last_time is None)

    @callback
    def async_start_reading(self) -> None:
        """Start reading the recorder's history that `async_start` found missing, if any."""
        if self._reading is None:
            return
        start, end, fresh = self._reading
        self._reading = None
        self.config_entry.async_create_task(
            self.hass,
            self._async_read_history(start, end, fresh=fresh),
            f"{DOMAIN} history {self.name}",
        )

    def _feed_current_states(self, since: float | None = None) -> None:
        """Feed the sources' current states, oldest first.

        With `since`, a state older than it is fed as of `since`: its value still holds, and
        the engine takes no observation from before what it has already seen.
        """
        states = [
            state
            for entity_id in self.reader.roles_by_entity
            if (state := self.hass.states.get(entity_id)) is not None
        ]
        for state in sorted(states, key=lambda state: state.last_updated_timestamp):
            observations = self.reader.observations(state)
            if since is not None:
                observations = [o._replace(time=max(o.time, since)) for o in observations]
            self._feed(observations)

    def _settle(self) -> None:
        """Bring the engine to now and show the result."""
        now = dt_util.utcnow().timestamp()
        self.engine.advance(now)
        self._publish_changes()
        self.issues.sync(self.engine.findings, now)
        self.async_set_updated_data(self.engine.snapshot(now))

    def _restart_engine(self) -> None:
        """A fresh engine for new sources, keeping the maintenance dates."""
        maintenance = dict(self.engine.state.maintenance)
        self.engine = HealthEngine(self.engine_config, self.engine.zone)
        self.engine.state.maintenance.update(maintenance)
        LOGGER.info("%s: sources changed, re-learning from the recorder's history", self.name)

    @property
    def reading_history(self) -> bool:
        """Whether the recorder's history is being fed to the engine right now."""
        return self._buffer is not None

    async def _async_read_history(self, start: datetime, end: datetime, *, fresh: bool) -> None:
        """Feed the recorder's history, then what arrived live meanwhile; never fails setup."""
        instance = get_instance(self.hass)
        try:
            if await instance.async_db_ready:
                request = HistoryRequest(
                    self.engine, self.reader, start, end, fresh, self._progress_from_thread
                )
                result = await instance.async_add_executor_job(read_and_feed, self.hass, request)
                LOGGER.info(
                    "%s: learned from %d recorded states and %d hours of statistics since %s",
                    self.name,
                    result.states,
                    result.statistics,
                    start.isoformat(),
                )
        except Exception:
            LOGGER.warning("%s: could not read the recorder's history", self.name, exc_info=True)
        buffered, self._buffer = self._buffer or [], None
        last = self.engine.state.last_time
        self._feed([o for o in buffered if last is None or o.time >= last])
        # States written at the very moment the reading began are after its end.
        self._feed_current_states(since=self.engine.state.last_time)
        self.history = HistoryStatus.READ
        self.history_progress = 1.0
        self._settle()
        self._schedule_save()

    def _progress_from_thread(self, share: float) -> None:
        """Report progress from the recorder's executor to the event loop."""
        self.hass.loop.call_soon_threadsafe(self._set_progress, share)

    @callback
    def _set_progress(self, share: float) -> None:
        """Show how far the history has been read, at most once a second."""
        now = time.monotonic()
        if self.reading_history and now - self._progress_shown >= PROGRESS_INTERVAL:
            self._progress_shown = now
            self.history_progress = share
            self.async_update_listeners()

    def _follow_source_changes(self, role: Role, entity_id: str) -> Callable[[], None]:
        """Follow renames of a source entity, and for the primary source, device moves."""

        def rename(new_entity_id: str) -> None:
            entry = self.config_entry
            self.hass.config_entries.async_update_entry(
                entry,
                data={**entry.data, role.value: new_entity_id},
                unique_id=new_entity_id if entity_id == entry.unique_id else entry.unique_id,
            )
            self.hass.config_entries.async_schedule_reload(entry.entry_id)

        return async_handle_source_entity_changes(
            self.hass,
            helper_config_entry_id=self.config_entry.entry_id,
            set_source_entity_id_or_uuid=rename,
            source_device_id=(
                async_entity_id_to_device_id(self.hass, entity_id)
                if entity_id == self.primary_source
                else None
            ),
            source_entity_id_or_uuid=entity_id,
            source_entity_removed=self._source_removed_handler(role, entity_id),
        )

    @callback
    def _check_sources(self, _hass: HomeAssistant) -> None:
        """Once Home Assistant runs, raise an issue for each source that is not there."""
        registry = er.async_get(self.hass)
        for role, entity_id in self.sources.items():
            if registry.async_is_registered(entity_id) or self.hass.states.get(entity_id):
                self.issues.source_present(role)
            else:
                self.issues.source_missing(role, entity_id)

    def _source_removed_handler(
        self, role: Role, entity_id: str
    ) -> Callable[[], Coroutine[Any, Any, None]]:
        """What to do when a source entity is deleted: keep learning from the others."""

        async def removed() -> None:
            LOGGER.warning(
                "%s: the %s source %s was removed; reconfigure to pick another",
                self.name,
                role.value,
                entity_id,
            )
            self.issues.source_missing(role, entity_id)

        return removed

    @callback
    def _async_state_changed(self, event: Event[EventStateChangedData]) -> None:
        """Feed a changed source state to the engine.

        The entities show it at the next tick (within a minute), or at once if a finding
        started or ended: a snapshot per change would cost far more than the engine does.
        """
        if (state := event.data["new_state"]) is None:
            return
        if self._feed(self.reader.observations(state)):
            self.async_set_updated_data(self.engine.snapshot())

    @callback
    def _async_state_reported(self, event: Event[EventStateReportedData]) -> None:
        """Feed a source state written again unchanged, at the time it was reported.

        Nothing the entities show changes with it, so they wait for the next tick.
        """
        state = event.data["new_state"]
        reported = event.data["last_reported"].timestamp()
        self._feed(
            [
                Observation(reported, observation.role, observation.value)
                for observation in self.reader.observations(state)
            ]
        )

    @callback
    def _async_tick(self, now: datetime) -> None:
        """Let time pass in the engine while no source changes; send what is due."""
        time = now.timestamp()
        if self.reading_history:
            return
        self.engine.advance(time)
        self._publish_changes()
        findings = self.engine.findings
        self.issues.sync(findings, time)
        self.config_entry.async_create_task(
            self.hass, self._async_notify(findings, time), "heat_pump_health notify"
        )
        self.async_set_updated_data(self.engine.snapshot(time))

    async def _async_notify(self, findings: tuple[Finding, ...], time: float) -> None:
        """Send what is due, and save what the owner was told."""
        snoozed = {f.key for f in findings if self.issues.is_snoozed(f.key, time)}
        if await self.notifier.async_flush(findings, snoozed, time):
            self._schedule_save()

    def _feed(self, observations: list[Observation]) -> bool:
        """Give observations to the engine and schedule a save (or hold them while reading).

        Returns whether a finding started, grew worse or ended.
        """
        if self._buffer is not None:
            self._buffer.extend(observations)
            return False
        for observation in observations:
            self.engine.update(observation)
        changed = self._publish_changes()
        if changed:
            self.issues.sync(self.engine.findings, self.engine.state.last_time or 0.0)
        self._schedule_save()
        return changed

    def _schedule_save(self) -> None:
        """Ask for a delayed save, once per save."""
        if not self._save_pending:
            # Store postpones a delayed save each time it is asked again, so with sources that
            # change every few seconds it must be asked once per save, not once per change.
            self._save_pending = True
            self.store.async_delay_save(self._data_to_save, SAVE_DELAY)

    def _data_to_save(self) -> dict[str, Any]:
        """Everything learned, as the delayed save writes it.

        While the history is read in another thread the engine is not looked at; the state
        from before the reading is written instead.
        """
        self._save_pending = False
        if self.reading_history and self._before_reading is not None:
            return self._before_reading
        return {
            "engine": self.engine.as_dict(),
            "issues": self.issues.as_dict(),
            "notifier": self.notifier.as_dict(),
            "sources": self._source_signature(),
        }

    # -- findings out: events, listeners, notifications -------------------------------------

    @callback
    def async_add_finding_listener(self, listener: FindingListener) -> Callable[[], None]:
        """Call `listener(event_type, finding, data)` for every finding that starts or ends."""
        self._finding_listeners.append(listener)
        return lambda: self._finding_listeners.remove(listener)

    def _publish_changes(self) -> bool:
        """Announce findings that started, grew worse or ended; return whether any did."""
        changes = self.engine.drain_changes()
        for finding in changes:
            if finding.end is not None:
                event_type = FINDING_CLEARED
                self._announced.discard(finding.key)
                LOGGER.info("%s: %s ended (%s)", self.name, finding.key, finding.end_reason)
            elif finding.key in self._announced:
                # Worse than when the owner put it aside: tell them again, now.
                event_type = FINDING_ESCALATED
                self.issues.unsnooze(finding.key)
                self.notifier.worsened(finding.key)
                LOGGER.info("%s: %s now %s", self.name, finding.key, finding.severity)
            else:
                event_type = FINDING_STARTED
                self._announced.add(finding.key)
                LOGGER.info("%s: %s (%s)", self.name, finding.key, finding.severity)
            data = self.event_data(event_type, finding)
            self.hass.bus.async_fire(EVENT_FINDING, data)
            for listener in list(self._finding_listeners):
                listener(event_type, finding, data)
        return bool(changes)

    def event_data(self, event_type: str, finding: Finding) -> dict[str, Any]:
        """What a `heat_pump_health_finding` event carries; documented in the README."""
        values = placeholders(finding, self.name, self.issues.zone)
        if event_type == FINDING_CLEARED:
            title, message = self.texts.cleared(finding.key, values)
        else:
            title = self.texts.title(finding.key, values)
            message = self.texts.message(finding, values)
        return {
            "entry_id": self.config_entry.entry_id,
            "device_id": self.device_id,
            "heat_pump": self.name,
            "type": event_type,
            "key": finding.key.value,
            "title": title,
            "message": message,
            "severity": finding.severity.value,
            "guidance": finding.guidance.value,
            "evidence": dict(finding.evidence),
            "start": _iso(finding.start),
            "end": None if finding.end is None else _iso(finding.end),
        }

    @property
    def device_id(self) -> str | None:
        """The device the health entities sit on."""
        if (device_id := async_entity_id_to_device_id(self.hass, self.primary_source)) is not None:
            return device_id
        entry_id = self.config_entry.entry_id
        device = dr.async_get(self.hass).async_get_device_by_identifier(
            (DOMAIN, entry_id), entry_id
        )
        return None if device is None else device.id

    # -- what the owner does: acknowledge, maintenance, re-learn ----------------------------

    def ensure_idle(self) -> None:
        """Refuse an owner's action while the history is read (it takes seconds)."""
        if self.reading_history:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="reading_history",
                translation_placeholders={"name": self.name},
            )

    def open_finding(self, key: FindingKey) -> Finding | None:
        """The open finding with this key, if there is one."""
        return next((finding for finding in self.engine.findings if finding.key is key), None)

    @staticmethod
    def snooze_allowed(finding: Finding, seconds: float) -> bool:
        """An emergency may be put aside for a day at most."""
        return finding.guidance is not Guidance.EMERGENCY or seconds <= MAX_EMERGENCY_SNOOZE

    @callback
    def acknowledge(self, finding: Finding, seconds: float) -> None:
        """Hide a finding's issue and reminders for a while; it returns if still open."""
        self.ensure_idle()
        until = dt_util.utcnow().timestamp() + seconds
        self.issues.acknowledge(finding, until)
        self.notifier.snooze(finding.key, until)
        self._after_owner_action()

    @callback
    def record_maintenance(self, kind: Maintenance, time: float) -> None:
        """Record a filter change or a service; a service also re-learns the baselines."""
        self.ensure_idle()
        self.engine.record_maintenance(kind, time)
        self._after_owner_action()

    @callback
    def reset_baselines(self) -> None:
        """Forget what normal looked like, after a repair changed it."""
        self.ensure_idle()
        self.engine.reset_baselines(dt_util.utcnow().timestamp())
        self._after_owner_action()

    def _after_owner_action(self) -> None:
        """Publish what an owner's action changed, and save it."""
        now = dt_util.utcnow().timestamp()
        self._publish_changes()
        self.issues.sync(self.engine.findings, now)
        self._schedule_save()
        # What the owner just did shows at once, throttled measurements included.
        self.write_now = True
        try:
            self.async_set_updated_data(self.engine.snapshot(now))
        finally:
            self.write_now = False

    async def async_save(self) -> None:
        """Save what was learned now (on unload); not while the history is half read."""
        if self.reading_history:
            return
        await self.store.async_save(self._data_to_save())

    @staticmethod
    async def async_remove_store(hass: HomeAssistant, entry_id: str) -> None:
        """Delete a heat pump's saved state."""
        await _store(hass, entry_id).async_remove()
