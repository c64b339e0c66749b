"""Dev-only simulated air-to-air heat pump for watching Heat Pump Health work.

Configured in configuration.yaml (`heat_pump_sim:` with an optional `speed:` time-acceleration
factor), which is imported into a single config entry so the entities share one device. Once
Home Assistant has started it also creates a `heat_pump_health` entry for the simulated heat
pump through that integration's own config flow, unless `create_health_entry: false`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
import logging
from typing import Any

from homeassistant.config_entries import SOURCE_IMPORT, SOURCE_USER, ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType, UnknownFlow, UnknownHandler
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.start import async_at_started
from homeassistant.helpers.typing import ConfigType
from homeassistant.loader import IntegrationNotFound, async_get_integration
from homeassistant.util import dt as dt_util
import probatio

from .const import (
    CONF_CREATE_HEALTH_ENTRY,
    CONF_SPEED,
    DEFAULT_SPEED,
    DOMAIN,
    HEALTH_DOMAIN,
    HEALTH_USER_INPUT,
    UPDATE_SECONDS,
)
from .model import HeatPumpModel

_LOGGER = logging.getLogger(__name__)

PLATFORMS = [Platform.CLIMATE, Platform.SENSOR]

CONFIG_SCHEMA = probatio.Schema(
    {
        DOMAIN: probatio.All(
            lambda value: value or {},
            probatio.Schema(
                {
                    probatio.Optional(CONF_SPEED, default=DEFAULT_SPEED): probatio.All(
                        probatio.Coerce(float), probatio.Range(min=0.1, max=3600)
                    ),
                    probatio.Optional(CONF_CREATE_HEALTH_ENTRY, default=True): cv.boolean,
                }
            ),
        )
    },
    extra=probatio.ALLOW_EXTRA,
)


class Simulation:
    """The model plus a wall-clock timer that advances it and tells the entities."""

    def __init__(self, model: HeatPumpModel, speed: float) -> None:
        """Keep the model and the time-acceleration factor."""
        self.model = model
        self.speed = speed
        self._listeners: list[Callable[[], None]] = []

    @callback
    def async_add_listener(self, update: Callable[[], None]) -> CALLBACK_TYPE:
        """Call `update` after each step; returns the function that stops it."""
        self._listeners.append(update)
        return lambda: self._listeners.remove(update)

    @callback
    def async_step(self, _now: datetime | None = None) -> None:
        """Advance the model by one tick of simulated time and notify the entities."""
        self.model.step(UPDATE_SECONDS * self.speed)
        self.async_notify()

    @callback
    def async_notify(self) -> None:
        """Tell the entities that the model changed."""
        for update in list(self._listeners):
            update()


type SimConfigEntry = ConfigEntry[Simulation]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Import the YAML settings and schedule the heat_pump_health entry."""
    if DOMAIN not in config:
        return True
    conf: dict[str, Any] = config[DOMAIN]
    hass.async_create_task(
        hass.config_entries.flow.async_init(
            DOMAIN,
            context={"source": SOURCE_IMPORT},
            data={CONF_SPEED: conf[CONF_SPEED]},
        )
    )
    if conf[CONF_CREATE_HEALTH_ENTRY]:
        async_at_started(hass, _async_ensure_health_entry)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: SimConfigEntry) -> bool:
    """Start the simulation and its entities."""
    now = dt_util.now()
    seconds_of_day = now.hour * 3600 + now.minute * 60 + now.second
    simulation = Simulation(
        HeatPumpModel(seconds_of_day=float(seconds_of_day)),
        float(entry.data.get(CONF_SPEED, DEFAULT_SPEED)),
    )
    entry.runtime_data = simulation
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.async_on_unload(
        async_track_time_interval(
            hass,
            simulation.async_step,
            timedelta(seconds=UPDATE_SECONDS),
            name="heat_pump_sim step",
        )
    )
    _LOGGER.info("Simulated heat pump running at %sx speed", simulation.speed)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: SimConfigEntry) -> bool:
    """Stop the simulation."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def _async_ensure_health_entry(hass: HomeAssistant) -> None:
    """Create a heat_pump_health entry for the simulator through its config flow, once."""
    if hass.config_entries.async_entries(HEALTH_DOMAIN):
        return
    try:
        integration = await async_get_integration(hass, HEALTH_DOMAIN)
    except IntegrationNotFound:
        _LOGGER.warning("%s is not installed; not creating its entry", HEALTH_DOMAIN)
        return
    if not integration.config_flow:
        _LOGGER.warning("%s has no config flow yet; not creating its entry", HEALTH_DOMAIN)
        return
    flow_id: str | None = None
    try:
        result = await hass.config_entries.flow.async_init(
            HEALTH_DOMAIN, context={"source": SOURCE_USER}
        )
        if result["type"] is FlowResultType.FORM:
            flow_id = result["flow_id"]
            result = await hass.config_entries.flow.async_configure(
                flow_id, dict(HEALTH_USER_INPUT)
            )
    except UnknownHandler:
        _LOGGER.warning("%s has no config flow (yet); not creating its entry", HEALTH_DOMAIN)
        return
    except Exception:
        _LOGGER.warning("Could not create a %s entry", HEALTH_DOMAIN, exc_info=True)
        _async_abort_flow(hass, flow_id)
        return
    if result["type"] is FlowResultType.CREATE_ENTRY:
        _LOGGER.info("Created a %s entry for the simulated heat pump", HEALTH_DOMAIN)
        return
    _LOGGER.warning(
        "The %s config flow did not create an entry: type=%s step=%s errors=%s reason=%s",
        HEALTH_DOMAIN,
        result["type"],
        result.get("step_id"),
        result.get("errors"),
        result.get("reason"),
    )
    _async_abort_flow(hass, result.get("flow_id") or flow_id)


@callback
def _async_abort_flow(hass: HomeAssistant, flow_id: str | None) -> None:
    """Abort a flow left open, so it does not linger in the UI."""
    if flow_id is None:
        return
    try:
        hass.config_entries.flow.async_abort(flow_id)
    except UnknownFlow:
        _LOGGER.debug("Flow %s was already finished", flow_id)
