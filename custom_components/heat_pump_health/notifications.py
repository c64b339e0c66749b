"""Push messages to the owner's chosen notify entities and services, without storms.

When findings change, and when a reminder falls due, the open findings are compared with
what the owner has been told: findings not told yet go out together as one message, one told
more than a day ago is brought up again, and one told that is no longer open gets a short
all-clear. During the owner's quiet hours only a new critical finding or emergency goes out at
once; the rest is held and goes out as one message when the quiet hours end. Working from that
saved record (what was told, what is held) rather than from a queue of changes, nothing is lost
or sent twice across a restart. Findings the owner did not choose send nothing.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any, NamedTuple

from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .const import (
    CONF_NOTIFY_ENTITIES,
    CONF_NOTIFY_FINDINGS,
    CONF_NOTIFY_SERVICES,
    DOMAIN,
    LOGGER,
    REMINDER_INTERVAL,
)
from .engine import Finding, FindingKey, Guidance, Severity
from .quiet_hours import QuietHours
from .texts import FindingTexts, render
from .validation import vol

NOTIFY_DOMAIN = "notify"
SEND_MESSAGE = "send_message"
# Mobile app notifications for the same finding replace each other (the all-clear replaces
# the alert) and are grouped per integration.
GROUP = "heat_pump_health"
MOBILE_APP_PREFIX = "mobile_app_"


def notify_service(name: str) -> tuple[str, str]:
    """Domain and service of a configured notify service, `notify.x` or just `x`."""
    domain, _, service = name.rpartition(".")
    return domain or NOTIFY_DOMAIN, service


def urgent(finding: Finding) -> bool:
    """Whether a finding is told at once even in quiet hours: critical, or an emergency."""
    return finding.severity is Severity.CRITICAL or finding.guidance is Guidance.EMERGENCY


def muted_findings(chosen: Iterable[str] | None) -> frozenset[FindingKey]:
    """The findings left out of the `notify_findings` option; none when it is not set."""
    if chosen is None:
        return frozenset()
    return frozenset(FindingKey) - {FindingKey(key) for key in chosen if key in FindingKey}


def _keyed_times(saved: Mapping[str, Any]) -> dict[FindingKey, float]:
    """Saved times by finding key, skipping keys no longer known."""
    return {FindingKey(key): float(when) for key, when in saved.items() if key in FindingKey}


class NotifyCall(NamedTuple):
    """How one target is sent a message: a notify entity, or a notify service."""

    target: str
    domain: str
    service: str
    data: dict[str, Any]
    entity: bool


@dataclass(frozen=True, slots=True)
class Message:
    """One message to send."""

    title: str
    message: str
    tag: str | None = None


@dataclass(slots=True)
class Notifier:
    """Sends one heat pump's finding messages to the configured targets."""

    hass: HomeAssistant
    entry_id: str
    name: str
    zone: tzinfo
    texts: FindingTexts
    entities: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    quiet: QuietHours | None = None
    muted: frozenset[FindingKey] = frozenset()
    # Finding key -> when the owner was last told about it.
    told: dict[FindingKey, float] = field(default_factory=dict)
    # Finding key -> when a message about it was first held back by the quiet hours.
    held: dict[FindingKey, float] = field(default_factory=dict)

    @classmethod
    def from_options(
        cls,
        hass: HomeAssistant,
        *,
        entry_id: str,
        name: str,
        zone: tzinfo,
        texts: FindingTexts,
        options: dict[str, Any],
    ) -> Notifier:
        """A notifier for the targets, quiet hours and findings chosen in the options flow."""
        return cls(
            hass,
            entry_id,
            name,
            zone,
            texts,
            entities=list(options.get(CONF_NOTIFY_ENTITIES, [])),
            services=list(options.get(CONF_NOTIFY_SERVICES, [])),
            quiet=QuietHours.from_options(options, zone),
            muted=muted_findings(options.get(CONF_NOTIFY_FINDINGS)),
        )

    @property
    def enabled(self) -> bool:
        """Whether any target is configured."""
        return bool(self.entities or self.services)

    async def async_flush(
        self, findings: tuple[Finding, ...], snoozed: set[FindingKey], now: float
    ) -> bool:
        """Send what is due (new findings, reminders, all-clears), or hold it in quiet hours.

        Snoozed findings are neither announced nor reminded, nor cleared while they stay open.
        Returns whether what the owner was told or is owed changed, so that it is saved.
        """
        if not self.enabled:
            return False
        before = (dict(self.told), dict(self.held))
        for key in self.muted:
            self.told.pop(key, None)
            self.held.pop(key, None)
        findings = tuple(finding for finding in findings if finding.key not in self.muted)
        open_keys = {finding.key for finding in findings}
        due = [
            finding
            for finding in findings
            if finding.key not in snoozed
            and now - self.told.get(finding.key, -REMINDER_INTERVAL) >= REMINDER_INTERVAL
        ]
        cleared = [key for key in self.told if key not in open_keys]
        if self.quiet is not None and self.quiet.end_after(now) is not None:
            # Only a new critical finding or emergency is sent now; the rest waits.
            alerts = [
                finding for finding in due if finding.key not in self.told and urgent(finding)
            ]
            waiting = [finding.key for finding in due if finding not in alerts]
            for key in [*waiting, *cleared]:
                self.held.setdefault(key, now)
            messages = self._messages(alerts, [], summary=False)
            cleared = []
        else:
            # What came and went while it was quiet is told as over, with the rest held.
            gone = [key for key in self.held if key not in open_keys and key not in self.told]
            alerts = due
            messages = self._messages(alerts, [*cleared, *gone], summary=bool(self.held))
            self.held.clear()
        for finding in alerts:
            self.told[finding.key] = now
            self.held.pop(finding.key, None)
        for key in cleared:
            del self.told[key]
        for message in messages:
            await self._async_send(message)
        return bool(messages) or (self.told, self.held) != before

    def next_due(self, findings: tuple[Finding, ...], now: float) -> float | None:
        """When a reminder falls due or held messages may go out, if ever."""
        if not self.enabled:
            return None
        due = [
            told + REMINDER_INTERVAL
            for finding in findings
            if finding.key not in self.muted and (told := self.told.get(finding.key)) is not None
        ]
        if self.held:
            due.append(now)
        if self.quiet is not None:
            due = [self.quiet.release(due_at) for due_at in due]
        return min(due, default=None)

    def snooze(self, key: FindingKey, until: float) -> None:
        """Hold reminders of an acknowledged finding until its snooze ends."""
        if key in self.told:
            self.told[key] = until - REMINDER_INTERVAL

    def worsened(self, key: FindingKey) -> None:
        """Tell the owner again, now, about a finding that grew more severe."""
        self.told.pop(key, None)

    def _messages(
        self, alerts: list[Finding], cleared: list[FindingKey], *, summary: bool
    ) -> list[Message]:
        """The alert and the all-clear due; one summary of both when quiet hours held them."""
        if summary and len(alerts) + len(cleared) > 1:
            return [self._summary(alerts, cleared)]
        messages = [self._alert(alerts)] if alerts else []
        if cleared:
            messages.append(self._all_clear(cleared))
        return messages

    def _alert(self, findings: list[Finding]) -> Message:
        """One finding's own message, or a digest of several."""
        if len(findings) == 1:
            finding = findings[0]
            values = self.texts.placeholders(finding, self.name, self.zone)
            return Message(
                self.texts.title(finding.key, values),
                self.texts.message(finding, values),
                f"{self.entry_id}_{finding.key}",
            )
        values = {"name": self.name}
        lines = [f"- {self.texts.title(finding.key, values)}" for finding in findings]
        return Message(self.texts.digest_title(values), "\n".join(lines))

    def _all_clear(self, keys: list[FindingKey]) -> Message:
        """The all-clear for findings that ended."""
        values = {"name": self.name}
        parts = [self.texts.cleared(key, values) for key in keys]
        tag = f"{self.entry_id}_{keys[0]}" if len(keys) == 1 else None
        return Message(parts[0][0], "\n".join(message for _, message in parts), tag)

    def _summary(self, alerts: list[Finding], cleared: list[FindingKey]) -> Message:
        """What the quiet hours held: the findings to act on, then those already over."""
        values = {"name": self.name}
        lines = [f"- {self.texts.title(finding.key, values)}" for finding in alerts]
        lines += [f"- {self.texts.cleared(key, values)[1]}" for key in cleared]
        return Message(self._common("notify_quiet_digest_title", values), "\n".join(lines))

    def _common(self, key: str, values: Mapping[str, str]) -> str:
        """A shared notification text of the instance's language, filled in."""
        return render(self.texts.strings.get(f"component.{DOMAIN}.common.{key}", key), values)

    async def async_send_test(self) -> list[str]:
        """Send a short test message to every target; return them, or raise naming the failed."""
        if not self.enabled:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="no_notify_targets",
                translation_placeholders={"name": self.name},
            )
        values = {"name": self.name}
        message = Message(
            self._common("notify_test_title", values),
            self._common("notify_test_message", values),
            f"{self.entry_id}_test",
        )
        outcomes = await self._async_send(message)
        if failed := [target for target, reached in outcomes if not reached]:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="test_notification_failed",
                translation_placeholders={"name": self.name, "targets": ", ".join(failed)},
            )
        return [target for target, _ in outcomes]

    def _calls(self, message: Message) -> list[NotifyCall]:
        """The call that sends `message` to each target."""
        text = {"title": message.title, "message": message.message}
        calls = [
            NotifyCall(
                entity_id,
                NOTIFY_DOMAIN,
                SEND_MESSAGE,
                {ATTR_ENTITY_ID: entity_id, **text},
                entity=True,
            )
            for entity_id in self.entities
        ]
        for target in self.services:
            domain, service = notify_service(target)
            data: dict[str, Any] = dict(text)
            if service.startswith(MOBILE_APP_PREFIX):
                data["data"] = {"group": GROUP, **({"tag": message.tag} if message.tag else {})}
            calls.append(NotifyCall(f"{domain}.{service}", domain, service, data, entity=False))
        return calls

    async def _async_send(self, message: Message) -> list[tuple[str, bool]]:
        """Send to every target on its own; a failure is logged and the others still get it.

        Returns each target with whether it was reached.
        """
        outcomes: list[tuple[str, bool]] = []
        for call in self._calls(message):
            error: str | None = None
            state = self.hass.states.get(call.target) if call.entity else None
            if call.entity and (state is None or state.state == STATE_UNAVAILABLE):
                # Home Assistant skips a missing entity without an error: it was not reached.
                error = STATE_UNAVAILABLE
            else:
                try:
                    await self.hass.services.async_call(
                        call.domain, call.service, call.data, blocking=True
                    )
                except (HomeAssistantError, vol.Invalid) as err:
                    error = str(err)
            if error is not None:
                LOGGER.warning("%s: could not notify %s: %s", self.name, call.target, error)
            outcomes.append((call.target, error is None))
        return outcomes

    def as_dict(self) -> dict[str, Any]:
        """When the owner was told about each open finding, and what quiet hours hold."""
        return {
            "told": {key.value: when for key, when in self.told.items()},
            "held": {key.value: when for key, when in self.held.items()},
        }

    def restore(self, data: dict[str, Any]) -> None:
        """Restore what `as_dict` saved (data saved before quiet hours has no `held`)."""
        self.told.update(_keyed_times(dict(data.get("told", {}))))
        self.held.update(_keyed_times(dict(data.get("held", {}))))
