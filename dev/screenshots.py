"""Take the documentation's screenshots of the real frontend; run by scripts/screenshots.

Starts a dev Home Assistant (scripts/develop) on port 8125 with a throw-away config, or with
--reuse uses one already running, waits until the simulated heat pump has data, sends its
findings to `notify.persistent_notification` (through the entry's options flow), raises a
finding, and drives headless Chromium to write, into docs/screenshots/:

- device.png: the heat pump's device page with the health entities;
- repairs_issue.png: the finding's Repairs issue, its dialog open;
- dashboard.png: the heat pump dashboard (skipped, with a message, while there is none);
- notification.png: the finding's notification in the notification drawer.

The finding is a fault injected through the simulator's fault select when it has one (the
water leak, or --fault), else the filter reminder, raised by recording the filter as cleaned
100 days ago. Either takes up to a minute or two: the engine judges once a minute, and
notifications go out once a minute.
"""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import dataclass
from datetime import datetime
import os
from pathlib import Path
import sys
import time
from typing import Any

from playwright.async_api import BrowserContext, Locator, Page, async_playwright, expect

from tests_e2e.harness import (
    DEFAULT_PORT,
    ROOT,
    SIM_DOMAIN,
    VIEWPORT_HEIGHT,
    VIEWPORT_WIDTH,
    ColorScheme,
    DevInstance,
    HarnessError,
    HeatPump,
    HomeAssistantClient,
    dev_instance,
    device_page,
    fix_flow_choices,
    health_issues,
    issue_title,
    launch_chromium,
    logged_in_context,
    open_panel,
    port_in_use,
    record_old_filter_cleaning,
    set_notify_services,
    wait_for,
    wait_for_heat_pump,
    wait_for_issue,
    wait_for_reload,
)

# The heat pump dashboard's URL path (dev/dashboards/heat_pump_health.yaml, registered as a
# YAML dashboard). When it is not there, a dashboard whose path or title names a heat pump is
# taken instead; with neither, the dashboard shot is skipped.
DASHBOARD_PATH = "dashboard-heat-pump"
NOTIFY_SERVICE = "notify.persistent_notification"
OUTPUT = ROOT / "docs" / "screenshots"
# The device page and the dashboard are shot as tall as their cards, up to this.
MAX_PAGE_HEIGHT = 3200
# Seconds to let cards, charts and dialog animations settle before a shot.
SETTLE = 2.0


def say(message: str) -> None:
    """Report progress on stderr."""
    sys.stderr.write(f"screenshots: {message}\n")
    sys.stderr.flush()


@dataclass(slots=True)
class Finding:
    """The Repairs issue the screenshots show, and how it was raised."""

    issue: dict[str, Any]
    title: str
    choices: list[str]
    raised_at: float
    fault: tuple[str, str, str] | None = None  # select entity, option chosen, option before


# -- preparing the instance ----------------------------------------------------------------


async def wait_for_data(client: HomeAssistantClient, heat_pump: HeatPump) -> None:
    """Wait until the engine has read the recorded history and seen the compressor start.

    The measurement sensors write a changed figure only every ten minutes, so the engine's
    own snapshot (in the entry's diagnostics) is asked; the owner's action that raises the
    finding then writes every figure at once.
    """

    async def has_run() -> bool | None:
        diagnostics = await client.rest(
            "GET", f"/api/diagnostics/config_entry/{heat_pump.entry_id}"
        )
        snapshot: dict[str, Any] = diagnostics["data"].get("snapshot") or {}
        status = await client.state(heat_pump.entity("status"))
        if status is None or status["attributes"].get("recorder_history") == "reading":
            return None
        return True if snapshot.get("total_starts") else None

    try:
        await wait_for("the heat pump to start", has_run, 120.0, interval=2.0)
    except HarnessError:
        say("the heat pump has not started yet; its figures may show zero")


async def ensure_notifications(client: HomeAssistantClient, heat_pump: HeatPump) -> HeatPump:
    """Send the findings to persistent notifications too; the entry reloads when changed."""
    diagnostics = await client.rest("GET", f"/api/diagnostics/config_entry/{heat_pump.entry_id}")
    options: dict[str, Any] = diagnostics["data"]["entry"]["options"]
    if NOTIFY_SERVICE in (options.get("notify_services") or []):
        return heat_pump
    say(f"adding {NOTIFY_SERVICE} to the options' notify services")
    await set_notify_services(client, heat_pump, [NOTIFY_SERVICE])
    return await wait_for_reload(client)


async def dismiss_login_notices(client: HomeAssistantClient) -> None:
    """Dismiss 'Login attempt failed' notices, which would crowd the drawer."""
    for notification in await client.ws("persistent_notification/get"):
        if notification["notification_id"].startswith("http-login"):
            await client.call_service(
                "persistent_notification",
                "dismiss",
                {"notification_id": notification["notification_id"]},
            )


async def inject_fault(
    client: HomeAssistantClient, wanted: str | None
) -> tuple[str, str, str] | None:
    """Select a fault on the simulator's fault select, if it has one and the option exists."""
    registry: list[dict[str, Any]] = await client.ws("config/entity_registry/list")
    selects = [
        item
        for item in registry
        if item["platform"] == SIM_DOMAIN and item["entity_id"].startswith("select.")
    ]
    # The fault select itself (translation key `fault`), not its companions (fault_start, ...).
    fault_select = next(
        (item for item in selects if item.get("translation_key") == "fault"),
        next((item for item in selects if item["entity_id"].endswith("_fault")), None),
    )
    if fault_select is None:
        return None
    entity_id: str = fault_select["entity_id"]
    state = await client.state(entity_id)
    if state is None:
        return None
    options: list[str] = list(state["attributes"].get("options") or [])
    if wanted is not None:
        option = next((item for item in options if item.lower() == wanted.lower()), None)
        if option is None:
            raise HarnessError(f"{entity_id} has no option {wanted!r}; it has {options}")
    else:
        # A water leak: its finding is raised at the engine's next evaluation.
        option = next(
            (item for item in options if item == "water_leak"),
            next((item for item in options if "water" in item and "leak" in item), None),
        )
    if option is None:
        return None
    say(f"injecting the simulator's fault {option!r} ({entity_id})")
    await client.call_service("select", "select_option", {"entity_id": entity_id, "option": option})
    return entity_id, option, str(state["state"])


async def raise_finding(
    client: HomeAssistantClient, heat_pump: HeatPump, fault: str | None
) -> Finding:
    """Raise a finding (a simulator fault, else the filter reminder) and wait for its issue."""
    before = {issue["issue_id"] for issue in await health_issues(client)}
    raised_at = time.time()
    injected = await inject_fault(client, fault)
    issue: dict[str, Any] | None = None
    if injected is not None:
        say("waiting for the fault's finding (up to 3 minutes)")
        try:
            issue = await wait_for(
                "the fault's Repairs issue",
                lambda: _new_issue(client, heat_pump, before),
                180.0,
                interval=2.0,
            )
        except HarnessError:
            if fault is not None:
                raise
            say("the fault raised no finding in time; using the filter reminder instead")
    if issue is None:
        say("recording the filter as cleaned 100 days ago (the filter reminder follows)")
        await record_old_filter_cleaning(client, heat_pump)
        issue = await wait_for_issue(client, heat_pump, ("filter_due",), 100.0)
    title = await issue_title(client, issue)
    say(f"Repairs issue: {title}")
    choices = await fix_flow_choices(client, issue)
    return Finding(issue, title, choices, raised_at, injected)


async def _new_issue(
    client: HomeAssistantClient, heat_pump: HeatPump, before: set[str]
) -> dict[str, Any] | None:
    """The most severe issue of this heat pump that was not open before."""
    order = {"critical": 0, "error": 1, "warning": 2}
    new = [
        issue
        for issue in await health_issues(client)
        if issue["issue_id"].startswith(heat_pump.entry_id) and issue["issue_id"] not in before
    ]
    return min(new, key=lambda issue: order.get(issue["severity"], 3)) if new else None


async def wait_for_notification(
    client: HomeAssistantClient, finding: Finding
) -> dict[str, Any] | None:
    """The finding's persistent notification (sent once a minute), or None after two minutes.

    One created since the finding was raised, or an older one with the issue's title (a
    reused instance that had told of this finding before).
    """

    async def sent() -> dict[str, Any] | None:
        notifications: list[dict[str, Any]] = await client.ws("persistent_notification/get")
        for notification in notifications:
            if notification["notification_id"].startswith("http-login"):
                continue
            created = datetime.fromisoformat(notification["created_at"]).timestamp()
            if created >= finding.raised_at - 1 or notification["title"] == finding.title:
                return notification
        return None

    try:
        return await wait_for("the finding's notification", sent, 120.0, interval=2.0)
    except HarnessError as err:
        say(f"no notification to show: {err}")
        return None


async def find_dashboard(client: HomeAssistantClient) -> str | None:
    """The heat pump dashboard's URL path: DASHBOARD_PATH, or one named for a heat pump."""
    panels: dict[str, dict[str, Any]] = await client.ws("get_panels")
    dashboards = {
        path: panel for path, panel in panels.items() if panel.get("component_name") == "lovelace"
    }
    if DASHBOARD_PATH in dashboards:
        return DASHBOARD_PATH
    for path, panel in dashboards.items():
        text = f"{path} {panel.get('title') or ''}".lower().replace("-", " ").replace("_", " ")
        if "heat pump" in text:
            return path
    return None


# -- the shots -----------------------------------------------------------------------------


async def shoot(page: Page, path: Path, fit: Locator | None = None) -> None:
    """Let the page settle, then write the window to `path`.

    The window is VIEWPORT_WIDTH x VIEWPORT_HEIGHT; with `fit` (cards) it is made taller, up
    to MAX_PAGE_HEIGHT, until every such card is in view.
    """
    height = VIEWPORT_HEIGHT
    if fit is not None:
        await page.set_viewport_size({"width": VIEWPORT_WIDTH, "height": MAX_PAGE_HEIGHT})
        # Cards (charts above all) draw late and grow: measure until the bottom holds still.
        bottom, previous = 0.0, -1.0
        for _ in range(10):
            await asyncio.sleep(SETTLE)
            previous, bottom = bottom, 0.0
            for card in await fit.all():
                if (box := await card.bounding_box()) is not None:
                    bottom = max(bottom, box["y"] + box["height"])
            if bottom == previous:
                break
        height = min(MAX_PAGE_HEIGHT, max(VIEWPORT_HEIGHT, round(bottom) + 24))
    await page.set_viewport_size({"width": VIEWPORT_WIDTH, "height": height})
    await asyncio.sleep(SETTLE)
    await page.screenshot(path=path)
    say(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


async def shoot_device(context: BrowserContext, url: str, heat_pump: HeatPump, out: Path) -> None:
    """The device page with the health entities."""
    page = await context.new_page()
    try:
        await open_panel(page, url, device_page(heat_pump))
        status = heat_pump.names[heat_pump.entity("status")]
        await expect(page.locator("ha-device-entities-card").get_by_text(status)).to_be_visible()
        # As tall as the card that lists the health entities, so that all are in the picture.
        cards = page.locator("ha-device-entities-card")
        await shoot(page, out, fit=cards.filter(has=page.get_by_text(status, exact=True)))
    finally:
        await page.close()


async def shoot_repairs(context: BrowserContext, url: str, finding: Finding, out: Path) -> None:
    """Settings → Repairs with the finding's issue open."""
    page = await context.new_page()
    try:
        await open_panel(page, url, "/config/repairs")
        await page.get_by_text(finding.title, exact=True).click()
        dialog = page.locator("dialog-data-entry-flow")
        # The fix flow's first step is a menu: wait until its choices are drawn.
        for choice in finding.choices:
            await expect(dialog.get_by_text(choice, exact=True)).to_be_visible()
        await shoot(page, out)
    finally:
        await page.close()


async def shoot_dashboard(
    context: BrowserContext, url: str, dashboard: str | None, out: Path
) -> bool:
    """The heat pump dashboard, when there is one; whether it was shot."""
    if dashboard is None:
        say(
            f"skipping {out.name}: no dashboard at /{DASHBOARD_PATH} (nor one named for a heat "
            "pump) yet; change DASHBOARD_PATH in dev/screenshots.py if it moved"
        )
        return False
    page = await context.new_page()
    try:
        await open_panel(page, url, f"/{dashboard}")
        await page.locator("hui-view, hui-sections-view, hui-masonry-view").first.wait_for()
        await page.locator("hui-root ha-card").first.wait_for()
        await shoot(page, out, fit=page.locator("hui-root ha-card"))
    finally:
        await page.close()
    return True


async def shoot_notification(
    context: BrowserContext, url: str, notification: dict[str, Any] | None, out: Path
) -> bool:
    """The notification drawer, opened from the sidebar, with the finding's message."""
    if notification is None:
        say(f"skipping {out.name}: no notification")
        return False
    page = await context.new_page()
    try:
        await open_panel(page, url, "/config/dashboard")
        await page.locator("ha-sidebar").get_by_text("Notifications", exact=True).click()
        drawer = page.locator("notification-drawer")
        await expect(drawer.get_by_text(notification["title"], exact=True)).to_be_visible()
        await shoot(page, out)
    finally:
        await page.close()
    return True


# -- the command ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Options:
    """The command line."""

    port: int
    reuse: bool
    output: Path
    color_scheme: ColorScheme
    speed: float
    fault: str | None


def parse_args(argv: list[str] | None = None) -> Options:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="scripts/screenshots", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the Home Assistant already running on --port (default HPH_PORT, else 8123) "
        "instead of starting one; it is left running, with the finding and options set",
    )
    parser.add_argument("--port", type=int, help="port (default: HPH_PORT, else 8125 or 8123)")
    parser.add_argument("--out", type=Path, default=OUTPUT, help="folder for the PNG files")
    parser.add_argument(
        "--dark", action="store_true", help="dark theme; the files get a -dark suffix"
    )
    parser.add_argument(
        "--speed",
        type=float,
        default=float(os.environ.get("HPH_SIM_SPEED", "60")),
        help="simulation speed of a started instance (default: HPH_SIM_SPEED, else 60)",
    )
    parser.add_argument(
        "--fault", help="the simulator's fault select option to inject (default: water_leak)"
    )
    args = parser.parse_args(argv)
    port = args.port or int(os.environ.get("HPH_PORT") or (8123 if args.reuse else DEFAULT_PORT))
    return Options(
        port=port,
        reuse=args.reuse,
        output=args.out.resolve(),
        color_scheme="dark" if args.dark else "light",
        speed=args.speed,
        fault=args.fault,
    )


async def take_screenshots(instance: DevInstance, options: Options) -> list[Path]:
    """Prepare the instance, raise a finding and write the PNG files; return those written."""
    suffix = "-dark" if options.color_scheme == "dark" else ""
    out = options.output
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    async with HomeAssistantClient.connect(instance.url) as client:
        heat_pump = await wait_for_heat_pump(client)
        say(f"heat pump: {heat_pump.title} ({heat_pump.device_name})")
        heat_pump = await ensure_notifications(client, heat_pump)
        await wait_for_data(client, heat_pump)
        await dismiss_login_notices(client)
        finding = await raise_finding(client, heat_pump, options.fault)
        say("waiting for the notification (sent once a minute)")
        notification = await wait_for_notification(client, finding)
        dashboard = await find_dashboard(client)
        try:
            async with async_playwright() as playwright:
                browser = await launch_chromium(playwright)
                context = await logged_in_context(
                    browser, instance.url, color_scheme=options.color_scheme
                )
                url = instance.url
                path = out / f"device{suffix}.png"
                await shoot_device(context, url, heat_pump, path)
                written.append(path)
                path = out / f"repairs_issue{suffix}.png"
                await shoot_repairs(context, url, finding, path)
                written.append(path)
                path = out / f"dashboard{suffix}.png"
                if await shoot_dashboard(context, url, dashboard, path):
                    written.append(path)
                path = out / f"notification{suffix}.png"
                if await shoot_notification(context, url, notification, path):
                    written.append(path)
                await browser.close()
        finally:
            if options.reuse and finding.fault is not None:
                entity_id, _, previous = finding.fault
                say(f"restoring {entity_id} to {previous!r}")
                await client.call_service(
                    "select", "select_option", {"entity_id": entity_id, "option": previous}
                )
    return written


async def run(options: Options) -> list[Path]:
    """Start (or reuse) the instance and take the screenshots."""
    if options.reuse:
        if not port_in_use(options.port):
            raise HarnessError(f"nothing listens on port {options.port}; start scripts/develop")
        say(f"using the Home Assistant on port {options.port}")
        instance = DevInstance(options.port, Path())
        return await take_screenshots(instance, options)
    log_path = ROOT / ".dev" / "screenshots" / "home-assistant.log"
    say(f"starting Home Assistant on port {options.port} (log: {log_path.relative_to(ROOT)})")
    async with dev_instance(options.port, sim_speed=options.speed, log_path=log_path) as instance:
        return await take_screenshots(instance, options)


def main(argv: list[str] | None = None) -> int:
    """Run the command; 0 when the screenshots were written."""
    options = parse_args(argv)
    started = time.monotonic()
    try:
        written = asyncio.run(run(options))
    except HarnessError as err:
        say(f"failed: {err}")
        return 1
    say(f"{len(written)} screenshots in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
