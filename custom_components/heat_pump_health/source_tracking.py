"""Following the source entities: their states, their renames and moves, their removal."""

from collections.abc import Callable, Coroutine
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import (
    Event,
    EventStateChangedData,
    EventStateReportedData,
    HomeAssistant,
    callback,
)
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.device import async_entity_id_to_device_id
from homeassistant.helpers.event import (
    async_track_state_change_event,
    async_track_state_report_event,
)
from homeassistant.helpers.helper_integration import async_handle_source_entity_changes
from homeassistant.helpers.start import async_at_started

from .const import LOGGER
from .engine import Role
from .issues import FindingIssues

type StateChanged = Callable[[Event[EventStateChangedData]], None]
type StateReported = Callable[[Event[EventStateReportedData]], None]


class SourceTracking:
    """Subscribes one heat pump to its sources for as long as its config entry is loaded."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        sources: dict[Role, str],
        primary_source: str,
        issues: FindingIssues,
    ) -> None:
        """Track `sources`; the primary source's device moves carry the entry along."""
        self.hass = hass
        self.entry = entry
        self.sources = sources
        self.primary_source = primary_source
        self.issues = issues

    @callback
    def async_start(
        self, entity_ids: list[str], changed: StateChanged, reported: StateReported
    ) -> None:
        """Call `changed` on every state change and `reported` on every unchanged write."""
        entry = self.entry
        entry.async_on_unload(async_track_state_change_event(self.hass, entity_ids, changed))
        # A source that writes an unchanged state reports it; that keeps it from looking stale.
        entry.async_on_unload(async_track_state_report_event(self.hass, entity_ids, reported))
        for role, entity_id in self.sources.items():
            entry.async_on_unload(self._follow_changes(role, entity_id))
        entry.async_on_unload(async_at_started(self.hass, self._check_sources))

    def _follow_changes(self, role: Role, entity_id: str) -> Callable[[], None]:
        """Follow renames of a source entity, and for the primary source, device moves."""

        def rename(new_entity_id: str) -> None:
            entry = self.entry
            self.hass.config_entries.async_update_entry(
                entry,
                data={**entry.data, role.value: new_entity_id},
                unique_id=new_entity_id if entity_id == entry.unique_id else entry.unique_id,
            )
            self.hass.config_entries.async_schedule_reload(entry.entry_id)

        return async_handle_source_entity_changes(
            self.hass,
            helper_config_entry_id=self.entry.entry_id,
            set_source_entity_id_or_uuid=rename,
            source_device_id=(
                async_entity_id_to_device_id(self.hass, entity_id)
                if entity_id == self.primary_source
                else None
            ),
            source_entity_id_or_uuid=entity_id,
            source_entity_removed=self._removed_handler(role, entity_id),
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

    def _removed_handler(
        self, role: Role, entity_id: str
    ) -> Callable[[], Coroutine[Any, Any, None]]:
        """What to do when a source entity is deleted: keep learning from the others."""

        async def removed() -> None:
            LOGGER.warning(
                "%s: the %s source %s was removed; reconfigure to pick another",
                self.entry.title,
                role.value,
                entity_id,
            )
            self.issues.source_missing(role, entity_id)

        return removed
