"""The real frontend shows the heat pump's health entities and a finding's Repairs issue."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from .conftest import Site
from .harness import (
    device_page,
    fix_flow_choices,
    issue_title,
    open_panel,
    state_names,
    wait_for_issue,
)

# Health entities every heat pump has, whatever its sources: the status and the score, and a
# problem sensor (the filter reminder's).
ALWAYS_THERE = ("status", "health_score", "filter_due")


async def test_device_page_shows_health_entities(site: Site, page: Page) -> None:
    """The device page lists the health entities, the status with a translated state."""
    heat_pump = site.heat_pump
    await open_panel(page, site.url, device_page(heat_pump))
    entities = page.locator("ha-device-entities-card")
    for key in ALWAYS_THERE:
        name = heat_pump.names[heat_pump.entity(key)]
        await expect(entities.get_by_text(name, exact=True)).to_be_visible()

    status_name = heat_pump.names[heat_pump.entity("status")]
    status_row = entities.locator("hui-generic-entity-row").filter(
        has=page.get_by_text(status_name, exact=True)
    )
    translated = await state_names(site.client, "sensor", "status")
    assert translated, "the status sensor's states have no translations"
    any_state = re.compile("|".join(re.escape(text) for text in translated.values()))
    await expect(status_row).to_contain_text(any_state)


async def test_repairs_shows_the_finding(site: Site, page: Page) -> None:
    """A raised finding is a Repairs issue whose dialog offers the finding's fixes."""
    issue = await wait_for_issue(site.client, site.heat_pump, ("filter_due",))
    title = await issue_title(site.client, issue)
    await open_panel(page, site.url, "/config/repairs")
    item = page.get_by_text(title, exact=True)
    await expect(item).to_be_visible()

    await item.click()
    choices = await fix_flow_choices(site.client, issue)
    assert choices, f"no fix flow menu for {issue['translation_key']}"
    dialog = page.locator("dialog-data-entry-flow")
    for choice in choices:
        await expect(dialog.get_by_text(choice, exact=True)).to_be_visible()
