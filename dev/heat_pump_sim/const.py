"""Constants of the dev-only heat pump simulator."""

from typing import Final

DOMAIN: Final = "heat_pump_sim"
DEVICE_NAME: Final = "Simulated heat pump"
UNIQUE_ID: Final = "simulated_heat_pump"

CONF_SPEED: Final = "speed"
CONF_CREATE_HEALTH_ENTRY: Final = "create_health_entry"
DEFAULT_SPEED: Final = 1.0

# Wall-clock seconds between two simulation steps (and entity updates).
UPDATE_SECONDS: Final = 10.0

HEALTH_DOMAIN: Final = "heat_pump_health"
HEALTH_USER_INPUT: Final = {
    "name": DEVICE_NAME,
    "climate": "climate.simulated_heat_pump",
    "power": "sensor.simulated_heat_pump_power",
    "energy": "sensor.simulated_heat_pump_energy",
    "outdoor_temperature": "sensor.simulated_outdoor_temperature",
    "indoor_temperature": "sensor.simulated_indoor_temperature",
}
