"""Constants: the domain, configuration keys and option defaults."""

import logging
from typing import Final

from .engine import EngineConfig, Role

DOMAIN: Final = "heat_pump_health"
LOGGER = logging.getLogger(__package__)

CONF_NAME: Final = "name"
# The state of a non-binary defrost source that means "defrosting".
CONF_DEFROST_STATE: Final = "defrost_state"

# Options that are not engine thresholds.
CONF_NOTIFY_ENTITIES: Final = "notify_entities"
CONF_NOTIFY_SERVICES: Final = "notify_services"

# Options sections, as the options form groups them.
SECTION_DETECTION: Final = "detection"
SECTION_MAINTENANCE: Final = "maintenance"
SECTION_NOTIFICATIONS: Final = "notifications"

DEFAULTS: Final = EngineConfig()

# Roles in the order the configuration form shows them.
SOURCE_ROLES: Final[tuple[Role, ...]] = tuple(Role)

# Keys of the engine configuration that the options form groups as detection and maintenance.
DETECTION_OPTIONS: Final = (
    "power_running_threshold",
    "short_cycling_starts_per_hour",
    "short_cycling_max_median_run_minutes",
    "short_cycling_window_hours",
    "nonstop_running_hours",
    "runaway_energy_percent",
    "defrost_min_interval_minutes",
    "defrost_max_minutes",
    "aux_heat_max_outdoor_temperature",
    "sensor_stale_hours",
)
MAINTENANCE_OPTIONS: Final = ("filter_days", "service_months")

# Seconds between engine clock ticks while no source changes (windows, midnight).
TICK_INTERVAL: Final = 60
# Seconds the saved state may lag behind the engine.
SAVE_DELAY: Final = 60
