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
from homeassistant.helpers.device import async_entity_id_to_device_id
from homeassistant.helpers.event import (
    async_track_state_change_event,
    async_track_state_report_event,
    async_track_time_interval,
)
from homeassistant.helpers.helper_integration import async_handle_source_entity_changes
from homeassistant.helpers.storage import Store
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .const import CONF_DEFROST_STATE, DOMAIN, LOGGER, SAVE_DELAY, SOURCE_ROLES, TICK_INTERVAL
from .engine import EngineConfig, HealthEngine, HealthSnapshot, Observation, Role
from .engine.engine import StateVersionError
from .sources import SourceReader, primary_source

STORAGE_VERSION = 1

type HeatPumpHealthConfigEntry = ConfigEntry[HeatPumpHealthCoordinator]


def configured_sources(entry: ConfigEntry) -> dict[Role, str]:
    """The source entity of each configured role."""
    return {role: entry.data[role.value] for role in SOURCE_ROLES if entry.data.get(role.value)}


def _store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    """Where one heat pump's learned state is kept."""
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}")


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

    async def async_load(self) -> None:
        """Restore what was learned; a state that cannot be read starts the engine afresh."""
        saved = await self.store.async_load()
        if saved is None:
            return
        try:
            self.engine = HealthEngine.from_dict(saved, self.engine_config, self.engine.zone)
        except (StateVersionError, KeyError, TypeError, ValueError) as err:
            LOGGER.warning("Saved state of %s is unusable, starting afresh: %s", self.name, err)

    @callback
    def async_start(self) -> None:
        """Follow the sources: current states now, every change later, and a clock tick."""
        entry = self.config_entry
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
        states = [
            state
            for entity_id in self.reader.roles_by_entity
            if (state := self.hass.states.get(entity_id)) is not None
        ]
        for state in sorted(states, key=lambda state: state.last_updated_timestamp):
            self._feed(self.reader.observations(state))
        self.engine.advance(dt_util.utcnow().timestamp())
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
        """Let time pass in the engine while no source changes."""
        self.engine.advance(now.timestamp())
        self._log_changes()
        self.async_set_updated_data(self.engine.snapshot(now.timestamp()))

    def _feed(self, observations: list[Observation]) -> None:
        """Give observations to the engine and schedule a save."""
        for observation in observations:
            self.engine.update(observation)
        self._log_changes()
        if not self._save_pending:
            # Store postpones a delayed save each time it is asked again, so with sources that
            # change every few seconds it must be asked once per save, not once per change.
            self._save_pending = True
            self.store.async_delay_save(self._data_to_save, SAVE_DELAY)

    def _data_to_save(self) -> dict[str, Any]:
        """The engine's state, as the delayed save writes it."""
        self._save_pending = False
        return self.engine.as_dict()

    def _log_changes(self) -> None:
        """Log findings as they start and end (Repairs, events and notifications build on it)."""
        for finding in self.engine.drain_changes():
            if finding.end is None:
                LOGGER.info("%s: %s (%s)", self.name, finding.key, finding.severity)
            else:
                LOGGER.info("%s: %s ended (%s)", self.name, finding.key, finding.end_reason)

    async def async_save(self) -> None:
        """Save what was learned now (on unload)."""
        self._save_pending = False
        await self.store.async_save(self.engine.as_dict())

    @staticmethod
    async def async_remove_store(hass: HomeAssistant, entry_id: str) -> None:
        """Delete a heat pump's saved state."""
        await _store(hass, entry_id).async_remove()
