"""A scenario: everything that defines a simulated run, as one immutable value."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from custom_components.heat_pump_health.engine.observations import Role

from .faults import Fault
from .house import HouseSpec
from .thermostat import HvacMode, ThermostatSpec
from .unit import UnitSpec
from .weather import DAY, ClimateName

ALL_ROLES: frozenset[Role] = frozenset(Role)
# What a bare smart thermostat with a smart plug offers.
BASIC_ROLES: frozenset[Role] = frozenset({Role.CLIMATE, Role.POWER})


@dataclass(frozen=True, slots=True)
class Scenario:
    """One simulated installation over `days` from `start`; the same seed gives the same run.

    `roles` are the sources the installation exposes; `mode` fixes the HVAC mode (None: chosen
    each day from the outdoor temperature). `report_seconds` is how often an unchanged source is
    reported again, as Home Assistant's state_reported does. `defrost_in_climate` says whether
    the climate entity shows "defrosting" (many integrations keep saying "heating").
    `running_at_start`: the monitor was installed while the unit ran, so the thermostat calls
    from the first moment and no standby power is seen before the first stop.
    """

    unit: UnitSpec = field(default_factory=UnitSpec)
    house: HouseSpec = field(default_factory=HouseSpec)
    thermostat: ThermostatSpec = field(default_factory=ThermostatSpec)
    climate: ClimateName = ClimateName.MILD
    start: datetime = datetime(2026, 1, 10, tzinfo=UTC)
    days: float = 1.0
    step_seconds: float = 20.0
    seed: int = 0
    roles: frozenset[Role] = ALL_ROLES
    faults: tuple[Fault, ...] = ()
    mode: HvacMode | None = None
    report_seconds: float = 300.0
    defrost_in_climate: bool = True
    running_at_start: bool = False

    @property
    def origin(self) -> float:
        """The start in epoch seconds (a naive start counts as UTC)."""
        start = self.start if self.start.tzinfo else self.start.replace(tzinfo=UTC)
        return start.timestamp()

    @property
    def end(self) -> float:
        """The end in epoch seconds."""
        return self.origin + self.days * DAY

    @property
    def utc_offset(self) -> float:
        """Seconds east of UTC of the start's time zone (naive: UTC), for the local day."""
        offset = self.start.utcoffset()
        return offset.total_seconds() if offset is not None else 0.0
