"""Climate entity of the simulated heat pump: mode, set point and what the unit is doing."""

from __future__ import annotations

from typing import Any

from homeassistant.components.climate import ClimateEntity
from homeassistant.components.climate.const import ClimateEntityFeature, HVACAction, HVACMode
from homeassistant.const import ATTR_TEMPERATURE, UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity

from . import SimConfigEntry
from .const import CLIMATE_ID
from .entity import SimEntity
from .readings import ClimateValue
from .simulator.thermostat import HvacMode
from .simulator.weather import ClimateName

_MODES = {HVACMode.HEAT: HvacMode.HEAT, HVACMode.COOL: HvacMode.COOL, HVACMode.OFF: HvacMode.OFF}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SimConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the climate entity."""
    async_add_entities([SimClimate(entry.runtime_data, "climate", CLIMATE_ID)])


class SimClimate(SimEntity, ClimateEntity, RestoreEntity):
    """The simulated unit's thermostat; hvac_action shows heating, idle or defrosting."""

    _attr_name = None
    _attr_hvac_modes = list(_MODES)  # noqa: RUF012 - as Home Assistant declares it
    _attr_supported_features = (
        ClimateEntityFeature.TARGET_TEMPERATURE
        | ClimateEntityFeature.TURN_ON
        | ClimateEntityFeature.TURN_OFF
    )
    _attr_target_temperature_step = 0.5
    _attr_min_temp = 10.0
    _attr_max_temp = 30.0

    @property
    def _reading(self) -> ClimateValue:
        reading = self.runtime.readings["climate"]
        assert isinstance(reading, ClimateValue)
        return reading

    async def async_added_to_hass(self) -> None:
        """Restore a mode and set point the owner chose before a restart."""
        await super().async_added_to_hass()
        if (last := await self.async_get_last_state()) is None or last.state not in _MODES:
            return
        if self.runtime.user.mode is None and last.state != self._reading.hvac_mode:
            self.runtime.async_set_mode(_MODES[HVACMode(last.state)])
        target = last.attributes.get(ATTR_TEMPERATURE)
        if isinstance(target, (int, float)) and float(target) != self._reading.target:
            self.runtime.async_set_target(float(target))

    @property
    def hvac_mode(self) -> HVACMode:
        """Mode the thermostat is in."""
        return HVACMode(self._reading.hvac_mode)

    @property
    def hvac_action(self) -> HVACAction:
        """What the unit is doing now."""
        return HVACAction(self._reading.hvac_action)

    @property
    def native_temperature_unit(self) -> str:
        """The simulator computes in degrees Celsius."""
        return UnitOfTemperature.CELSIUS

    @property
    def native_current_temperature(self) -> float:
        """The temperature the thermostat reads."""
        return self._reading.current

    @property
    def native_target_temperature(self) -> float:
        """The set point."""
        return self._reading.target

    # Home Assistant 2026.10 and older read the three names below; 2026.11 reads the native ones
    # above and, as this class provides both, does not warn about these. They go when 2026.10
    # is no longer supported.
    @property
    def temperature_unit(self) -> str:
        """The unit, under its name before 2026.11."""
        return self.native_temperature_unit

    @property
    def current_temperature(self) -> float:
        """The current temperature, under its name before 2026.11."""
        return self.native_current_temperature

    @property
    def target_temperature(self) -> float:
        """The set point, under its name before 2026.11."""
        return self.native_target_temperature

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Switch between heat, cool and off."""
        self.runtime.async_set_mode(_MODES[hvac_mode])

    async def async_set_temperature(self, **kwargs: Any) -> None:  # noqa: ANN401 - as in ClimateEntity
        """Change the set point (and the mode, if given)."""
        if (mode := kwargs.get("hvac_mode")) is not None:
            self.runtime.async_set_mode(_MODES[HVACMode(mode)])
        if (target := kwargs.get(ATTR_TEMPERATURE)) is not None:
            self.runtime.async_set_target(float(target))

    async def async_turn_on(self) -> None:
        """Turn on in the season's mode."""
        await self.async_set_hvac_mode(HVACMode.COOL if self._season_cool else HVACMode.HEAT)

    async def async_turn_off(self) -> None:
        """Turn off."""
        await self.async_set_hvac_mode(HVACMode.OFF)

    @property
    def _season_cool(self) -> bool:
        return self.runtime.climate is ClimateName.HOT
