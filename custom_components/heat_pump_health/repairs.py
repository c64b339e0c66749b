"""Repair flows: what the owner can answer to a finding's issue, or a vanished source's."""

from datetime import timedelta
from typing import Any

from homeassistant.components.repairs import RepairsFlow, RepairsFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir, selector
from homeassistant.util import dt as dt_util

from .const import DEFAULT_SNOOZE, DOMAIN, EMERGENCY_DEFAULT_SNOOZE
from .coordinator import HeatPumpHealthCoordinator
from .engine import Finding, FindingKey, Guidance, Maintenance
from .engine.detectors import repair_menu
from .validation import vol

ATTR_SNOOZE = "snooze"
# What issues.py puts in an issue's data.
ATTR_ENTRY_ID = "entry_id"
ATTR_KEY = "key"
ATTR_ROLE = "role"


def _seconds(duration: dict[str, float]) -> float:
    """Seconds of a duration selector's value."""
    return timedelta(**duration).total_seconds()


def _duration(seconds: float) -> dict[str, int]:
    """A duration selector's value for whole hours."""
    return {"hours": int(seconds // 3600)}


class FindingRepairFlow(RepairsFlow):
    """The owner's answer to a finding: done the checks (snooze) or had it serviced."""

    def __init__(self, entry_id: str, key: FindingKey) -> None:
        """Remember whose finding it is."""
        self.entry_id = entry_id
        self.key = key

    def _coordinator(self) -> HeatPumpHealthCoordinator | None:
        """The heat pump's runtime, if it is loaded."""
        entry = self.hass.config_entries.async_get_entry(self.entry_id)
        if entry is None or entry.domain != DOMAIN or not hasattr(entry, "runtime_data"):
            return None
        coordinator: HeatPumpHealthCoordinator = entry.runtime_data
        return coordinator

    def _finding(self) -> tuple[HeatPumpHealthCoordinator, Finding] | None:
        """The heat pump and its open finding, if both are still there."""
        coordinator = self._coordinator()
        finding = None if coordinator is None else coordinator.open_finding(self.key)
        return None if coordinator is None or finding is None else (coordinator, finding)

    def _placeholders(self) -> dict[str, str]:
        """The issue's placeholders, so the flow reads like the issue."""
        issue = ir.async_get(self.hass).async_get_issue(DOMAIN, self.issue_id)
        return dict(issue.translation_placeholders or {}) if issue else {}

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> RepairsFlowResult:
        """Offer the answers that fit this finding."""
        if self._finding() is None:
            return self.async_abort(reason="finding_gone")
        return self.async_show_menu(
            step_id="init",
            # Each detector says what can be answered to its finding (the registry).
            menu_options=list(repair_menu(self.key)),
            description_placeholders=self._placeholders(),
        )

    async def async_step_checked(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Ask how long to put the finding aside; an emergency for a day at most."""
        if (found := self._finding()) is None:
            return self.async_abort(reason="finding_gone")
        coordinator, finding = found
        emergency = finding.guidance is Guidance.EMERGENCY
        default = EMERGENCY_DEFAULT_SNOOZE if emergency else DEFAULT_SNOOZE
        errors: dict[str, str] = {}
        if user_input is not None:
            seconds = _seconds(user_input[ATTR_SNOOZE])
            if seconds <= 0:
                errors[ATTR_SNOOZE] = "snooze_too_short"
            elif not coordinator.snooze_allowed(finding, seconds):
                errors[ATTR_SNOOZE] = "emergency_snooze_too_long"
            else:
                coordinator.acknowledge(finding, seconds)
                return self.async_create_entry(data={})
        return self.async_show_form(
            step_id="checked",
            data_schema=vol.Schema(
                {
                    vol.Required(ATTR_SNOOZE, default=_duration(default)): (
                        selector.DurationSelector(selector.DurationSelectorConfig())
                    )
                }
            ),
            errors=errors,
            description_placeholders=self._placeholders(),
        )

    async def async_step_serviced(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Record a service now: the service reminder ends and the baselines re-learn."""
        return self._record(Maintenance.SERVICE)

    async def async_step_replaced(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Record the filter replaced now: its reminder ends."""
        return self._record(Maintenance.FILTER)

    def _record(self, kind: Maintenance) -> RepairsFlowResult:
        """Record maintenance done now and close the flow."""
        if (coordinator := self._coordinator()) is None:
            return self.async_abort(reason="finding_gone")
        coordinator.record_maintenance(kind, dt_util.utcnow().timestamp())
        return self.async_create_entry(data={})


class SourceMissingRepairFlow(RepairsFlow):
    """A source entity was removed: explain, and point to Reconfigure."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> RepairsFlowResult:
        """The flow opens on the explanation."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Show the explanation; confirming closes the issue until the next check."""
        if user_input is not None:
            return self.async_create_entry(data={})
        issue = ir.async_get(self.hass).async_get_issue(DOMAIN, self.issue_id)
        placeholders = dict(issue.translation_placeholders or {}) if issue else {}
        return self.async_show_form(
            step_id="confirm",
            data_schema=vol.Schema({}),
            description_placeholders=placeholders,
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """The flow for one of this integration's issues, told apart by what the issue carries.

    A vanished source's issue names its role; a finding's names the finding's key.
    """
    data = data or {}
    if ATTR_ROLE in data:
        return SourceMissingRepairFlow()
    return FindingRepairFlow(str(data[ATTR_ENTRY_ID]), FindingKey(str(data[ATTR_KEY])))
