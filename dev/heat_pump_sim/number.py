"""The simulator's Speed: how many times faster than the clock the active fault develops."""

from __future__ import annotations

from homeassistant.components.number import NumberEntity, NumberMode
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import SimConfigEntry
from .const import MAX_SPEED
from .entity import SimEntity


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SimConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the speed."""
    async_add_entities(
        [SpeedNumber(entry.runtime_data, "speed", "number.simulated_heat_pump_speed")]
    )


class SpeedNumber(SimEntity, NumberEntity):
    """Time acceleration of the fault's development (clogging, leaking, drifting).

    Runs, defrosts, the house and the weather stay at the wall clock's pace: Heat Pump Health
    reads the time stamps Home Assistant gives the states, which cannot run faster. Set from
    `speed:` in configuration.yaml (HPH_SIM_SPEED) at each start.
    """

    _attr_native_min_value = 1.0
    _attr_native_max_value = MAX_SPEED
    _attr_native_step = 1.0
    _attr_mode = NumberMode.BOX
    _attr_native_unit_of_measurement = "x"

    @property
    def native_value(self) -> float:
        """The current speed."""
        return self.runtime.speed

    async def async_set_native_value(self, value: float) -> None:
        """Change the speed."""
        self.runtime.async_set_speed(value)
