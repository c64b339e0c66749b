"""Sensors: the overall health status and the measurements behind it."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    EntityCategory,
    UnitOfEnergy,
    UnitOfPower,
    UnitOfTemperature,
    UnitOfTime,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .coordinator import HeatPumpHealthConfigEntry, HeatPumpHealthCoordinator
from .engine import FindingKey, HealthSnapshot, Role
from .engine.applicability import applicable_findings
from .engine.findings import Status, health_score, overall_status
from .entity import HeatPumpHealthEntity

PARALLEL_UPDATES = 0
# Seconds between writes of a measurement that keeps changing (see `HealthSensor`).
WRITE_INTERVAL = 600.0
# Average month length, as the engine counts service intervals.
DAYS_PER_MONTH = 30.44

STATUS_OPTIONS = [status.value for status in Status]
# Below this much expected energy, a deviation in percent says nothing.
MIN_EXPECTED_KWH = 0.5

type SensorValue = str | int | float | date | datetime | None


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

    value_fn: Callable[[HealthSnapshot], SensorValue]
    attributes_fn: Callable[[HealthSnapshot], dict[str, Any]] | None = None
    # The sensor is added only when one of these roles is configured, and only when the
    # sources can raise this finding (the sensor shows what the finding judges).
    needs: frozenset[Role] | None = None
    finding: FindingKey | None = None
    # Written at most every `WRITE_INTERVAL`; the verdicts are written as they change.
    throttled: bool = True


ENERGY_ROLES = frozenset({Role.ENERGY, Role.POWER})
HOT_WATER_ROLES = frozenset({Role.HOT_WATER})


def _minutes(value: float | None) -> float | None:
    """Round minutes for display, keeping None."""
    return round(value, 1) if value is not None else None


def _rounded(value: float | None, digits: int) -> float | None:
    """Round a figure, keeping None."""
    return round(value, digits) if value is not None else None


def _percent(share: float | None) -> float | None:
    """A share (0-1) as a percentage, keeping None."""
    return round(share * 100, 1) if share is not None else None


def energy_deviation(snapshot: HealthSnapshot) -> float | None:
    """Today's energy against what the baseline expects for today's weather, in percent."""
    used, expected = snapshot.energy_today_kwh, snapshot.expected_energy_today_kwh
    if used is None or expected is None or expected < MIN_EXPECTED_KWH:
        return None
    return round((used / expected - 1) * 100, 1)


def _timestamp(time: float | None) -> datetime | None:
    """Epoch seconds as an aware datetime, keeping None."""
    return dt_util.utc_from_timestamp(time) if time is not None else None


def filter_age(snapshot: HealthSnapshot) -> int | None:
    """Whole days since the filter was last replaced."""
    if snapshot.filter_replaced is None or snapshot.time is None:
        return None
    return max(0, int((snapshot.time - snapshot.filter_replaced) // 86400))


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
        key="health_score",
        translation_key="health_score",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda snapshot: health_score(snapshot.findings),
        throttled=False,
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
        key="duty_cycle",
        translation_key="duty_cycle",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda snapshot: _percent(snapshot.duty_cycle),
    ),
    HealthSensorDescription(
        key="energy_today",
        translation_key="energy_today",
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=2,
        value_fn=lambda snapshot: _rounded(snapshot.energy_today_kwh, 3),
        needs=ENERGY_ROLES,
    ),
    HealthSensorDescription(
        key="expected_energy_today",
        translation_key="expected_energy_today",
        # A forecast, not a meter: no state class, so it never enters energy statistics.
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda snapshot: _rounded(snapshot.expected_energy_today_kwh, 3),
        needs=ENERGY_ROLES,
    ),
    HealthSensorDescription(
        key="energy_deviation",
        translation_key="energy_deviation",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=energy_deviation,
        needs=ENERGY_ROLES,
    ),
    HealthSensorDescription(
        key="defrosts_today",
        translation_key="defrosts_today",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda snapshot: snapshot.defrosts_today,
        finding=FindingKey.DEFROST_TOO_LONG,
    ),
    HealthSensorDescription(
        key="defrost_duration",
        translation_key="defrost_duration",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda snapshot: _minutes(snapshot.defrost_minutes_avg),
        finding=FindingKey.DEFROST_TOO_LONG,
    ),
    HealthSensorDescription(
        key="last_defrost",
        translation_key="last_defrost",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda snapshot: _timestamp(snapshot.last_defrost),
        finding=FindingKey.DEFROST_TOO_LONG,
    ),
    HealthSensorDescription(
        key="temperature_split",
        translation_key="temperature_split",
        device_class=SensorDeviceClass.TEMPERATURE_DELTA,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda snapshot: _rounded(snapshot.temperature_split, 2),
        finding=FindingKey.WEAK_AIRFLOW,
    ),
    HealthSensorDescription(
        key="cop_today",
        translation_key="cop_today",
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        value_fn=lambda snapshot: _rounded(snapshot.cop_today, 2),
        finding=FindingKey.EFFICIENCY_DROP,
    ),
    HealthSensorDescription(
        key="aux_heat_share",
        translation_key="aux_heat_share",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        entity_registry_enabled_default=False,
        value_fn=lambda snapshot: _percent(snapshot.aux_share_today),
        needs=frozenset({Role.AUX_HEAT, Role.POWER}),
    ),
    HealthSensorDescription(
        key="hot_water_runs",
        translation_key="hot_water_runs",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda snapshot: snapshot.hot_water_runs_today,
        needs=HOT_WATER_ROLES,
    ),
    HealthSensorDescription(
        key="hot_water_runtime",
        translation_key="hot_water_runtime",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.HOURS,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=2,
        value_fn=lambda snapshot: round(snapshot.hot_water_runtime_today_hours, 3),
        needs=HOT_WATER_ROLES,
    ),
    HealthSensorDescription(
        key="hot_water_energy_share",
        translation_key="hot_water_energy_share",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda snapshot: _percent(snapshot.hot_water_energy_share_today),
        needs=HOT_WATER_ROLES,
    ),
    HealthSensorDescription(
        key="filter_age",
        translation_key="filter_age",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.DAYS,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=filter_age,
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
    """Add the health sensors of one heat pump: those its sources can feed."""
    coordinator = entry.runtime_data
    roles = set(coordinator.sources)
    applicable = applicable_findings(roles)
    service_months = coordinator.engine_config.service_months
    entities: list[SensorEntity] = [
        (StatusSensor if description.key == "status" else HealthSensor)(coordinator, description)
        for description in SENSORS
        if (description.needs is None or roles & description.needs)
        and (description.finding is None or description.finding in applicable)
    ]
    entities.append(NextServiceSensor(coordinator, NEXT_SERVICE, service_months))
    async_add_entities(entities)


class HealthSensor(HeatPumpHealthEntity, SensorEntity):
    """A sensor that shows one figure of the engine's snapshot.

    A changed figure is written at most every `WRITE_INTERVAL`, so that the figures that move
    every minute (runtime, duty cycle, energy) do not fill the recorder's database; a figure
    that appears or goes away is written at once.
    """

    entity_description: HealthSensorDescription
    _written: SensorValue = None
    _written_at: float | None = None

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write the new figure if it changed and the last write is old enough."""
        value = self.native_value
        now = dt_util.utcnow().timestamp()
        throttled = self.entity_description.throttled and not self.coordinator.write_now
        if self._written_at is not None and throttled:
            if value == self._written:
                return
            recent = now - self._written_at < WRITE_INTERVAL
            if recent and value is not None and self._written is not None:
                return
        self._written, self._written_at = value, now
        self.async_write_ha_state()

    @property
    def native_value(self) -> SensorValue:
        """The figure from the latest snapshot."""
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Extra detail, for the status sensor."""
        if self.entity_description.attributes_fn is None:
            return None
        return self.entity_description.attributes_fn(self.coordinator.data)


class StatusSensor(HealthSensor):
    """The verdict, and how far learning from the recorder's history has come."""

    @callback
    def _handle_coordinator_update(self) -> None:
        """The verdict is written as soon as it changes (unchanged states add no rows)."""
        self.async_write_ha_state()

    @property
    def native_value(self) -> SensorValue:
        """`learning` while the history is read, else the verdict."""
        if self.coordinator.reading_history:
            return Status.LEARNING.value
        return super().native_value

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """The findings, learning progress and the recorder history's state."""
        attributes = dict(super().extra_state_attributes or {})
        attributes["recorder_history"] = self.coordinator.history.value
        if self.coordinator.reading_history:
            attributes["history_progress"] = round(self.coordinator.reading.progress * 100)
        return attributes


NEXT_SERVICE = SensorEntityDescription(
    key="next_service",
    translation_key="next_service",
    device_class=SensorDeviceClass.DATE,
    entity_category=EntityCategory.DIAGNOSTIC,
)


class NextServiceSensor(HeatPumpHealthEntity, SensorEntity):
    """The date the next professional service is due, from the last one recorded."""

    def __init__(
        self,
        coordinator: HeatPumpHealthCoordinator,
        description: SensorEntityDescription,
        service_months: int,
    ) -> None:
        """Remember the service interval (options reload the entry)."""
        super().__init__(coordinator, description)
        self._interval = timedelta(days=service_months * DAYS_PER_MONTH)

    @property
    def native_value(self) -> date | None:
        """Last service plus the interval, as a local date."""
        serviced = self.coordinator.data.serviced
        if serviced is None:
            return None
        return dt_util.as_local(dt_util.utc_from_timestamp(serviced) + self._interval).date()
