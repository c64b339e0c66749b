"""The findings event entity: automations in the UI can trigger on a finding starting or ending."""

from typing import Any

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import EVENT_TYPES
from .coordinator import HeatPumpHealthConfigEntry
from .engine import Finding
from .entity import HeatPumpHealthEntity

PARALLEL_UPDATES = 0

DESCRIPTION = EventEntityDescription(
    key="finding", translation_key="finding", event_types=list(EVENT_TYPES)
)
# Attributes of the event entity, a subset of the bus event's data.
EVENT_ATTRIBUTES = ("key", "severity", "guidance", "evidence", "title", "message")


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
        self.async_on_remove(self.coordinator.async_add_finding_listener(self._on_finding))

    @callback
    def _on_finding(self, event_type: str, finding: Finding, data: dict[str, Any]) -> None:
        """Record the event and write the new state."""
        self._trigger_event(event_type, {key: data[key] for key in EVENT_ATTRIBUTES})
        self.async_write_ha_state()
