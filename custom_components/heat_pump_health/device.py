"""Which device the health entities sit on: the heat pump's own, else one of ours."""

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device import async_entity_id_to_device_id

from .const import DOMAIN


@callback
def async_health_device_id(hass: HomeAssistant, entry: ConfigEntry, source: str) -> str | None:
    """The primary source's device, else the service device made for the entry, if any."""
    if (device_id := async_entity_id_to_device_id(hass, source)) is not None:
        return device_id
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, entry.entry_id), entry.entry_id
    )
    return None if device is None else device.id


@callback
def async_remove_own_device(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Drop the service device made while the sources had no device: it would stay empty."""
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        if (DOMAIN, entry.entry_id) in device.identifiers:
            registry.async_remove_device(device.id)
