"""The units the simulated heat pump can be: its profile, chosen in configuration.yaml.

`air_to_air` (the default) is the simulator's plain unit: fixed speed, supply and return air,
and no signals of its own. `air_to_water` heats radiators and a hot-water cylinder, with three
power levels (standby with a crankcase heater in the cold, a circulation pump that runs on
between calls, the compressor) and the signals its controller reports, as ESPAltherma or
HeishaMon do: compressor frequency, an error code, water flow rate and pressure, and the
three-way valve to the cylinder. Each profile names the entities it has, by the role Heat Pump
Health gives them, and the weather it starts in: the air-to-water unit in mild weather, where
it cycles and shows its three power levels (near freezing it runs nonstop, as such units do).
"""

from dataclasses import dataclass
from enum import StrEnum

from .const import DEVICE_NAME, SIGNAL_SOURCE_IDS, SOURCE_IDS
from .simulator import CylinderSpec, Distribution, UnitSpec
from .simulator.weather import ClimateName


class ProfileName(StrEnum):
    """The profiles, as `profile:` in configuration.yaml (HPH_SIM_PROFILE) names them."""

    AIR_TO_AIR = "air_to_air"
    AIR_TO_WATER = "air_to_water"


@dataclass(frozen=True, slots=True)
class Profile:
    """A unit to simulate, its source entities by role (the readings' keys), its first weather."""

    name: ProfileName
    unit: UnitSpec
    sources: dict[str, str]
    climate: ClimateName

    @property
    def water(self) -> bool:
        """Whether the unit heats water and reports its own signals (flow, pressure, code)."""
        return self.unit.signals and self.unit.distribution is Distribution.WATER


# As benchmarks/detection.py's AIR_TO_WATER shape: 8 W standby (53 W with the crankcase
# heater below +5 °C), 138 W with the pump running on for half an hour after a call, and the
# compressor; with its own signals and a 150 L cylinder reheated at 05:00 and 17:00.
AIR_TO_WATER_UNIT = UnitSpec(
    distribution=Distribution.WATER,
    standby_w=8.0,
    standby_heater_w=45.0,
    pump_w=130.0,
    pump_overrun_s=1800.0,
    signals=True,
    hot_water=CylinderSpec(),
)

DEFAULT_PROFILE = ProfileName.AIR_TO_AIR
PROFILES: dict[ProfileName, Profile] = {
    ProfileName.AIR_TO_AIR: Profile(
        ProfileName.AIR_TO_AIR, UnitSpec(), dict(SOURCE_IDS), ClimateName.HUMID_NEAR_FREEZING
    ),
    ProfileName.AIR_TO_WATER: Profile(
        ProfileName.AIR_TO_WATER,
        AIR_TO_WATER_UNIT,
        {**SOURCE_IDS, **SIGNAL_SOURCE_IDS},
        ClimateName.MILD,
    ),
}
ALL_PROFILES: tuple[ProfileName, ...] = tuple(ProfileName)


def health_user_input(profile: Profile) -> dict[str, str]:
    """The Heat Pump Health config flow's answer for this profile: a name and every role."""
    return {"name": DEVICE_NAME, **profile.sources}
