"""The findings event entity: automations in the UI can trigger on a finding starting or ending."""

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .announce import FindingEventData, finding_signal
from .const import EVENT_TYPES
from .coordinator import HeatPumpHealthConfigEntry
from .entity import HeatPumpHealthEntity

PARALLEL_UPDATES = 0

DESCRIPTION = EventEntityDescription(
    key="finding", translation_key="finding", event_types=list(EVENT_TYPES)
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpHealthConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the findings event entity of one heat pump."""
    async_add_entities([FindingEvent(entry.runtime_data, DESCRIPTION)])


class FindingEvent(HeatPumpHealthEntity, EventEntity):
    """Fires `finding_started` and `finding_cleared` with the finding's key and evidence."""

    async def async_added_to_hass(self) -> None:
        """Listen for findings as the coordinator announces them."""
        await super().async_added_to_hass()
        signal = finding_signal(self.coordinator.config_entry.entry_id)
        self.async_on_remove(async_dispatcher_connect(self.hass, signal, self._on_finding))

    @callback
    def async_entity_id_changed(self, old_entity_id: str) -> None:
        """Nothing to move on a rename: the findings signal is the entry's, not the entity id's."""
        # Defining this opts in to renames in place (Home Assistant 2026.11 and newer); without
        # it, a rename removes and re-adds the entity. Older releases never call it.

    @callback
    def _on_finding(self, event_type: str, data: FindingEventData) -> None:
        """Record the event and write the new state."""
        # The event entity's attributes: a subset of the bus event's data.
        self._trigger_event(
            event_type,
            {
                "key": data["key"],
                "severity": data["severity"],
                "guidance": data["guidance"],
                "evidence": data["evidence"],
                "title": data["title"],
                "message": data["message"],
            },
        )
        self.async_write_ha_state()
