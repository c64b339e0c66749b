"""Push messages: one per new finding, digests instead of storms, daily reminders, all-clears."""

from collections.abc import AsyncGenerator
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.notify import DOMAIN as NOTIFY_DOMAIN, NotifyEntity
from homeassistant.config_entries import HANDLERS, ConfigEntry, ConfigFlow
from homeassistant.const import MAJOR_VERSION, MINOR_VERSION, Platform
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockModule,
    MockPlatform,
    async_mock_service,
    mock_integration,
    mock_platform,
)

from custom_components.heat_pump_health import config_flow  # noqa: F401 - registers its flow
from custom_components.heat_pump_health.const import DOMAIN
from custom_components.heat_pump_health.engine import FindingKey

from .conftest import (
    CLIMATE,
    LEAK,
    SOURCE_DATA,
    START,
    set_climate,
    set_leak,
    set_power,
    set_sources,
    setup_leak_heat_pump,
    tick,
)

PHONE = "notify.phone"
ENTRY_ID = "01HEATPUMPNOTIFY0000000000"
# What the test integration's entry setup returns when it worked. Home Assistant 2026.11 wants
# None and fails a built-in integration (a mocked one counts as built in) that returns True;
# older releases count anything but True as a failure.
SETUP_WORKED: bool | None = None if (MAJOR_VERSION, MINOR_VERSION) >= (2026, 11) else True


class RecordingNotify(NotifyEntity):
    """A notify entity that keeps what it was sent."""

    _attr_name = "Phone"
    _attr_unique_id = "phone"

    def __init__(self) -> None:
        self.messages: list[tuple[str | None, str]] = []

    async def async_send_message(self, message: str, title: str | None = None) -> None:
        self.messages.append((title, message))


class TestFlow(ConfigFlow):
    """The test integration's (unused) config flow."""


@pytest.fixture
async def phone(hass: HomeAssistant) -> AsyncGenerator[RecordingNotify]:
    """A real notify entity, set up through a test integration's config entry."""
    entity = RecordingNotify()

    async def setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool | None:
        await hass.config_entries.async_forward_entry_setups(entry, [Platform.NOTIFY])
        return SETUP_WORKED

    async def setup_platform(
        hass: HomeAssistant, entry: ConfigEntry, add: AddConfigEntryEntitiesCallback
    ) -> None:
        add([entity])

    mock_integration(hass, MockModule("test", async_setup_entry=setup_entry))
    mock_platform(hass, "test.notify", MockPlatform(async_setup_entry=setup_platform))
    mock_platform(hass, "test.config_flow")
    with patch.dict(HANDLERS, {"test": TestFlow}):
        entry = MockConfigEntry(domain="test")
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        assert hass.states.get(PHONE) is not None
        yield entity


@pytest.fixture
def mobile_app(hass: HomeAssistant) -> list[ServiceCall]:
    """A legacy notify service, as the mobile app registers one per phone."""
    return async_mock_service(hass, NOTIFY_DOMAIN, "mobile_app_pixel")


@pytest.fixture
async def entry(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phone: RecordingNotify,
    mobile_app: list[ServiceCall],
) -> MockConfigEntry:
    """A heat pump that notifies the phone entity and the mobile app service."""
    return await setup_leak_heat_pump(
        hass,
        freezer,
        ENTRY_ID,
        {"notify_entities": [PHONE], "notify_services": ["notify.mobile_app_pixel"]},
    )


async def hours(hass: HomeAssistant, freezer: FrozenDateTimeFactory, count: int) -> None:
    """Let hours pass, the sources reporting every hour as real ones do."""
    for _ in range(count):
        await tick(hass, freezer, minutes=60)
        set_sources(hass)
        set_leak(hass, wet=False)


async def record_old_filter(hass: HomeAssistant) -> None:
    """Record a filter change long ago, so the filter reminder is due."""
    await hass.services.async_call(
        DOMAIN,
        "record_maintenance",
        {"config_entry_id": ENTRY_ID, "kind": "filter", "date": "2026-08-01"},
        blocking=True,
    )


async def test_one_message_per_finding_and_an_all_clear(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    phone: RecordingNotify,
    mobile_app: list[ServiceCall],
) -> None:
    """The leak is announced once to every target, and its end with an all-clear."""
    set_leak(hass, wet=True)
    for _ in range(5):
        await tick(hass, freezer)

    assert len(phone.messages) == 1
    title, message = phone.messages[0]
    assert title == "Water leak at Heat pump"
    assert "Turn the unit off" in message
    assert len(mobile_app) == 1
    assert mobile_app[0].data["title"] == "Water leak at Heat pump"
    assert mobile_app[0].data["data"] == {
        "group": "heat_pump_health",
        "tag": f"{ENTRY_ID}_water_leak",
    }

    set_leak(hass, wet=False)
    for _ in range(7):
        await tick(hass, freezer)
    assert phone.messages[1] == ("Heat pump is back to normal", "Cleared: Water leak at Heat pump.")
    assert mobile_app[1].data["data"]["tag"] == f"{ENTRY_ID}_water_leak"
    assert len(phone.messages) == 2


async def test_findings_at_once_make_one_digest(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    phone: RecordingNotify,
) -> None:
    """Two findings starting in the same minute are one message, not two."""
    await record_old_filter(hass)
    set_leak(hass, wet=True)
    await tick(hass, freezer)
    await tick(hass, freezer)

    assert len(phone.messages) == 1
    title, message = phone.messages[0]
    assert title == "Heat pump needs attention"
    assert message.splitlines() == [
        "- Water leak at Heat pump",
        "- Heat pump's filter is due for cleaning",
    ]


async def test_reminder_at_most_once_a_day(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    phone: RecordingNotify,
) -> None:
    """A finding that stays open is brought up again after a day, not every minute."""
    await record_old_filter(hass)
    await tick(hass, freezer)
    assert len(phone.messages) == 1
    await hours(hass, freezer, 12)
    assert len(phone.messages) == 1
    await hours(hass, freezer, 13)
    assert len(phone.messages) == 2
    assert phone.messages[1][0] == "Heat pump's filter is due for cleaning"


async def test_acknowledged_finding_is_not_reminded(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    phone: RecordingNotify,
) -> None:
    """Acknowledging for three days holds the daily reminder until the snooze ends."""
    await record_old_filter(hass)
    await tick(hass, freezer)
    await hass.services.async_call(
        DOMAIN,
        "acknowledge",
        {"config_entry_id": ENTRY_ID, "finding": "filter_due", "snooze": {"days": 3}},
        blocking=True,
    )
    await hours(hass, freezer, 2 * 24 + 12)
    assert len(phone.messages) == 1
    await hours(hass, freezer, 13)
    assert len(phone.messages) == 2


async def test_a_failing_target_does_not_stop_the_others(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phone: RecordingNotify,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A notify service that has gone away is logged; the phone entity still gets the alert."""
    freezer.move_to(START)
    set_sources(hass)
    set_leak(hass, wet=False)
    config_entry = MockConfigEntry(
        domain=DOMAIN,
        title="Heat pump",
        data={**SOURCE_DATA, "leak": LEAK},
        options={"notify_services": ["notify.gone"], "notify_entities": [PHONE]},
        unique_id=CLIMATE,
        entry_id=ENTRY_ID,
    )
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()

    set_leak(hass, wet=True)
    await tick(hass, freezer)
    await tick(hass, freezer)
    assert "could not notify notify.gone" in caplog.text
    assert len(phone.messages) == 1


async def test_no_targets_no_messages(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    mobile_app: list[ServiceCall],
) -> None:
    """Without targets in the options nothing is sent."""
    await hass.services.async_call(
        DOMAIN,
        "record_maintenance",
        {"config_entry_id": init_integration.entry_id, "kind": "filter", "date": "2026-01-01"},
        blocking=True,
    )
    await tick(hass, freezer)
    await tick(hass, freezer)
    assert init_integration.runtime_data.open_finding(FindingKey.FILTER_DUE) is not None
    assert mobile_app == []


async def test_told_is_kept_across_a_reload(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    phone: RecordingNotify,
) -> None:
    """A reload neither repeats an alert nor loses the all-clear that follows it."""
    set_leak(hass, wet=True)
    await tick(hass, freezer)
    await tick(hass, freezer)
    assert len(phone.messages) == 1
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await tick(hass, freezer)
    assert len(phone.messages) == 1

    set_leak(hass, wet=False)
    for _ in range(7):
        await tick(hass, freezer)
    assert phone.messages[-1][0] == "Heat pump is back to normal"
    assert len(phone.messages) == 2


async def test_escalation_is_told_at_once(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    phone: RecordingNotify,
) -> None:
    """A finding that grows worse is sent again even though it was told within the day."""
    set_climate(hass, "idle", current_temperature=19.5)
    set_power(hass, 0)
    for _ in range(7):
        await tick(hass, freezer)
    assert [title for title, _ in phone.messages] == ["Heat pump has lost power"]
    set_power(hass, 20)
    for _ in range(3):
        await tick(hass, freezer)
    set_power(hass, 0)
    for _ in range(8):
        await tick(hass, freezer)
    assert [title for title, _ in phone.messages] == ["Heat pump has lost power"] * 2


async def test_bare_service_name_is_notify(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mobile_app: list[ServiceCall],
) -> None:
    """A service entered without its `notify.` domain is still reached."""
    freezer.move_to(START)
    set_sources(hass)
    set_leak(hass, wet=False)
    config_entry = MockConfigEntry(
        domain=DOMAIN,
        title="Heat pump",
        data={**SOURCE_DATA, "leak": LEAK},
        options={"notify_services": ["mobile_app_pixel"]},
        unique_id=CLIMATE,
        entry_id=ENTRY_ID,
    )
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    set_leak(hass, wet=True)
    await tick(hass, freezer)
    await tick(hass, freezer)
    assert len(mobile_app) == 1
