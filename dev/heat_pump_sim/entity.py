"""Base entity of the simulator: one device, pushed updates after each simulation step."""

from __future__ import annotations

from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity

from . import Simulation
from .const import DEVICE_NAME, DOMAIN, UNIQUE_ID


class SimEntity(Entity):
    """An entity of the simulated heat pump device."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, simulation: Simulation, key: str, entity_id: str) -> None:
        """Attach to the simulation; `entity_id` is fixed so the dev setup can name it."""
        self.simulation = simulation
        self.entity_id = entity_id
        self._attr_unique_id = f"{UNIQUE_ID}_{key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, UNIQUE_ID)},
            name=DEVICE_NAME,
            manufacturer="Heat Pump Health dev tools",
            model="Air-to-air heat pump simulator",
        )

    async def async_added_to_hass(self) -> None:
        """Write the state after each simulation step."""
        await super().async_added_to_hass()
        self.async_on_remove(self.simulation.async_add_listener(self.async_write_ha_state))
