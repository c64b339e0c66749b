"""Heat Pump Health: reads a heat pump's existing entities and reports on its health.

The Home Assistant side is imported only when Home Assistant sets the integration up, so that
the engine (`.engine`) and the source reader can be imported on their own, by the replay tool
and the benchmarks, without the coordinator, the recorder and everything they pull in. Home
Assistant has already imported those modules by then (with the `diagnostics` and `repairs`
platforms, in its import executor), so the imports in these functions cost nothing.
"""

from typing import TYPE_CHECKING

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .const import DOMAIN

if TYPE_CHECKING:
    from .coordinator import HeatPumpHealthConfigEntry

PLATFORMS: tuple[Platform, ...] = (
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.SENSOR,
)
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the service actions, shared by every heat pump."""
    from .services import async_setup_services  # noqa: PLC0415 - see the module docstring

    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: HeatPumpHealthConfigEntry) -> bool:
    """Restore what was learned, follow the sources and add the health entities."""
    from homeassistant.helpers.device import async_entity_id_to_device_id  # noqa: PLC0415

    from .coordinator import HeatPumpHealthCoordinator  # noqa: PLC0415
    from .device import async_remove_own_device  # noqa: PLC0415

    coordinator = HeatPumpHealthCoordinator(hass, entry)
    await coordinator.async_load()
    entry.runtime_data = coordinator
    if async_entity_id_to_device_id(hass, coordinator.primary_source) is not None:
        async_remove_own_device(hass, entry)
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
    from homeassistant.util import dt as dt_util  # noqa: PLC0415

    from .issues import FindingIssues  # noqa: PLC0415
    from .store import HealthStore  # noqa: PLC0415

    await HealthStore(hass, entry.entry_id).async_remove()
    FindingIssues(hass, entry.entry_id, entry.title, dt_util.get_default_time_zone()).remove_all()
