"""Saving and restoring what the engine has learned, as versioned plain data.

Version 3 moved what single detectors learn into their memories (see `model.Memory`); version 4
learns power levels (`activity.PowerLevels`) where it kept two power clusters. States saved as
version 2 or 3 are migrated when they are restored: the clusters are dropped, the levels relearn.
"""

from typing import Any

from .detectors import BY_KEY
from .findings import FindingKey
from .model import UnitState
from .state import from_plain, to_plain

STATE_VERSION = 4
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
    if version not in (2, 3, STATE_VERSION):
        raise StateVersionError(f"unsupported engine state version {version!r}")
    plain = dict(data["state"])
    if version == 2:
        plain = _from_version_2(plain)
    if version in (2, 3):
        plain = _from_version_3(plain)
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


def _from_version_3(plain: dict[str, Any]) -> dict[str, Any]:
    """Version 3's two power clusters dropped: the power levels that replace them relearn.

    Two running means cannot be turned into a histogram of levels, and a threshold kept from
    them is the one that sat between a pump and standby; the absolute floor and the thermostat
    decide running meanwhile.
    """
    return {name: value for name, value in plain.items() if name != "clusters"}
