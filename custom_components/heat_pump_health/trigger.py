"""Automation triggers: a finding started, got worse or cleared, on the heat pumps chosen.

Each trigger listens to the `heat_pump_health_finding` bus event, so it fires exactly when the
event does, and hands the event's payload to the automation as its variables. The target is
resolved when a finding changes, so devices, areas and labels assigned later count.
"""

from collections.abc import Mapping
from typing import Any, Final, cast, override

from homeassistant.const import CONF_OPTIONS, CONF_TARGET
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers import config_validation as cv, entity_registry as er
from homeassistant.helpers.target import TargetSelection, async_extract_referenced_entity_ids
from homeassistant.helpers.trigger import (
    NotTriggeredInfo,
    Trigger,
    TriggerActionRunner,
    TriggerConfig,
    TriggerNotTriggeredReporter,
)
from homeassistant.helpers.typing import ConfigType

from .const import DOMAIN, EVENT_FINDING, FINDING_CLEARED, FINDING_ESCALATED, FINDING_STARTED
from .engine import FindingKey, Severity
from .engine.findings import SEVERITY_ORDER
from .validation import vol

CONF_FINDING: Final = "finding"
CONF_SEVERITY: Final = "severity"

# Why a finding change of a targeted heat pump did not run the automation (for its trace).
NOT_SELECTED_FINDING: Final = "finding_not_selected"
SEVERITY_TOO_LOW: Final = "severity_too_low"

_OPTIONS_SCHEMA: Final = vol.Schema(
    {
        vol.Optional(CONF_FINDING, default=list): vol.All(
            cv.ensure_list, [vol.In([key.value for key in FindingKey])]
        ),
        vol.Optional(CONF_SEVERITY): vol.Maybe(vol.In([level.value for level in Severity])),
    }
)
_TRIGGER_SCHEMA: Final = vol.Schema(
    {
        vol.Optional(CONF_TARGET): cv.TARGET_FIELDS,
        vol.Required(CONF_OPTIONS, default=dict): _OPTIONS_SCHEMA,
    }
)


class FindingTrigger(Trigger):
    """Runs the automation when the bus event of its change type matches target and filters."""

    event_type: str

    @classmethod
    @override
    async def async_validate_config(cls, hass: HomeAssistant, config: ConfigType) -> ConfigType:
        """The target, and the optional finding and lowest severity."""
        return cast(ConfigType, _TRIGGER_SCHEMA(config))

    def __init__(self, hass: HomeAssistant, config: TriggerConfig) -> None:
        """Keep the target (none: every heat pump) and the filters."""
        super().__init__(hass, config)
        target = config.target or {}
        self._selection = TargetSelection(target) if any(target.values()) else None
        options = config.options or {}
        self._findings = frozenset(options.get(CONF_FINDING) or ())
        severity = options.get(CONF_SEVERITY)
        self._lowest = SEVERITY_ORDER[Severity(severity)] if severity else 0

    @override
    async def async_attach_runner(
        self,
        run_action: TriggerActionRunner,
        did_not_trigger: TriggerNotTriggeredReporter | None = None,
    ) -> CALLBACK_TYPE:
        """Listen to the finding event until the automation is turned off."""

        @callback
        def finding_changed(event: Event[Mapping[str, Any]]) -> None:
            """Run the automation, or tell its trace why the change was left out."""
            data = event.data
            if data["type"] != self.event_type or not self._targets(data):
                return
            if reason := self._left_out(data):
                if did_not_trigger is not None:
                    info = {"finding": data["key"], "severity": data["severity"]}
                    did_not_trigger(NotTriggeredInfo(reason, info), event.context)
                return
            description = f"{data['key']} {self.event_type} at {data['heat_pump']}"
            run_action(dict(data), description, event.context)

        return self._hass.bus.async_listen(EVENT_FINDING, finding_changed)

    @callback
    def _targets(self, data: Mapping[str, Any]) -> bool:
        """Whether the change is on a targeted heat pump: its device, or one of its entities."""
        if self._selection is None:
            return True
        selected = async_extract_referenced_entity_ids(
            self._hass, self._selection, primary_entities_only=False
        )
        if data["device_id"] is not None and data["device_id"] in selected.referenced_devices:
            return True
        registry = er.async_get(self._hass)
        return any(
            (entity := registry.async_get(entity_id)) is not None
            and entity.platform == DOMAIN
            and entity.config_entry_id == data["entry_id"]
            for entity_id in selected.referenced | selected.indirectly_referenced
        )

    def _left_out(self, data: Mapping[str, Any]) -> str | None:
        """Why the filters leave this finding out, if they do."""
        if self._findings and data["key"] not in self._findings:
            return NOT_SELECTED_FINDING
        if SEVERITY_ORDER[Severity(data["severity"])] < self._lowest:
            return SEVERITY_TOO_LOW
        return None


class FindingStartedTrigger(FindingTrigger):
    """A finding started."""

    event_type = FINDING_STARTED


class FindingEscalatedTrigger(FindingTrigger):
    """An open finding got worse (its severity rose)."""

    event_type = FINDING_ESCALATED


class FindingClearedTrigger(FindingTrigger):
    """A finding ended."""

    event_type = FINDING_CLEARED


# Keyed as the bus event's types: heat_pump_health.finding_started and so on.
TRIGGERS: Final[dict[str, type[Trigger]]] = {
    FINDING_STARTED: FindingStartedTrigger,
    FINDING_ESCALATED: FindingEscalatedTrigger,
    FINDING_CLEARED: FindingClearedTrigger,
}


async def async_get_triggers(hass: HomeAssistant) -> dict[str, type[Trigger]]:
    """The three finding triggers."""
    return TRIGGERS
