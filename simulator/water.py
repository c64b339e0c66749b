"""The water circuit of an air-to-water unit as its own sensors see it: flow rate and pressure.

At the design difference of 5 K between flow and return, the pump moves about 2.9 L/min per
kW of rated heat (a 7 kW unit: ~20 L/min); the flow follows the unit's own water flow, so it
falls with a clogged strainer as the split widens. A sealed circuit is filled to ~1.5 bar cold
and rises a few tenths as its water warms; a pressure loss takes bar a day off that.
"""

from .faults import Effects
from .noise import HeldNoise
from .unit import HeatPump

# Water: J per litre and kelvin.
WATER_J_PER_L_K = 4180.0
FILL_C = 20.0  # the temperature at which the circuit holds its fill pressure
BAR_PER_K = 0.012  # expansion against the vessel: 1.5 bar cold, ~1.86 bar at 50 °C
FLOW_NOISE_L_MIN = 0.15
PRESSURE_NOISE_BAR = 0.008
NOISE_PERIOD_S = 60.0


class WaterSensors:
    """Flow rate (L/min) and pressure (bar) of one run's water circuit, noise included."""

    __slots__ = ("_fill", "_flow_noise", "_pressure_noise")

    def __init__(self, seed: int, fill_bar: float) -> None:
        """Sensors for a run with this seed, on a circuit filled to `fill_bar` cold."""
        self._fill = fill_bar
        self._flow_noise = HeldNoise(f"{seed}/flow_rate", FLOW_NOISE_L_MIN, NOISE_PERIOD_S)
        self._pressure_noise = HeldNoise(
            f"{seed}/water_pressure", PRESSURE_NOISE_BAR, NOISE_PERIOD_S
        )

    def flow_l_min(self, unit: HeatPump, time: float) -> float:
        """The flow the meter reads: the unit's water flow while the pump runs, else 0."""
        if not unit.pumping:
            return 0.0
        flow = unit.flow_w_per_k * 60.0 / WATER_J_PER_L_K
        return max(0.0, flow + self._flow_noise.at(time))

    def pressure_bar(self, unit: HeatPump, fx: Effects, time: float) -> float:
        """The pressure the gauge reads: fill pressure, thermal rise, minus any loss; >= 0."""
        bar = self._fill + BAR_PER_K * (unit.water_c - FILL_C) - fx.pressure_loss_bar
        return max(0.0, bar + self._pressure_noise.at(time))
