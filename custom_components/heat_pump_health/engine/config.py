"""Tunable thresholds and windows, with the defaults the README documents."""

from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class EngineConfig:
    """Every threshold a user may tune. Keys match the options flow and replay role files.

    Defaults are grounded in the field data in `shared/data` (see the README's detector table).
    """

    # Activity: watts above which the compressor counts as running; None learns it.
    power_running_threshold: float | None = None
    # Short cycling: peak starts per hour and median run time, both sustained over a window.
    short_cycling_starts_per_hour: float = 6.0
    short_cycling_max_median_run_minutes: float = 15.0
    short_cycling_window_hours: float = 6.0
    # Nonstop running with the setpoint not held.
    nonstop_running_hours: float = 8.0
    # Daily energy above the weather-normalised baseline.
    runaway_energy_percent: float = 30.0
    # Defrost: shortest normal runtime from one defrost start to the next, longest normal duration.
    defrost_min_interval_minutes: float = 25.0
    defrost_max_minutes: float = 15.0
    # Auxiliary heat is waste above this outdoor temperature (°C).
    aux_heat_max_outdoor_temperature: float = 2.0
    # A source that has not reported for this long is stale.
    sensor_stale_hours: float = 6.0
    # Maintenance intervals.
    filter_days: int = 60
    service_months: int = 12
    # States of the unit's error sensor that mean no fault, besides the usual ones (`0`, empty,
    # `none`, `ok`, `normal`, `no error`); compared without case and surrounding spaces.
    unit_error_ok_states: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Return the configuration as plain data."""
        return asdict(self)

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> EngineConfig:
        """Build a configuration from a mapping, ignoring keys it does not know."""
        known = {field.name for field in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        if (states := values.get("unit_error_ok_states")) is not None:
            states = [states] if isinstance(states, str) else states
            values["unit_error_ok_states"] = tuple(str(state) for state in states)
        return cls(**values)
