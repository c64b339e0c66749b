"""The dev simulator (dev/heat_pump_sim): live faults, simulated history, labels."""

from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
from statistics import median
import time

from freezegun.api import FrozenDateTimeFactory
from homeassistant import loader
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

# The dev simulator runs on the newest Home Assistant only (scripts/develop uses .venv), whose
# schemas come from `probatio`; on the oldest supported one there is nothing to test.
pytest.importorskip("probatio")

from dev.heat_pump_sim.const import (
    CONF_CREATE_HEALTH_ENTRY,
    CONF_PROFILE,
    CONF_SPEED,
    DATA_HISTORY_PROFILE,
    DATA_HISTORY_WRITTEN,
    DOMAIN as SIM_DOMAIN,
    HEALTH_DOMAIN,
    UNIQUE_ID,
)
from dev.heat_pump_sim.demo import DEMO_FAULTS, FAULT_OPTIONS, NO_FAULT, fault_options
from dev.heat_pump_sim.profiles import PROFILES, ProfileName
from dev.heat_pump_sim.readings import READERS, read
from dev.heat_pump_sim.simulation import (
    HOUR,
    HistoryPlan,
    new_simulation,
    season_shift,
    simulate_history,
)
from dev.heat_pump_sim.simulator import Fault, FaultKind, Scenario, SensorTarget
from dev.heat_pump_sim.simulator.live import LiveSimulation
from dev.heat_pump_sim.simulator.thermostat import HvacMode
from dev.heat_pump_sim.simulator.weather import DAY, ClimateName

SIM = Path(__file__).parent.parent / "dev" / "heat_pump_sim"
NOW = datetime(2026, 11, 23, 14, 37, tzinfo=UTC).timestamp()


def _live() -> LiveSimulation:
    return LiveSimulation(Scenario(start=datetime(2026, 1, 15, tzinfo=UTC), days=3650))


def test_fault_switches_live_and_ages_with_speed() -> None:
    sim = _live()
    for _ in range(30):
        sim.step()
    assert sim.effects.airflow == 1.0
    sim.set_fault(Fault(FaultKind.DIRTY_FILTER, 0.0))
    sim.faults.speed = 60.0
    for _ in range(int(HOUR / sim.dt)):
        sim.step()
    assert sim.faults.age >= 59 * HOUR
    assert sim.effects.airflow < 0.5  # a day's clogging in under half an hour
    sim.set_fault(None)
    assert sim.effects.airflow == 1.0
    assert sim.faults.fault is None


def test_stuck_sensor_freezes_at_once_and_mode_stays() -> None:
    sim = _live()
    sim.set_fault(Fault(FaultKind.STUCK_SENSOR, 0.0, target=SensorTarget.OUTDOOR))
    stuck = sim.outdoor_reading
    sim.set_mode(HvacMode.OFF)
    for _ in range(int(2 * DAY / sim.dt)):
        sim.step()
    assert sim.outdoor_reading == stuck
    assert sim.thermostat.mode is HvacMode.OFF


def test_season_shift_maps_now_to_mid_winter_or_summer() -> None:
    winter = new_simulation(ClimateName.MILD, NOW, UTC)
    assert datetime.fromtimestamp(winter.sim.time, UTC).date().isoformat() == "2026-01-15"
    assert winter.wall_time == NOW
    summer = season_shift(ClimateName.HOT, NOW, UTC)
    assert datetime.fromtimestamp(NOW + summer, UTC).date().isoformat() == "2026-07-15"


def test_history_is_continuous_and_ends_now() -> None:
    plan = HistoryPlan(
        ClimateName.HUMID_NEAR_FREEZING,
        NOW,
        UTC,
        days=3.0,
        state_days=1.0,
        fault=Fault(FaultKind.WATER_LEAK, 0.0),
        fault_at=NOW - 2 * HOUR,
        states_before_fault=HOUR,
    )
    past = simulate_history(plan)
    times = [time for time, _, _ in past.changes]
    assert times == sorted(times)
    assert past.states_from == times[0]
    assert past.states_from % HOUR == 0
    assert NOW - past.clocked.wall_time < 20
    assert {key for _, key, _ in past.changes[: len(READERS)]} == set(READERS)
    # Whole hours on the hour; the meter's hourly readings grow and end near its last state.
    assert all(hour.start % HOUR == 0 for hour in past.hours)
    assert past.energy == sorted(past.energy)
    leak = [(time, value) for time, key, value in past.changes if key == "leak"]
    assert leak[-1][1] is True
    assert NOW - 2 * HOUR <= leak[-1][0] <= NOW - 2 * HOUR + 60
    energy = read(past.clocked.sim, 0.0)["energy"]
    assert isinstance(energy, float)
    assert energy >= past.energy[-1]


def test_fault_options_are_labelled() -> None:
    strings = json.loads((SIM / "strings.json").read_text(encoding="utf-8"))
    english = json.loads((SIM / "translations" / "en.json").read_text(encoding="utf-8"))
    assert strings == english
    assert FAULT_OPTIONS[0] == NO_FAULT
    assert set(english["entity"]["select"]["fault"]["state"]) == set(FAULT_OPTIONS)
    assert {demo.kind for demo in DEMO_FAULTS} == set(FaultKind)
    # A leak is the first leak the select offers (dev/screenshots.py picks it).
    assert next(option for option in FAULT_OPTIONS if "leak" in option) == "water_leak"


# -- the air-to-water profile, set up in Home Assistant -----------------------------------

WATER_SIGNALS = {
    "flow_rate": ("sensor.simulated_heat_pump_flow_rate", "volume_flow_rate", "L/min"),
    "water_pressure": ("sensor.simulated_heat_pump_water_pressure", "pressure", "bar"),
    "compressor_frequency": (
        "sensor.simulated_heat_pump_compressor_frequency",
        "frequency",
        "Hz",
    ),
    "unit_error": ("sensor.simulated_heat_pump_error_code", None, None),
    "hot_water": ("binary_sensor.simulated_heat_pump_hot_water", None, None),
}
FAULT_SELECT = "select.simulated_heat_pump_fault"


@pytest.fixture
async def sim_integration(hass: HomeAssistant) -> None:
    """Let Home Assistant load dev/heat_pump_sim as the custom integration it is in develop."""
    custom = await loader.async_get_custom_components(hass)
    manifest = json.loads((SIM / "manifest.json").read_text(encoding="utf-8"))
    custom[SIM_DOMAIN] = loader.Integration(
        hass, "dev.heat_pump_sim", SIM, manifest, {path.name for path in SIM.iterdir()}
    )


async def _set_up_sim(hass: HomeAssistant, profile: ProfileName) -> MockConfigEntry:
    """The simulator's entry with its past already written (none is simulated), set up."""
    entry = MockConfigEntry(
        domain=SIM_DOMAIN,
        unique_id=UNIQUE_ID,
        data={
            CONF_SPEED: 1.0,
            CONF_CREATE_HEALTH_ENTRY: True,
            CONF_PROFILE: profile.value,
            DATA_HISTORY_WRITTEN: time.time(),
            DATA_HISTORY_PROFILE: profile.value,
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def test_profiles_name_every_reading() -> None:
    for profile in PROFILES.values():
        past = simulate_history(HistoryPlan(profile.climate, NOW, UTC, 0.1, 0.1, unit=profile.unit))
        assert {key for _, key, _ in past.changes} == set(profile.sources)
    water = PROFILES[ProfileName.AIR_TO_WATER].sources
    assert set(water) - set(PROFILES[ProfileName.AIR_TO_AIR].sources) == set(WATER_SIGNALS)


@pytest.mark.usefixtures("sim_integration")
async def test_air_to_water_profile_entities_and_health_roles(hass: HomeAssistant) -> None:
    entry = await _set_up_sim(hass, ProfileName.AIR_TO_WATER)
    for key, (entity_id, device_class, unit) in WATER_SIGNALS.items():
        state = hass.states.get(entity_id)
        assert state is not None, key
        assert state.attributes.get("device_class") == device_class
        assert state.attributes.get("unit_of_measurement") == unit
    simulation = hass.states.get("sensor.simulated_heat_pump_simulation")
    assert simulation.attributes["profile"] == "air_to_water"
    assert hass.states.get("sensor.simulated_heat_pump_error_code").state == "0"
    assert hass.states.get("binary_sensor.simulated_heat_pump_hot_water").state in ("on", "off")
    pressure = float(hass.states.get("sensor.simulated_heat_pump_water_pressure").state)
    assert 1.2 < pressure < 2.2  # a sealed circuit filled to 1.5 bar cold
    options = hass.states.get(FAULT_SELECT).attributes["options"]
    assert {"clogged_strainer", "pressure_loss", "unit_error"} <= set(options)

    health = hass.config_entries.async_entries(HEALTH_DOMAIN)
    assert len(health) == 1
    assert {role: health[0].data.get(role) for role in WATER_SIGNALS} == {
        role: entity_id for role, (entity_id, _, _) in WATER_SIGNALS.items()
    }
    assert health[0].data["climate"] == "climate.simulated_heat_pump"
    await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.usefixtures("sim_integration")
async def test_default_profile_is_unchanged_and_offers_no_water_faults(
    hass: HomeAssistant,
) -> None:
    entry = await _set_up_sim(hass, ProfileName.AIR_TO_AIR)
    for entity_id, _, _ in WATER_SIGNALS.values():
        assert hass.states.get(entity_id) is None
    assert hass.states.get("sensor.simulated_heat_pump_supply_temperature") is not None
    options = hass.states.get(FAULT_SELECT).attributes["options"]
    assert options == fault_options(ProfileName.AIR_TO_AIR)
    assert not {"clogged_strainer", "pressure_loss", "unit_error"} & set(options)
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            "select",
            "select_option",
            {"entity_id": FAULT_SELECT, "option": "unit_error"},
            blocking=True,
        )
    (health,) = hass.config_entries.async_entries(HEALTH_DOMAIN)
    assert not set(WATER_SIGNALS) & set(health.data)
    await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.usefixtures("sim_integration")
async def test_switching_back_removes_the_water_entities(hass: HomeAssistant) -> None:
    entry = await _set_up_sim(hass, ProfileName.AIR_TO_WATER)
    registry = er.async_get(hass)
    assert registry.async_get("sensor.simulated_heat_pump_flow_rate") is not None
    await hass.config_entries.async_unload(entry.entry_id)
    hass.config_entries.async_update_entry(
        entry,
        data={
            **entry.data,
            CONF_PROFILE: ProfileName.AIR_TO_AIR.value,
            DATA_HISTORY_PROFILE: ProfileName.AIR_TO_AIR.value,
        },
    )
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    for entity_id, _, _ in WATER_SIGNALS.values():
        assert registry.async_get(entity_id) is None
        assert hass.states.get(entity_id) is None
    await hass.config_entries.async_unload(entry.entry_id)


async def _select(hass: HomeAssistant, entity_id: str, option: str) -> None:
    await hass.services.async_call(
        "select", "select_option", {"entity_id": entity_id, "option": option}, blocking=True
    )


@pytest.mark.usefixtures("sim_integration")
async def test_unit_error_fault_shows_its_code(hass: HomeAssistant) -> None:
    entry = await _set_up_sim(hass, ProfileName.AIR_TO_WATER)
    await _select(hass, FAULT_SELECT, "unit_error")  # live: no history to rewrite
    await hass.async_block_till_done()
    assert hass.states.get(FAULT_SELECT).state == "unit_error"
    assert hass.states.get("sensor.simulated_heat_pump_error_code").state == "E7"
    # Locked out: the compressor stops.
    assert hass.states.get("sensor.simulated_heat_pump_compressor_frequency").state == "0"
    await _select(hass, FAULT_SELECT, NO_FAULT)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.simulated_heat_pump_error_code").state == "0"
    await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.usefixtures("sim_integration")
async def test_live_water_faults_lower_flow_and_pressure(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Started now and sped up, a clogged strainer cuts the flow and a loss the pressure."""
    entry = await _set_up_sim(hass, ProfileName.AIR_TO_WATER)
    runtime = entry.runtime_data
    flow_id = "sensor.simulated_heat_pump_flow_rate"
    pressure_id = "sensor.simulated_heat_pump_water_pressure"

    def pumping_flows(hours: int) -> list[float]:
        flows = []
        for _ in range(hours * 6):
            freezer.tick(timedelta(minutes=10))
            async_fire_time_changed(hass)
            if (flow := float(hass.states.get(flow_id).state)) > 0:
                flows.append(flow)
        return flows

    healthy = pumping_flows(6)
    pressure = float(hass.states.get(pressure_id).state)
    await _select(hass, "select.simulated_heat_pump_fault_start", "now")
    await hass.services.async_call(
        "number",
        "set_value",
        {"entity_id": "number.simulated_heat_pump_speed", "value": 60},
        blocking=True,
    )
    await _select(hass, FAULT_SELECT, "clogged_strainer")
    assert runtime.fault == "clogged_strainer"
    pumping_flows(1)  # 60 hours of clogging, at 60 times the speed: clogged
    clogged = pumping_flows(5)
    assert healthy
    assert clogged
    assert max(clogged) < 0.6 * median(healthy)
    assert float(hass.states.get(pressure_id).state) > 1.0  # no loss of water

    await _select(hass, FAULT_SELECT, "pressure_loss")
    pumping_flows(1)  # 2.5 days of a bar a day: empty
    assert float(hass.states.get(pressure_id).state) < min(1.0, pressure - 1.0)
    await hass.config_entries.async_unload(entry.entry_id)
