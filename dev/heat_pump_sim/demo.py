"""The faults the Fault select offers, and how each one is shown within minutes.

Home Assistant's clock cannot run faster, and Heat Pump Health judges by the time stamps of
the states, so most findings need hours of evidence by design (six hours of short cycling,
a day of a clogging filter, five days of runaway energy). A fault chosen with the "back-dated"
start is therefore written into the past: the simulator re-simulates its history with the
fault starting `head_start_hours` ago (long enough for its finding), writes that history into
the recorder, and sets Heat Pump Health up afresh, which learns it as it would on any system
with a recorder. Faults that show within minutes anyway (a leak, a tripped breaker) are always
injected live. Faults of a water circuit or of the unit's own controller (a clogged strainer,
a pressure loss, an error code) are offered only on a profile whose unit has those signals.
"""

from dataclasses import dataclass
from enum import StrEnum

from .profiles import ALL_PROFILES, PROFILES, ProfileName
from .simulator import Fault, FaultKind, SensorTarget
from .simulator.weather import ClimateName

NO_FAULT = "none"
ANY_CLIMATE: tuple[ClimateName, ...] = tuple(ClimateName)
HEATING = (
    ClimateName.HUMID_NEAR_FREEZING,
    ClimateName.MILD,
    ClimateName.COLD,
    ClimateName.EXTREME_COLD,
)
# A breaker that stays off for as long as the fault is chosen (hours).
BREAKER_HOURS = 1.0e6
WATER_PROFILES: tuple[ProfileName, ...] = tuple(
    name for name, profile in PROFILES.items() if profile.water
)


class FaultStart(StrEnum):
    """When a chosen fault starts."""

    BACKDATED = "backdated"  # long enough ago for its finding: history is re-simulated
    NOW = "now"  # now, live: the finding takes as long as it takes


@dataclass(frozen=True, slots=True)
class DemoFault:
    """One option of the Fault select.

    `head_start_hours` is how long ago a back-dated fault starts (0: always live);
    `climates` are the weathers it shows in (a back-dated fault switches to the first of them
    when the current one is not among them); `size` and `target` as in `simulator.Fault`.
    `learns_from_statistics`: its finding needs weeks of history, which Heat Pump Health
    then reads from the long-term statistics. `profiles`: the units it is offered on.
    """

    kind: FaultKind
    finding: str
    head_start_hours: float = 0.0
    climates: tuple[ClimateName, ...] = ANY_CLIMATE
    size: float | None = None
    target: SensorTarget | None = None
    learns_from_statistics: bool = False
    profiles: tuple[ProfileName, ...] = ALL_PROFILES

    def fault(self) -> Fault:
        """The simulator's fault."""
        return Fault(self.kind, 0.0, size=self.size, target=self.target)

    def climate_for(self, current: ClimateName) -> ClimateName:
        """The weather to show it in: the current one if it suits, else the first that does."""
        return current if current in self.climates else self.climates[0]


# In the order the select lists them: quickest first. The head starts were measured with the
# history ending at every third hour of the day (dev/dashboards/README_SNIPPET.md).
DEMO_FAULTS: tuple[DemoFault, ...] = (
    DemoFault(FaultKind.WATER_LEAK, "water_leak"),
    DemoFault(FaultKind.BREAKER_TRIP, "power_interrupted", size=BREAKER_HOURS),
    # The unit locks out and shows "E7" until the fault is repaired.
    DemoFault(FaultKind.UNIT_ERROR, "unit_fault", profiles=WATER_PROFILES),
    DemoFault(FaultKind.DEAD_COMPRESSOR, "not_heating", 3.0, HEATING),
    DemoFault(
        FaultKind.DEFROST_TOO_FREQUENT,
        "defrost_too_frequent",
        4.0,
        (ClimateName.HUMID_NEAR_FREEZING, ClimateName.COLD),
    ),
    DemoFault(
        FaultKind.DEFROST_TOO_LONG, "defrost_too_long", 4.0, (ClimateName.HUMID_NEAR_FREEZING,)
    ),
    DemoFault(FaultKind.CAPACITY_LOSS, "low_temperature_split", 8.0, (ClimateName.MILD,)),
    # A thermostat that cycles only shows while it does not call for heat nonstop: in the
    # small hours of a winter night it does, and the finding waits for the day.
    DemoFault(FaultKind.SHORT_CYCLING, "short_cycling", 10.0, (ClimateName.MILD,)),
    DemoFault(FaultKind.AUX_LOCKOUT_HIGH, "aux_heat_overuse", 12.0, (ClimateName.MILD,)),
    DemoFault(FaultKind.DEFROST_NONE, "defrost_missing", 14.0, (ClimateName.HUMID_NEAR_FREEZING,)),
    # A bar a day, not the simulator's default 0.15: below 1 bar in about 14 hours (critical
    # below 0.5 bar after about 34), not in a week.
    DemoFault(
        FaultKind.PRESSURE_LOSS,
        "low_water_pressure",
        16.0,
        HEATING,
        size=1.0,
        profiles=WATER_PROFILES,
    ),
    # All the charge the simulator lets go (35 %) lost within 8 hours, not weeks.
    DemoFault(
        FaultKind.REFRIGERANT_LEAK, "low_temperature_split", 20.0, (ClimateName.MILD,), size=1.0
    ),
    # The flow falls to 45 % over a day, as a filter clogs; judged against its own normal and
    # the widening flow-return difference (found 19 to 30 hours in by the time of day, at
    # three times of day in mild and humid weather; weak_airflow a few hours later).
    DemoFault(
        FaultKind.CLOGGED_STRAINER,
        "low_flow_rate",
        32.0,
        (ClimateName.HUMID_NEAR_FREEZING, ClimateName.MILD),
        profiles=WATER_PROFILES,
    ),
    DemoFault(
        FaultKind.DIRTY_FILTER,
        "weak_airflow",
        26.0,
        (ClimateName.HUMID_NEAR_FREEZING, ClimateName.MILD),
    ),
    DemoFault(
        FaultKind.STUCK_SENSOR,
        "sensor_fault",
        27.0,
        (ClimateName.HUMID_NEAR_FREEZING, ClimateName.MILD),
        target=SensorTarget.OUTDOOR,
    ),
    DemoFault(
        FaultKind.DRIFTING_SENSOR,
        "sensor_fault",
        46.0,
        (ClimateName.MILD, ClimateName.HUMID_NEAR_FREEZING),
        target=SensorTarget.INDOOR,
    ),
    DemoFault(
        FaultKind.ENERGY_WASTE,
        "runaway_energy",
        130.0,
        (ClimateName.HUMID_NEAR_FREEZING, ClimateName.MILD),
        learns_from_statistics=True,
    ),
)
DEMO_FAULTS_BY_OPTION: dict[str, DemoFault] = {demo.kind.value: demo for demo in DEMO_FAULTS}
FAULT_OPTIONS: list[str] = [NO_FAULT, *DEMO_FAULTS_BY_OPTION]


def fault_options(profile: ProfileName) -> list[str]:
    """The Fault select's options on a profile: none, and the faults its unit can show."""
    return [NO_FAULT, *(d.kind.value for d in DEMO_FAULTS if profile in d.profiles)]
