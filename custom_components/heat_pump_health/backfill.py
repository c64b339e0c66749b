"""Learning from the recorder: the history before setup, and the gap a restart left.

The recorder is read in chunks on its own executor and the states are fed, in time order,
through `HealthEngine.read_history` to an engine that nothing else touches meanwhile; the
coordinator swaps it in on the event loop when it is done.
Where the recorder has purged the states, its long-term statistics (hourly mean temperatures
and energy sums) stand in, so the energy baseline still learns from the whole window.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from operator import itemgetter
import time
from typing import Any

from homeassistant.components.recorder import history, statistics
from homeassistant.const import (
    COMPRESSED_STATE_ATTRIBUTES,
    COMPRESSED_STATE_LAST_UPDATED,
    COMPRESSED_STATE_STATE,
    UnitOfEnergy,
    UnitOfTemperature,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.recorder import get_instance
from homeassistant.util import dt as dt_util
from sqlalchemy.exc import SQLAlchemyError

from .const import LOGGER
from .engine import EngineConfig, HealthEngine, Observation, Role
from .sources import SourceReader

# Hours of states read per recorder query: small enough to bound memory with a 10-second
# power sensor and the time one query holds the interpreter, large enough to keep the number
# of queries low.
CHUNK = timedelta(hours=2)
# Roles whose long-term statistics can stand in for purged states, and the statistic each uses.
STATISTIC_ROLES: dict[Role, str] = {
    Role.OUTDOOR_TEMPERATURE: "mean",
    Role.INDOOR_TEMPERATURE: "mean",
    Role.ENERGY: "sum",
}
STATISTIC_UNITS = {"temperature": UnitOfTemperature.CELSIUS, "energy": UnitOfEnergy.KILO_WATT_HOUR}
# How far before a chunk's start its query begins (see `read_and_feed`).
BOUNDARY = timedelta(microseconds=1)
# A gap shorter than this since the last observation is not worth a recorder query.
MIN_GAP = timedelta(minutes=1)
# The reading thread lets go of the interpreter for `PAUSE` after each `WORK_SLICE` of work
# (s): Python hands it over only every 5 ms otherwise, and the event loop needs it several
# times per turn, so without pauses a busy reader stretches every turn of the loop.
WORK_SLICE = 0.002
PAUSE = 0.0002
# The status sensor's reading progress is refreshed at most this often (s).
PROGRESS_INTERVAL = 1.0


class HistoryStatus(StrEnum):
    """Where learning from the recorder stands (the status sensor's `recorder_history`)."""

    READING = "reading"
    READ = "read"
    UP_TO_DATE = "up_to_date"
    NO_RECORDER = "no_recorder"


class Pacer:
    """Pauses the reading thread briefly every few milliseconds of work."""

    def __init__(self) -> None:
        """Start the first slice now."""
        self._since = time.perf_counter()

    def __call__(self) -> None:
        """Pause if this slice of work is used up."""
        if time.perf_counter() - self._since >= WORK_SLICE:
            time.sleep(PAUSE)
            self._since = time.perf_counter()


@dataclass(slots=True)
class BackfillResult:
    """What a backfill read and fed."""

    start: datetime
    end: datetime
    states: int = 0
    statistics: int = 0
    fed: int = 0


def recorder_available(hass: HomeAssistant) -> bool:
    """Whether the recorder is set up and can be read."""
    if "recorder" not in hass.config.components:
        return False
    try:
        get_instance(hass)
    except KeyError:  # pragma: no cover - loaded but not yet initialised
        return False
    return True


def chunks(start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Consecutive windows of at most `CHUNK` from start to end."""
    cursor = start
    while cursor < end:
        upper = min(cursor + CHUNK, end)
        yield cursor, upper
        cursor = upper


@dataclass(frozen=True, slots=True)
class HistoryRequest:
    """What to read and where to feed it.

    `engine` is the engine the history is read into, and nothing else may touch it until the
    reading is done. A fresh engine also takes each source's state as of `start`; an engine
    that only missed a gap already has it.
    """

    engine: HealthEngine
    reader: SourceReader
    start: datetime
    end: datetime
    fresh: bool
    progress: Callable[[float], None]


def read_and_feed(hass: HomeAssistant, request: HistoryRequest) -> BackfillResult:
    """Feed the recorded history of the sources to the request's engine (recorder's pool)."""
    result = BackfillResult(request.start, request.end)
    statistics = _statistic_observations(hass, request.reader, request.start, request.end, result)
    result.fed = request.engine.read_history(
        _recorded_states(hass, request, result), request.end.timestamp(), statistics
    )
    return result


class HistoryReading:
    """Reads one heat pump's recorded history into a private engine, and shows how far it got.

    The engine read is restored from the live one's saved form in the recorder's executor and
    handed back; nothing else touches it meanwhile, and the live engine is not touched at all.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        name: str,
        reader: SourceReader,
        show_progress: Callable[[], None],
    ) -> None:
        """Read for the heat pump `name`; `show_progress` tells its entities of progress."""
        self.hass = hass
        self.name = name
        self.reader = reader
        self.status = HistoryStatus.UP_TO_DATE
        self.progress = 0.0
        self._show_progress = show_progress
        self._progress_shown = 0.0

    async def async_read(
        self,
        saved: dict[str, Any],
        engine_setup: tuple[EngineConfig, tzinfo],
        window: tuple[datetime, datetime],
        *,
        fresh: bool,
    ) -> HealthEngine | None:
        """The engine `saved` after reading `window`; None if the recorder could not be read."""
        instance = get_instance(self.hass)
        self.status = HistoryStatus.READING
        try:
            if not await instance.async_db_ready:
                return None
            return await instance.async_add_executor_job(
                self._read, saved, engine_setup, window, fresh
            )
        except SQLAlchemyError:
            LOGGER.warning("%s: could not read the recorder's history", self.name, exc_info=True)
            return None
        finally:
            self.status = HistoryStatus.READ
            self.progress = 1.0

    def _read(
        self,
        saved: dict[str, Any],
        engine_setup: tuple[EngineConfig, tzinfo],
        window: tuple[datetime, datetime],
        fresh: bool,
    ) -> HealthEngine:
        """Restore the engine and feed it the history (in the recorder's executor)."""
        engine = HealthEngine.from_dict(saved, *engine_setup)
        start, end = window
        request = HistoryRequest(engine, self.reader, start, end, fresh, self._from_thread)
        result = read_and_feed(self.hass, request)
        LOGGER.info(
            "%s: learned from %d recorded states and %d hours of statistics since %s",
            self.name,
            result.states,
            result.statistics,
            start.isoformat(),
        )
        # History is history: what started and ended inside it is not news.
        engine.drain_changes()
        return engine

    def _from_thread(self, share: float) -> None:
        """Report progress from the recorder's executor to the event loop."""
        self.hass.loop.call_soon_threadsafe(self._set_progress, share)

    @callback
    def _set_progress(self, share: float) -> None:
        """Show how far the history has been read, at most once a second."""
        now = time.monotonic()
        if self.status is HistoryStatus.READING and now - self._progress_shown >= PROGRESS_INTERVAL:
            self._progress_shown = now
            self.progress = share
            self._show_progress()


def _recorded_states(
    hass: HomeAssistant, request: HistoryRequest, result: BackfillResult
) -> Iterator[Observation]:
    """The recorded states of the sources as observations, read chunk by chunk in time order."""
    reader, start, end = request.reader, request.start, request.end
    entity_ids = sorted(reader.roles_by_entity)
    total = max((end - start).total_seconds(), 1.0)
    pace = Pacer()
    for index, (lower, upper) in enumerate(chunks(start, end)):
        first = index == 0
        # The recorder reads states strictly after the start time, so a state written exactly
        # on a chunk boundary would fall between two chunks; read from just before it instead.
        # Compressed rows are plain dicts that share their decoded attributes: far cheaper
        # to build and to collect than a `State` per row, with nothing left out.
        found = history.get_significant_states(
            hass,
            lower - BOUNDARY,
            upper,
            entity_ids,
            include_start_time_state=request.fresh and first,
            significant_changes_only=False,
            compressed_state_format=True,
        )
        floor = (lower - BOUNDARY).timestamp() if first else lower.timestamp()
        rows = sorted(
            (
                (row[COMPRESSED_STATE_LAST_UPDATED], entity_id, row)
                for entity_id, entity_rows in found.items()
                for row in entity_rows
                if isinstance(row, dict) and row[COMPRESSED_STATE_LAST_UPDATED] >= floor
            ),
            key=itemgetter(0),
        )
        result.states += len(rows)
        for stamp, entity_id, row in rows:
            attributes = row.get(COMPRESSED_STATE_ATTRIBUTES, {})
            yield from reader.read(entity_id, row[COMPRESSED_STATE_STATE], attributes, stamp)
            pace()
        request.progress((upper - start).total_seconds() / total)


def _statistic_observations(
    hass: HomeAssistant,
    reader: SourceReader,
    start: datetime,
    end: datetime,
    result: BackfillResult,
) -> list[Observation]:
    """Hourly observations from long-term statistics, in time order."""
    wanted: dict[str, Role] = {
        entity_id: role
        for entity_id, roles in reader.roles_by_entity.items()
        for role in roles
        if role in STATISTIC_ROLES
    }
    if not wanted:
        return []
    rows = statistics.statistics_during_period(
        hass, start, end, set(wanted), "hour", dict(STATISTIC_UNITS), {"mean", "sum"}
    )
    observations: list[Observation] = []
    for entity_id, entries in rows.items():
        role = wanted[entity_id]
        for row in entries:
            observation = _from_statistic(role, row)
            if observation is not None:
                observations.append(observation)
    result.statistics = len(observations)
    observations.sort(key=lambda observation: observation.time)
    return observations


def _from_statistic(role: Role, row: Any) -> Observation | None:  # noqa: ANN401 - a TypedDict
    """One hour's statistic as an observation: a mean at the hour's start, a sum at its end."""
    value = row.get(STATISTIC_ROLES[role])
    if value is None:
        return None
    if role is Role.ENERGY:
        return Observation(float(row["end"]), role, float(value))
    return Observation(float(row["start"]), role, float(value))


def backfill_start(
    engine: HealthEngine, now: datetime, days: int, *, rebuild: bool
) -> datetime | None:
    """Where to start reading: the whole window for a new engine, else the gap since it stopped."""
    window_start = now - timedelta(days=days)
    last = engine.state.last_time
    if rebuild or last is None:
        return window_start if days > 0 else None
    gap_start = max(dt_util.utc_from_timestamp(last), window_start)
    return gap_start if now - gap_start >= MIN_GAP else None


def learned_within(engine: HealthEngine, now: datetime, days: int) -> bool:
    """Whether everything the engine learned lies inside the history window."""
    first = engine.state.first_time
    return first is not None and dt_util.utc_from_timestamp(first) >= now - timedelta(days=days)
