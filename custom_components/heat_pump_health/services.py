"""Service actions: acknowledge, record maintenance, re-learn baselines, test notifications."""

from datetime import date, datetime, time, timedelta
from functools import partial

from homeassistant.const import ATTR_CONFIG_ENTRY_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, service
from homeassistant.util import dt as dt_util
from homeassistant.util.json import JsonValueType

from .const import DEFAULT_SNOOZE, DOMAIN
from .coordinator import HeatPumpHealthConfigEntry, HeatPumpHealthCoordinator
from .engine import FindingKey, Maintenance
from .validation import vol

SERVICE_ACKNOWLEDGE = "acknowledge"
SERVICE_RECORD_MAINTENANCE = "record_maintenance"
SERVICE_RESET_BASELINE = "reset_baseline"
SERVICE_SEND_TEST_NOTIFICATION = "send_test_notification"

ATTR_FINDING = "finding"
ATTR_SNOOZE = "snooze"
ATTR_KIND = "kind"
ATTR_DATE = "date"

ENTRY_SCHEMA = {vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string}

ACKNOWLEDGE_SCHEMA = vol.Schema(
    {
        **ENTRY_SCHEMA,
        vol.Required(ATTR_FINDING): vol.In([key.value for key in FindingKey]),
        vol.Optional(ATTR_SNOOZE, default=timedelta(seconds=DEFAULT_SNOOZE)): vol.All(
            cv.time_period, cv.positive_timedelta
        ),
    }
)
RECORD_MAINTENANCE_SCHEMA = vol.Schema(
    {
        **ENTRY_SCHEMA,
        vol.Required(ATTR_KIND): vol.In([kind.value for kind in Maintenance]),
        vol.Optional(ATTR_DATE): cv.date,
    }
)
RESET_BASELINE_SCHEMA = vol.Schema(ENTRY_SCHEMA)
SEND_TEST_NOTIFICATION_SCHEMA = vol.Schema(ENTRY_SCHEMA)


def _coordinator(hass: HomeAssistant, call: ServiceCall) -> HeatPumpHealthCoordinator:
    """The running heat pump a call names; Home Assistant's translated error otherwise."""
    entry: HeatPumpHealthConfigEntry = service.async_get_config_entry(
        hass, DOMAIN, call.data[ATTR_CONFIG_ENTRY_ID]
    )
    return entry.runtime_data


@callback
def _acknowledge(hass: HomeAssistant, call: ServiceCall) -> None:
    """Hide an open finding's Repairs issue and reminders for the snooze."""
    coordinator = _coordinator(hass, call)
    key = FindingKey(call.data[ATTR_FINDING])
    snooze: timedelta = call.data[ATTR_SNOOZE]
    finding = coordinator.open_finding(key)
    if finding is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="finding_not_open",
            translation_placeholders={"finding": key.value, "name": coordinator.name},
        )
    if not coordinator.snooze_allowed(finding, snooze.total_seconds()):
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="emergency_snooze_too_long",
            translation_placeholders={"finding": key.value},
        )
    coordinator.acknowledge(finding, snooze.total_seconds())


@callback
def _record_maintenance(hass: HomeAssistant, call: ServiceCall) -> None:
    """Record a filter change or a service on a date (today by default)."""
    coordinator = _coordinator(hass, call)
    kind = Maintenance(call.data[ATTR_KIND])
    now = dt_util.now()
    day: date | None = call.data.get(ATTR_DATE)
    when = now if day is None or day == now.date() else _local_noon(day)
    if when > now:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="date_in_future",
            translation_placeholders={"date": str(day)},
        )
    coordinator.record_maintenance(kind, when.timestamp())


def _local_noon(day: date) -> datetime:
    """Midday of a local date: the time a maintenance date stands for."""
    return datetime.combine(day, time(12), tzinfo=dt_util.get_default_time_zone())


@callback
def _reset_baseline(hass: HomeAssistant, call: ServiceCall) -> None:
    """Forget what normal looked like for one heat pump."""
    _coordinator(hass, call).reset_baselines()


async def _send_test_notification(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    """Send a test message to every notification target; fail naming those it did not reach."""
    notifier = _coordinator(hass, call).announcer.notifier
    reached: list[JsonValueType] = list(await notifier.async_send_test())
    return {"reached": reached}


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the service actions once for all heat pumps."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_ACKNOWLEDGE,
        partial(_acknowledge, hass),
        schema=ACKNOWLEDGE_SCHEMA,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_RECORD_MAINTENANCE,
        partial(_record_maintenance, hass),
        schema=RECORD_MAINTENANCE_SCHEMA,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_RESET_BASELINE,
        partial(_reset_baseline, hass),
        schema=RESET_BASELINE_SCHEMA,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_SEND_TEST_NOTIFICATION,
        partial(_send_test_notification, hass),
        schema=SEND_TEST_NOTIFICATION_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
