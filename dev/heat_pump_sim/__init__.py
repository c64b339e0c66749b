"""Dev-only simulated heat pump, driven by the repository's `simulator` package, live.

Configured in configuration.yaml (`heat_pump_sim:` with an optional `speed:`, how many times
faster than the clock a fault develops, and `profile:`, the unit simulated: `air_to_air` by
default or `air_to_water`, see `profiles`), imported into a single config entry so the entities
share one device. A change of profile simulates a fresh past for the new unit.
`scripts/develop` links the repository's `simulator/` into the config folder, which Home
Assistant puts on `sys.path`, so `import simulator` works here as in the tests.

On a fresh configuration it simulates a healthy past and writes it into the recorder, then
creates a `heat_pump_health` entry for the simulated heat pump through that integration's own
flows (unless `create_health_entry: false`); see `runtime` for why time is never accelerated
and how back-dated faults make findings show within minutes. Not part of what HACS installs.
"""

from __future__ import annotations

from datetime import timedelta
import logging
import time
from typing import Any

from homeassistant.config_entries import SOURCE_IMPORT, ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, entity_registry as er
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.start import async_at_started
from homeassistant.helpers.typing import ConfigType
from homeassistant.util import dt as dt_util
import probatio

from .const import (
    ALL_SOURCE_IDS,
    CONF_CREATE_HEALTH_ENTRY,
    CONF_PROFILE,
    CONF_SPEED,
    DATA_HISTORY_PROFILE,
    DATA_HISTORY_WRITTEN,
    DEFAULT_SPEED,
    DOMAIN,
    MAX_SPEED,
    UNIQUE_ID,
    UPDATE_SECONDS,
)
from .demo import NO_FAULT
from .health import async_create_health_entry
from .profiles import DEFAULT_PROFILE, PROFILES, Profile, ProfileName
from .runtime import Phase, SimRuntime
from .simulation import simulate_history

_LOGGER = logging.getLogger(__name__)

PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.CLIMATE,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
]

CONFIG_SCHEMA = probatio.Schema(
    {
        DOMAIN: probatio.All(
            lambda value: value or {},
            probatio.Schema(
                {
                    probatio.Optional(CONF_SPEED, default=DEFAULT_SPEED): probatio.All(
                        probatio.Coerce(float), probatio.Range(min=1.0, max=MAX_SPEED)
                    ),
                    probatio.Optional(CONF_CREATE_HEALTH_ENTRY, default=True): cv.boolean,
                    probatio.Optional(CONF_PROFILE, default=DEFAULT_PROFILE.value): probatio.In(
                        [name.value for name in ProfileName]
                    ),
                }
            ),
        )
    },
    extra=probatio.ALLOW_EXTRA,
)

type SimConfigEntry = ConfigEntry[SimRuntime]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Import the YAML settings into the simulator's entry."""
    if DOMAIN not in config:
        return True
    conf: dict[str, Any] = config[DOMAIN]
    hass.async_create_task(
        hass.config_entries.flow.async_init(
            DOMAIN,
            context={"source": SOURCE_IMPORT},
            data={
                CONF_SPEED: conf[CONF_SPEED],
                CONF_CREATE_HEALTH_ENTRY: conf[CONF_CREATE_HEALTH_ENTRY],
                CONF_PROFILE: conf[CONF_PROFILE],
            },
        )
    )
    return True


async def async_setup_entry(hass: HomeAssistant, entry: SimConfigEntry) -> bool:
    """Start the simulation (with a simulated past on a fresh configuration) and its entities."""
    manage = bool(entry.data.get(CONF_CREATE_HEALTH_ENTRY, True))
    profile = PROFILES[ProfileName(entry.data.get(CONF_PROFILE, DEFAULT_PROFILE))]
    runtime = SimRuntime(
        hass,
        dt_util.get_default_time_zone(),
        speed=float(entry.data.get(CONF_SPEED, DEFAULT_SPEED)),
        manage_health_entry=manage,
        profile=profile,
    )
    entry.runtime_data = runtime
    _remove_other_profiles_entities(hass, entry, profile)
    # A past simulated for another unit is no past of this one.
    fresh = DATA_HISTORY_WRITTEN not in entry.data or (
        entry.data.get(DATA_HISTORY_PROFILE, DEFAULT_PROFILE) != profile.name
    )
    past = None
    if fresh:
        plan = runtime.history_plan(None, profile.climate)
        past = await hass.async_add_executor_job(simulate_history, plan)
        runtime.adopt(past, NO_FAULT)
        runtime.phase = Phase.STARTING
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.async_on_unload(
        async_track_time_interval(
            hass, runtime.async_tick, timedelta(seconds=UPDATE_SECONDS), name="heat_pump_sim step"
        )
    )

    async def started(hass: HomeAssistant) -> None:
        if past is not None:
            await runtime.async_write_first_history(past)
            hass.config_entries.async_update_entry(
                entry,
                data={
                    **entry.data,
                    DATA_HISTORY_WRITTEN: time.time(),
                    DATA_HISTORY_PROFILE: profile.name.value,
                },
            )
        elif manage:
            await async_create_health_entry(hass, profile)

    entry.async_on_unload(async_at_started(hass, started))
    _LOGGER.info(
        "Simulated %s heat pump running (faults develop at %gx speed)%s",
        profile.name,
        runtime.speed,
        "; writing a simulated past first" if fresh else "",
    )
    return True


async def async_unload_entry(hass: HomeAssistant, entry: SimConfigEntry) -> bool:
    """Stop the simulation."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


def _remove_other_profiles_entities(
    hass: HomeAssistant, entry: SimConfigEntry, profile: Profile
) -> None:
    """Remove the entities another profile had and this one has not (the water unit's signals)."""
    gone = {f"{UNIQUE_ID}_{key}" for key in ALL_SOURCE_IDS if key not in profile.sources}
    registry = er.async_get(hass)
    for item in er.async_entries_for_config_entry(registry, entry.entry_id):
        if item.unique_id in gone:
            registry.async_remove(item.entity_id)
