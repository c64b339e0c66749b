"""The base of every health entity: naming, unique id and the device it belongs to."""

from homeassistant.helpers.device import async_entity_id_to_device
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import HeatPumpHealthCoordinator


class HeatPumpHealthEntity(CoordinatorEntity[HeatPumpHealthCoordinator]):
    """Sits on the heat pump's own device when its activity source has one, else on ours."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: HeatPumpHealthCoordinator, description: EntityDescription
    ) -> None:
        """Name the entity by its description and link it to a device."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self.entity_description = description
        self._attr_unique_id = f"{entry.entry_id}_{description.key}"
        device = async_entity_id_to_device(coordinator.hass, coordinator.primary_source)
        if device is not None:
            self.device_entry = device
        else:
            self._attr_device_info = DeviceInfo(
                identifiers={(DOMAIN, entry.entry_id)},
                name=entry.title,
                entry_type=DeviceEntryType.SERVICE,
            )
