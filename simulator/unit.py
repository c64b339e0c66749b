"""The heat pump: capacity and COP curves, frost and defrost, power, and the heat it delivers.

Air-source curves: heating COP about 4.5 at +10 °C, 2.5 at -7 °C and 1.8 at -20 °C; capacity
falls as it gets colder. Frost grows on the outdoor coil when the coil is below freezing and
the outdoor air holds more water than air at the coil's temperature can; it is worst just
above freezing at high humidity, since colder air holds little water.
"""

from dataclasses import dataclass, replace
from enum import StrEnum
import math

from .cylinder import CylinderSpec
from .faults import Effects
from .house import HouseSpec
from .thermostat import HvacMode, Thermostat
from .weather import WeatherProfile, vapour_pressure

# Frost level 1.0 asks for a defrost; this rate reaches it in about 40 minutes of full-load
# running at +2 °C and 90 % humidity.
FROST_RATE = 1.7e-4  # per hPa of excess vapour pressure per second
FROST_MAX = 4.0
FROST_MELT_IDLE = 1.0e-4  # per K above freezing per second, while the unit rests
DEFROST_POWER_SHARE = 0.7  # of the compressor power just before the defrost
SENSIBLE_SHARE = 0.8  # of cooling capacity that lowers the air temperature
STARTUP_S = 180.0
AUX_MARGIN_K = 5.0  # aux heat is sized for a cold snap beyond the design temperature
AIR_SENSOR_LAG_S = 60.0
REFERENCE_CONDENSING_C = 40.0  # where the air-source COP curves below hold
WATER_SENSOR_LAG_S = 30.0


class UnitKind(StrEnum):
    """How the compressor meets a partial load."""

    FIXED_SPEED = "fixed_speed"  # on/off at full capacity
    INVERTER = "inverter"  # modulates between min_modulation and full


class Distribution(StrEnum):
    """How the heat reaches the rooms."""

    AIR = "air"  # air-to-air or ducted: supply and return air across the indoor coil
    WATER = "water"  # air-to-water: flow and return water through radiators or floor loops


@dataclass(frozen=True, slots=True)
class UnitSpec:
    """The unit. A size of None is chosen for the scenario's climate and house."""

    kind: UnitKind = UnitKind.FIXED_SPEED
    distribution: Distribution = Distribution.AIR
    rated_heat_w: float | None = None  # heating capacity at +7 °C outdoors
    rated_cool_w: float | None = None  # cooling capacity at +35 °C outdoors
    capacity_slope: float = 0.018  # share of capacity lost per K below +7 °C
    min_modulation: float = 0.3
    efficiency: float = 1.0  # scales the COP, for a fleet of not quite equal units
    aux_heat_w: float | None = None  # resistive backup heat; 0 for none
    aux_lockout_c: float = -5.0  # aux heat only below this outdoor temperature
    aux_during_defrost: bool = False
    standby_w: float = 15.0
    fan_w: float = 110.0  # indoor and outdoor fans (or pump) at full speed
    # A middle power level: a circulation pump (or indoor fan) that keeps running between
    # compressor runs, until `pump_overrun_s` after the last call (real units: ~20-150 W).
    pump_w: float = 0.0
    pump_overrun_s: float = 3600.0
    # A standby step: a crankcase or base-plate heater on while the compressor rests in the
    # cold, so standby moves between standby_w and standby_w + standby_heater_w.
    standby_heater_w: float = 0.0
    standby_heater_below_c: float = 5.0
    design_split_k: float | None = None  # at rated heat: 13 K for air, 5 K for water
    min_defrost_interval_s: float = 35 * 60.0
    # The unit's controller reports its own signals, as ESPAltherma or HeishaMon do: compressor
    # frequency and an error code, and on water units flow rate and water pressure. Off, none
    # of them exists whatever the scenario's roles; the scenario's roles pick among them.
    signals: bool = False
    max_frequency_hz: float = 90.0  # an inverter's compressor at full modulation
    fill_pressure_bar: float = 1.5  # a sealed water circuit's pressure when cold (20 °C)
    # A hot-water cylinder behind a three-way valve (water units only); None: no cylinder.
    hot_water: CylinderSpec | None = None

    def split_k(self) -> float:
        """Temperature split across the indoor side at rated heat and design flow."""
        if self.design_split_k is not None:
            return self.design_split_k
        return 13.0 if self.distribution == Distribution.AIR else 5.0


def sized(spec: UnitSpec, house: HouseSpec, profile: WeatherProfile, indoor_c: float) -> UnitSpec:
    """Fill in the sizes left open, as an installer would for this climate and house.

    The heat pump covers the load down to -10 °C (or the design temperature, if milder); aux heat
    covers the rest 5 K below the design temperature, at least 3 kW.
    """
    gains = house.internal_gains_w
    balance = max(profile.design_heat_c, -10.0)
    heat_need = (house.heat_loss_w_per_k * (indoor_c - balance) - gains) / _heat_capacity_factor(
        spec.capacity_slope, balance
    )
    cool_load = (
        house.heat_loss_w_per_k * (profile.design_cool_c - 24.0) + gains + house.solar_gain_w
    )
    cool_need = cool_load / SENSIBLE_SHARE / _cool_capacity_factor(profile.design_cool_c)
    if spec.hot_water is not None:
        heat_need = _with_hot_water(heat_need, spec.hot_water)
    rated_heat = spec.rated_heat_w or _round_to(max(heat_need, 1.1 * cool_need), 100.0)
    rated_cool = spec.rated_cool_w or _round_to(max(cool_need, 0.9 * rated_heat), 100.0)
    aux = spec.aux_heat_w
    if spec.hot_water is not None and Distribution(spec.distribution) is not Distribution.WATER:
        raise ValueError("only a water unit heats a hot-water cylinder")
    if aux is None:
        coldest = profile.design_heat_c - AUX_MARGIN_K
        design_load = house.heat_loss_w_per_k * (indoor_c - coldest) - gains
        design_capacity = rated_heat * _heat_capacity_factor(spec.capacity_slope, coldest)
        aux = max(3000.0, math.ceil((design_load - design_capacity) / 1000.0) * 1000.0)
    return replace(
        spec,
        kind=UnitKind(spec.kind),
        distribution=Distribution(spec.distribution),
        rated_heat_w=rated_heat,
        rated_cool_w=rated_cool,
        aux_heat_w=aux,
    )


def _with_hot_water(heat_need: float, cylinder: CylinderSpec) -> float:
    """What the unit must deliver when it also heats the cylinder, as installers size it.

    The cylinder's daily heat comes on top, and the hours spent reheating it are hours the
    house gets nothing, so the rest of the day must make them up.
    """
    daily_wh = cylinder.reheat_kwh * len(cylinder.reheat_hours) * 1000.0
    reheating_h = daily_wh / max(heat_need, 1.0)
    return (heat_need + daily_wh / 24.0) * 24.0 / max(1.0, 24.0 - reheating_h)


def _round_to(value: float, step: float) -> float:
    return math.ceil(value / step) * step


def _heat_capacity_factor(slope: float, outdoor_c: float) -> float:
    return min(1.15, max(0.3, 1.0 + slope * (outdoor_c - 7.0)))


def _cool_capacity_factor(outdoor_c: float) -> float:
    return min(1.1, max(0.85, 1.0 - 0.008 * (outdoor_c - 35.0)))


def heating_cop(outdoor_c: float) -> float:
    """Heating COP at full load: 4.5 at +10 °C, 2.5 at -7 °C, 1.8 at -20 °C."""
    if outdoor_c < -20.0:
        return max(1.1, 1.8 + 0.04 * (outdoor_c + 20.0))
    x = outdoor_c + 20.0
    return min(5.6, 1.8 + 0.053846 * x + 0.0021267 * x * (outdoor_c + 7.0))


def cooling_cop(outdoor_c: float) -> float:
    """Cooling COP (EER in W/W) at full load: about 4.4 at 25 °C, 3.2 at 35 °C, 2.8 at 38 °C."""
    return min(6.0, max(2.0, 3.2 - 0.12 * (outdoor_c - 35.0)))


def _flow_temperature_factor(flow_c: float, outdoor_c: float) -> float:
    """Heating COP of a water unit against the air curves, which imply ~40 °C condensing.

    It follows Carnot's COP at the flow temperature, so low-temperature radiators or floor
    loops pay as they do in the field (fleet median: about half of Carnot).
    """
    flow = max(flow_c, outdoor_c + 10.0)
    reference = max(REFERENCE_CONDENSING_C, outdoor_c + 10.0)
    ratio = (flow + 273.15) * (reference - outdoor_c) / ((reference + 273.15) * (flow - outdoor_c))
    return min(1.6, max(0.6, ratio))


def _frost_factor(frost: float) -> float:
    """Capacity left with this much frost: gentle up to the defrost point, then collapsing."""
    if frost <= 1.0:
        return 1.0 - 0.15 * frost
    return max(0.15, 0.85 - 0.35 * (frost - 1.0))


class HeatPump:
    """The unit's state; `step` runs it for one time step and sets its outputs.

    Outputs: `running` (compressor on, defrost included), `defrosting`, `aux_on`, `power_w`,
    `heat_w` (thermal output with aux, signed: negative in cooling and defrost), `to_air_w`
    (heat into the room air), `supply_c` and `return_c` (as the sensors read them), and for
    water units `flow_w_per_k` (the water flow, while `pumping`) and `water_c` (the circuit).
    With a cylinder: `hot_water` (the valve sends the flow to it), `immersion_on` (its
    immersion heater; `aux_on` is it or the backup heater, `backup_on`) and `cylinder_w` (the
    heat it gets, part of `heat_w`).
    """

    __slots__ = (
        "_air_flow",
        "_aux_w",
        "_c_water",
        "_coil_c",
        "_coil_w",
        "_cylinder",
        "_defrost_left",
        "_emitter",
        "_melt_rate",
        "_rated_cool",
        "_rated_heat",
        "_run_age",
        "_run_compressor_w",
        "_since_call",
        "_since_defrost",
        "_water",
        "_water_flow",
        "aux_on",
        "backup_on",
        "cylinder_w",
        "defrosting",
        "flow_w_per_k",
        "frost",
        "heat_w",
        "hot_water",
        "immersion_on",
        "modulation",
        "power_w",
        "pump_on",
        "return_c",
        "running",
        "spec",
        "supply_c",
        "to_air_w",
        "water_c",
    )

    def __init__(self, spec: UnitSpec, air_c: float) -> None:
        """Start at rest, with the indoor side at room temperature. `spec` must be sized."""
        self.spec = spec
        self._rated_heat = spec.rated_heat_w or 0.0
        self._rated_cool = spec.rated_cool_w or 0.0
        self._aux_w = spec.aux_heat_w or 0.0
        self._water = spec.distribution == Distribution.WATER
        split = spec.split_k()
        self._air_flow = self._rated_heat / split
        self._water_flow = self._rated_heat / split
        # Radiators 15 K above the room at rated heat; about 100 kJ/K of water and metal per kW.
        self._emitter = self._rated_heat / 15.0
        self._c_water = self._rated_heat * 100.0
        self.running = False
        self.defrosting = False
        self.aux_on = self.backup_on = False
        self.frost = 0.0
        self.modulation = 0.0
        self.power_w = spec.standby_w
        self.heat_w = 0.0
        self.to_air_w = 0.0
        self.supply_c = self.return_c = self.water_c = air_c
        self.flow_w_per_k = self._water_flow
        self._defrost_left = 0.0
        self._melt_rate = 0.0
        self._since_defrost = 0.0
        self._run_age = 0.0
        self._run_compressor_w = 0.0
        self._since_call = math.inf
        self.pump_on = False
        self._cylinder = spec.hot_water
        self.hot_water = self.immersion_on = False
        self._coil_c: float | None = None
        self._coil_w = self.cylinder_w = 0.0

    def step(
        self,
        dt: float,
        control: Thermostat,
        outdoor_c: float,
        vapour_hpa: float,
        *,
        air_c: float,
        fx: Effects,
        cylinder_c: float | None = None,
        immersion: bool = False,
    ) -> None:
        """Run `dt` seconds as the thermostat asks, in this weather and room temperature.

        `cylinder_c`: the cylinder's temperature while it asks for the unit's flow (the valve
        turns to it, and the compressor runs for it at full speed); `immersion`: its immersion
        heater is on.
        """
        heating = control.mode is HvacMode.HEAT
        call = control.call
        spec = self.spec
        hot_water = self.hot_water = cylinder_c is not None and self._cylinder is not None
        if hot_water and self._cylinder is not None and cylinder_c is not None:
            self._coil_c = cylinder_c + self._cylinder.approach_k
        else:
            self._coil_c = None
        self.immersion_on = immersion and self._cylinder is not None and not fx.tripped
        if fx.tripped:
            self._no_supply()
        else:
            locked = fx.error_code is not None  # the unit's own fault stops it
            compressor = (call or hot_water) and not fx.dead_compressor and not locked
            if not compressor:
                self.modulation = 0.0
            elif spec.kind is UnitKind.FIXED_SPEED or fx.cycles_per_hour > 0.0 or hot_water:
                self.modulation = 1.0
            else:
                self.modulation = min(1.0, max(spec.min_modulation, control.demand))
            self._run_age = self._run_age + dt if compressor and not self.defrosting else 0.0
            self._since_call = 0.0 if call else self._since_call + dt
            self.pump_on = (
                spec.pump_w > 0.0
                and control.mode is not HvacMode.OFF
                and self._since_call < spec.pump_overrun_s
            )
            if self.defrosting:
                self._continue_defrost(dt)
            elif compressor and (heating or hot_water):
                self._grow_frost(dt, outdoor_c, vapour_hpa, fx)
            elif self.frost > 0.0 and outdoor_c > 0.0:
                self.frost = max(0.0, self.frost - FROST_MELT_IDLE * outdoor_c * dt)
            self.running = compressor or self.defrosting
            self.backup_on = (
                self._aux_w > 0.0
                and not locked
                and heating
                and (control.aux or (self.defrosting and spec.aux_during_defrost))
            )
            self.aux_on = self.backup_on or self.immersion_on
            self._output(heating, call, outdoor_c, fx)
        self._distribute(dt, air_c, heating, fx)

    @property
    def pumping(self) -> bool:
        """Whether water moves through a water unit: a run, an aux heater, or the pump's overrun."""
        return self._water and (self.running or self.pump_on or self.backup_on)

    def _no_supply(self) -> None:
        """The breaker is off: nothing runs and the meter reads zero."""
        self.running = self.defrosting = self.aux_on = self.backup_on = self.pump_on = False
        self.modulation = 0.0
        self.power_w = self.heat_w = self._coil_w = self.cylinder_w = 0.0

    def _continue_defrost(self, dt: float) -> None:
        self._defrost_left -= dt
        self.frost = max(0.0, self.frost - self._melt_rate * dt)
        if self._defrost_left <= 0.0:
            self.defrosting = False
            self.frost = 0.0
            self._since_defrost = 0.0

    def _grow_frost(self, dt: float, outdoor_c: float, vapour_hpa: float, fx: Effects) -> None:
        """Frost up the coil while heating, and start a defrost when the controller wants one."""
        load = self.modulation
        coil = outdoor_c - (2.0 + 6.0 * load)
        if coil < 0.0 and self.frost < FROST_MAX:
            excess = vapour_hpa - vapour_pressure(coil)
            if excess > 0.0:
                # Above a few degrees the coil sits near 0 °C and the frost that forms is wet
                # and drips off: frost builds mostly below +4 °C outdoors.
                wet = min(1.0, (7.0 - outdoor_c) / 5.0)
                growth = FROST_RATE * excess * min(1.0, -coil / 4.0) * wet * (0.4 + 0.6 * load)
                growth *= dt
                self.frost = min(FROST_MAX, self.frost + growth)
        self._since_defrost += dt
        if fx.defrost_interval_s is not None:
            due = self._since_defrost >= fx.defrost_interval_s
        else:
            due = (
                not fx.defrost_never
                and self.frost >= 1.0
                and self._since_defrost >= self.spec.min_defrost_interval_s
            )
        if due:
            normal = min(480.0, max(180.0, 120.0 + 270.0 * self.frost + 8.0 * max(0.0, -outdoor_c)))
            duration = fx.defrost_duration_s or normal
            self.defrosting = True
            self._defrost_left = duration
            self._melt_rate = self.frost / normal

    def _output(self, heating: bool, call: bool, outdoor_c: float, fx: Effects) -> None:
        """Heat and electric power for this step; a hot-water run heats the cylinder alone."""
        spec = self.spec
        hot_water = self.hot_water
        heat_cycle = heating or hot_water
        airflow = fx.airflow
        fan = 0.0
        compressor = 0.0
        if self.defrosting:
            # Reverse cycle: heat is pulled from the indoor side to melt the outdoor coil.
            full = self._rated_heat * _heat_capacity_factor(spec.capacity_slope, outdoor_c)
            heat = -(full if self._water else 0.2 * full)
            compressor = DEFROST_POWER_SHARE * self._run_compressor_w
            fan = 0.3 * spec.fan_w
        elif self.modulation > 0.0:
            mod = self.modulation
            if heat_cycle:
                capacity = (
                    self._rated_heat
                    * _heat_capacity_factor(spec.capacity_slope, outdoor_c)
                    * _frost_factor(self.frost)
                )
                cop = heating_cop(outdoor_c) * (0.5 + 0.5 * _frost_factor(self.frost))
            else:
                capacity = self._rated_cool * _cool_capacity_factor(outdoor_c)
                cop = cooling_cop(outdoor_c)
            capacity *= fx.capacity * (0.7 + 0.3 * airflow)
            cop *= spec.efficiency * fx.cop * (0.8 + 0.2 * airflow) * (1.0 + 0.25 * (1.0 - mod))
            # A reheat pays for its hotter flow (45-55 °C): about a quarter below space heating.
            if self._water and heat_cycle:
                cop *= _flow_temperature_factor(self.supply_c, outdoor_c)
            elif self._water:
                cop *= min(1.2, max(0.6, 1.0 + 0.02 * (self.supply_c - 7.0)))
            compressor = mod * capacity / cop * fx.power
            # A start (or the end of a defrost) takes a few minutes to bring the heat up.
            heat = mod * capacity * min(1.0, 0.3 + 0.7 * self._run_age / STARTUP_S)
            self._run_compressor_w = compressor
            fan = spec.fan_w * (0.4 + 0.6 * mod)
            if not heat_cycle:
                heat = -heat
        else:
            heat = 0.0
            if call and fx.dead_compressor:
                fan = 0.7 * spec.fan_w  # the fans run, the compressor does not
        aux = self._aux_w if self.backup_on else 0.0
        if self._cylinder is not None:
            aux += self._heat_cylinder(heat)
        self.heat_w = heat + aux
        standby = spec.standby_w
        if compressor == 0.0 and outdoor_c < spec.standby_heater_below_c:
            standby += spec.standby_heater_w
        pump = spec.pump_w if self.pump_on else 0.0
        self.power_w = standby + pump + fan + compressor + aux

    def _heat_cylinder(self, heat: float) -> float:
        """Send the cylinder its heat; return the immersion heater's power."""
        immersion = self._cylinder.immersion_w if self._cylinder and self.immersion_on else 0.0
        # During a hot-water run the coil takes the unit's heat (and gives it in a defrost).
        self._coil_w = heat if self.hot_water else 0.0
        self.cylinder_w = self._coil_w + immersion
        return immersion

    def _distribute(self, dt: float, air_c: float, heating: bool, fx: Effects) -> None:
        """Carry the heat to the rooms and move the supply and return sensors."""
        heat = self.heat_w - self.cylinder_w
        mod = self.modulation
        # Inverter units slow the indoor fan (or pump) with the compressor, keeping the split.
        if self.defrosting or mod == 0.0 or self.spec.kind is UnitKind.FIXED_SPEED:
            fan = 1.0
        else:
            fan = 0.1 + 0.9 * mod
        if self._water:
            flow = self.flow_w_per_k = self._water_flow * fx.airflow * fan
            emitted = self._emitter * (self.water_c - air_c)
            self.water_c += (heat - emitted) * dt / self._c_water
            if self._coil_c is None:
                half = heat / (2.0 * flow)
                supply = self.water_c + half
                ret = self.water_c - half
            else:  # the sensors sit in the unit, on the way to and back from the coil
                half = self._coil_w / (2.0 * flow)
                supply = self._coil_c + half
                ret = self._coil_c - half
            self.to_air_w = emitted
            lag = dt / (WATER_SENSOR_LAG_S + dt)
        else:
            if not heating and heat < 0.0 and not self.defrosting:
                heat *= SENSIBLE_SHARE
            if self.defrosting:
                fan = 0.4  # low, while the indoor coil runs cold
            elif mod == 0.0 and not self.backup_on:
                fan = 0.0
            supply = air_c + heat / (self._air_flow * fx.airflow * fan) if fan > 0.0 else air_c
            ret = air_c
            self.to_air_w = heat
            lag = dt / (AIR_SENSOR_LAG_S + dt)
        self.supply_c += (supply - self.supply_c) * lag
        self.return_c += (ret - self.return_c) * lag
