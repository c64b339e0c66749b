"""A scenario in motion: weather, house, thermostat, unit and faults, stepped together."""

import math

from .cylinder import Cylinder
from .faults import Effects, FaultSchedule, SensorTarget
from .house import House, internal_gains
from .scenario import Scenario
from .signals import compressor_frequency, error_code
from .thermostat import HvacMode, Thermostat
from .truth import FaultWindow, HourStats, Interval, Truth
from .unit import HeatPump, UnitKind, sized
from .water import WaterSensors
from .weather import DAY, Weather

# Weather is sampled this often and interpolated between: it changes slowly, samples cost.
WEATHER_STEP_S = 600.0
HOUR = 3600.0
JOULES_PER_KWH = 3.6e6


class Simulation:
    """The whole installation at `time`; `step` advances it by the scenario's step.

    The true state lives in `house`, `unit` and `thermostat`; the `*_reading` properties are
    what the sensors report, faults included.
    """

    def __init__(self, scenario: Scenario) -> None:
        """Set everything up at the scenario's start, the house at its setpoint."""
        self.scenario = scenario
        self.dt = scenario.step_seconds
        self.time = origin = scenario.origin
        self.end_time = scenario.end
        self.weather = Weather(scenario.climate, scenario.seed, scenario.utc_offset)
        spec = scenario.thermostat
        self.unit_spec = sized(
            scenario.unit, scenario.house, self.weather.profile, spec.heat_setpoint_c
        )
        local_midnight = math.floor((origin + scenario.utc_offset) / DAY) * DAY
        self._day_due = local_midnight - scenario.utc_offset + DAY
        self._fixed_mode = None if scenario.mode is None else HvacMode(scenario.mode)
        mode = self._fixed_mode or spec.mode_for(self.weather.daily_mean(self._day_due - DAY))
        first = self.weather.sample(origin)
        air = spec.setpoint(mode) if mode is not HvacMode.OFF else 22.0
        self.house = House(scenario.house, air, first.temperature_c)
        self.unit = HeatPump(self.unit_spec, air)
        self.water = WaterSensors(scenario.seed, self.unit_spec.fill_pressure_bar)
        cylinder = self.unit_spec.hot_water
        self.cylinder = (
            None
            if cylinder is None
            else Cylinder(cylinder, scenario.seed, origin, scenario.utc_offset)
        )
        self._was_hot_water = self._was_legionella = False
        self._hot_water_start = self._legionella_start = origin
        self.thermostat = Thermostat(
            spec,
            mode,
            inverter=self.unit_spec.kind is UnitKind.INVERTER,
            min_modulation=self.unit_spec.min_modulation,
            aux_lockout_c=self.unit_spec.aux_lockout_c,
        )
        self.energy_kwh = 0.0
        self.outdoor_c = first.temperature_c
        self.humidity = first.humidity
        self._weather_due = origin
        self._w_time = origin
        self._w_temp = self._w_temp_slope = 0.0
        self._w_hum = self._w_hum_slope = 0.0
        self._gains_w = self._solar_w = 0.0
        self._next_weather = first
        self._refresh_weather(origin)

        self._schedule = FaultSchedule(scenario.faults, origin)
        self.effects = Effects()
        self._fx_due = origin
        self._sensor_faults = False
        self._drift: dict[SensorTarget, float] = {}
        self._stuck: dict[SensorTarget, float] = {}
        self._refresh_effects(origin)

        self.truth = Truth(
            faults=[
                FaultWindow(fault.kind, start, end, fault.target)
                for fault in scenario.faults
                for start, end in fault.windows(origin, self.end_time)
            ]
        )
        self._was_running = self._was_defrosting = self._was_aux = False
        self._run_start = self._defrost_start = self._aux_start = origin
        if scenario.running_at_start and mode is not HvacMode.OFF:
            # Already calling: the unit's outputs are those of a run, from the first reading on.
            self.thermostat.call = True
            vapour = self._vapour(self.outdoor_c, self.humidity)
            self.unit.step(0.0, self.thermostat, self.outdoor_c, vapour, air_c=air, fx=self.effects)
            self._was_running = self.unit.running
        self._hour_start = origin
        self._reset_hour()

    # The step, kept flat: it runs millions of times.
    def step(self) -> None:
        """Advance one step."""
        dt = self.dt
        time = self.time = self.time + dt
        while time >= self._weather_due:
            self._refresh_weather(self._weather_due)
        since = time - self._w_time
        outdoor = self.outdoor_c = self._w_temp + self._w_temp_slope * since
        humidity = self.humidity = self._w_hum + self._w_hum_slope * since
        if time >= self._day_due:
            self._new_day(time)
        if time >= self._fx_due:
            self._refresh_effects(time)
        fx = self.effects
        house = self.house
        unit = self.unit
        thermostat = self.thermostat
        air = house.air_c
        reading = self._read(SensorTarget.CLIMATE, air) if self._sensor_faults else air
        thermostat.update(time, dt, reading, outdoor, fx)
        cylinder = self.cylinder
        if cylinder is None:
            unit.step(dt, thermostat, outdoor, self._vapour(outdoor, humidity), air_c=air, fx=fx)
        else:
            self._step_with_cylinder(cylinder, time, outdoor, humidity, air)
        solar = self._solar_w
        house.step(unit.to_air_w + self._gains_w + 0.5 * solar, 0.5 * solar, outdoor, dt)
        power = unit.power_w
        self.energy_kwh += power * dt / JOULES_PER_KWH

        self._h_outdoor += outdoor
        self._h_indoor += air
        self._h_steps += 1
        self._h_electric += power
        self._h_heat += unit.heat_w
        if unit.running:
            self._h_run += 1
        if unit.backup_on:
            self._h_aux += 1
        if (
            unit.running is not self._was_running
            or unit.defrosting is not self._was_defrosting
            or unit.aux_on is not self._was_aux
        ):
            self._track_changes(time)
        if time >= self._hour_start + HOUR:
            self._close_hour()

    def _step_with_cylinder(
        self, cylinder: Cylinder, time: float, outdoor: float, humidity: float, air: float
    ) -> None:
        """Step the unit as the cylinder and the thermostat ask, then warm the cylinder."""
        unit = self.unit
        cylinder.update(time)
        unit.step(
            self.dt,
            self.thermostat,
            outdoor,
            self._vapour(outdoor, humidity),
            air_c=air,
            fx=self.effects,
            cylinder_c=cylinder.temperature_c if cylinder.reheating else None,
            immersion=cylinder.immersion,
        )
        cylinder.heat(unit.cylinder_w, self.dt)
        if unit.immersion_on:
            self._h_immersion += 1
        truth = self.truth
        if unit.hot_water is not self._was_hot_water:
            if unit.hot_water:
                self._hot_water_start = time
            else:
                truth.hot_water.append(Interval(self._hot_water_start, time))
            self._was_hot_water = unit.hot_water
        if unit.immersion_on is not self._was_legionella:
            if unit.immersion_on:
                self._legionella_start = time
            else:
                truth.legionella.append(Interval(self._legionella_start, time))
            self._was_legionella = unit.immersion_on

    @staticmethod
    def _vapour(outdoor_c: float, humidity: float) -> float:
        """Vapour pressure of the outdoor air in hPa."""
        return humidity * 0.06112 * math.exp(17.62 * outdoor_c / (243.12 + outdoor_c))

    def _refresh_weather(self, time: float) -> None:
        """Move to the weather sample at `time` and interpolate towards the next one."""
        weather = self.weather
        now = self._next_weather
        after = weather.sample(time + WEATHER_STEP_S)
        self._w_time = time
        self._w_temp = now.temperature_c
        self._w_temp_slope = (after.temperature_c - now.temperature_c) / WEATHER_STEP_S
        self._w_hum = now.humidity
        self._w_hum_slope = (after.humidity - now.humidity) / WEATHER_STEP_S
        self._gains_w = internal_gains(self.scenario.house, weather.local_hour(time))
        self._solar_w = self.scenario.house.solar_gain_w * now.sun
        self._next_weather = after
        self._weather_due = time + WEATHER_STEP_S

    def _new_day(self, time: float) -> None:
        """Pick the day's mode at local midnight."""
        mode = self._fixed_mode or self.scenario.thermostat.mode_for(
            self.weather.daily_mean(self._day_due)
        )
        self.thermostat.set_mode(mode, time)
        self._day_due += DAY

    def _refresh_effects(self, time: float) -> None:
        """Recompute the faults' effects; a sensor that sticks keeps its last reading."""
        fx = self._schedule.effects_at(time)
        for target in fx.stuck - self._stuck.keys():
            self._stuck[target] = self._raw(target)
        for target in self._stuck.keys() - fx.stuck:
            del self._stuck[target]
        self._drift = fx.drift_k
        self._sensor_faults = bool(self._stuck or self._drift)
        self.effects = fx
        self._fx_due = self._schedule.next_refresh(time)

    def _raw(self, target: SensorTarget) -> float:
        """A temperature source's reading before it stuck."""
        match target:
            case SensorTarget.OUTDOOR:
                value = self.outdoor_c
            case SensorTarget.SUPPLY:
                value = self.unit.supply_c
            case SensorTarget.RETURN:
                value = self.unit.return_c
            case _:
                value = self.house.air_c
        return value + self._drift.get(target, 0.0)

    def _read(self, target: SensorTarget, value: float) -> float:
        """What a sensor reports for a true `value`, with its faults."""
        stuck = self._stuck.get(target)
        if stuck is not None:
            return stuck
        return value + self._drift.get(target, 0.0)

    @property
    def thermostat_reading(self) -> float:
        """The temperature the thermostat reads (the climate entity's current temperature)."""
        air = self.house.air_c
        return self._read(SensorTarget.CLIMATE, air) if self._sensor_faults else air

    @property
    def indoor_reading(self) -> float:
        """The separate indoor temperature sensor."""
        air = self.house.air_c
        return self._read(SensorTarget.INDOOR, air) if self._sensor_faults else air

    @property
    def outdoor_reading(self) -> float:
        """The outdoor temperature sensor."""
        value = self.outdoor_c
        return self._read(SensorTarget.OUTDOOR, value) if self._sensor_faults else value

    @property
    def supply_reading(self) -> float:
        """The supply (flow) temperature sensor."""
        value = self.unit.supply_c
        return self._read(SensorTarget.SUPPLY, value) if self._sensor_faults else value

    @property
    def return_reading(self) -> float:
        """The return temperature sensor."""
        value = self.unit.return_c
        return self._read(SensorTarget.RETURN, value) if self._sensor_faults else value

    @property
    def flow_reading(self) -> float:
        """The water flow meter (L/min)."""
        return self.water.flow_l_min(self.unit, self.time)

    @property
    def pressure_reading(self) -> float:
        """The water pressure sensor (bar)."""
        return self.water.pressure_bar(self.unit, self.effects, self.time)

    @property
    def frequency_reading(self) -> float:
        """The compressor frequency (Hz)."""
        return compressor_frequency(self.unit)

    @property
    def error_reading(self) -> str:
        """The unit's error code sensor ("0": no fault)."""
        return error_code(self.effects)

    @property
    def hvac_action(self) -> str:
        """What the climate entity says the unit is doing."""
        mode = self.thermostat.mode
        if mode is HvacMode.OFF:
            return "off"
        if self.unit.defrosting:
            return "defrosting" if self.scenario.defrost_in_climate else "heating"
        if self.thermostat.call:
            return "heating" if mode is HvacMode.HEAT else "cooling"
        return "idle"

    def _track_changes(self, time: float) -> None:
        """Open and close the truth's intervals when the unit starts, stops or switches."""
        unit = self.unit
        truth = self.truth
        if unit.running is not self._was_running:
            if unit.running:
                self._run_start = time
                self._h_starts += 1
                if unit.hot_water:
                    truth.hot_water_starts.append(time)
            else:
                truth.runs.append(Interval(self._run_start, time))
            self._was_running = unit.running
        if unit.defrosting is not self._was_defrosting:
            if unit.defrosting:
                self._defrost_start = time
                self._h_defrosts += 1
            else:
                truth.defrosts.append(Interval(self._defrost_start, time))
            self._was_defrosting = unit.defrosting
        if unit.aux_on is not self._was_aux:
            if unit.aux_on:
                self._aux_start = time
            else:
                truth.aux.append(Interval(self._aux_start, time))
            self._was_aux = unit.aux_on

    def _reset_hour(self) -> None:
        self._h_outdoor = self._h_indoor = self._h_electric = self._h_heat = 0.0
        self._h_steps = self._h_run = self._h_aux = self._h_starts = self._h_defrosts = 0
        self._h_immersion = 0

    def _close_hour(self) -> None:
        """Add the hour that just ended to the truth."""
        steps = max(1, self._h_steps)
        to_kwh = self.dt / JOULES_PER_KWH
        aux_kwh = (self.unit_spec.aux_heat_w or 0.0) * self._h_aux * to_kwh
        if self.cylinder is not None:
            aux_kwh += self.cylinder.spec.immersion_w * self._h_immersion * to_kwh
        self.truth.hours.append(
            HourStats(
                start=self._hour_start,
                mode=self.thermostat.mode.value,
                outdoor_c=self._h_outdoor / steps,
                indoor_c=self._h_indoor / steps,
                target_c=self.thermostat.target_c,
                heat_kwh=self._h_heat * to_kwh,
                electric_kwh=self._h_electric * to_kwh,
                aux_kwh=aux_kwh,
                run_seconds=self._h_run * self.dt,
                starts=self._h_starts,
                defrosts=self._h_defrosts,
            )
        )
        self._hour_start += HOUR
        self._reset_hour()

    def finish(self) -> Truth:
        """Close what is still open at the current time and return the truth."""
        time = self.time
        if self._was_running:
            self.truth.runs.append(Interval(self._run_start, time))
            self._was_running = False
        if self._was_defrosting:
            self.truth.defrosts.append(Interval(self._defrost_start, time))
            self._was_defrosting = False
        if self._was_aux:
            self.truth.aux.append(Interval(self._aux_start, time))
            self._was_aux = False
        if self._was_hot_water:
            self.truth.hot_water.append(Interval(self._hot_water_start, time))
            self._was_hot_water = False
        if self._was_legionella:
            self.truth.legionella.append(Interval(self._legionella_start, time))
            self._was_legionella = False
        return self.truth
