"""Diagnostics download: the configuration, what was learned and the current picture."""

from dataclasses import asdict
from typing import Any

from homeassistant.core import HomeAssistant

from .coordinator import HeatPumpHealthConfigEntry


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: HeatPumpHealthConfigEntry
) -> dict[str, Any]:
    """Everything needed to understand a report, with nothing secret in it."""
    coordinator = entry.runtime_data
    return {
        "entry": {
            "title": entry.title,
            "version": f"{entry.version}.{entry.minor_version}",
            "data": dict(entry.data),
            "options": dict(entry.options),
        },
        "sources": {
            role.value: _source_state(hass, entity_id)
            for role, entity_id in coordinator.sources.items()
        },
        "snapshot": asdict(coordinator.data) if coordinator.data else None,
        "findings": [finding.as_dict() for finding in coordinator.engine.findings],
        "engine_state": coordinator.engine.as_dict(),
    }


def _source_state(hass: HomeAssistant, entity_id: str) -> dict[str, Any]:
    """A source entity's current state and unit, or that it is missing."""
    if (state := hass.states.get(entity_id)) is None:
        return {"entity_id": entity_id, "state": None}
    return {
        "entity_id": entity_id,
        "state": state.state,
        "unit_of_measurement": state.attributes.get("unit_of_measurement"),
        "device_class": state.attributes.get("device_class"),
    }
