"""The runtime of one heat pump: source states in, engine snapshots out to its entities."""

from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import (
    Event,
    EventStateChangedData,
    EventStateReportedData,
    HomeAssistant,
    callback,
)
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.device import async_entity_id_to_device_id
from homeassistant.helpers.event import (
    async_track_state_change_event,
    async_track_state_report_event,
    async_track_time_interval,
)
from homeassistant.helpers.helper_integration import async_handle_source_entity_changes
from homeassistant.helpers.start import async_at_started
from homeassistant.helpers.storage import Store
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .const import (
    CONF_DEFROST_STATE,
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
        states = [
            state
            for entity_id in self.reader.roles_by_entity
            if (state := self.hass.states.get(entity_id)) is not None
        ]
        for state in sorted(states, key=lambda state: state.last_updated_timestamp):
            self._feed(self.reader.observations(state))
        now = dt_util.utcnow().timestamp()
        self.engine.advance(now)
        self._publish_changes()
        self.issues.sync(self.engine.findings, now)
        self.async_set_updated_data(self.engine.snapshot())

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
        """Feed a changed source state to the engine."""
        if (state := event.data["new_state"]) is None:
            return
        self._feed(self.reader.observations(state))
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

    def _feed(self, observations: list[Observation]) -> None:
        """Give observations to the engine and schedule a save."""
        for observation in observations:
            self.engine.update(observation)
        if self._publish_changes():
            self.issues.sync(self.engine.findings, self.engine.state.last_time or 0.0)
        self._schedule_save()

    def _schedule_save(self) -> None:
        """Ask for a delayed save, once per save."""
        if not self._save_pending:
            # Store postpones a delayed save each time it is asked again, so with sources that
            # change every few seconds it must be asked once per save, not once per change.
            self._save_pending = True
            self.store.async_delay_save(self._data_to_save, SAVE_DELAY)

    def _data_to_save(self) -> dict[str, Any]:
        """Everything learned, as the delayed save writes it."""
        self._save_pending = False
        return {
            "engine": self.engine.as_dict(),
            "issues": self.issues.as_dict(),
            "notifier": self.notifier.as_dict(),
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
        until = dt_util.utcnow().timestamp() + seconds
        self.issues.acknowledge(finding, until)
        self.notifier.snooze(finding.key, until)
        self._after_owner_action()

    @callback
    def record_maintenance(self, kind: Maintenance, time: float) -> None:
        """Record a filter change or a service; a service also re-learns the baselines."""
        self.engine.record_maintenance(kind, time)
        self._after_owner_action()

    @callback
    def reset_baselines(self) -> None:
        """Forget what normal looked like, after a repair changed it."""
        self.engine.reset_baselines(dt_util.utcnow().timestamp())
        self._after_owner_action()

    def _after_owner_action(self) -> None:
        """Publish what an owner's action changed, and save it."""
        now = dt_util.utcnow().timestamp()
        self._publish_changes()
        self.issues.sync(self.engine.findings, now)
        self._schedule_save()
        self.async_set_updated_data(self.engine.snapshot(now))

    async def async_save(self) -> None:
        """Save what was learned now (on unload)."""
        await self.store.async_save(self._data_to_save())

    @staticmethod
    async def async_remove_store(hass: HomeAssistant, entry_id: str) -> None:
        """Delete a heat pump's saved state."""
        await _store(hass, entry_id).async_remove()
