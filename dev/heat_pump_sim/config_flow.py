"""Config flow of the simulator: YAML import, or a confirmation in the UI with defaults."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult

from .const import CONF_SPEED, DEFAULT_SPEED, DEVICE_NAME, DOMAIN, UNIQUE_ID


class HeatPumpSimConfigFlow(ConfigFlow, domain=DOMAIN):
    """Create the single simulator entry."""

    VERSION = 1

    async def async_step_import(self, import_data: dict[str, Any]) -> ConfigFlowResult:
        """Create or update the entry from `heat_pump_sim:` in configuration.yaml."""
        await self.async_set_unique_id(UNIQUE_ID)
        self._abort_if_unique_id_configured(updates=import_data)
        return self.async_create_entry(title=DEVICE_NAME, data=import_data)

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Say what the simulator is, then create the entry with default settings."""
        await self.async_set_unique_id(UNIQUE_ID)
        self._abort_if_unique_id_configured()
        if user_input is None:
            return self.async_show_form(step_id="user")
        return self.async_create_entry(title=DEVICE_NAME, data={CONF_SPEED: DEFAULT_SPEED})
