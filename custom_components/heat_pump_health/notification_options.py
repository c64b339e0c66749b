"""The notifications section of the options form: where messages go, when, and which."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import selector
from homeassistant.util.dt import parse_time

from .const import (
    CONF_NOTIFY_ENTITIES,
    CONF_NOTIFY_FINDINGS,
    CONF_NOTIFY_SERVICES,
    CONF_QUIET_HOURS_END,
    CONF_QUIET_HOURS_START,
    NOTIFICATION_OPTIONS,
    SOURCE_ROLES,
)
from .engine import FindingKey
from .engine.applicability import applicable_findings
from .notifications import MOBILE_APP_PREFIX, muted_findings, notify_service
from .validation import vol

QUIET_HOURS = (CONF_QUIET_HOURS_START, CONF_QUIET_HOURS_END)


@dataclass(frozen=True, slots=True)
class NotificationSection:
    """The section's fields, stored values and checks, for one heat pump."""

    hass: HomeAssistant
    data: Mapping[str, Any]
    options: Mapping[str, Any]

    @property
    def offered(self) -> tuple[FindingKey, ...]:
        """The findings this heat pump's sources can raise: those the owner chooses from."""
        return applicable_findings({role for role in SOURCE_ROLES if self.data.get(role.value)})

    @property
    def muted(self) -> frozenset[FindingKey]:
        """The findings the stored options keep from notifying."""
        return muted_findings(self.options.get(CONF_NOTIFY_FINDINGS))

    def schema(self) -> vol.Schema:
        """Targets, quiet hours and the findings that notify (each one by default)."""
        mobile_apps = sorted(
            f"notify.{service}"
            for service in self.hass.services.async_services_for_domain("notify")
            if service.startswith(MOBILE_APP_PREFIX)
        )
        offered = [key.value for key in self.offered]
        return vol.Schema(
            {
                vol.Optional(CONF_NOTIFY_ENTITIES): selector.EntitySelector(
                    selector.EntitySelectorConfig(domain="notify", multiple=True)
                ),
                vol.Optional(CONF_NOTIFY_SERVICES): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=mobile_apps,
                        multiple=True,
                        custom_value=True,
                        mode=selector.SelectSelectorMode.DROPDOWN,
                    )
                ),
                vol.Optional(CONF_QUIET_HOURS_START): selector.TimeSelector(),
                vol.Optional(CONF_QUIET_HOURS_END): selector.TimeSelector(),
                vol.Optional(CONF_NOTIFY_FINDINGS, default=offered): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=offered,
                        multiple=True,
                        translation_key="finding",
                        mode=selector.SelectSelectorMode.LIST,
                    )
                ),
            }
        )

    def suggested(self) -> dict[str, Any]:
        """The stored options as the section shows them."""
        return {
            **{key: self.options[key] for key in NOTIFICATION_OPTIONS if key in self.options},
            CONF_NOTIFY_FINDINGS: [key.value for key in self.offered if key not in self.muted],
        }

    def clean(self, section: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
        """The options to store from the section's input, or the error that refuses it."""
        services = [str(name) for name in section.get(CONF_NOTIFY_SERVICES, [])]
        if not all(self.hass.services.has_service(*notify_service(name)) for name in services):
            return {}, "unknown_notify_service"
        start, end = (str(section.get(key) or "") for key in QUIET_HOURS)
        if bool(start) != bool(end) or (start and parse_time(start) == parse_time(end)):
            return {}, "quiet_hours_incomplete"
        options: dict[str, Any] = {
            CONF_NOTIFY_ENTITIES: list(section.get(CONF_NOTIFY_ENTITIES, [])),
            CONF_NOTIFY_SERVICES: services,
        }
        if start:
            options |= {CONF_QUIET_HOURS_START: start, CONF_QUIET_HOURS_END: end}
        # Findings this heat pump cannot raise keep the choice they had (every one at first);
        # when every finding notifies the option is left out, so new findings notify too.
        chosen = {FindingKey(key) for key in section.get(CONF_NOTIFY_FINDINGS, [])}
        chosen |= set(FindingKey) - set(self.offered) - self.muted
        if chosen != set(FindingKey):
            options[CONF_NOTIFY_FINDINGS] = [key.value for key in FindingKey if key in chosen]
        return options, None
