"""What the engine consumes: one observation per source reading, in canonical units."""

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import NamedTuple


class Role(StrEnum):
    """The part a source entity plays. The values are a public contract (flows, replay files)."""

    CLIMATE = "climate"
    POWER = "power"
    COMPRESSOR = "compressor"
    ENERGY = "energy"
    OUTDOOR_TEMPERATURE = "outdoor_temperature"
    INDOOR_TEMPERATURE = "indoor_temperature"
    SUPPLY_TEMPERATURE = "supply_temperature"
    RETURN_TEMPERATURE = "return_temperature"
    DEFROST = "defrost"
    AUX_HEAT = "aux_heat"
    HEAT_OUTPUT = "heat_output"
    LEAK = "leak"
    FLOW_RATE = "flow_rate"
    WATER_PRESSURE = "water_pressure"
    UNIT_ERROR = "unit_error"
    COMPRESSOR_FREQUENCY = "compressor_frequency"
    HOT_WATER = "hot_water"


ACTIVITY_ROLES: tuple[Role, ...] = (
    Role.CLIMATE,
    Role.POWER,
    Role.COMPRESSOR,
    Role.COMPRESSOR_FREQUENCY,
)


@dataclass(frozen=True, slots=True)
class ClimateReading:
    """A thermostat's state: mode, what it is doing, setpoints and the temperature it reads.

    Temperatures are in °C; any field may be missing.
    """

    hvac_mode: str | None = None
    hvac_action: str | None = None
    target_temperature: float | None = None
    target_temperature_low: float | None = None
    target_temperature_high: float | None = None
    current_temperature: float | None = None
    defrost: bool | None = None


@dataclass(frozen=True, slots=True)
class EnergyTotal:
    """A cumulative energy counter in kWh, for roles that may be either power or energy."""

    kwh: float


type ObservationValue = float | bool | str | ClimateReading | EnergyTotal | None


class Observation(NamedTuple):
    """One reading of one role at one time (seconds since the epoch).

    Units are canonical: temperatures °C, power W, energy kWh (a counter), water flow L/min,
    water pressure bar, compressor frequency Hz or % (as the unit gives it). Heat output is W,
    or an `EnergyTotal` when its source is a counter; aux heat is a bool, or W from a power
    sensor. Binary roles carry a bool. The unit's own error is a bool (a problem sensor) or the
    text its error sensor shows. Hot water is a bool: whether the valve sends the flow to the
    hot-water cylinder. `None` means the source had no usable value.

    A named tuple rather than a frozen dataclass: one is made per state change, and a tuple
    is built and read several times faster.
    """

    time: float
    role: Role
    value: ObservationValue


_CLIMATE_NUMBERS = (
    "target_temperature",
    "target_temperature_low",
    "target_temperature_high",
    "current_temperature",
)


# No heat pump reading comes near this magnitude (W, kWh, °C). A larger one is taken as missing,
# like NaN: multiplied by a duration it could overflow to infinity in the hour's totals. A
# number within it that the quantity cannot physically be stays a reading, for `sensor_fault`.
MAX_MAGNITUDE = 1e12


def plausible(number: float) -> bool:
    """Whether a number can be a reading: finite and within `MAX_MAGNITUDE` (False for NaN)."""
    return -MAX_MAGNITUDE <= number <= MAX_MAGNITUDE


def finite(value: ObservationValue) -> ObservationValue:
    """The value with every number that cannot be a reading (see `plausible`) made missing."""
    if type(value) is float:
        return value if plausible(value) else None
    if isinstance(value, bool | str) or value is None:
        return value
    if isinstance(value, float | int):
        return value if plausible(value) else None
    if isinstance(value, EnergyTotal):
        return value if plausible(value.kwh) else None
    bad = {
        name: None
        for name in _CLIMATE_NUMBERS
        if (number := getattr(value, name)) is not None and not plausible(number)
    }
    return replace(value, **bad) if bad else value
