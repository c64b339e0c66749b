"""Push messages to the owner's chosen notify entities and services, without storms.

When findings change, and when a reminder falls due, the open findings are compared with
what the owner has been told: findings not told yet go out together as one message, one told
more than a day ago is brought up again, and one told that is no longer open gets a short
all-clear. Working from that saved record rather
than from a queue of changes, nothing is lost or sent twice across a restart.
"""

from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError

from .const import CONF_NOTIFY_ENTITIES, CONF_NOTIFY_SERVICES, LOGGER, REMINDER_INTERVAL
from .engine import Finding, FindingKey
from .texts import FindingTexts
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
    # Finding key -> when the owner was last told about it.
    told: dict[FindingKey, float] = field(default_factory=dict)

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
        """A notifier for the targets chosen in the options flow."""
        return cls(
            hass,
            entry_id,
            name,
            zone,
            texts,
            entities=list(options.get(CONF_NOTIFY_ENTITIES, [])),
            services=list(options.get(CONF_NOTIFY_SERVICES, [])),
        )

    @property
    def enabled(self) -> bool:
        """Whether any target is configured."""
        return bool(self.entities or self.services)

    async def async_flush(
        self, findings: tuple[Finding, ...], snoozed: set[FindingKey], now: float
    ) -> int:
        """Send what is due (new findings, reminders, all-clears); return the messages sent.

        Snoozed findings are neither announced nor reminded, nor cleared while they stay open.
        """
        if not self.enabled:
            return 0
        open_keys = {finding.key for finding in findings}
        alerts = [
            finding
            for finding in findings
            if finding.key not in snoozed
            and now - self.told.get(finding.key, -REMINDER_INTERVAL) >= REMINDER_INTERVAL
        ]
        cleared = [key for key in self.told if key not in open_keys]
        messages: list[Message] = []
        if alerts:
            messages.append(self._alert(alerts))
            for finding in alerts:
                self.told[finding.key] = now
        if cleared:
            messages.append(self._all_clear(cleared))
            for key in cleared:
                del self.told[key]
        for message in messages:
            await self._async_send(message)
        return len(messages)

    def next_reminder(self, findings: tuple[Finding, ...]) -> float | None:
        """When the owner is next due a reminder of an open finding, if ever."""
        if not self.enabled:
            return None
        due = [
            told + REMINDER_INTERVAL
            for finding in findings
            if (told := self.told.get(finding.key)) is not None
        ]
        return min(due, default=None)

    def snooze(self, key: FindingKey, until: float) -> None:
        """Hold reminders of an acknowledged finding until its snooze ends."""
        if key in self.told:
            self.told[key] = until - REMINDER_INTERVAL

    def worsened(self, key: FindingKey) -> None:
        """Tell the owner again, now, about a finding that grew more severe."""
        self.told.pop(key, None)

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

    async def _async_send(self, message: Message) -> None:
        """Send to every target; a failing target is logged and the others still get it."""
        calls: list[tuple[str, str, dict[str, Any]]] = []
        if self.entities:
            calls.append(
                (
                    NOTIFY_DOMAIN,
                    SEND_MESSAGE,
                    {
                        ATTR_ENTITY_ID: self.entities,
                        "title": message.title,
                        "message": message.message,
                    },
                )
            )
        for target in self.services:
            domain, service = notify_service(target)
            data: dict[str, Any] = {"title": message.title, "message": message.message}
            if service.startswith(MOBILE_APP_PREFIX):
                data["data"] = {"group": GROUP, **({"tag": message.tag} if message.tag else {})}
            calls.append((domain, service, data))
        for domain, service, data in calls:
            try:
                await self.hass.services.async_call(domain, service, data, blocking=True)
            except (HomeAssistantError, vol.Invalid) as err:
                LOGGER.warning("%s: could not notify %s.%s: %s", self.name, domain, service, err)

    def as_dict(self) -> dict[str, Any]:
        """When the owner was last told about each open finding, for the store."""
        return {"told": {key.value: time for key, time in self.told.items()}}

    def restore(self, data: dict[str, Any]) -> None:
        """Restore what `as_dict` saved, skipping keys no longer known."""
        known = {key.value for key in FindingKey}
        for key, time in dict(data.get("told", {})).items():
            if key in known:
                self.told[FindingKey(key)] = float(time)
