"""Repairs issues: one per open finding of a heat pump, and one per vanished source.

An acknowledged finding's issue is hidden until its snooze ends; if the finding is still open
then, the issue comes back. An issue is removed as soon as its finding ends.
"""

from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN, FINDINGS_URL
from .engine import Finding, FindingKey, Guidance, Role, Severity
from .texts import FindingTexts

SOURCE_MISSING = "source_missing"
STATE_RESET = "state_reset"

REPAIR_SEVERITY: dict[Severity, ir.IssueSeverity] = {
    Severity.INFO: ir.IssueSeverity.WARNING,
    Severity.WARNING: ir.IssueSeverity.ERROR,
    Severity.CRITICAL: ir.IssueSeverity.CRITICAL,
}


def finding_issue_id(entry_id: str, key: FindingKey) -> str:
    """The Repairs issue id of one finding of one heat pump."""
    return f"{entry_id}_{key}"


def source_issue_id(entry_id: str, role: Role) -> str:
    """The Repairs issue id of one vanished source of one heat pump."""
    return f"{entry_id}_{SOURCE_MISSING}_{role}"


@dataclass(frozen=True, slots=True)
class IssueContent:
    """What one finding's issue shows; an issue is rewritten only when this changes."""

    severity: ir.IssueSeverity
    placeholders: dict[str, str]


@dataclass(slots=True)
class FindingIssues:
    """Keeps the Repairs issues of one heat pump in step with its open findings."""

    hass: HomeAssistant
    entry_id: str
    name: str
    zone: tzinfo
    # The words of findings in the instance's language, once loaded.
    texts: FindingTexts = field(default_factory=lambda: FindingTexts({}))
    # Finding key -> epoch seconds until which its issue and reminders stay hidden.
    snoozed: dict[FindingKey, float] = field(default_factory=dict)
    # What each raised issue shows; until the first sync, any finding may have an issue left
    # from before a restart, shown as it was then (None: to be written anew).
    raised: dict[FindingKey, IssueContent | None] = field(
        default_factory=lambda: dict.fromkeys(FindingKey)
    )

    @callback
    def sync(self, findings: tuple[Finding, ...], now: float) -> None:
        """Raise an issue for each open, unsnoozed finding; remove the others.

        An issue is written only when what it shows changed: evidence moves a little every
        minute, and most minutes it does not change the words.
        """
        open_keys = {finding.key for finding in findings}
        for key in list(self.snoozed):
            if key not in open_keys:
                del self.snoozed[key]
        wanted: dict[FindingKey, IssueContent | None] = {}
        for finding in findings:
            if self.is_snoozed(finding.key, now):
                continue
            content = self._content(finding)
            if self.raised.get(finding.key) != content:
                self._raise(finding, content)
            wanted[finding.key] = content
        for key in self.raised.keys() - wanted.keys():
            ir.async_delete_issue(self.hass, DOMAIN, finding_issue_id(self.entry_id, key))
        self.raised = wanted

    def next_snooze_end(self, findings: tuple[Finding, ...], now: float) -> float | None:
        """When the first snooze of an open finding ends, bringing its issue back."""
        ends = [
            until
            for finding in findings
            if (until := self.snoozed.get(finding.key)) is not None and until > now
        ]
        return min(ends, default=None)

    def is_snoozed(self, key: FindingKey, now: float) -> bool:
        """Whether the owner acknowledged this finding and its snooze still runs."""
        until = self.snoozed.get(key)
        return until is not None and now < until

    @callback
    def unsnooze(self, key: FindingKey) -> None:
        """Show a finding's issue again (it grew worse since it was acknowledged)."""
        self.snoozed.pop(key, None)

    @callback
    def acknowledge(self, finding: Finding, until: float) -> None:
        """Hide a finding's issue until `until`; it returns then if still open."""
        self.snoozed[finding.key] = until

    def _content(self, finding: Finding) -> IssueContent:
        """What the issue of a finding shows: its severity and its words."""
        severity = (
            ir.IssueSeverity.CRITICAL
            if finding.guidance is Guidance.EMERGENCY
            else REPAIR_SEVERITY[finding.severity]
        )
        return IssueContent(severity, self.texts.placeholders(finding, self.name, self.zone))

    @callback
    def _raise(self, finding: Finding, content: IssueContent) -> None:
        """Create or refresh the issue of one finding (new evidence, new severity)."""
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            finding_issue_id(self.entry_id, finding.key),
            is_fixable=True,
            is_persistent=False,
            severity=content.severity,
            translation_key=finding.key.value,
            translation_placeholders=content.placeholders,
            learn_more_url=f"{FINDINGS_URL}{finding.key}",
            data={"entry_id": self.entry_id, "key": finding.key.value},
        )

    @callback
    def remove_all(self) -> None:
        """Remove every finding issue of this heat pump (it is being removed)."""
        for key in FindingKey:
            ir.async_delete_issue(self.hass, DOMAIN, finding_issue_id(self.entry_id, key))
        for role in Role:
            ir.async_delete_issue(self.hass, DOMAIN, source_issue_id(self.entry_id, role))
        ir.async_delete_issue(self.hass, DOMAIN, f"{self.entry_id}_{STATE_RESET}")
        self.raised = {}

    @callback
    def state_reset(self, error: str) -> None:
        """Say that what was learned could not be read back and learning started afresh."""
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            f"{self.entry_id}_{STATE_RESET}",
            is_fixable=False,
            is_persistent=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=STATE_RESET,
            translation_placeholders={"name": self.name, "error": error[:200]},
        )

    @callback
    def source_missing(self, role: Role, entity_id: str) -> None:
        """Raise the issue of a source entity that was removed."""
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            source_issue_id(self.entry_id, role),
            is_fixable=True,
            is_persistent=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=SOURCE_MISSING,
            translation_placeholders={
                "name": self.name,
                "role": self.texts.role(role),
                "entity_id": entity_id,
            },
            data={"entry_id": self.entry_id, "role": role.value},
        )

    @callback
    def source_present(self, role: Role) -> None:
        """Remove the issue of a source that is configured and there again."""
        ir.async_delete_issue(self.hass, DOMAIN, source_issue_id(self.entry_id, role))

    def as_dict(self) -> dict[str, Any]:
        """The snoozes, for the store."""
        return {"snoozed": {key.value: until for key, until in self.snoozed.items()}}

    def restore(self, data: dict[str, Any]) -> None:
        """Restore the snoozes saved by `as_dict`, skipping keys no longer known."""
        known = {key.value for key in FindingKey}
        for key, until in dict(data.get("snoozed", {})).items():
            if key in known:
                self.snoozed[FindingKey(key)] = float(until)
