"""Make a dev Home Assistant config usable without a login step; run by scripts/develop.

Creates, once, the owner user (admin, with the `homeassistant` provider login dev/dev), marks
every onboarding step done and sets the HTTP server's listen addresses and port (which Home
Assistant keeps in .storage/http; `http:` in YAML is deprecated and would only be imported
once, as a trial to confirm in the UI). It uses Home Assistant's own auth and storage helpers,
so the files are in the format the installed release expects. Safe to run on every start.

Usage: python dev/prepare_config.py CONFIG_DIR --port 8123 --host 127.0.0.1 [--host ::1]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from pathlib import Path
import sys
from typing import Any

from homeassistant.auth import auth_manager_from_config
from homeassistant.auth.const import GROUP_ID_ADMIN
from homeassistant.auth.providers.homeassistant import HassAuthProvider
from homeassistant.components.http.config import HTTP_STORAGE_SCHEMA, ConfData, HTTPConfigStore
from homeassistant.components.onboarding import STORAGE_KEY, STORAGE_VERSION
from homeassistant.components.onboarding.const import STEPS
from homeassistant.config_entries import ConfigEntries
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.storage import Store

OWNER_NAME = "Developer"
USERNAME = "dev"
# A known password is fine: the dev instance listens on the loopback interface only.
PASSWORD = "dev"


async def _async_listen_on(hass: HomeAssistant, hosts: list[str], port: int) -> bool:
    """Make `hosts`/`port` the confirmed HTTP config; return whether anything changed."""
    store = HTTPConfigStore(hass)
    await store.async_load()
    wanted: dict[str, Any] = {"server_host": hosts, "server_port": port}
    stable_matches = all(store.stable.get(key) == value for key, value in wanted.items())
    if stable_matches and store.pending is None and store.yaml_migration_done:
        return False
    if not stable_matches or store.pending is not None:
        meta = ("created_at", "error", "error_message")
        kept = {key: value for key, value in store.stable.items() if key not in meta}
        config: ConfData = HTTP_STORAGE_SCHEMA({**kept, **wanted})
        await store.async_set_pending(config)  # clears pending if it equals stable
        if store.pending is not None:
            await store.async_promote_pending()
    if not store.yaml_migration_done:
        await store.async_mark_yaml_migration_done()
    return True


async def prepare(config_dir: Path, hosts: list[str], port: int) -> list[str]:
    """Create the owner user, finish onboarding, set the listen addresses; return what changed."""
    changes: list[str] = []
    hass = HomeAssistant(str(config_dir))
    # As in `python -m homeassistant --script auth`: registries load before auth.
    hass.config_entries = ConfigEntries(hass, {})
    await hass.config_entries.async_initialize()
    dr.async_setup(hass)
    await asyncio.gather(dr.async_load(hass), er.async_load(hass))
    hass.auth = await auth_manager_from_config(hass, [{"type": "homeassistant"}], [])
    provider = hass.auth.auth_providers[0]
    assert isinstance(provider, HassAuthProvider)
    await provider.async_initialize()

    if not any(not user.system_generated for user in await hass.auth.async_get_users()):
        await provider.async_add_auth(USERNAME, PASSWORD)
        user = await hass.auth.async_create_user(OWNER_NAME, group_ids=[GROUP_ID_ADMIN])
        credentials = await provider.async_get_or_create_credentials({"username": USERNAME})
        await hass.auth.async_link_user(user, credentials)
        changes.append(f"created owner user {OWNER_NAME!r} (login {USERNAME}/{PASSWORD})")

    store: Store[dict[str, Any]] = Store(hass, STORAGE_VERSION, STORAGE_KEY, private=True)
    data = await store.async_load() or {"done": []}
    if not set(STEPS) <= set(data.get("done", [])):
        await store.async_save({**data, "done": list(STEPS)})
        changes.append("marked onboarding done")

    if await _async_listen_on(hass, hosts, port):
        changes.append(f"HTTP server set to listen on {', '.join(hosts)} port {port}")

    # A normal stop writes the delayed saves (users); stopping a never-started core would not.
    logging.getLogger("homeassistant.core").setLevel(logging.WARNING)
    hass.set_state(CoreState.running)
    await hass.async_stop()
    return changes


def main() -> None:
    """Prepare the config directory given on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config_dir", type=Path)
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--host", action="append", required=True, dest="hosts")
    args = parser.parse_args()
    config_dir: Path = args.config_dir.resolve()
    (config_dir / ".storage").mkdir(parents=True, exist_ok=True)
    changes = asyncio.run(prepare(config_dir, args.hosts, args.port))
    for change in changes:
        sys.stdout.write(f"develop: {change}\n")


if __name__ == "__main__":
    main()
