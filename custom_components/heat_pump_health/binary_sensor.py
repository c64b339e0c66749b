"""Problem binary sensors: one per finding the heat pump's sources can raise."""

from typing import Any

# The device class moved to `binary_sensor.const` after the oldest Home Assistant supported;
# the package re-exports it in every version.
from homeassistant.components.binary_sensor import (  # type: ignore[attr-defined, unused-ignore]
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .coordinator import HeatPumpHealthConfigEntry, HeatPumpHealthCoordinator
from .engine import Finding, FindingKey
from .engine.applicability import applicable_findings
from .engine.detectors import DISABLED_BY_DEFAULT
from .entity import HeatPumpHealthEntity

PARALLEL_UPDATES = 0

# Findings few owners follow on a dashboard; their entities start disabled (each detector's
# registry entry says so).
NICHE_FINDINGS = DISABLED_BY_DEFAULT


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpHealthConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a problem sensor for each finding this heat pump's sources can raise."""
    coordinator = entry.runtime_data
    async_add_entities(
        FindingBinarySensor(coordinator, key)
        for key in applicable_findings(set(coordinator.sources))
    )


class FindingBinarySensor(HeatPumpHealthEntity, BinarySensorEntity):
    """On while the finding is open, with its evidence as attributes."""

    _attr_device_class = BinarySensorDeviceClass.PROBLEM

    def __init__(self, coordinator: HeatPumpHealthCoordinator, key: FindingKey) -> None:
        """Describe the sensor by its finding key."""
        super().__init__(
            coordinator,
            BinarySensorEntityDescription(
                key=key.value,
                translation_key=key.value,
                entity_registry_enabled_default=key not in NICHE_FINDINGS,
            ),
        )
        self.key = key

    @property
    def _finding(self) -> Finding | None:
        """The open finding, if any."""
        return next((f for f in self.coordinator.data.findings if f.key is self.key), None)

    @property
    def is_on(self) -> bool:
        """Whether the finding is open."""
        return self._finding is not None

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Severity, guidance, start and evidence of the open finding."""
        finding = self._finding
        if finding is None:
            return None
        return {
            "severity": finding.severity.value,
            "guidance": finding.guidance.value,
            "since": dt_util.utc_from_timestamp(finding.start).isoformat(),
            "confidence": round(finding.confidence, 2),
            **finding.evidence,
        }
