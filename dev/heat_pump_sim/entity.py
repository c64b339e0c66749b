"""Base entity of the simulator: one device, its state written after each simulation step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity

from .const import DEVICE_NAME, DOMAIN, UNIQUE_ID

if TYPE_CHECKING:
    from .runtime import SimRuntime


class SimEntity(Entity):
    """An entity of the simulated heat pump device."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, runtime: SimRuntime, key: str, entity_id: str) -> None:
        """Attach to the runtime; the fixed `entity_id` is what the dev setup and dashboard use."""
        self.runtime = runtime
        self.entity_id = entity_id
        self._attr_translation_key = key
        self._attr_unique_id = f"{UNIQUE_ID}_{key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, UNIQUE_ID)},
            name=DEVICE_NAME,
            manufacturer="Heat Pump Health dev tools",
            model="Heat pump simulator (simulator package)",
        )

    async def async_added_to_hass(self) -> None:
        """Write the state whenever the simulation moves on or a setting changes."""
        await super().async_added_to_hass()
        self.async_on_remove(self.runtime.async_add_listener(self.async_write_ha_state))
