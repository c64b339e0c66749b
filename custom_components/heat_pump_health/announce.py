"""Telling the owner about findings: the bus event, the event entity, Repairs and notifications.

Every change the engine reports is announced once. Findings that began and ended inside
recorded history are not news: after a history read only the difference between what was
announced and what is open now goes out (`FindingAnnouncer.catch_up`). Time-bound work has
its own deadline (a snooze ending, a reminder falling due, the end of the quiet hours that held
messages back) instead of a check every minute.
"""

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import TypedDict

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util
from homeassistant.util.signal_type import SignalType

from .const import EVENT_FINDING, FINDING_CLEARED, FINDING_ESCALATED, FINDING_STARTED, LOGGER
from .device import async_health_device_id
from .engine import Finding, FindingKey
from .engine.findings import EndReason, EvidenceValue
from .issues import FindingIssues
from .notifications import Notifier
from .texts import FindingTexts

# A deadline is never set closer than this (s): what is due and could not be sent waits a
# minute rather than being tried again at once.
MIN_DEADLINE = 60.0


class FindingEventData(TypedDict):
    """The payload of a `heat_pump_health_finding` event; documented in the README."""

    entry_id: str
    device_id: str | None
    heat_pump: str
    type: str
    key: str
    title: str
    message: str
    severity: str
    guidance: str
    evidence: dict[str, EvidenceValue]
    start: str
    end: str | None


def finding_signal(entry_id: str) -> SignalType[str, FindingEventData]:
    """The dispatcher signal of one heat pump's announced findings (the event entity's)."""
    return SignalType(f"heat_pump_health_{entry_id}_finding")


def _iso(time: float) -> str:
    """Epoch seconds as an ISO 8601 UTC time."""
    return dt_util.utc_from_timestamp(time).isoformat()


class FindingAnnouncer:
    """Announces one heat pump's finding changes and keeps Repairs and notifications in step."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        *,
        source: str,
        zone: tzinfo,
        open_findings: Callable[[], tuple[Finding, ...]],
        saved: Callable[[], None],
    ) -> None:
        """Announce for `entry`; `open_findings` reads the engine, `saved` asks for a save."""
        self.hass = hass
        self.entry = entry
        self.name = entry.title
        self.source = source
        self.texts = FindingTexts({})
        self.issues = FindingIssues(hass, entry.entry_id, entry.title, zone)
        self.notifier = Notifier.from_options(
            hass,
            entry_id=entry.entry_id,
            name=entry.title,
            zone=zone,
            texts=self.texts,
            options=dict(entry.options),
        )
        self._open_findings = open_findings
        self._saved = saved
        # The findings announced as started (latest version), by key: what the owner knows.
        self._announced: dict[FindingKey, Finding] = {}
        self._cancel_deadline: CALLBACK_TYPE | None = None
        self._deadline = 0.0

    async def async_load_texts(self) -> None:
        """Load the words of findings in the instance's language."""
        texts = await FindingTexts.async_load(self.hass)
        self.texts = self.notifier.texts = self.issues.texts = texts

    @callback
    def start(self) -> None:
        """Take the findings open now as told: they were announced before a restart."""
        self._announced = {finding.key: finding for finding in self._open_findings()}

    @callback
    def stop(self) -> None:
        """Cancel the pending deadline (the entry unloads)."""
        if self._cancel_deadline is not None:
            self._cancel_deadline()
            self._cancel_deadline = None

    @callback
    def announce(self, changes: list[Finding], now: float) -> None:
        """Announce findings that started, grew worse or ended, then bring Repairs in step."""
        for finding in changes:
            if finding.end is not None:
                event_type = FINDING_CLEARED
                self._announced.pop(finding.key, None)
                LOGGER.info("%s: %s ended (%s)", self.name, finding.key, finding.end_reason)
            elif finding.key in self._announced:
                # Worse than when the owner put it aside: tell them again, now.
                event_type = FINDING_ESCALATED
                self._announced[finding.key] = finding
                self.issues.unsnooze(finding.key)
                self.notifier.worsened(finding.key)
                LOGGER.info("%s: %s now %s", self.name, finding.key, finding.severity)
            else:
                event_type = FINDING_STARTED
                self._announced[finding.key] = finding
                LOGGER.info("%s: %s (%s)", self.name, finding.key, finding.severity)
            self._fire(event_type, finding)
        self.refresh(now, notify=bool(changes))

    @callback
    def catch_up(self, now: float) -> None:
        """After a history read: announce what is open and was not told, and what went away."""
        open_now = {finding.key: finding for finding in self._open_findings()}
        gone = [
            finding.ended(now, EndReason.CLEARED)
            for key, finding in self._announced.items()
            if key not in open_now
        ]
        new = [finding for key, finding in open_now.items() if key not in self._announced]
        self.announce([*gone, *new], now)

    @callback
    def refresh(self, now: float, *, notify: bool) -> None:
        """Bring the Repairs issues in step; with `notify`, send what is due now."""
        findings = self._open_findings()
        self.issues.sync(findings, now)
        due = self._next_due(findings, now)
        if notify or (due is not None and due <= now):
            self.entry.async_create_task(
                self.hass, self._async_notify(now), "heat_pump_health notify"
            )
        else:
            self._schedule_deadline(due, now)

    @callback
    def acknowledge(self, finding: Finding, until: float) -> None:
        """Hide a finding's issue and reminders until `until`; it returns if still open."""
        self.issues.acknowledge(finding, until)
        self.notifier.snooze(finding.key, until)
        self.refresh(dt_util.utcnow().timestamp(), notify=False)

    async def _async_notify(self, now: float) -> None:
        """Send what is due, save what the owner was told, and wait for the next deadline."""
        findings = self._open_findings()
        snoozed = {f.key for f in findings if self.issues.is_snoozed(f.key, now)}
        if await self.notifier.async_flush(findings, snoozed, now):
            self._saved()
        findings = self._open_findings()
        self._schedule_deadline(self._next_due(findings, now), now)

    def _next_due(self, findings: tuple[Finding, ...], now: float) -> float | None:
        """When a snooze ends, a reminder falls due or quiet hours end, whichever comes first."""
        due = [
            time
            for time in (
                self.issues.next_snooze_end(findings, now),
                self.notifier.next_due(findings, now),
            )
            if time is not None
        ]
        return min(due, default=None)

    @callback
    def _schedule_deadline(self, due: float | None, now: float) -> None:
        """Wake up at `due` (never sooner than `MIN_DEADLINE` from now), or not at all."""
        if due is None:
            self.stop()
            return
        when = max(due, now + MIN_DEADLINE)
        if self._cancel_deadline is not None and when == self._deadline:
            return
        self.stop()
        self._deadline = when
        self._cancel_deadline = async_track_point_in_utc_time(
            self.hass, self._deadline_reached, dt_util.utc_from_timestamp(when)
        )

    @callback
    def _deadline_reached(self, moment: datetime) -> None:
        """A snooze ended, a reminder fell due or quiet hours ended: show and notify."""
        self._cancel_deadline = None
        self.refresh(moment.timestamp(), notify=True)

    def event_data(self, event_type: str, finding: Finding) -> FindingEventData:
        """What a `heat_pump_health_finding` event carries."""
        values = self.texts.placeholders(finding, self.name, self.issues.zone)
        if event_type == FINDING_CLEARED:
            title, message = self.texts.cleared(finding.key, values)
        else:
            title = self.texts.title(finding.key, values)
            message = self.texts.message(finding, values)
        return FindingEventData(
            entry_id=self.entry.entry_id,
            device_id=async_health_device_id(self.hass, self.entry, self.source),
            heat_pump=self.name,
            type=event_type,
            key=finding.key.value,
            title=title,
            message=message,
            severity=finding.severity.value,
            guidance=finding.guidance.value,
            evidence=dict(finding.evidence),
            start=_iso(finding.start),
            end=None if finding.end is None else _iso(finding.end),
        )

    def _fire(self, event_type: str, finding: Finding) -> None:
        """The bus event for automations, and the same to the event entity."""
        data = self.event_data(event_type, finding)
        self.hass.bus.async_fire(EVENT_FINDING, dict(data))
        async_dispatcher_send(self.hass, finding_signal(self.entry.entry_id), event_type, data)
