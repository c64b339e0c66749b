"""The thermostat: when to call for heat or cooling, how hard, and when to add aux heat.

Fixed-speed units get an on/off thermostat with a hysteresis band. Inverter units get a start
and stop band and a PI controller for the modulation, so they stop only when even the minimum
speed is too much. A short-cycling fault swaps in a time-proportioning thermostat set to far
too many cycles an hour.
"""

from dataclasses import dataclass
from enum import StrEnum

from .faults import Effects

KP = 0.5  # modulation per K of error
KI = 0.5 / 3600.0  # modulation per K of error per second
MIN_DUTY = 0.03


class HvacMode(StrEnum):
    """What the user asked for."""

    HEAT = "heat"
    COOL = "cool"
    OFF = "off"


@dataclass(frozen=True, slots=True)
class ThermostatSpec:
    """Setpoints and control bands (K), and the outdoor temperatures that choose the mode."""

    heat_setpoint_c: float = 21.0
    cool_setpoint_c: float = 24.0
    hysteresis_k: float = 1.0  # fixed speed: on at setpoint - half, off at setpoint + half
    inverter_start_k: float = 0.5
    inverter_stop_k: float = 0.5
    min_off_s: float = 180.0  # anti-short-cycle delay after a stop
    aux_on_k: float = 0.8  # aux heat engages this far below the setpoint...
    aux_off_k: float = 0.2  # ...and drops out when this close again
    heat_below_c: float = 15.0  # a day whose mean is colder is a heating day
    cool_above_c: float = 21.0  # a day whose mean is warmer is a cooling day

    def mode_for(self, daily_mean_c: float) -> HvacMode:
        """The mode a sensible owner picks for a day with this mean outdoor temperature."""
        if daily_mean_c < self.heat_below_c:
            return HvacMode.HEAT
        if daily_mean_c > self.cool_above_c:
            return HvacMode.COOL
        return HvacMode.OFF

    def setpoint(self, mode: HvacMode) -> float:
        """The target temperature in `mode` (off keeps the heating setpoint on display)."""
        return self.cool_setpoint_c if mode is HvacMode.COOL else self.heat_setpoint_c


class Thermostat:
    """The control state: `call`, `demand` (0-1 modulation) and `aux`, set by `update`."""

    __slots__ = (
        "_aux_lockout_c",
        "_integral",
        "_inverter",
        "_last_stop",
        "_min_mod",
        "_spec",
        "aux",
        "call",
        "demand",
        "mode",
        "target_c",
    )

    def __init__(
        self,
        spec: ThermostatSpec,
        mode: HvacMode,
        *,
        inverter: bool,
        min_modulation: float,
        aux_lockout_c: float,
    ) -> None:
        """Start in `mode`, not calling; aux heat is allowed below `aux_lockout_c`."""
        self._spec = spec
        self._aux_lockout_c = aux_lockout_c
        self._inverter = inverter
        self._min_mod = min_modulation
        self._integral = 0.5
        self._last_stop = float("-inf")
        self.mode = mode
        self.target_c = spec.setpoint(mode)
        self.call = False
        self.demand = 0.0
        self.aux = False

    def set_mode(self, mode: HvacMode, time: float) -> None:
        """Switch mode; a running unit stops."""
        if mode is not self.mode:
            self.mode = mode
            self.target_c = self._spec.setpoint(mode)
            if self.call:
                self._last_stop = time
            self.call = self.aux = False

    def update(
        self, time: float, dt: float, reading_c: float, outdoor_c: float, fx: Effects
    ) -> None:
        """Decide for the next step from the temperature the thermostat reads."""
        mode = self.mode
        if mode is HvacMode.OFF:
            return
        spec = self._spec
        error = self.target_c - reading_c if mode is HvacMode.HEAT else reading_c - self.target_c
        was_calling = self.call
        if fx.cycles_per_hour > 0.0:
            self._integral = min(1.0, max(0.0, self._integral + KI * error * dt))
            duty = KP * error + self._integral
            period = 3600.0 / fx.cycles_per_hour
            self.call = duty > MIN_DUTY and time % period < duty * period
            self.demand = 1.0
        elif self._inverter:
            if was_calling:
                self.call = error > -spec.inverter_stop_k
            else:
                self.call = error >= spec.inverter_start_k and time - self._last_stop >= (
                    spec.min_off_s
                )
            if self.call:
                self._integral = min(1.0, max(0.0, self._integral + KI * error * dt))
            self.demand = min(1.0, max(self._min_mod, KP * error + self._integral))
        else:
            half = spec.hysteresis_k / 2.0
            if was_calling:
                self.call = error > -half
            else:
                self.call = error >= half and time - self._last_stop >= spec.min_off_s
            self.demand = 1.0
        if was_calling and not self.call:
            self._last_stop = time
        self.aux = self._wants_aux(error, outdoor_c, fx)

    def _wants_aux(self, error: float, outdoor_c: float, fx: Effects) -> bool:
        """Aux heat: below its lockout, when the heat pump is not keeping up."""
        if self.mode is not HvacMode.HEAT or not self.call:
            return False
        if fx.aux_lockout_c is not None and outdoor_c < fx.aux_lockout_c:
            return True  # misconfigured: every call brings the strip in
        if outdoor_c >= self._aux_lockout_c:
            return False
        spec = self._spec
        return error >= spec.aux_on_k or (self.aux and error > spec.aux_off_k)
