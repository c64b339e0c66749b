"""Constants of the dev-only heat pump simulator: settings, entity ids and the health entry."""

from typing import Final

DOMAIN: Final = "heat_pump_sim"
DEVICE_NAME: Final = "Simulated heat pump"
UNIQUE_ID: Final = "simulated_heat_pump"

CONF_SPEED: Final = "speed"
CONF_CREATE_HEALTH_ENTRY: Final = "create_health_entry"
CONF_PROFILE: Final = "profile"
DEFAULT_SPEED: Final = 1.0
MAX_SPEED: Final = 3600.0
# Entry data: when the simulated history was last written into the recorder (epoch seconds).
DATA_HISTORY_WRITTEN: Final = "history_written"
# Entry data: the profile that history was simulated for (absent: the default profile).
DATA_HISTORY_PROFILE: Final = "history_profile"

# Wall-clock seconds between two updates of the entities (the simulation steps this long).
UPDATE_SECONDS: Final = 10.0
# Simulated history written on a fresh start: long-term statistics for all of it (enough for
# the 21-day energy baseline and five judged days), states for the last days.
HISTORY_DAYS: Final = 29.0
STATE_DAYS: Final = 2.0
# States also cover this long before a back-dated fault starts, for the baselines, but no
# more than MAX_STATE_DAYS in all (energy waste shows in the statistics).
STATES_BEFORE_FAULT_HOURS: Final = 30.0
MAX_STATE_DAYS: Final = 4.0

# Source entities, by the role Heat Pump Health gives them: every profile's.
CLIMATE_ID: Final = "climate.simulated_heat_pump"
SOURCE_IDS: Final[dict[str, str]] = {
    "climate": CLIMATE_ID,
    "power": "sensor.simulated_heat_pump_power",
    "compressor": "binary_sensor.simulated_heat_pump_compressor",
    "energy": "sensor.simulated_heat_pump_energy",
    "outdoor_temperature": "sensor.simulated_outdoor_temperature",
    "indoor_temperature": "sensor.simulated_indoor_temperature",
    "supply_temperature": "sensor.simulated_heat_pump_supply_temperature",
    "return_temperature": "sensor.simulated_heat_pump_return_temperature",
    "defrost": "binary_sensor.simulated_heat_pump_defrost",
    "aux_heat": "binary_sensor.simulated_heat_pump_aux_heat",
    "heat_output": "sensor.simulated_heat_pump_heat_output",
    "leak": "binary_sensor.simulated_heat_pump_leak",
}
# The unit's own signals and its cylinder's valve, on the air-to-water profile only.
SIGNAL_SOURCE_IDS: Final[dict[str, str]] = {
    "flow_rate": "sensor.simulated_heat_pump_flow_rate",
    "water_pressure": "sensor.simulated_heat_pump_water_pressure",
    "compressor_frequency": "sensor.simulated_heat_pump_compressor_frequency",
    "unit_error": "sensor.simulated_heat_pump_error_code",
    "hot_water": "binary_sensor.simulated_heat_pump_hot_water",
}
ALL_SOURCE_IDS: Final[dict[str, str]] = {**SOURCE_IDS, **SIGNAL_SOURCE_IDS}

HEALTH_DOMAIN: Final = "heat_pump_health"
# The health entry's options: its defaults, and findings sent as persistent notifications.
HEALTH_OPTIONS_INPUT: Final[dict[str, dict[str, list[str]]]] = {
    "detection": {},
    "maintenance": {},
    "notifications": {"notify_services": ["notify.persistent_notification"]},
}
