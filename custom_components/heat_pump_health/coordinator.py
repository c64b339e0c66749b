"""The runtime of one heat pump: its engine, the live feed of source states and the clock.

Saving, reading the recorder's history, following the sources and announcing findings each
have a module of their own; this one decides when each happens. The live engine is touched on
the event loop only: the history is read into a private engine in the recorder's executor,
which is swapped in here once it is done.
"""

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import (
    Event,
    EventStateChangedData,
    EventStateReportedData,
    HomeAssistant,
    callback,
)
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .announce import FindingAnnouncer
from .backfill import (
    HistoryReading,
    HistoryStatus,
    backfill_start,
    learned_within,
    recorder_available,
)
from .const import (
    CONF_DEFROST_STATE,
    CONF_HISTORY_DAYS,
    CONF_HOT_WATER_STATE,
    DEFAULT_HISTORY_DAYS,
    DOMAIN,
    LOGGER,
    MAX_EMERGENCY_SNOOZE,
    SOURCE_ROLES,
    TICK_INTERVAL,
)
from .engine import (
    EngineConfig,
    Finding,
    FindingKey,
    Guidance,
    HealthEngine,
    HealthSnapshot,
    Maintenance,
    Observation,
    Role,
)
from .engine.engine import StateVersionError
from .source_tracking import SourceTracking
from .sources import SourceReader, primary_source
from .store import HealthStore, SavedData, source_signature

type HeatPumpHealthConfigEntry = ConfigEntry[HeatPumpHealthCoordinator]
# Something the owner did while the history was read, to be done again to the engine read.
type OwnerAction = Callable[[HealthEngine], None]


def configured_sources(entry: ConfigEntry) -> dict[Role, str]:
    """The source entity of each configured role."""
    return {role: entry.data[role.value] for role in SOURCE_ROLES if entry.data.get(role.value)}


class HeatPumpHealthCoordinator(DataUpdateCoordinator[HealthSnapshot]):
    """Feeds one heat pump's source states to its engine; entities listen for snapshots."""

    config_entry: HeatPumpHealthConfigEntry

    def __init__(self, hass: HomeAssistant, entry: HeatPumpHealthConfigEntry) -> None:
        """Prepare the engine and its helpers; nothing runs until `async_start`."""
        super().__init__(hass, LOGGER, config_entry=entry, name=entry.title)
        self.sources = configured_sources(entry)
        self.primary_source = primary_source(entry.data)
        self.engine_config = EngineConfig.from_mapping(dict(entry.options))
        self.zone = dt_util.get_default_time_zone()
        self.engine = HealthEngine(self.engine_config, self.zone)
        self.reader = SourceReader.for_sources(
            self.sources,
            hass.config.units.temperature_unit,
            entry.data.get(CONF_DEFROST_STATE),
            entry.data.get(CONF_HOT_WATER_STATE),
        )
        self.store = HealthStore(hass, entry.entry_id)
        self.announcer = FindingAnnouncer(
            hass,
            entry,
            source=self.primary_source,
            zone=self.zone,
            open_findings=lambda: self.engine.findings,
            saved=self._schedule_save,
        )
        self.issues = self.announcer.issues
        self.history_days = int(entry.options.get(CONF_HISTORY_DAYS, DEFAULT_HISTORY_DAYS))
        self.reading = HistoryReading(hass, entry.title, self.reader, self.async_update_listeners)
        self._rebuild = False
        # (start, end, fresh) of the recorder reading `async_start` found missing.
        self._reading: tuple[datetime, datetime, bool] | None = None
        # While the history is read: live observations and owner actions wait here.
        self._buffer: list[Observation] | None = None
        self._owner_actions: list[OwnerAction] = []
        # The history read started by `async_start_reading`, while it runs or once it ran.
        self.history_task: asyncio.Task[None] | None = None
        # Set while an owner's action is shown, so that throttled figures show it at once.
        self.write_now = False

    # -- saved state -----------------------------------------------------------------------

    async def async_load(self) -> None:
        """Restore what was learned; a state that cannot be read starts the engine afresh."""
        await self.announcer.async_load_texts()
        saved = await self.store.async_load()
        if saved is None:
            return
        try:
            self.engine = HealthEngine.from_dict(saved["engine"], self.engine_config, self.zone)
            self.issues.restore(saved.get("issues", {}))
            self.announcer.notifier.restore(saved.get("notifier", {}))
        except (StateVersionError, KeyError, TypeError, ValueError) as err:
            LOGGER.warning("Saved state of %s is unusable, starting afresh: %s", self.name, err)
            self.engine = HealthEngine(self.engine_config, self.zone)
            self.issues.state_reset(str(err))
            return
        if saved.get("sources") != source_signature(self.sources):
            # Re-reading the window with the new sources loses nothing if everything learned
            # lies inside it; an engine with older learning keeps it and reads only the gap.
            self._rebuild = learned_within(self.engine, dt_util.utcnow(), self.history_days)

    def _schedule_save(self) -> None:
        """Save within a minute."""
        self.store.schedule_save(self._data_to_save)

    def _data_to_save(self) -> SavedData:
        """Everything learned: the live engine, the snoozes and what the owner was told."""
        return {
            "engine": self.engine.as_dict(),
            "issues": self.issues.as_dict(),
            "notifier": self.announcer.notifier.as_dict(),
            "sources": source_signature(self.sources),
        }

    async def async_save(self) -> None:
        """Save what was learned now (on unload)."""
        await self.store.async_save(self._data_to_save())

    # -- start: sources, clock, history ----------------------------------------------------

    @callback
    def async_start(self) -> None:
        """Follow the sources: current states now, every change later, and a clock tick."""
        entry = self.config_entry
        self.announcer.start()
        entry.async_on_unload(self.announcer.stop)
        SourceTracking(
            self.hass, entry, self.sources, self.primary_source, self.issues
        ).async_start(
            sorted(self.reader.roles_by_entity),
            self._async_state_changed,
            self._async_state_reported,
        )
        entry.async_on_unload(
            async_track_time_interval(self.hass, self._async_tick, timedelta(seconds=TICK_INTERVAL))
        )
        now = dt_util.utcnow()
        start = backfill_start(self.engine, now, self.history_days, rebuild=self._rebuild)
        if start is not None and not recorder_available(self.hass):
            LOGGER.info("%s: no recorder, so learning from live changes only", self.name)
            self.reading.status = HistoryStatus.NO_RECORDER
            start = None
        if start is None:
            self._feed_current_states()
            self._settle(notify=True)
            return
        if self._rebuild:
            self._restart_engine()
        self._buffer = []
        self.reading.status = HistoryStatus.READING
        self.async_set_updated_data(self.engine.snapshot())
        self._reading = (start, now, self.engine.state.last_time is None)

    @callback
    def async_start_reading(self) -> None:
        """Start reading the recorder's history that `async_start` found missing, if any."""
        if self._reading is None:
            return
        start, end, fresh = self._reading
        self._reading = None
        self.history_task = self.config_entry.async_create_task(
            self.hass,
            self._async_read_history(start, end, fresh=fresh),
            f"{DOMAIN} history {self.name}",
        )

    def _restart_engine(self) -> None:
        """A fresh engine for new sources, keeping the maintenance dates."""
        maintenance = dict(self.engine.state.maintenance)
        self.engine = HealthEngine(self.engine_config, self.zone)
        self.engine.state.maintenance.update(maintenance)
        LOGGER.info("%s: sources changed, re-learning from the recorder's history", self.name)

    @property
    def reading_history(self) -> bool:
        """Whether the recorder's history is being read right now."""
        return self._buffer is not None

    @property
    def history(self) -> HistoryStatus:
        """Where learning from the recorder stands."""
        return self.reading.status

    async def _async_read_history(self, start: datetime, end: datetime, *, fresh: bool) -> None:
        """Read the history into a private engine, then swap it in; never fails setup."""
        read: HealthEngine | None = None
        unloading = False
        try:
            read = await self.reading.async_read(
                self.engine.as_dict(),
                (self.engine_config, self.zone),
                (start, end),
                fresh=fresh,
            )
        except asyncio.CancelledError:
            unloading = True
            raise
        finally:
            # Live observations flow again whatever happened (a bug is still raised and
            # logged), unless the entry is going away.
            if not unloading:
                self._swap_in(read)

    @callback
    def _swap_in(self, read: HealthEngine | None) -> None:
        """Make the engine read the live one, then feed what arrived meanwhile, once each."""
        if read is not None:
            for action in self._owner_actions:
                action(read)
            read.drain_changes()
            self.engine = read
        self._owner_actions.clear()
        buffered, self._buffer = self._buffer or [], None
        self.announcer.catch_up(dt_util.utcnow().timestamp())
        last = self.engine.state.last_time
        self._feed([o for o in buffered if last is None or o.time >= last])
        # States written at the very moment the reading began are after its end.
        self._feed_current_states(since=self.engine.state.last_time)
        self._settle(notify=False)
        self._schedule_save()

    # -- the live feed and the clock -------------------------------------------------------

    def _feed_current_states(self, since: float | None = None) -> None:
        """Feed the sources' current states, oldest first.

        With `since`, a state older than it is fed as of `since`: its value still holds, and
        the engine takes no observation from before what it has already seen.
        """
        states = [
            state
            for entity_id in self.reader.roles_by_entity
            if (state := self.hass.states.get(entity_id)) is not None
        ]
        for state in sorted(states, key=lambda state: state.last_updated_timestamp):
            observations = self.reader.observations(state)
            if since is not None:
                observations = [o._replace(time=max(o.time, since)) for o in observations]
            self._feed(observations)

    @callback
    def _async_state_changed(self, event: Event[EventStateChangedData]) -> None:
        """Feed a changed source state to the engine.

        The entities show it at the next tick (within a minute), or at once if a finding
        started or ended: a snapshot per change would cost far more than the engine does.
        """
        if (state := event.data["new_state"]) is None:
            return
        if self._feed(self.reader.observations(state)):
            self.async_set_updated_data(self.engine.snapshot())

    @callback
    def _async_state_reported(self, event: Event[EventStateReportedData]) -> None:
        """Feed a source state written again unchanged, at the time it was reported.

        Nothing the entities show changes with it, so they wait for the next tick.
        """
        state = event.data["new_state"]
        reported = event.data["last_reported"].timestamp()
        self._feed(
            [
                Observation(reported, observation.role, observation.value)
                for observation in self.reader.observations(state)
            ]
        )

    def _feed(self, observations: list[Observation]) -> bool:
        """Give observations to the engine (or hold them while the history is read).

        Returns whether a finding started, grew worse or ended.
        """
        if self._buffer is not None:
            self._buffer.extend(observations)
            return False
        for observation in observations:
            self.engine.update(observation)
        changed = self._announce(self.engine.state.last_time or 0.0)
        self._schedule_save()
        return changed

    @callback
    def _async_tick(self, now: datetime) -> None:
        """Let time pass in the engine while no source changes, and show the new picture."""
        if self.reading_history:
            return
        self._settle(now.timestamp(), notify=False)

    def _settle(self, now: float | None = None, *, notify: bool) -> None:
        """Bring the engine to `now` (default: the present), announce and show the result."""
        now = dt_util.utcnow().timestamp() if now is None else now
        self.engine.advance(now)
        if not self._announce(now):
            self.announcer.refresh(now, notify=notify)
        # Time alone moves figures (runtime, duty cycle, filter age): the entities are told,
        # and each writes only what changed enough (see `HealthSensor`).
        self.async_set_updated_data(self.engine.snapshot(now))

    def _announce(self, now: float) -> bool:
        """Announce the findings that changed since the last call; return whether any did."""
        changes = self.engine.drain_changes()
        if changes:
            self.announcer.announce(changes, now)
        return bool(changes)

    # -- what the owner does: acknowledge, maintenance, re-learn ----------------------------

    def open_finding(self, key: FindingKey) -> Finding | None:
        """The open finding with this key, if there is one."""
        return next((finding for finding in self.engine.findings if finding.key is key), None)

    @staticmethod
    def snooze_allowed(finding: Finding, seconds: float) -> bool:
        """An emergency may be put aside for a day at most."""
        return finding.guidance is not Guidance.EMERGENCY or seconds <= MAX_EMERGENCY_SNOOZE

    @callback
    def acknowledge(self, finding: Finding, seconds: float) -> None:
        """Hide a finding's issue and reminders for a while; it returns if still open."""
        self.announcer.acknowledge(finding, dt_util.utcnow().timestamp() + seconds)
        self._after_owner_action()

    @callback
    def record_maintenance(self, kind: Maintenance, time: float) -> None:
        """Record a filter change or a service; a service also re-learns the baselines."""
        self._owner_action(lambda engine: engine.record_maintenance(kind, time))

    @callback
    def reset_baselines(self) -> None:
        """Forget what normal looked like, after a repair changed it."""
        now = dt_util.utcnow().timestamp()
        self._owner_action(lambda engine: engine.reset_baselines(now))

    def _owner_action(self, action: OwnerAction) -> None:
        """Do `action` to the engine now, and again to the one being read, if any."""
        action(self.engine)
        if self.reading_history:
            self._owner_actions.append(action)
        self._after_owner_action()

    def _after_owner_action(self) -> None:
        """Announce what an owner's action changed, save it and show it at once."""
        now = dt_util.utcnow().timestamp()
        if not self._announce(now):
            self.announcer.refresh(now, notify=False)
        self._schedule_save()
        # What the owner just did shows at once, throttled measurements included.
        self.write_now = True
        try:
            self.async_set_updated_data(self.engine.snapshot(now))
        finally:
            self.write_now = False
