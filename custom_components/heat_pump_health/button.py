"""Buttons for the owner to record maintenance: the filter replaced, the unit serviced."""

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .coordinator import HeatPumpHealthConfigEntry, HeatPumpHealthCoordinator
from .engine import Maintenance
from .entity import HeatPumpHealthEntity

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class MaintenanceButtonDescription(ButtonEntityDescription):
    """A button that records one kind of maintenance as done now."""

    press_fn: Callable[[HeatPumpHealthCoordinator], None]


BUTTONS: tuple[MaintenanceButtonDescription, ...] = (
    MaintenanceButtonDescription(
        key="filter_replaced",
        translation_key="filter_replaced",
        entity_category=EntityCategory.CONFIG,
        press_fn=lambda coordinator: coordinator.record_maintenance(
            Maintenance.FILTER, dt_util.utcnow().timestamp()
        ),
    ),
    MaintenanceButtonDescription(
        key="service_done",
        translation_key="service_done",
        entity_category=EntityCategory.CONFIG,
        press_fn=lambda coordinator: coordinator.record_maintenance(
            Maintenance.SERVICE, dt_util.utcnow().timestamp()
        ),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpHealthConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the maintenance buttons of one heat pump."""
    coordinator = entry.runtime_data
    async_add_entities(MaintenanceButton(coordinator, description) for description in BUTTONS)


class MaintenanceButton(HeatPumpHealthEntity, ButtonEntity):
    """Records its maintenance when pressed."""

    entity_description: MaintenanceButtonDescription

    async def async_press(self) -> None:
        """Record the maintenance now; a service also re-learns the baselines."""
        self.entity_description.press_fn(self.coordinator)
