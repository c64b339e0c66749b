"""Heat Pump Health: reads a heat pump's existing entities and reports on its health."""

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.device import async_entity_id_to_device_id
from homeassistant.helpers.typing import ConfigType
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .coordinator import HeatPumpHealthConfigEntry, HeatPumpHealthCoordinator
from .issues import FindingIssues
from .services import async_setup_services

PLATFORMS: tuple[Platform, ...] = (
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.SENSOR,
)
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the service actions, shared by every heat pump."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: HeatPumpHealthConfigEntry) -> bool:
    """Restore what was learned, follow the sources and add the health entities."""
    coordinator = HeatPumpHealthCoordinator(hass, entry)
    await coordinator.async_load()
    entry.runtime_data = coordinator
    if async_entity_id_to_device_id(hass, coordinator.primary_source) is not None:
        _async_remove_own_device(hass, entry)
    coordinator.async_start()
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    # Only now: adding the entities would otherwise compete with the reading for the loop.
    coordinator.async_start_reading()
    return True


async def async_unload_entry(hass: HomeAssistant, entry: HeatPumpHealthConfigEntry) -> bool:
    """Remove the entities and save what was learned."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await entry.runtime_data.async_save()
        # A heat pump that is not watched has no open issues; setup raises them again.
        entry.runtime_data.issues.remove_all()
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: HeatPumpHealthConfigEntry) -> None:
    """Forget what was learned about a heat pump that is no longer configured."""
    await HeatPumpHealthCoordinator.async_remove_store(hass, entry.entry_id)
    FindingIssues(hass, entry.entry_id, entry.title, dt_util.get_default_time_zone()).remove_all()


@callback
def _async_remove_own_device(hass: HomeAssistant, entry: HeatPumpHealthConfigEntry) -> None:
    """Drop the service device made while the sources had no device: it would stay empty."""
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        if (DOMAIN, entry.entry_id) in device.identifiers:
            registry.async_remove_device(device.id)
