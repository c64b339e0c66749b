"""A tiny air-to-air heat pump and house model, with no Home Assistant import.

The house is one thermal node (indoor air plus the furniture and surfaces that follow it
quickly) that loses heat to the outdoor air. The heat pump is an on/off unit with a thermostat
hysteresis around the target temperature, so it cycles. Its electric power depends on the
outdoor temperature, and in frosting conditions it defrosts now and then (reverse cycle: it
draws power and takes heat out of the house for a few minutes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
import math

SECONDS_PER_DAY = 86_400.0
MAX_SUBSTEP_SECONDS = 10.0


class Mode(StrEnum):
    """What the user asked the unit to do."""

    HEAT = "heat"
    COOL = "cool"
    OFF = "off"


class Action(StrEnum):
    """What the unit is doing right now."""

    HEATING = "heating"
    COOLING = "cooling"
    DEFROSTING = "defrosting"
    IDLE = "idle"
    OFF = "off"


@dataclass(frozen=True, slots=True)
class Parameters:
    """Physical constants of the simulated house and unit."""

    heat_loss_w_per_k: float = 150.0
    heat_capacity_j_per_k: float = 2.0e6
    hysteresis_k: float = 0.5
    standby_power_w: float = 30.0
    min_running_power_w: float = 800.0
    max_running_power_w: float = 2500.0
    outdoor_mean_c: float = 0.0
    outdoor_amplitude_k: float = 5.0
    coldest_hour: float = 3.0
    frost_below_c: float = 3.0
    runtime_between_defrosts_s: float = 45 * 60.0
    defrost_duration_s: float = 5 * 60.0
    defrost_heat_w: float = -1500.0


@dataclass(slots=True)
class HeatPumpModel:
    """State of the simulation; advance it with `step`."""

    params: Parameters = field(default_factory=Parameters)
    mode: Mode = Mode.HEAT
    target_c: float = 21.0
    indoor_c: float = 20.7
    seconds_of_day: float = 0.0
    energy_kwh: float = 0.0
    action: Action = Action.IDLE
    power_w: float = 0.0
    _frost_runtime_s: float = 0.0
    _defrost_left_s: float = 0.0

    def __post_init__(self) -> None:
        """Start with a consistent power reading."""
        self.power_w = self._electric_power()

    @property
    def outdoor_c(self) -> float:
        """Outdoor temperature: a daily sine, coldest at `coldest_hour`."""
        p = self.params
        phase = 2 * math.pi * (self.seconds_of_day / 3600.0 - p.coldest_hour) / 24.0
        return p.outdoor_mean_c - p.outdoor_amplitude_k * math.cos(phase)

    def step(self, seconds: float) -> None:
        """Advance the simulation by `seconds` of simulated time."""
        remaining = seconds
        while remaining > 0:
            dt = min(remaining, MAX_SUBSTEP_SECONDS)
            self._substep(dt)
            remaining -= dt

    def _substep(self, dt: float) -> None:
        p = self.params
        self.seconds_of_day = (self.seconds_of_day + dt) % SECONDS_PER_DAY
        self.action = self._next_action(dt)
        self.power_w = self._electric_power()
        heat_w = self._heat_output(self.power_w)
        loss_w = p.heat_loss_w_per_k * (self.indoor_c - self.outdoor_c)
        self.indoor_c += (heat_w - loss_w) * dt / p.heat_capacity_j_per_k
        self.energy_kwh += self.power_w * dt / 3.6e6

    def _next_action(self, dt: float) -> Action:
        if self.mode is Mode.OFF:
            self._defrost_left_s = 0.0
            return Action.OFF
        if self._defrost_left_s > 0:
            self._defrost_left_s -= dt
            return Action.DEFROSTING
        if self.mode is Mode.COOL:
            return Action.COOLING if self._thermostat_calls() else Action.IDLE
        if not self._thermostat_calls():
            return Action.IDLE
        if self.outdoor_c < self.params.frost_below_c:
            self._frost_runtime_s += dt
            if self._frost_runtime_s >= self.params.runtime_between_defrosts_s:
                self._frost_runtime_s = 0.0
                self._defrost_left_s = self.params.defrost_duration_s - dt
                return Action.DEFROSTING
        return Action.HEATING

    def _thermostat_calls(self) -> bool:
        """Whether the thermostat wants the compressor on, with hysteresis around the target."""
        half = self.params.hysteresis_k / 2
        error = self.indoor_c - self.target_c
        if self.mode is Mode.COOL:
            error = -error
        running = self.action in (Action.HEATING, Action.COOLING, Action.DEFROSTING)
        return error < (half if running else -half)

    def _electric_power(self) -> float:
        p = self.params
        if self.action in (Action.IDLE, Action.OFF):
            return p.standby_power_w
        if self.action is Action.DEFROSTING:
            return p.min_running_power_w
        # Colder outdoors (or hotter, when cooling) means a harder-working compressor.
        lift = -self.outdoor_c if self.action is Action.HEATING else self.outdoor_c - 20.0
        power = 1500.0 + 70.0 * lift
        return min(max(power, p.min_running_power_w), p.max_running_power_w)

    def _heat_output(self, power_w: float) -> float:
        """Heat delivered to the house in W (negative when taking heat out)."""
        if self.action is Action.HEATING:
            return self.cop() * power_w
        if self.action is Action.COOLING:
            return -3.0 * power_w
        if self.action is Action.DEFROSTING:
            return self.params.defrost_heat_w
        return 0.0

    def cop(self) -> float:
        """Coefficient of performance of heating at the current outdoor temperature."""
        return max(1.5, 3.2 + 0.07 * self.outdoor_c)
