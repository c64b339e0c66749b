"""Constants: the domain, configuration keys and option defaults."""

import logging
from typing import Final

from .engine import EngineConfig, Role

DOMAIN: Final = "heat_pump_health"
LOGGER = logging.getLogger(__package__)

CONF_NAME: Final = "name"
# The state of a non-binary defrost source that means "defrosting".
CONF_DEFROST_STATE: Final = "defrost_state"
# The state of a non-binary hot-water source (a valve or mode sensor) that means "hot water".
CONF_HOT_WATER_STATE: Final = "hot_water_state"
# States of the unit's error sensor that mean no fault, besides the usual ones (an option).
CONF_UNIT_ERROR_OK_STATES: Final = "unit_error_ok_states"

# Options that are not engine thresholds.
CONF_HISTORY_DAYS: Final = "history_days"
DEFAULT_HISTORY_DAYS: Final = 30
CONF_NOTIFY_ENTITIES: Final = "notify_entities"
CONF_NOTIFY_SERVICES: Final = "notify_services"
# Local times of day ("HH:MM:SS") between which only urgent findings are sent at once; both
# empty means no quiet hours. The span may cross midnight.
CONF_QUIET_HOURS_START: Final = "quiet_hours_start"
CONF_QUIET_HOURS_END: Final = "quiet_hours_end"
# The finding keys that send notifications; absent means every finding does.
CONF_NOTIFY_FINDINGS: Final = "notify_findings"
NOTIFICATION_OPTIONS: Final = (
    CONF_NOTIFY_ENTITIES,
    CONF_NOTIFY_SERVICES,
    CONF_QUIET_HOURS_START,
    CONF_QUIET_HOURS_END,
    CONF_NOTIFY_FINDINGS,
)

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
    CONF_HISTORY_DAYS,
)
MAINTENANCE_OPTIONS: Final = ("filter_days", "service_months")

# Seconds between engine clock ticks while no source changes (windows, midnight).
TICK_INTERVAL: Final = 60
# Seconds the saved state may lag behind the engine.
SAVE_DELAY: Final = 60

# The bus event fired when a finding starts or ends, and the event entity's event types.
EVENT_FINDING: Final = f"{DOMAIN}_finding"
FINDING_STARTED: Final = "finding_started"
FINDING_ESCALATED: Final = "finding_escalated"
FINDING_CLEARED: Final = "finding_cleared"
EVENT_TYPES: Final = (FINDING_STARTED, FINDING_ESCALATED, FINDING_CLEARED)

# Where each finding is explained; Repairs issues link to its section.
DOCUMENTATION_URL: Final = "https://github.com/heat-pump-health/heat_pump_health"
FINDINGS_URL: Final = f"{DOCUMENTATION_URL}#"

# Acknowledging a finding hides its Repairs issue and reminders for this long by default; an
# emergency may be hidden for at most the shorter span.
DEFAULT_SNOOZE: Final = 24 * 3600.0
EMERGENCY_DEFAULT_SNOOZE: Final = 3600.0
MAX_EMERGENCY_SNOOZE: Final = 24 * 3600.0
# A finding still open is brought up again by notification at most this often.
REMINDER_INTERVAL: Final = 24 * 3600.0
