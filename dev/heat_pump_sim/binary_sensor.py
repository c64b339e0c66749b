"""Binary sensors of the simulated heat pump: compressor, defrost, aux heat, leak, and valve.

The valve (air-to-water profile only) is on while the three-way valve sends the unit's flow
to the hot-water cylinder.
"""

from __future__ import annotations

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import SimConfigEntry
from .const import ALL_SOURCE_IDS
from .entity import SimEntity
from .runtime import SimRuntime

DEVICE_CLASSES: dict[str, BinarySensorDeviceClass | None] = {
    "compressor": BinarySensorDeviceClass.RUNNING,
    "defrost": None,
    "aux_heat": BinarySensorDeviceClass.HEAT,
    "leak": BinarySensorDeviceClass.MOISTURE,
    "hot_water": None,
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SimConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors the profile's unit has."""
    runtime = entry.runtime_data
    async_add_entities(
        SimBinarySensor(runtime, key, device_class)
        for key, device_class in DEVICE_CLASSES.items()
        if key in runtime.profile.sources
    )


class SimBinarySensor(SimEntity, BinarySensorEntity):
    """An on/off signal of the simulated heat pump."""

    def __init__(
        self, runtime: SimRuntime, key: str, device_class: BinarySensorDeviceClass | None
    ) -> None:
        """Describe the signal."""
        super().__init__(runtime, key, ALL_SOURCE_IDS[key])
        self._attr_device_class = device_class

    @property
    def is_on(self) -> bool:
        """Whether the signal is on now."""
        return bool(self.runtime.readings[self._key])

    @property
    def _key(self) -> str:
        assert self.translation_key is not None
        return self.translation_key
