"""Write a simulated past into the recorder: states with their own time stamps, and statistics.

States are set on the state machine with the time stamp they had in the simulation, so the
recorder keeps them as history exactly as if they had happened (the entities write the live
state again afterwards). Older weeks go in as hourly long-term statistics, as a recorder that
purged its states keeps them. Before a rewrite, the previous states and statistics of the
sources are deleted: of every profile's sources, so none of another profile's history stays.
"""

import asyncio
from collections.abc import Mapping
from datetime import datetime, timedelta
import logging
from typing import Any

from homeassistant.components.recorder.db_schema import States, StatesMeta, StatisticsShortTerm
from homeassistant.components.recorder.models import (
    StatisticData,
    StatisticMeanType,
    StatisticMetaData,
)
from homeassistant.components.recorder.statistics import async_import_statistics
from homeassistant.const import STATE_OFF, STATE_ON, UnitOfEnergy, UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.recorder import get_instance, session_scope
from homeassistant.util import dt as dt_util
from sqlalchemy import func, select

from .const import ALL_SOURCE_IDS
from .readings import ClimateValue, Value
from .simulation import History

_LOGGER = logging.getLogger(__name__)

# States set before the recorder is asked to catch up: its queue must not grow unbounded.
BATCH = 2000
PURGE_ATTEMPTS = 120
# Of the states written, at least this share must be in the recorder afterwards.
WRITTEN_SHARE = 0.9
SHORT_TERM = timedelta(minutes=5)
COMPILED_AFTER = timedelta(minutes=1)
MEAN_STATISTICS = ("outdoor_temperature", "indoor_temperature")


def render(value: Value, attributes: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The state string and attributes an entity shows for a reading."""
    if isinstance(value, ClimateValue):
        climate = {
            **attributes,
            "current_temperature": value.current,
            "temperature": value.target,
            "hvac_action": value.hvac_action,
        }
        return value.hvac_mode, climate
    if isinstance(value, bool):
        return (STATE_ON if value else STATE_OFF), dict(attributes)
    return str(value), dict(attributes)


async def async_replace_history(hass: HomeAssistant, past: History) -> None:
    """Replace the sources' recorded states by those of `past`; try twice.

    Their statistics are cleared too (`import_statistics` brings the new ones): left in
    place, they would be read as weeks of history that the new states contradict.
    """
    instance = get_instance(hass)
    await instance.async_db_ready
    instance.async_clear_statistics(
        [entity_id for entity_id in ALL_SOURCE_IDS.values() if entity_id.startswith("sensor.")]
    )
    for attempt in (1, 2):
        await async_purge_sources(hass)
        try:
            await async_write_history(hass, past)
        except HomeAssistantError as err:
            if attempt == 2:
                raise
            _LOGGER.warning("Writing the simulated history again: %s", err)
        else:
            return


async def async_write_history(hass: HomeAssistant, past: History) -> None:
    """Write the states of a simulated past, and check that the recorder kept them."""
    instance = get_instance(hass)
    await instance.async_db_ready
    attributes = {
        key: dict(current.attributes)
        for key, entity_id in ALL_SOURCE_IDS.items()
        if (current := hass.states.get(entity_id)) is not None
    }
    first = set(attributes)
    for index, (time, key, value) in enumerate(past.changes):
        if key not in attributes:
            continue
        state, shown = render(value, attributes[key])
        # The first write replaces the live state whatever it is, so the change counts.
        hass.states.async_set(
            ALL_SOURCE_IDS[key], state, shown, force_update=key in first, timestamp=time
        )
        first.discard(key)
        if index % BATCH == BATCH - 1:
            await instance.async_block_till_done()
    await instance.async_block_till_done()
    written = await instance.async_add_executor_job(
        count_states, hass, past.states_from, past.end + 1.0
    )
    if written < len(past.changes) * WRITTEN_SHARE:
        raise HomeAssistantError(
            f"The recorder kept {written} of {len(past.changes)} simulated states"
        )
    _LOGGER.info(
        "Wrote %d simulated states since %s",
        written,
        dt_util.utc_from_timestamp(past.states_from).isoformat(),
    )


def import_statistics(hass: HomeAssistant, past: History) -> None:
    """Hourly energy sums and mean temperatures, and the energy meter's last 5 minutes."""
    if not past.hours:
        return
    _LOGGER.info("Importing %d simulated hours of statistics", len(past.hours))
    energy = _metadata("energy", StatisticMeanType.NONE, UnitOfEnergy.KILO_WATT_HOUR, "energy")
    async_import_statistics(
        hass,
        energy,
        [
            StatisticData(start=_utc(hour.start), sum=meter, state=meter)
            for hour, meter in zip(past.hours, past.energy, strict=True)
        ],
    )
    for key in MEAN_STATISTICS:
        metadata = _metadata(
            key, StatisticMeanType.ARITHMETIC, UnitOfTemperature.CELSIUS, "temperature"
        )
        means = [
            hour.outdoor_c if key == "outdoor_temperature" else hour.indoor_c for hour in past.hours
        ]
        async_import_statistics(
            hass,
            metadata,
            [
                StatisticData(start=_utc(hour.start), mean=mean, min=mean, max=mean)
                for hour, mean in zip(past.hours, means, strict=True)
            ],
        )
    # The meter's 5-minute statistics carry its sum on; without this one they would start
    # again from zero, and the hourly sums after the imported ones would drop.
    meters = [value for _, key, value in past.changes if key == "energy"]
    meter = meters[-1] if meters and isinstance(meters[-1], float) else past.energy[-1]
    # The recorder compiles each 5 minutes shortly after they end, and must not find the row
    # there already: the row goes to the last 5 minutes it has surely compiled.
    now = dt_util.utcnow()
    start = now.replace(second=0, microsecond=0) - timedelta(minutes=now.minute % 5)
    start -= SHORT_TERM if now - start >= COMPILED_AFTER else 2 * SHORT_TERM
    get_instance(hass).async_import_statistics(
        energy, [StatisticData(start=start, sum=meter, state=meter)], StatisticsShortTerm
    )


def _metadata(
    key: str, mean_type: StatisticMeanType, unit: str, unit_class: str
) -> StatisticMetaData:
    """Metadata of one source's statistics, as the sensor integration keeps them."""
    return StatisticMetaData(
        mean_type=mean_type,
        has_sum=mean_type is StatisticMeanType.NONE,
        name=None,
        source="recorder",
        statistic_id=ALL_SOURCE_IDS[key],
        unit_class=unit_class,
        unit_of_measurement=unit,
    )


def _utc(time: float) -> datetime:
    return dt_util.utc_from_timestamp(time)


async def async_purge_sources(hass: HomeAssistant) -> None:
    """Delete every recorded state of the sources, and wait until the recorder has.

    The recorder purges in batches, each queued after the last; a second purge once nothing
    is left makes sure no batch is still due that would delete the history written next.
    """
    instance = get_instance(hass)
    entity_ids = list(ALL_SOURCE_IDS.values())
    for _ in range(2):
        before = dt_util.utcnow().timestamp()
        await hass.services.async_call(
            "recorder", "purge_entities", {"entity_id": entity_ids, "keep_days": 0}, blocking=True
        )
        for _ in range(PURGE_ATTEMPTS):
            await instance.async_block_till_done()
            if not await instance.async_add_executor_job(count_states, hass, 0.0, before):
                break
            await asyncio.sleep(0.5)
        else:
            raise HomeAssistantError("The recorder did not purge the simulated history in time")


def count_states(hass: HomeAssistant, start: float, end: float) -> int:
    """How many states of the sources the recorder holds from `start` to before `end`."""
    statement = (
        select(func.count())
        .select_from(States)
        .join(StatesMeta, States.metadata_id == StatesMeta.metadata_id)
        .where(
            StatesMeta.entity_id.in_(list(ALL_SOURCE_IDS.values())),
            States.last_updated_ts >= start,
            States.last_updated_ts < end,
        )
    )
    with session_scope(hass=hass, read_only=True) as session:
        return int(session.execute(statement).scalar_one())
