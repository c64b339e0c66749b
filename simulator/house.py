"""The house: indoor air and building mass, losing heat to the outdoors.

Two thermal nodes. The air node (air, furniture, inner surfaces) reacts within tens of minutes,
which sets how fast a thermostat cycles; the mass node (walls, floors) holds the day's heat.
Part of the loss (windows, ventilation) bypasses the mass.
"""

from dataclasses import dataclass
import math


@dataclass(frozen=True, slots=True)
class HouseSpec:
    """The building. Defaults describe a ~150 m² house of middling insulation."""

    heat_loss_w_per_k: float = 170.0  # total steady-state loss, fabric and ventilation
    air_capacity_j_per_k: float = 3.0e6
    mass_capacity_j_per_k: float = 3.0e7
    air_mass_w_per_k: float = 1500.0
    direct_loss_share: float = 0.4  # windows and ventilation: from the air straight outdoors
    internal_gains_w: float = 400.0  # people and appliances, higher in the evening
    solar_gain_w: float = 1200.0  # through the windows on a clear summer noon


def internal_gains(spec: HouseSpec, hour: float) -> float:
    """People and appliances: a base load with morning and evening peaks."""
    evening = math.exp(-(((hour - 19.0) / 2.5) ** 2))
    morning = math.exp(-(((hour - 7.5) / 1.5) ** 2))
    return spec.internal_gains_w * (0.8 + 0.6 * evening + 0.3 * morning)


class House:
    """The house's temperatures; advance them with `step`."""

    __slots__ = ("_c_air", "_c_mass", "_h_am", "_h_ao", "_h_mo", "air_c", "mass_c")

    def __init__(self, spec: HouseSpec, air_c: float, outdoor_c: float) -> None:
        """Start with the air at `air_c` and the mass in equilibrium with it."""
        self._c_air = spec.air_capacity_j_per_k
        self._c_mass = spec.mass_capacity_j_per_k
        self._h_am = spec.air_mass_w_per_k
        self._h_ao = spec.heat_loss_w_per_k * spec.direct_loss_share
        # The fabric path is air -> mass -> outdoors; pick mass -> outdoors so the series pair
        # loses the rest of the total.
        fabric = spec.heat_loss_w_per_k - self._h_ao
        self._h_mo = self._h_am * fabric / (self._h_am - fabric)
        self.air_c = air_c
        self.mass_c = (self._h_am * air_c + self._h_mo * outdoor_c) / (self._h_am + self._h_mo)

    def step(self, heat_w: float, mass_heat_w: float, outdoor_c: float, dt: float) -> None:
        """Advance `dt` seconds with `heat_w` into the air and `mass_heat_w` into the mass."""
        air = self.air_c
        mass = self.mass_c
        to_mass = self._h_am * (air - mass)
        self.air_c = air + (heat_w - self._h_ao * (air - outdoor_c) - to_mass) * dt / self._c_air
        self.mass_c = mass + (to_mass + mass_heat_w - self._h_mo * (mass - outdoor_c)) * (
            dt / self._c_mass
        )
