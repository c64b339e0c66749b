"""Buttons: record maintenance (the filter replaced, the unit serviced), test notifications."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial

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
class HeatPumpButtonDescription(ButtonEntityDescription):
    """A button and what pressing it does; an error it raises is shown to the owner."""

    press_fn: Callable[[HeatPumpHealthCoordinator], Awaitable[object]]


async def _async_record(kind: Maintenance, coordinator: HeatPumpHealthCoordinator) -> None:
    """Record one kind of maintenance as done now."""
    coordinator.record_maintenance(kind, dt_util.utcnow().timestamp())


async def _async_send_test(coordinator: HeatPumpHealthCoordinator) -> None:
    """Send the test notification; raises naming the targets it did not reach."""
    await coordinator.announcer.notifier.async_send_test()


BUTTONS: tuple[HeatPumpButtonDescription, ...] = (
    HeatPumpButtonDescription(
        key="filter_replaced",
        translation_key="filter_replaced",
        entity_category=EntityCategory.CONFIG,
        press_fn=partial(_async_record, Maintenance.FILTER),
    ),
    HeatPumpButtonDescription(
        key="service_done",
        translation_key="service_done",
        entity_category=EntityCategory.CONFIG,
        press_fn=partial(_async_record, Maintenance.SERVICE),
    ),
    HeatPumpButtonDescription(
        key="test_notification",
        translation_key="test_notification",
        entity_category=EntityCategory.CONFIG,
        press_fn=_async_send_test,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpHealthConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the buttons of one heat pump."""
    coordinator = entry.runtime_data
    async_add_entities(HeatPumpButton(coordinator, description) for description in BUTTONS)


class HeatPumpButton(HeatPumpHealthEntity, ButtonEntity):
    """Does its action when pressed."""

    entity_description: HeatPumpButtonDescription

    async def async_press(self) -> None:
        """Record the maintenance now (a service also re-learns the baselines), or test."""
        await self.entity_description.press_fn(self.coordinator)
