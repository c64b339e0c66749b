"""Push messages: one per new finding, digests instead of storms, daily reminders, all-clears.

Quiet hours hold all but emergencies for one morning message, findings left out send nothing,
and a test message reaches every target or names those it missed.
"""

from collections.abc import AsyncGenerator
from datetime import datetime
from unittest.mock import patch
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.components.notify import DOMAIN as NOTIFY_DOMAIN, NotifyEntity
from homeassistant.config_entries import HANDLERS, ConfigEntry, ConfigFlow
from homeassistant.const import ATTR_ENTITY_ID, MAJOR_VERSION, MINOR_VERSION, STATE_ON, Platform
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockModule,
    MockPlatform,
    async_capture_events,
    async_mock_service,
    mock_integration,
    mock_platform,
)

from custom_components.heat_pump_health import config_flow  # noqa: F401 - registers its flow
from custom_components.heat_pump_health.const import DOMAIN, EVENT_FINDING
from custom_components.heat_pump_health.engine import FindingKey
from custom_components.heat_pump_health.notifications import Notifier
from custom_components.heat_pump_health.quiet_hours import QuietHours
from custom_components.heat_pump_health.texts import FindingTexts

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
TEST_BUTTON = "button.heat_pump_test_notification"
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


# --- quiet hours -------------------------------------------------------------------------

QUIET = {"quiet_hours_start": "22:00:00", "quiet_hours_end": "07:00:00"}
PACIFIC = ZoneInfo("US/Pacific")


async def quiet_entry(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> MockConfigEntry:
    """A heat pump telling the phone and the mobile app, quiet from 22:00 to 07:00."""
    return await setup_leak_heat_pump(
        hass,
        freezer,
        ENTRY_ID,
        {"notify_entities": [PHONE], "notify_services": ["notify.mobile_app_pixel"], **QUIET},
    )


async def test_quiet_hours_let_emergencies_through_and_hold_the_rest(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phone: RecordingNotify,
    mobile_app: list[ServiceCall],
) -> None:
    """At night a leak is sent at once; the filter reminder and the all-clear wait for 07:00."""
    await quiet_entry(hass, freezer)
    await hours(hass, freezer, 14)  # 23:00
    await record_old_filter(hass)
    await tick(hass, freezer)
    assert phone.messages == []

    set_leak(hass, wet=True)
    for _ in range(5):
        await tick(hass, freezer)
    assert [title for title, _ in phone.messages] == ["Water leak at Heat pump"]
    assert len(mobile_app) == 1
    set_leak(hass, wet=False)
    for _ in range(7):
        await tick(hass, freezer)
    await hours(hass, freezer, 7)
    await tick(hass, freezer, 45)  # 06:58
    assert len(phone.messages) == 1

    await tick(hass, freezer, 2)
    assert len(phone.messages) == 2
    title, message = phone.messages[1]
    assert title == "Heat pump: news from the quiet hours"
    assert message.splitlines() == [
        "- Heat pump's filter is due for cleaning",
        "- Cleared: Water leak at Heat pump.",
    ]
    assert len(mobile_app) == 2
    assert mobile_app[1].data["title"] == title
    assert mobile_app[1].data["data"] == {"group": "heat_pump_health"}
    await hours(hass, freezer, 3)
    assert len(phone.messages) == 2


async def test_what_quiet_hours_hold_survives_a_restart(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phone: RecordingNotify,
) -> None:
    """A finding that came and went at night, across a reload, is told as over in the morning."""
    entry = await quiet_entry(hass, freezer)
    await hours(hass, freezer, 14)  # 23:00
    await record_old_filter(hass)
    await tick(hass, freezer)
    await hass.services.async_call(
        DOMAIN,
        "record_maintenance",
        {"config_entry_id": ENTRY_ID, "kind": "filter"},
        blocking=True,
    )
    await tick(hass, freezer)
    assert entry.runtime_data.open_finding(FindingKey.FILTER_DUE) is None
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await hours(hass, freezer, 7)
    assert phone.messages == []

    await hours(hass, freezer, 1)  # 07:02
    assert phone.messages == [
        ("Heat pump is back to normal", "Cleared: Heat pump's filter is due for cleaning.")
    ]


@pytest.mark.parametrize(
    ("moment", "end"),
    [
        (datetime(2026, 11, 23, 23, 0), datetime(2026, 11, 24, 7, 0)),
        (datetime(2026, 11, 23, 22, 0), datetime(2026, 11, 24, 7, 0)),
        (datetime(2026, 11, 24, 6, 59), datetime(2026, 11, 24, 7, 0)),
        (datetime(2026, 11, 24, 7, 0), None),
        (datetime(2026, 11, 24, 12, 0), None),
    ],
)
def test_quiet_hours_across_midnight(moment: datetime, end: datetime | None) -> None:
    """From 22:00 until 07:00 the next morning, in the instance's time zone."""
    quiet = QuietHours.from_options(QUIET, PACIFIC)
    assert quiet is not None
    expected = None if end is None else end.replace(tzinfo=PACIFIC).timestamp()
    assert quiet.end_after(moment.replace(tzinfo=PACIFIC).timestamp()) == expected


def test_quiet_hours_within_a_day_and_across_a_clock_change() -> None:
    """A span inside one day; in the repeated hour of autumn an end already passed is over."""
    afternoon = QuietHours.from_options(
        {"quiet_hours_start": "13:00", "quiet_hours_end": "15:00"}, PACIFIC
    )
    assert afternoon is not None
    at = datetime(2026, 11, 23, 14, 0, tzinfo=PACIFIC).timestamp()
    assert afternoon.end_after(at) == at + 3600
    assert afternoon.release(at + 3600) == at + 3600

    night = QuietHours.from_options(
        {"quiet_hours_start": "00:00", "quiet_hours_end": "01:30"}, PACIFIC
    )
    assert night is not None
    first = datetime(2026, 11, 1, 1, 20, tzinfo=PACIFIC)
    assert night.end_after(first.timestamp()) == first.timestamp() + 600
    second = first.replace(fold=1)
    assert second.timestamp() == first.timestamp() + 3600
    assert night.end_after(second.timestamp()) is None


@pytest.mark.parametrize(
    "options",
    [{}, {"quiet_hours_start": "22:00:00"}, {**QUIET, "quiet_hours_end": "22:00"}],
    ids=["none", "start only", "same times"],
)
def test_no_quiet_hours_without_a_span(options: dict[str, str]) -> None:
    """Quiet hours need a start and a different end."""
    assert QuietHours.from_options(options, PACIFIC) is None


def test_saved_record_from_before_quiet_hours_loads(hass: HomeAssistant) -> None:
    """What an older version saved (only `told`) restores; unknown findings are skipped."""
    notifier = Notifier(hass, ENTRY_ID, "Heat pump", PACIFIC, FindingTexts({}))
    notifier.restore({"told": {"water_leak": 100.0, "retired_finding": 5.0}})
    assert notifier.told == {FindingKey.WATER_LEAK: 100.0}
    assert notifier.held == {}
    assert notifier.as_dict() == {"told": {"water_leak": 100.0}, "held": {}}


# --- which findings notify ---------------------------------------------------------------


async def test_unchosen_finding_sends_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phone: RecordingNotify,
    mobile_app: list[ServiceCall],
    issue_registry: ir.IssueRegistry,
) -> None:
    """A leak left out of the choice sends no alert nor all-clear; sensor, event, Repairs stay."""
    chosen = [key.value for key in FindingKey if key is not FindingKey.WATER_LEAK]
    await setup_leak_heat_pump(
        hass,
        freezer,
        ENTRY_ID,
        {
            "notify_entities": [PHONE],
            "notify_services": ["notify.mobile_app_pixel"],
            "notify_findings": chosen,
        },
    )
    events = async_capture_events(hass, EVENT_FINDING)
    set_leak(hass, wet=True)
    for _ in range(5):
        await tick(hass, freezer)
    assert hass.states.get("binary_sensor.heat_pump_water_leak").state == STATE_ON
    assert issue_registry.async_get_issue(DOMAIN, f"{ENTRY_ID}_water_leak") is not None
    assert [event.data["type"] for event in events] == ["finding_started"]
    assert phone.messages == []
    assert mobile_app == []

    await record_old_filter(hass)
    await tick(hass, freezer)
    set_leak(hass, wet=False)
    for _ in range(7):
        await tick(hass, freezer)
    assert [event.data["type"] for event in events] == ["finding_started"] * 2 + ["finding_cleared"]
    assert [title for title, _ in phone.messages] == ["Heat pump's filter is due for cleaning"]


async def test_finding_left_out_after_it_was_told_gets_no_all_clear(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    phone: RecordingNotify,
) -> None:
    """Leaving a told finding out of the choice also drops its all-clear."""
    set_leak(hass, wet=True)
    for _ in range(5):
        await tick(hass, freezer)
    assert len(phone.messages) == 1
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "notify_findings": ["filter_due"]}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    set_leak(hass, wet=False)
    for _ in range(7):
        await tick(hass, freezer)
    assert entry.runtime_data.open_finding(FindingKey.WATER_LEAK) is None
    assert len(phone.messages) == 1


# --- test notification -------------------------------------------------------------------

TEST_MESSAGE = (
    "Test from Heat pump",
    "Notifications from Heat pump reach this device. Findings will arrive like this.",
)


async def test_test_notification_reaches_every_target(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    phone: RecordingNotify,
    mobile_app: list[ServiceCall],
) -> None:
    """The action and the button send one short message to the entity and the mobile app."""
    response = await hass.services.async_call(
        DOMAIN,
        "send_test_notification",
        {"config_entry_id": ENTRY_ID},
        blocking=True,
        return_response=True,
    )
    assert response == {"reached": [PHONE, "notify.mobile_app_pixel"]}
    assert phone.messages == [TEST_MESSAGE]
    assert (mobile_app[0].data["title"], mobile_app[0].data["message"]) == TEST_MESSAGE
    assert mobile_app[0].data["data"] == {"group": "heat_pump_health", "tag": f"{ENTRY_ID}_test"}

    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: TEST_BUTTON}, blocking=True
    )
    assert phone.messages == [TEST_MESSAGE] * 2
    assert len(mobile_app) == 2


async def test_test_notification_names_the_targets_it_missed(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phone: RecordingNotify,
    mobile_app: list[ServiceCall],
) -> None:
    """A missing entity and a service that is gone are named; the others still get it."""
    await setup_leak_heat_pump(
        hass,
        freezer,
        ENTRY_ID,
        {
            "notify_entities": [PHONE, "notify.unplugged"],
            "notify_services": ["notify.gone", "notify.mobile_app_pixel"],
        },
    )
    with pytest.raises(HomeAssistantError) as error:
        await hass.services.async_call(
            DOMAIN, "send_test_notification", {"config_entry_id": ENTRY_ID}, blocking=True
        )
    assert error.value.translation_key == "test_notification_failed"
    assert str(error.value).startswith(
        "The test notification from Heat pump did not reach: notify.unplugged, notify.gone"
    )
    assert phone.messages == [TEST_MESSAGE]
    assert len(mobile_app) == 1

    with pytest.raises(HomeAssistantError, match=r"did not reach: notify\.unplugged, notify\.gone"):
        await hass.services.async_call(
            BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: TEST_BUTTON}, blocking=True
        )
    assert len(phone.messages) == 2
