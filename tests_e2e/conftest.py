"""Fixtures: one dev Home Assistant for the session, headless Chromium, a logged-in browser.

The instance is scripts/develop on port 8125 (HPH_E2E_PORT) with a fresh temporary config,
stopped with its whole process group at the end even when a test fails. Its output is kept in
.dev/e2e/home-assistant.log, and a failing test leaves a screenshot of its page beside it.

Chromium is required: without it the suite fails, so CI cannot pass it by skipping.
HPH_SKIP_E2E=1 skips it instead, for machines without Chromium.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator
from dataclasses import dataclass
import os
import re

from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect
import pytest
import pytest_asyncio

from .harness import (
    CHROMIUM_HINT,
    DEFAULT_PORT,
    ROOT,
    DevInstance,
    HeatPump,
    HomeAssistantClient,
    dev_instance,
    environment,
    find_chromium,
    installed_home_assistant,
    logged_in_context,
    record_old_filter_cleaning,
    wait_for_heat_pump,
)

ARTIFACTS = ROOT / ".dev" / "e2e"
LOG_PATH = ARTIFACTS / "home-assistant.log"
# The frontend loads its panels lazily; on a slow machine that takes a few seconds.
expect.set_options(timeout=30_000)

_REPORT = pytest.StashKey[pytest.TestReport]()


@dataclass(frozen=True, slots=True)
class Site:
    """The running instance, an API client logged in to it, and its heat pump."""

    instance: DevInstance
    client: HomeAssistantClient
    heat_pump: HeatPump

    @property
    def url(self) -> str:
        """The frontend's base URL."""
        return self.instance.url


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each test's outcome for its fixtures, and add the instance's log to failures."""
    report = yield
    if report.when == "call":
        item.stash[_REPORT] = report
    if report.failed and LOG_PATH.exists():
        lines = LOG_PATH.read_text(encoding="utf-8", errors="replace").splitlines()
        report.sections.append(("Home Assistant log (last 80 lines)", "\n".join(lines[-80:])))
    return report


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium binary; the suite fails without one unless HPH_SKIP_E2E=1."""
    if os.environ.get("HPH_SKIP_E2E") == "1":
        pytest.skip("HPH_SKIP_E2E=1: end-to-end tests skipped")
    if (path := find_chromium()) is None:
        pytest.fail(f"no Chromium found: {CHROMIUM_HINT}; HPH_SKIP_E2E=1 skips this suite")
    return path


@pytest_asyncio.fixture(scope="session")
async def site(chromium: str) -> AsyncIterator[Site]:
    """The dev instance with its heat pump running, and a finding on its way.

    The filter is recorded as cleaned long ago before any test runs, so the engine raises
    `filter_due` at its next evaluation (within a minute) while the device page is checked.
    """
    port = int(os.environ.get("HPH_E2E_PORT", DEFAULT_PORT))
    speed = float(os.environ.get("HPH_SIM_SPEED", "60"))
    async with (
        dev_instance(port, sim_speed=speed, log_path=LOG_PATH) as instance,
        HomeAssistantClient.connect(instance.url) as client,
    ):
        # The release under test is the environment's (HPH_VENV picks another than .venv).
        running = (await client.rest("GET", "/api/config"))["version"]
        assert running == installed_home_assistant(environment())
        heat_pump = await wait_for_heat_pump(client)
        await record_old_filter_cleaning(client, heat_pump)
        yield Site(instance, client, heat_pump)


@pytest_asyncio.fixture(scope="session")
async def browser(chromium: str) -> AsyncIterator[Browser]:
    """Headless Chromium, shared by the tests."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, headless=True)
        try:
            yield browser
        finally:
            await browser.close()


@pytest_asyncio.fixture(scope="session")
async def context(browser: Browser, site: Site) -> AsyncIterator[BrowserContext]:
    """A browser context logged in to the dev instance's frontend."""
    context = await logged_in_context(browser, site.url)
    try:
        yield context
    finally:
        await context.close()


@pytest_asyncio.fixture
async def page(context: BrowserContext, request: pytest.FixtureRequest) -> AsyncIterator[Page]:
    """A fresh tab; a failing test leaves a screenshot of it in .dev/e2e/."""
    page = await context.new_page()
    try:
        yield page
    finally:
        report = request.node.stash.get(_REPORT, None)
        if report is not None and report.failed:
            name = re.sub(r"[^\w.-]+", "_", request.node.name)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=ARTIFACTS / f"{name}.png")
        await page.close()
