"""The Heat Pump Health entry that watches the simulated heat pump, made through its own flows.

It is created with every role of the profile mapped to the simulator's entities (the
air-to-water profile adds flow_rate, water_pressure, unit_error, compressor_frequency and
hot_water) and with findings sent to `notify.persistent_notification` (the options flow), so a
finding shows as a notification in the sidebar. Re-created after the simulated history was
rewritten (or the profile changed), keeping its options.
"""

import asyncio
from collections.abc import Awaitable, Mapping
import logging
from typing import Any

from homeassistant.config_entries import (
    SOURCE_USER,
    ConfigEntry,
    ConfigEntryState,
    ConfigFlowContext,
    ConfigFlowResult,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowManager, FlowResultType, UnknownFlow, UnknownHandler
from homeassistant.helpers import entity_registry as er
from homeassistant.loader import IntegrationNotFound, async_get_integration

from .const import CLIMATE_ID, HEALTH_DOMAIN, HEALTH_OPTIONS_INPUT
from .profiles import Profile, health_user_input

_LOGGER = logging.getLogger(__name__)

type Manager = FlowManager[ConfigFlowContext, ConfigFlowResult]
READ_CHECKS = 180
SETTLED_CHECKS = 3
# Health entities disabled by default that the simulator's faults and dashboard need.
ENABLE = frozenset({"sensor_fault", "aux_heat_share"})


def health_entry(hass: HomeAssistant) -> ConfigEntry | None:
    """The Heat Pump Health entry of the simulated heat pump (its climate is its unique id)."""
    return next(
        (
            entry
            for entry in hass.config_entries.async_entries(HEALTH_DOMAIN)
            if entry.unique_id == CLIMATE_ID
        ),
        None,
    )


async def async_remove_health_entry(hass: HomeAssistant) -> dict[str, Any] | None:
    """Remove the simulated heat pump's entry (and what it learned); return its options."""
    if (entry := health_entry(hass)) is None:
        return None
    options = dict(entry.options)
    await hass.config_entries.async_remove(entry.entry_id)
    return options


async def async_create_health_entry(
    hass: HomeAssistant, profile: Profile, options: Mapping[str, Any] | None = None
) -> None:
    """Create the entry through the config flow, then set its options (or restore `options`)."""
    if health_entry(hass) is not None:
        return
    try:
        integration = await async_get_integration(hass, HEALTH_DOMAIN)
    except IntegrationNotFound:
        _LOGGER.warning("%s is not installed; not creating its entry", HEALTH_DOMAIN)
        return
    if not integration.config_flow:
        _LOGGER.warning("%s has no config flow; not creating its entry", HEALTH_DOMAIN)
        return
    manager = hass.config_entries.flow
    created = await _async_run_flow(
        manager,
        manager.async_init(HEALTH_DOMAIN, context={"source": SOURCE_USER}),
        health_user_input(profile),
    )
    if not created or (entry := health_entry(hass)) is None:
        return
    _LOGGER.info("Created a %s entry for the simulated heat pump", HEALTH_DOMAIN)
    _enable_entities(hass, entry)
    if options:
        hass.config_entries.async_update_entry(entry, options=dict(options))
        await hass.config_entries.async_reload(entry.entry_id)
        return
    options_flow = hass.config_entries.options
    await _async_run_flow(
        options_flow, options_flow.async_init(entry.entry_id), dict(HEALTH_OPTIONS_INPUT)
    )


async def async_wait_until_read(hass: HomeAssistant) -> None:
    """Wait until the entry is loaded and has read the recorder's history (or give up).

    Settled means so for a few checks in a row: the options flow reloads the entry just after
    it was created, and the reloaded entry reads the history again.
    """
    settled = 0
    for _ in range(READ_CHECKS):
        await asyncio.sleep(1.0)
        entry = health_entry(hass)
        ready = (
            entry is not None
            and entry.state is ConfigEntryState.LOADED
            and not getattr(entry.runtime_data, "reading_history", False)
        )
        settled = settled + 1 if ready else 0
        if settled >= SETTLED_CHECKS:
            return
    _LOGGER.warning("%s did not finish reading the history in time", HEALTH_DOMAIN)


def _enable_entities(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Enable the health entities the dashboard shows that are disabled by default.

    The entity registry reloads the entry half a minute later to add them.
    """
    registry = er.async_get(hass)
    for item in er.async_entries_for_config_entry(registry, entry.entry_id):
        if (
            item.translation_key in ENABLE
            and item.disabled_by is er.RegistryEntryDisabler.INTEGRATION
        ):
            registry.async_update_entity(item.entity_id, disabled_by=None)


async def _async_run_flow(
    manager: Manager, started: Awaitable[ConfigFlowResult], user_input: dict[str, Any]
) -> bool:
    """Answer a flow's one form; return whether it finished (a failure is logged)."""
    flow_id: str | None = None
    try:
        result = await started
        if result["type"] is FlowResultType.FORM:
            flow_id = result["flow_id"]
            result = await manager.async_configure(flow_id, user_input)
    except UnknownHandler:
        _LOGGER.warning("%s has no such flow; not setting it up", HEALTH_DOMAIN)
        return False
    except Exception:
        _LOGGER.warning("A %s flow failed", HEALTH_DOMAIN, exc_info=True)
        _abort(manager, flow_id)
        return False
    if result["type"] is FlowResultType.CREATE_ENTRY:
        return True
    _LOGGER.warning(
        "A %s flow did not finish: type=%s step=%s errors=%s reason=%s",
        HEALTH_DOMAIN,
        result["type"],
        result.get("step_id"),
        result.get("errors"),
        result.get("reason"),
    )
    _abort(manager, result.get("flow_id") or flow_id)
    return False


def _abort(manager: Manager, flow_id: str | None) -> None:
    """Abort a flow left open, so it does not linger in the UI."""
    if flow_id is None:
        return
    try:
        manager.async_abort(flow_id)
    except UnknownFlow:
        _LOGGER.debug("Flow %s was already finished", flow_id)
