"""Drive a real dev Home Assistant (scripts/develop) and its frontend in headless Chromium.

Shared by the end-to-end tests in this folder and by dev/screenshots.py. Nothing here knows
the simulator's entity ids: the heat pump, its entities and its Repairs issues are looked up
through Home Assistant's REST and websocket APIs, so the helpers keep working when the
simulator (dev/heat_pump_sim) changes.

The instance is started through scripts/develop with its own port and a throw-away config
directory (HPH_PORT, HPH_CONFIG), in a process group of its own that is killed as a whole when
it is stopped. It trusts the loopback interface (trusted_networks with bypass login), so both
the API token and the browser session are had without a password.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
import contextlib
from dataclasses import dataclass, field
from datetime import date, timedelta
import os
from pathlib import Path
import re
import shutil
import signal
import socket
import tempfile
import time
from typing import Any, Literal, Self

import aiohttp
from playwright.async_api import Browser, BrowserContext, Page, Playwright

ROOT = Path(__file__).resolve().parent.parent
DEVELOP = ROOT / "scripts" / "develop"
# The environment whose Home Assistant the instance runs: .venv, or another one named by
# HPH_VENV (scripts/test --ha-next sets .venv-next).
DEFAULT_VENV = ".venv"

DEFAULT_PORT = 8125
DOMAIN = "heat_pump_health"
SIM_DOMAIN = "heat_pump_sim"
# The owner user dev/prepare_config.py creates; the login page's user picker selects it.
DEV_USER = "Developer"
# Where Debian (and most distributions) put Chromium; HPH_CHROMIUM overrides.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_HINT = (
    "headless Chromium is needed: `apt-get install -y --no-install-recommends chromium` "
    "(scripts/setup does it when it may), or point HPH_CHROMIUM at a Chromium binary"
)
VIEWPORT_WIDTH = 1280
VIEWPORT_HEIGHT = 900
# A finding that only needs an owner's action: the filter recorded as cleaned this long ago
# (more than the default 60-day interval) is due at the engine's next evaluation, within a
# minute, whatever the simulated heat pump does.
FILTER_AGE_DAYS = 100

type ColorScheme = Literal["light", "dark"]


class HarnessError(Exception):
    """The dev instance or its frontend did not do what the harness waited for."""


def find_chromium() -> str | None:
    """The Chromium binary to drive: HPH_CHROMIUM, else the first one found on PATH."""
    if configured := os.environ.get("HPH_CHROMIUM"):
        return configured if os.access(configured, os.X_OK) else None
    for name in CHROMIUM_NAMES:
        if found := shutil.which(name):
            return found
    return None


def port_in_use(port: int) -> bool:
    """Whether something already accepts connections on the loopback port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


async def wait_for[T](
    what: str,
    check: Callable[[], Awaitable[T | None]],
    within: float,
    interval: float = 1.0,
) -> T:
    """Poll `check` until it returns something other than None; fail after `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        if (result := await check()) is not None:
            return result
        if time.monotonic() >= deadline:
            raise HarnessError(f"timed out after {within:.0f} s waiting for {what}")
        await asyncio.sleep(interval)


# -- the dev instance ----------------------------------------------------------------------


def environment() -> str:
    """The environment the instance runs from: HPH_VENV, else .venv."""
    return os.environ.get("HPH_VENV", DEFAULT_VENV)


def installed_home_assistant(venv: str) -> str:
    """The Home Assistant release installed in an environment, from its package metadata."""
    found = list((ROOT / venv).glob("lib/python*/site-packages/homeassistant-*.dist-info"))
    if len(found) != 1:
        raise HarnessError(f"{venv} has no single homeassistant package: {found}")
    return found[0].name.removeprefix("homeassistant-").removesuffix(".dist-info")


@dataclass(slots=True)
class DevInstance:
    """A running Home Assistant: where it listens and where it logs."""

    port: int
    config_dir: Path
    log_path: Path | None = None
    process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        """The base URL, without a trailing slash."""
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 60) -> str:
        """The end of the instance's output, for error messages."""
        if self.log_path is None or not self.log_path.exists():
            return "(no log)"
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def check_alive(self) -> None:
        """Fail with the log's end when the instance has exited."""
        if self.process is not None and (code := self.process.returncode) is not None:
            raise HarnessError(
                f"scripts/develop exited with code {code}; its output ends with:\n"
                + self.log_tail()
            )


@contextlib.asynccontextmanager
async def dev_instance(
    port: int = DEFAULT_PORT,
    *,
    sim_speed: float = 1.0,
    log_path: Path | None = None,
    startup_seconds: float = 120.0,
) -> AsyncIterator[DevInstance]:
    """Start scripts/develop on `port` with a fresh temporary config; stop it on exit."""
    if port_in_use(port):
        raise HarnessError(
            f"port {port} is already in use (another Home Assistant?); stop it or pick another port"
        )
    with tempfile.TemporaryDirectory(prefix="hph-e2e-", ignore_cleanup_errors=True) as tmp:
        config_dir = Path(tmp) / "config"
        if not (ROOT / environment() / "bin" / "python").is_file():
            raise HarnessError(f"{environment()} is missing: make it with scripts/setup")
        if log_path is None:
            log_path = Path(tmp) / "home-assistant.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        # No PYTHONPATH: a repository root on it would let the project's custom_components
        # package shadow the config's custom_components folder (and so the simulator).
        env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
        env |= {
            "HPH_PORT": str(port),
            "HPH_CONFIG": str(config_dir),
            "HPH_SIM_SPEED": f"{sim_speed:g}",
            # The default unit, whatever the developer's shell chose for scripts/develop.
            "HPH_SIM_PROFILE": "air_to_air",
        }
        with log_path.open("wb") as log:
            process = await asyncio.create_subprocess_exec(
                DEVELOP,
                cwd=ROOT,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
            )
        instance = DevInstance(port, config_dir, log_path, process)
        try:
            await wait_until_listening(instance, startup_seconds)
            yield instance
        finally:
            await stop_process_group(process)


async def wait_until_listening(instance: DevInstance, within: float) -> None:
    """Wait until the HTTP server answers (unauthenticated, so no failed-login notice)."""

    async def answers() -> bool | None:
        instance.check_alive()
        try:
            async with (
                aiohttp.ClientSession() as session,
                session.get(
                    f"{instance.url}/auth/providers", timeout=aiohttp.ClientTimeout(total=5)
                ) as response,
            ):
                return True if response.status == 200 else None
        except aiohttp.ClientError, TimeoutError:
            return None

    try:
        await wait_for(f"Home Assistant on port {instance.port}", answers, within)
    except HarnessError as err:
        raise HarnessError(f"{err}; its output ends with:\n{instance.log_tail()}") from None


async def stop_process_group(process: asyncio.subprocess.Process, grace: float = 20.0) -> None:
    """Stop Home Assistant (SIGTERM, then SIGKILL after `grace` s) with its whole group."""
    # scripts/develop runs in a session of its own (and execs Home Assistant), so its
    # process id is the group's.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(process.wait(), grace)
    # Anything of the group still there (the leader, or a child it left) goes now.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    await process.wait()


# -- the API -------------------------------------------------------------------------------


class HomeAssistantClient:
    """REST and websocket access with a token had through the trusted-network login."""

    def __init__(self, url: str, session: aiohttp.ClientSession, token: str) -> None:
        """Use an open session and an access token."""
        self.url = url
        self.session = session
        self.token = token
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._ws_lock = asyncio.Lock()
        self._next_id = 1

    @classmethod
    @contextlib.asynccontextmanager
    async def connect(cls, url: str, user: str = DEV_USER) -> AsyncIterator[Self]:
        """Log in as `user` (bypass login from the loopback interface) and open a client."""
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
            token = await trusted_network_token(session, url, user)
            client = cls(url, session, token)
            try:
                yield client
            finally:
                if client._ws is not None:
                    await client._ws.close()

    @property
    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def rest(self, method: str, path: str, payload: Any = None) -> Any:  # noqa: ANN401
        """Call the REST API; the decoded JSON answer, or HarnessError for an error status."""
        async with self.session.request(
            method, f"{self.url}{path}", json=payload, headers=self._headers
        ) as response:
            text = await response.text()
            if response.status >= 400:
                raise HarnessError(f"{method} {path}: HTTP {response.status}: {text[:500]}")
            return await response.json(content_type=None) if text else None

    async def ws(self, message_type: str, **data: Any) -> Any:  # noqa: ANN401
        """Send one websocket command and return its result (HarnessError when it failed)."""
        async with self._ws_lock:
            if self._ws is None or self._ws.closed:
                self._ws = await self._open_websocket()
            message_id = self._next_id
            self._next_id += 1
            await self._ws.send_json({"id": message_id, "type": message_type, **data})
            while True:
                answer: dict[str, Any] = await self._ws.receive_json()
                if answer.get("id") == message_id and answer.get("type") == "result":
                    break
        if not answer.get("success"):
            raise HarnessError(f"websocket {message_type}: {answer.get('error')}")
        return answer.get("result")

    async def _open_websocket(self) -> aiohttp.ClientWebSocketResponse:
        ws = await self.session.ws_connect(f"{self.url}/api/websocket")
        await ws.receive_json()  # auth_required
        await ws.send_json({"type": "auth", "access_token": self.token})
        if (answer := await ws.receive_json()).get("type") != "auth_ok":
            await ws.close()
            raise HarnessError(f"websocket authentication failed: {answer}")
        return ws

    async def call_service(self, domain: str, service: str, data: Mapping[str, Any]) -> None:
        """Call an action through the REST API."""
        await self.rest("POST", f"/api/services/{domain}/{service}", dict(data))

    async def state(self, entity_id: str) -> dict[str, Any] | None:
        """An entity's state object, or None when it has none."""
        try:
            result: dict[str, Any] = await self.rest("GET", f"/api/states/{entity_id}")
        except HarnessError as err:
            if "HTTP 404" in str(err):
                return None
            raise
        return result

    async def translations(self, category: str, integration: str) -> dict[str, str]:
        """The frontend's English strings of one category for one integration."""
        result = await self.ws(
            "frontend/get_translations",
            language="en",
            category=category,
            integration=[integration],
        )
        resources: dict[str, str] = result["resources"]
        return resources


async def trusted_network_token(session: aiohttp.ClientSession, url: str, user: str) -> str:
    """An access token through the trusted_networks login flow, picking `user` if asked."""
    client_id = f"{url}/"
    async with session.post(
        f"{url}/auth/login_flow",
        json={
            "client_id": client_id,
            "handler": ["trusted_networks", None],
            "redirect_uri": f"{client_id}?auth_callback=1",
        },
    ) as response:
        step: dict[str, Any] = await response.json()
    if step.get("type") == "form":
        # Several users: the form asks which one, as the login page's picker does.
        users: list[list[str]] = next(
            (field["options"] for field in step["data_schema"] if field["name"] == "user"), []
        )
        if not users:
            raise HarnessError(f"trusted_networks login offers no user: {step}")
        user_id = next((uid for uid, name in users if name == user), users[0][0])
        async with session.post(
            f"{url}/auth/login_flow/{step['flow_id']}",
            json={"client_id": client_id, "user": user_id},
        ) as response:
            step = await response.json()
    if step.get("type") != "create_entry":
        raise HarnessError(f"trusted_networks login did not finish: {step}")
    async with session.post(
        f"{url}/auth/token",
        data={"grant_type": "authorization_code", "code": step["result"], "client_id": client_id},
    ) as response:
        tokens: dict[str, Any] = await response.json()
    if "access_token" not in tokens:
        raise HarnessError(f"no access token: {tokens}")
    token: str = tokens["access_token"]
    return token


# -- the heat pump -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HeatPump:
    """The simulated heat pump's heat_pump_health entry, device and entities."""

    entry_id: str
    title: str
    device_id: str
    device_name: str
    # Translation key (status, health_score, filter_due, ...) -> entity id.
    entities: dict[str, str]
    # Entity id -> the name the device page shows (without the device's name).
    names: dict[str, str] = field(default_factory=dict)

    def entity(self, key: str) -> str:
        """The entity id of one of the health entities, by its translation key."""
        try:
            return self.entities[key]
        except KeyError:
            raise HarnessError(f"{self.title} has no {key!r} entity") from None


async def wait_for_heat_pump(client: HomeAssistantClient, within: float = 180.0) -> HeatPump:
    """The first loaded heat_pump_health entry, once its status sensor has a state."""

    async def loaded() -> HeatPump | None:
        entries: list[dict[str, Any]] = await client.rest(
            "GET", f"/api/config/config_entries/entry?domain={DOMAIN}"
        )
        entry = next((entry for entry in entries if entry["state"] == "loaded"), None)
        if entry is None:
            return None
        registry: list[dict[str, Any]] = await client.ws("config/entity_registry/list")
        mine = [item for item in registry if item["config_entry_id"] == entry["entry_id"]]
        entities = {item["translation_key"]: item["entity_id"] for item in mine}
        status = entities.get("status")
        if status is None:
            return None
        state = await client.state(status)
        if state is None or state["state"] in ("unknown", "unavailable"):
            return None
        device_id = next(item["device_id"] for item in mine if item["entity_id"] == status)
        devices: list[dict[str, Any]] = await client.ws("config/device_registry/list")
        device = next(item for item in devices if item["id"] == device_id)
        return HeatPump(
            entry_id=entry["entry_id"],
            title=entry["title"],
            device_id=device_id,
            device_name=device["name_by_user"] or device["name"],
            entities=entities,
            names={item["entity_id"]: item["name"] or item["original_name"] for item in mine},
        )

    return await wait_for("a loaded heat_pump_health entry with a status", loaded, within)


async def record_old_filter_cleaning(client: HomeAssistantClient, heat_pump: HeatPump) -> None:
    """Record the filter as cleaned FILTER_AGE_DAYS ago, so `filter_due` is raised."""
    day = (date.today() - timedelta(days=FILTER_AGE_DAYS)).isoformat()

    async def recorded() -> bool | None:
        try:
            await client.call_service(
                DOMAIN,
                "record_maintenance",
                {"config_entry_id": heat_pump.entry_id, "kind": "filter", "date": day},
            )
        except HarnessError as err:
            # Refused (HTTP 400) while the recorder's history is read at setup: try again.
            if "HTTP 400" in str(err):
                return None
            raise
        return True

    await wait_for("heat_pump_health.record_maintenance to be accepted", recorded, 120.0)


async def health_issues(client: HomeAssistantClient) -> list[dict[str, Any]]:
    """The open Repairs issues of heat_pump_health."""
    result = await client.ws("repairs/list_issues")
    return [
        issue
        for issue in result["issues"]
        if issue["domain"] == DOMAIN and not issue.get("ignored") and not issue.get("dismissed")
    ]


async def wait_for_issue(
    client: HomeAssistantClient,
    heat_pump: HeatPump,
    keys: tuple[str, ...] | None = None,
    within: float = 100.0,
) -> dict[str, Any]:
    """The first open Repairs issue of this heat pump (of one of `keys`, if given)."""

    async def raised() -> dict[str, Any] | None:
        for issue in await health_issues(client):
            if not issue["issue_id"].startswith(heat_pump.entry_id):
                continue
            if keys is None or issue["translation_key"] in keys:
                return issue
        return None

    wanted = ", ".join(keys) if keys else "any finding"
    return await wait_for(f"a Repairs issue ({wanted})", raised, within, interval=2.0)


def fill_placeholders(text: str, placeholders: Mapping[str, Any] | None) -> str:
    """A translated string with its {placeholders} filled in, as the frontend shows it."""
    values = placeholders or {}
    return re.sub(r"\{(\w+)\}", lambda match: str(values.get(match[1], match[0])), text)


async def issue_title(client: HomeAssistantClient, issue: Mapping[str, Any]) -> str:
    """A Repairs issue's title as the Repairs page shows it."""
    strings = await client.translations("issues", issue["domain"])
    key = f"component.{issue['domain']}.issues.{issue['translation_key']}.title"
    if key not in strings:
        raise HarnessError(f"no translated title {key}")
    return fill_placeholders(strings[key], issue.get("translation_placeholders"))


async def fix_flow_choices(client: HomeAssistantClient, issue: Mapping[str, Any]) -> list[str]:
    """The choices the first step of an issue's fix flow offers, as its dialog shows them."""
    strings = await client.translations("issues", issue["domain"])
    prefix = (
        f"component.{issue['domain']}.issues.{issue['translation_key']}"
        ".fix_flow.step.init.menu_options."
    )
    return [text for key, text in strings.items() if key.startswith(prefix)]


async def state_names(client: HomeAssistantClient, platform: str, key: str) -> dict[str, str]:
    """The translated names of an entity's states: state -> name."""
    strings = await client.translations("entity", DOMAIN)
    prefix = f"component.{DOMAIN}.entity.{platform}.{key}.state."
    return {name[len(prefix) :]: text for name, text in strings.items() if name.startswith(prefix)}


async def set_notify_services(
    client: HomeAssistantClient, heat_pump: HeatPump, services: list[str]
) -> None:
    """Add notify services to the entry's options through its options flow, keeping the rest."""
    step: dict[str, Any] = await client.rest(
        "POST", "/api/config/config_entries/options/flow", {"handler": heat_pump.entry_id}
    )
    if step.get("type") != "form":
        raise HarnessError(f"the options flow did not show its form: {step}")
    answer = _form_values(step["data_schema"])
    notifications = answer.setdefault("notifications", {})
    current = list(notifications.get("notify_services") or [])
    notifications["notify_services"] = current + [name for name in services if name not in current]
    result = await client.rest(
        "POST", f"/api/config/config_entries/options/flow/{step['flow_id']}", answer
    )
    if result.get("type") != "create_entry":
        raise HarnessError(f"the options were not saved: {result}")


def _form_values(schema: list[dict[str, Any]]) -> dict[str, Any]:
    """What a form holds now: each field's suggested value, else its default."""
    values: dict[str, Any] = {}
    for field_schema in schema:
        name = field_schema["name"]
        if field_schema.get("type") == "expandable":
            values[name] = _form_values(field_schema["schema"])
        elif "suggested_value" in (field_schema.get("description") or {}):
            values[name] = field_schema["description"]["suggested_value"]
        elif "default" in field_schema:
            values[name] = field_schema["default"]
    return values


async def wait_for_reload(client: HomeAssistantClient, within: float = 60.0) -> HeatPump:
    """The heat pump again after its entry reloaded (an options change reloads it)."""
    await asyncio.sleep(1.0)
    return await wait_for_heat_pump(client, within)


# -- the browser ---------------------------------------------------------------------------


async def launch_chromium(playwright: Playwright) -> Browser:
    """Headless Chromium from the system (Playwright downloads no browser of its own here)."""
    executable = find_chromium()
    if executable is None:
        raise HarnessError(f"no Chromium found: {CHROMIUM_HINT}")
    return await playwright.chromium.launch(executable_path=executable, headless=True)


async def logged_in_context(
    browser: Browser,
    url: str,
    *,
    color_scheme: ColorScheme = "light",
    user: str = DEV_USER,
    within: float = 60.0,
) -> BrowserContext:
    """A browser context logged in to the frontend (its tokens kept in local storage)."""
    context = await browser.new_context(
        viewport={"width": VIEWPORT_WIDTH, "height": VIEWPORT_HEIGHT},
        color_scheme=color_scheme,
        locale="en-US",
        device_scale_factor=1,
    )
    page = await context.new_page()
    try:
        await frontend_login(page, url, user=user, within=within)
    finally:
        await page.close()
    return context


async def frontend_login(
    page: Page, url: str, *, user: str = DEV_USER, within: float = 60.0
) -> None:
    """Open the frontend and get past the login page: bypass login, or the user picker."""
    await page.goto(f"{url}/")
    clicked = False

    async def in_app() -> bool | None:
        nonlocal clicked
        if "/auth/authorize" in page.url:
            login = page.get_by_role("button", name="Log in")
            if not clicked and await login.is_visible():
                # Several users to pick from: choose ours (else the preselected one) and log in.
                picker = page.get_by_text(user, exact=True)
                if await picker.count():
                    await picker.first.click()
                await login.click()
                clicked = True
            return None
        if "auth_callback" in page.url:
            return None
        return True if await page.locator("home-assistant-main").count() else None

    await wait_for("the frontend to log in", in_app, within, interval=0.5)


async def open_panel(page: Page, url: str, path: str) -> None:
    """Load a frontend page and wait until the app has drawn it."""
    await page.goto(f"{url}{path}")
    await page.locator("home-assistant-main").wait_for(state="attached")
    await page.locator("partial-panel-resolver").wait_for(state="attached")


def device_page(heat_pump: HeatPump) -> str:
    """The path of the heat pump's device page."""
    return f"/config/devices/device/{heat_pump.device_id}"
