"""Health sensors, driven by real state changes of the source entities."""

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.heat_pump_health.const import DOMAIN

from .conftest import CLIMATE, POWER, SOURCE_DATA, START, set_climate, set_power, set_sources


@pytest.fixture
def platforms() -> tuple[Platform, ...]:
    """Only the sensors."""
    return (Platform.SENSOR,)


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_sensors(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every sensor with its registry entry and state."""
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)


async def test_niche_sensors_disabled_by_default(
    hass: HomeAssistant, init_integration: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """The pause and threshold sensors are there for those who want them."""
    for key in ("median_off_time", "power_running_threshold"):
        entity_id = entity_registry.async_get_entity_id(
            "sensor", DOMAIN, f"{init_integration.entry_id}_{key}"
        )
        assert entity_id is not None
        entry = entity_registry.async_get(entity_id)
        assert entry is not None
        assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION


async def test_cycles_from_thermostat(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Starts, runtime and typical run follow the thermostat's hvac_action."""
    freezer.move_to(START)
    set_sources(hass)
    set_power(hass, 400)  # between standby and compressor watts: the thermostat tells
    entry = MockConfigEntry(
        domain=DOMAIN, title="Heat pump", data=dict(SOURCE_DATA), unique_id=CLIMATE
    )
    entry.add_to_hass(hass)
    set_climate(hass, "idle")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    for _ in range(3):
        set_climate(hass, "heating")
        freezer.tick(timedelta(minutes=10))
        set_climate(hass, "idle")
        freezer.tick(timedelta(minutes=20))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()

    # Starts at 0, 30 and 60 minutes; it is now 90 minutes.
    assert hass.states.get("sensor.heat_pump_compressor_starts_last_hour").state == "1"
    assert hass.states.get("sensor.heat_pump_compressor_starts_today").state == "3"
    assert float(hass.states.get("sensor.heat_pump_runtime_today").state) == pytest.approx(0.5)
    assert hass.states.get("sensor.heat_pump_typical_run_time").state == "10.0"
    status = hass.states.get("sensor.heat_pump_health_status")
    assert status.state == "learning"
    assert status.attributes["learning_progress"] == 6

    freezer.tick(timedelta(hours=23))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.heat_pump_health_status").state == "ok"
    assert hass.states.get("sensor.heat_pump_compressor_starts_last_hour").state == "0"


async def test_power_only_learns_threshold(
    hass: HomeAssistant, sources: None, freezer: FrozenDateTimeFactory
) -> None:
    """With only a power sensor, running is where power splits between standby and load.

    Kilowatts run and standby watts idle from the first reading; the threshold between them is
    learned once the power has been watched for a few hours.
    """
    entry = MockConfigEntry(domain=DOMAIN, data={"name": "Plug", "power": POWER}, unique_id=POWER)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    for _ in range(4):  # 40 minutes at standby, 20 running, the meter switching units
        set_power(hass, 15)
        freezer.tick(timedelta(minutes=40))
        set_power(hass, 1.2, "kW")
        freezer.tick(timedelta(minutes=20))
    set_power(hass, "unavailable")
    set_power(hass, 16)
    freezer.tick(timedelta(minutes=40))
    set_power(hass, 1400)
    await hass.async_block_till_done()

    snapshot = entry.runtime_data.engine.snapshot()
    assert snapshot.power_threshold is not None
    assert 16 < snapshot.power_threshold < 1200
    assert snapshot.total_starts == 5
    assert snapshot.median_run_minutes == 20.0
    assert snapshot.running is True


async def test_moving_figures_are_written_every_ten_minutes(
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """Runtime grows every minute while running, but reaches the database six times an hour."""
    runtime = "sensor.heat_pump_runtime_today"
    writes = []
    hass.bus.async_listen(
        "state_changed",
        lambda event: writes.append(event) if event.data["entity_id"] == runtime else None,
    )
    set_climate(hass, "heating")
    set_power(hass, 1200)
    for _ in range(60):
        freezer.tick(timedelta(minutes=1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    assert 5 <= len(writes) <= 7
    assert float(hass.states.get(runtime).state) >= 0.8


async def test_hot_water_runs_from_a_mode_sensor(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A mode sensor plus the state that means hot water: runs and runtime counted apart."""
    freezer.move_to(START)
    set_sources(hass)
    hass.states.async_set("sensor.operation", "Heating")
    # no energy meter: today's energy is the integrated power, 2.5 kW throughout
    data = {**SOURCE_DATA, "hot_water": "sensor.operation", "hot_water_state": "DHW"}
    del data["energy"]
    entry = MockConfigEntry(domain=DOMAIN, title="Heat pump", data=data, unique_id=CLIMATE)
    entry.add_to_hass(hass)
    set_climate(hass, "heating")
    set_power(hass, 2500)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    freezer.tick(timedelta(minutes=20))
    hass.states.async_set("sensor.operation", "dhw")  # any case; the compressor keeps running
    freezer.tick(timedelta(minutes=45))
    hass.states.async_set("sensor.operation", "Heating")
    freezer.tick(timedelta(minutes=15))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()

    assert hass.states.get("sensor.heat_pump_hot_water_runs_today").state == "1"
    runtime = float(hass.states.get("sensor.heat_pump_hot_water_runtime_today").state)
    assert runtime == pytest.approx(0.75, abs=0.02)
    assert hass.states.get("sensor.heat_pump_compressor_starts_today").state == "0"
    share = float(hass.states.get("sensor.heat_pump_hot_water_energy_share_today").state)
    assert share == pytest.approx(45 / 80 * 100, abs=3)


async def test_no_hot_water_sensors_without_a_source(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Without a hot-water source the hot-water sensors are not created."""
    assert hass.states.get("sensor.heat_pump_hot_water_runs_today") is None
    assert hass.states.get("sensor.heat_pump_hot_water_runtime_today") is None
