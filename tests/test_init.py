"""Setup, unload, device linking, following source entities, and the saved state."""

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.heat_pump_health.const import DOMAIN
from custom_components.heat_pump_health.engine import HealthEngine, Maintenance, Observation, Role

from .conftest import CLIMATE, OUTDOOR, POWER, set_climate, set_power, set_sources

STATUS = "sensor.heat_pump_health_status"


def _register_climate_on_device(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> dr.DeviceEntry:
    """Put the thermostat on a device of its own integration, as real heat pumps are."""
    vendor_entry = MockConfigEntry(domain="vendor")
    vendor_entry.add_to_hass(hass)
    device = device_registry.async_get_or_create(
        config_entry_id=vendor_entry.entry_id,
        identifiers={("vendor", "unit-1")},
        name="Living room heat pump",
    )
    entity_registry.async_get_or_create(
        "climate",
        "vendor",
        "unit-1",
        suggested_object_id="heat_pump",
        config_entry=vendor_entry,
        device_id=device.id,
    )
    return device


async def test_setup_and_unload_leave_nothing_behind(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Unloading removes every listener, timer and task that setup added."""
    set_sources(hass)
    mock_config_entry.add_to_hass(hass)
    # A first round lets Home Assistant's own registries and storage add their listeners.
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    listeners_before = hass.bus.async_listeners()

    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert hass.bus.async_listeners() != listeners_before

    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.NOT_LOADED
    assert hass.bus.async_listeners() == listeners_before
    assert hass.states.get(STATUS).state == "unavailable"

    set_climate(hass, "heating")
    freezer.tick(3600)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get(STATUS).state == "unavailable"

    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert hass.states.get(STATUS).state == "learning"


async def test_entities_join_the_heat_pumps_device(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """With a device behind the thermostat, the health entities appear on its page."""
    device = _register_climate_on_device(hass, device_registry, entity_registry)
    set_sources(hass)
    mock_config_entry.add_to_hass(hass)

    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    status = entity_registry.async_get(STATUS.replace("heat_pump", "living_room_heat_pump"))
    assert status is not None
    assert status.device_id == device.id
    assert dr.async_entries_for_config_entry(device_registry, mock_config_entry.entry_id) == []


async def test_own_device_without_a_source_device(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Sources without a device get a service device named after the heat pump."""
    [own] = dr.async_entries_for_config_entry(device_registry, init_integration.entry_id)
    assert own.identifiers == {(DOMAIN, init_integration.entry_id)}
    assert own.name == "Heat pump"
    assert own.entry_type is dr.DeviceEntryType.SERVICE
    status = entity_registry.async_get(STATUS)
    assert status is not None
    assert status.device_id == own.id


async def test_renamed_source_is_followed(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Renaming a source entity in the registry updates the entry and keeps watching."""
    _register_climate_on_device(hass, device_registry, entity_registry)
    outdoor = entity_registry.async_get_or_create(
        "sensor", "vendor", "outdoor", suggested_object_id="outdoor_temperature"
    )
    assert outdoor.entity_id == OUTDOOR
    set_sources(hass)
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    entity_registry.async_update_entity(CLIMATE, new_entity_id="climate.upstairs")
    entity_registry.async_update_entity(OUTDOOR, new_entity_id="sensor.garden_temperature")
    await hass.async_block_till_done()

    assert mock_config_entry.data["climate"] == "climate.upstairs"
    assert mock_config_entry.unique_id == "climate.upstairs"
    assert mock_config_entry.data["outdoor_temperature"] == "sensor.garden_temperature"
    assert mock_config_entry.state is ConfigEntryState.LOADED
    coordinator = mock_config_entry.runtime_data
    assert coordinator.sources["climate"] == "climate.upstairs"

    set_power(hass, 400)  # between standby and compressor watts: the thermostat tells
    hass.states.async_set("climate.upstairs", "heat", {"hvac_action": "idle"})
    hass.states.async_set("climate.upstairs", "heat", {"hvac_action": "heating"})
    await hass.async_block_till_done()
    assert coordinator.engine.snapshot().running is True


async def test_removed_source_keeps_the_rest_running(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Deleting a source entity is logged; the heat pump is still watched."""
    entity_registry.async_get_or_create(
        "sensor", "vendor", "power", suggested_object_id="heat_pump_power"
    )
    set_sources(hass)
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    entity_registry.async_remove(POWER)
    await hass.async_block_till_done()

    assert "power source sensor.heat_pump_power was removed" in caplog.text
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert hass.states.get(STATUS).state == "learning"


async def test_learning_survives_a_reload(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    """What was learned is saved on unload and restored on setup."""
    set_climate(hass, "heating")
    set_power(hass, 1200)
    set_climate(hass, "idle")
    set_power(hass, 20)
    await hass.async_block_till_done()
    assert init_integration.runtime_data.engine.snapshot().total_starts == 1

    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()

    key = f"{DOMAIN}.{init_integration.entry_id}"
    assert hass_storage[key]["data"]["engine"]["state"]["cycles"]["total_starts"] == 1
    assert init_integration.runtime_data.engine.snapshot().total_starts == 1


@pytest.mark.parametrize(
    "saved",
    [{"version": 99}, {"version": 2, "state": {"cycles": "garbage"}}, {"unexpected": True}],
)
async def test_unreadable_state_starts_afresh(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    saved: dict[str, Any],
) -> None:
    """A saved state the engine cannot read never blocks setup."""
    hass_storage[f"{DOMAIN}.{mock_config_entry.entry_id}"] = {
        "version": 1,
        "minor_version": 1,
        "key": f"{DOMAIN}.{mock_config_entry.entry_id}",
        "data": saved,
    }
    set_sources(hass)
    mock_config_entry.add_to_hass(hass)

    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert "is unusable, starting afresh" in caplog.text
    assert mock_config_entry.runtime_data.engine.snapshot().total_starts == 0


async def test_removing_the_entry_forgets_its_state(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    """Deleting a heat pump deletes what was learned about it."""
    key = f"{DOMAIN}.{init_integration.entry_id}"
    await init_integration.runtime_data.async_save()
    assert key in hass_storage

    assert await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()

    assert key not in hass_storage


async def test_own_device_removed_once_source_has_one(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """When the thermostat later gets a device, the entities move there and ours goes."""
    assert len(dr.async_entries_for_config_entry(device_registry, init_integration.entry_id)) == 1
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    hass.states.async_remove(CLIMATE)
    device = _register_climate_on_device(hass, device_registry, entity_registry)
    set_climate(hass)

    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()

    assert dr.async_entries_for_config_entry(device_registry, init_integration.entry_id) == []
    status = entity_registry.async_get(STATUS)
    assert status is not None
    assert status.device_id == device.id


async def test_state_is_saved_while_sources_keep_changing(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A power sensor changing every ten seconds does not postpone the save for ever."""
    key = f"{DOMAIN}.{init_integration.entry_id}"
    for step in range(18):
        freezer.tick(10)
        hass.states.async_set(
            POWER, str(1000 + step), {"device_class": "power", "unit_of_measurement": "W"}
        )
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    assert key in hass_storage
    assert hass_storage[key]["data"]["engine"]["state"]["observations"] > 0


async def test_unchanged_reports_keep_a_source_fresh(
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """A source that writes the same state again counts as reporting, so it is not stale."""
    engine = init_integration.runtime_data.engine
    attributes = {"device_class": "power", "unit_of_measurement": "W"}
    hass.states.async_set(POWER, "15", attributes)
    await hass.async_block_till_done()
    freezer.tick(600)
    hass.states.async_set(POWER, "15", attributes)
    await hass.async_block_till_done()

    reading = engine.state.readings.numbers[Role.POWER]
    assert reading.seen == pytest.approx(dt_util.utcnow().timestamp())
    assert reading.unchanged_since is not None
    assert reading.seen - reading.unchanged_since == pytest.approx(600)


async def test_version_1_store_is_migrated(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """A store written before snoozes were saved keeps everything learned."""
    engine = HealthEngine()
    engine.update(Observation(1_000_000.0, Role.POWER, 20.0))
    engine.record_maintenance(Maintenance.FILTER, 1_000_000.0)
    key = f"{DOMAIN}.{mock_config_entry.entry_id}"
    hass_storage[key] = {"version": 1, "minor_version": 1, "key": key, "data": engine.as_dict()}
    set_sources(hass)
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    restored = mock_config_entry.runtime_data.engine
    assert restored.state.maintenance == {Maintenance.FILTER: 1_000_000.0}
    await hass.config_entries.async_unload(mock_config_entry.entry_id)
    assert hass_storage[key]["version"] == 2
    assert hass_storage[key]["data"]["engine"]["state"]["maintenance"] == {"filter": 1_000_000.0}
    assert hass_storage[key]["data"]["issues"] == {"snoozed": {}}
