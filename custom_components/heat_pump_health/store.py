"""Where one heat pump's learning is kept between restarts: a `Store` with its migrations."""

from collections.abc import Callable
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN, SAVE_DELAY
from .engine import Role

# Version 2 keeps the engine's state next to the snoozes and notification times.
STORAGE_VERSION = 2

type SavedData = dict[str, Any]


class HealthStore(Store[SavedData]):
    """One heat pump's saved state, migrated from older layouts on load."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """The store of one config entry."""
        super().__init__(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}")
        self._save_pending = False

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: SavedData
    ) -> SavedData:
        """Version 1 held the engine's state alone."""
        if old_major_version == 1:
            return {"engine": old_data}
        return old_data

    def schedule_save(self, data: Callable[[], SavedData]) -> None:
        """Save `data()` within `SAVE_DELAY`, asking the store once per save.

        `Store` postpones a delayed save each time it is asked again, so with sources that
        change every few seconds it must be asked once per save, not once per change.
        """
        if self._save_pending:
            return
        self._save_pending = True

        def collect() -> SavedData:
            self._save_pending = False
            return data()

        self.async_delay_save(collect, SAVE_DELAY)


def source_signature(sources: dict[Role, str]) -> list[str]:
    """The configured sources as saved, to tell a reconfigure from a restart."""
    return sorted(f"{role}={entity_id}" for role, entity_id in sources.items())
