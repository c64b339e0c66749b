"""Dev-only simulated heat pump, driven by the repository's `simulator` package, live.

Configured in configuration.yaml (`heat_pump_sim:` with an optional `speed:`, how many times
faster than the clock a fault develops), imported into a single config entry so the entities
share one device. `scripts/develop` links the repository's `simulator/` into the config folder,
which Home Assistant puts on `sys.path`, so `import simulator` works here as in the tests.

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
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.start import async_at_started
from homeassistant.helpers.typing import ConfigType
from homeassistant.util import dt as dt_util
import probatio

from .const import (
    CONF_CREATE_HEALTH_ENTRY,
    CONF_SPEED,
    DATA_HISTORY_WRITTEN,
    DEFAULT_SPEED,
    DOMAIN,
    MAX_SPEED,
    UPDATE_SECONDS,
)
from .demo import DEFAULT_CLIMATE, NO_FAULT
from .health import async_create_health_entry
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
            },
        )
    )
    return True


async def async_setup_entry(hass: HomeAssistant, entry: SimConfigEntry) -> bool:
    """Start the simulation (with a simulated past on a fresh configuration) and its entities."""
    manage = bool(entry.data.get(CONF_CREATE_HEALTH_ENTRY, True))
    runtime = SimRuntime(
        hass,
        dt_util.get_default_time_zone(),
        speed=float(entry.data.get(CONF_SPEED, DEFAULT_SPEED)),
        manage_health_entry=manage,
    )
    entry.runtime_data = runtime
    fresh = DATA_HISTORY_WRITTEN not in entry.data
    past = None
    if fresh:
        plan = runtime.history_plan(None, DEFAULT_CLIMATE)
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
                entry, data={**entry.data, DATA_HISTORY_WRITTEN: time.time()}
            )
        elif manage:
            await async_create_health_entry(hass)

    entry.async_on_unload(async_at_started(hass, started))
    _LOGGER.info(
        "Simulated heat pump running (faults develop at %gx speed)%s",
        runtime.speed,
        "; writing a simulated past first" if fresh else "",
    )
    return True


async def async_unload_entry(hass: HomeAssistant, entry: SimConfigEntry) -> bool:
    """Stop the simulation."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
