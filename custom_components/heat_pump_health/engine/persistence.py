"""Saving and restoring what the engine has learned, as versioned plain data.

Version 3 moved what single detectors learn into their memories (see `model.Memory`); states
saved as version 2 are migrated when they are restored.
"""

from typing import Any

from .detectors import BY_KEY
from .findings import FindingKey
from .model import UnitState
from .state import from_plain, to_plain

STATE_VERSION = 3
# Where version 2 kept what is now a detector's memory: finding key, {old field: memory field}.
V2_MEMORIES: dict[FindingKey, dict[str, str]] = {
    FindingKey.SENSOR_FAULT: {
        "offset_learning": "learning",
        "offset_reference": "reference",
        "offsets": "offsets",
    },
    FindingKey.EFFICIENCY_DROP: {"cop_baseline": "baseline", "efficiency": "samples"},
}


class StateVersionError(ValueError):
    """Saved state comes from a version this engine cannot read."""


def save(state: UnitState) -> dict[str, Any]:
    """Everything learned, as plain JSON-serialisable data with its version."""
    return {"version": STATE_VERSION, "state": to_plain(state)}


def restore(data: dict[str, Any]) -> UnitState:
    """The state `save` wrote, from this version or an older one the engine can migrate."""
    version = data.get("version")
    if version not in (2, STATE_VERSION):
        raise StateVersionError(f"unsupported engine state version {version!r}")
    plain = dict(data["state"])
    if version == 2:
        plain = _from_version_2(plain)
    memories = plain.pop("memories", {})
    state = from_plain(UnitState, plain)
    for key, saved in memories.items():
        kind = BY_KEY[FindingKey(key)].memory
        if kind is not None:
            state.memories[FindingKey(key)] = from_plain(kind, saved)
    return state


def _from_version_2(plain: dict[str, Any]) -> dict[str, Any]:
    """Version 2's fields of single detectors, moved into their memories."""
    memories: dict[str, dict[str, Any]] = {}
    for key, moved in V2_MEMORIES.items():
        memory = {new: plain.pop(old) for old, new in moved.items() if old in plain}
        if memory:
            memories[key.value] = memory
    return {**plain, "memories": memories}
