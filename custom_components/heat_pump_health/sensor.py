"""Sensors: the overall health status and the measurements behind it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory, UnitOfPower, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .coordinator import HeatPumpHealthConfigEntry
from .engine import HealthSnapshot
from .engine.findings import Status, overall_status
from .entity import HeatPumpHealthEntity

PARALLEL_UPDATES = 0

STATUS_OPTIONS = [status.value for status in Status]


def health_status(snapshot: HealthSnapshot) -> str:
    """The one-word verdict: from the open findings, else learning or ok."""
    return overall_status(snapshot.findings, learning=snapshot.learning).value


def finding_summary(snapshot: HealthSnapshot) -> list[dict[str, Any]]:
    """The open findings, small enough for a state attribute."""
    return [
        {
            "key": finding.key.value,
            "severity": finding.severity.value,
            "guidance": finding.guidance.value,
            "since": dt_util.utc_from_timestamp(finding.start).isoformat(),
        }
        for finding in snapshot.findings
    ]


@dataclass(frozen=True, kw_only=True)
class HealthSensorDescription(SensorEntityDescription):
    """A sensor whose value is read off the engine's snapshot."""

    value_fn: Callable[[HealthSnapshot], str | int | float | None]
    attributes_fn: Callable[[HealthSnapshot], dict[str, Any]] | None = None


def _minutes(value: float | None) -> float | None:
    """Round minutes for display, keeping None."""
    return round(value, 1) if value is not None else None


SENSORS: tuple[HealthSensorDescription, ...] = (
    HealthSensorDescription(
        key="status",
        translation_key="status",
        device_class=SensorDeviceClass.ENUM,
        options=STATUS_OPTIONS,
        value_fn=health_status,
        attributes_fn=lambda snapshot: {
            "learning_progress": round(snapshot.learning_progress * 100),
            "findings": finding_summary(snapshot),
        },
    ),
    HealthSensorDescription(
        key="compressor_starts_last_hour",
        translation_key="compressor_starts_last_hour",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda snapshot: snapshot.starts_last_hour,
    ),
    HealthSensorDescription(
        key="compressor_starts_today",
        translation_key="compressor_starts_today",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda snapshot: snapshot.starts_today,
    ),
    HealthSensorDescription(
        key="runtime_today",
        translation_key="runtime_today",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.HOURS,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=2,
        value_fn=lambda snapshot: round(snapshot.runtime_today_hours, 3),
    ),
    HealthSensorDescription(
        key="median_run_time",
        translation_key="median_run_time",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda snapshot: _minutes(snapshot.median_run_minutes),
    ),
    HealthSensorDescription(
        key="median_off_time",
        translation_key="median_off_time",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        entity_registry_enabled_default=False,
        value_fn=lambda snapshot: _minutes(snapshot.median_off_minutes),
    ),
    HealthSensorDescription(
        key="power_running_threshold",
        translation_key="power_running_threshold",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.WATT,
        entity_category=EntityCategory.DIAGNOSTIC,
        suggested_display_precision=0,
        entity_registry_enabled_default=False,
        value_fn=lambda snapshot: (
            round(snapshot.power_threshold, 1) if snapshot.power_threshold is not None else None
        ),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpHealthConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the health sensors of one heat pump."""
    coordinator = entry.runtime_data
    async_add_entities(HealthSensor(coordinator, description) for description in SENSORS)


class HealthSensor(HeatPumpHealthEntity, SensorEntity):
    """A sensor that shows one figure of the engine's snapshot."""

    entity_description: HealthSensorDescription

    @property
    def native_value(self) -> str | int | float | None:
        """The figure from the latest snapshot."""
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Extra detail, for the status sensor."""
        if self.entity_description.attributes_fn is None:
            return None
        return self.entity_description.attributes_fn(self.coordinator.data)
