"""The simulator's controls: the fault to inject, when it starts, and the weather."""

from __future__ import annotations

from typing import Any

from homeassistant.components.select import SelectEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity
from homeassistant.util import dt as dt_util

from . import SimConfigEntry
from .demo import FaultStart
from .entity import SimEntity
from .simulator.weather import ClimateName

ATTR_SINCE = "since"


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SimConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the selects."""
    runtime = entry.runtime_data
    async_add_entities(
        [
            FaultSelect(runtime, "fault", "select.simulated_heat_pump_fault"),
            FaultStartSelect(runtime, "fault_start", "select.simulated_heat_pump_fault_start"),
            WeatherSelect(runtime, "weather", "select.simulated_heat_pump_weather"),
        ]
    )


class FaultSelect(SimEntity, SelectEntity, RestoreEntity):
    """The fault the simulated unit has; choosing one injects it (or repairs it: none).

    It offers the faults the profile's unit can have: those of the water circuit and the
    unit's own error code only on the air-to-water profile.
    """

    @property
    def options(self) -> list[str]:
        """The faults the profile's unit can have."""
        return self.runtime.fault_options

    @property
    def current_option(self) -> str:
        """The active fault."""
        return self.runtime.fault

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """When the fault started (back-dated faults started in the past)."""
        since = self.runtime.fault_since
        return {
            ATTR_SINCE: None if since is None else dt_util.utc_from_timestamp(since).isoformat()
        }

    async def async_select_option(self, option: str) -> None:
        """Inject the fault: live, or back-dated (the history is rewritten in the background)."""
        self.runtime.async_select_fault(option)

    async def async_added_to_hass(self) -> None:
        """Carry on with the fault chosen before a restart, live from where it was."""
        await super().async_added_to_hass()
        last = await self.async_get_last_state()
        if last is None or last.state not in self.options or self.runtime.busy:
            return
        since = last.attributes.get(ATTR_SINCE)
        started = dt_util.parse_datetime(since) if isinstance(since, str) else None
        self.runtime.async_restore(
            fault=last.state, fault_since=None if started is None else started.timestamp()
        )


class FaultStartSelect(SimEntity, SelectEntity, RestoreEntity):
    """Whether a chosen fault is back-dated (finding within minutes) or starts now."""

    _attr_options = [start.value for start in FaultStart]  # noqa: RUF012 - as HA declares it

    @property
    def current_option(self) -> str:
        """The current choice."""
        return self.runtime.fault_start.value

    async def async_select_option(self, option: str) -> None:
        """Change it; it applies to the next fault chosen."""
        self.runtime.async_set_fault_start(FaultStart(option))

    async def async_added_to_hass(self) -> None:
        """Restore the choice made before a restart."""
        await super().async_added_to_hass()
        last = await self.async_get_last_state()
        if last is not None and last.state in self.options:
            self.runtime.async_set_fault_start(FaultStart(last.state))


class WeatherSelect(SimEntity, SelectEntity, RestoreEntity):
    """The climate the house stands in; January weather (July when hot)."""

    _attr_options = [climate.value for climate in ClimateName]  # noqa: RUF012 - as HA declares it

    @property
    def current_option(self) -> str:
        """The weather simulated now."""
        return self.runtime.climate.value

    async def async_select_option(self, option: str) -> None:
        """Move the house to another climate, now."""
        self.runtime.async_set_weather(ClimateName(option))

    async def async_added_to_hass(self) -> None:
        """Restore the weather chosen before a restart."""
        await super().async_added_to_hass()
        last = await self.async_get_last_state()
        if last is not None and last.state in self.options and not self.runtime.busy:
            self.runtime.async_set_weather(ClimateName(last.state))
