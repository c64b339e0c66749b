"""Climate entity of the simulated heat pump: mode, target and the thermostat's action."""

from __future__ import annotations

from typing import Any

from homeassistant.components.climate import ClimateEntity
from homeassistant.components.climate.const import ClimateEntityFeature, HVACAction, HVACMode
from homeassistant.const import ATTR_TEMPERATURE, UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity

from . import SimConfigEntry
from .entity import SimEntity
from .model import Mode

_TO_MODEL = {HVACMode.HEAT: Mode.HEAT, HVACMode.COOL: Mode.COOL, HVACMode.OFF: Mode.OFF}
_FROM_MODEL = {mode: hvac_mode for hvac_mode, mode in _TO_MODEL.items()}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SimConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the climate entity."""
    async_add_entities([SimClimate(entry.runtime_data, "climate", "climate.simulated_heat_pump")])


class SimClimate(SimEntity, ClimateEntity, RestoreEntity):
    """The simulated unit's thermostat."""

    _attr_name = None
    _attr_hvac_modes = list(_TO_MODEL)  # noqa: RUF012 - as Home Assistant declares it
    _attr_supported_features = (
        ClimateEntityFeature.TARGET_TEMPERATURE
        | ClimateEntityFeature.TURN_ON
        | ClimateEntityFeature.TURN_OFF
    )
    _attr_temperature_unit = UnitOfTemperature.CELSIUS
    _attr_target_temperature_step = 0.5
    _attr_min_temp = 10.0
    _attr_max_temp = 30.0

    async def async_added_to_hass(self) -> None:
        """Restore the mode and target temperature set before a restart."""
        await super().async_added_to_hass()
        if (last := await self.async_get_last_state()) is None:
            return
        if last.state in _TO_MODEL:
            self.simulation.model.mode = _TO_MODEL[HVACMode(last.state)]
        if isinstance(target := last.attributes.get(ATTR_TEMPERATURE), (int, float)):
            self.simulation.model.target_c = float(target)

    @property
    def hvac_mode(self) -> HVACMode:
        """Mode asked by the user."""
        return _FROM_MODEL[self.simulation.model.mode]

    @property
    def hvac_action(self) -> HVACAction:
        """What the unit is doing now."""
        return HVACAction(self.simulation.model.action.value)

    @property
    def current_temperature(self) -> float:
        """Indoor temperature at the unit."""
        return round(self.simulation.model.indoor_c, 2)

    @property
    def target_temperature(self) -> float:
        """Thermostat set point."""
        return self.simulation.model.target_c

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Switch between heat, cool and off."""
        self.simulation.model.mode = _TO_MODEL[hvac_mode]
        self.simulation.async_notify()

    async def async_set_temperature(self, **kwargs: Any) -> None:  # noqa: ANN401 - as in ClimateEntity
        """Change the set point (and the mode, if given)."""
        if (mode := kwargs.get("hvac_mode")) is not None:
            self.simulation.model.mode = _TO_MODEL[HVACMode(mode)]
        if (target := kwargs.get(ATTR_TEMPERATURE)) is not None:
            self.simulation.model.target_c = float(target)
        self.simulation.async_notify()

    async def async_turn_on(self) -> None:
        """Turn on in heating mode."""
        await self.async_set_hvac_mode(HVACMode.HEAT)

    async def async_turn_off(self) -> None:
        """Turn off."""
        await self.async_set_hvac_mode(HVACMode.OFF)
