"""Heating or cooling by any sign: the thermostat, flow against return while running, outdoors.

Many air-to-water units are watched without a climate entity; their season shows in the water:
flow above return while the compressor runs is heating, flow below return for longer than any
defrost lasts is cooling, and a running air-source unit at a cold outdoor temperature heats.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .readings import Season

if TYPE_CHECKING:
    from .model import UnitState

# Flow this far above the return while running (not defrosting) is heating.
WARM_SPLIT = 1.5
# Flow this far below the return, held this long while running, is cooling: a defrost is shorter.
COOL_SPLIT = -1.5
COOL_HOLD = 20 * 60.0
# A sign counts this long after it was last seen (observed time).
SIGN_MEMORY = 48 * 3600.0
# At or below this outdoor temperature (°C) an air-source unit heats.
HEATING_OUTDOOR = 16.0


@dataclass(slots=True)
class SeasonSigns:
    """When the unit last showed heating or cooling in its split while running."""

    last_warm: float | None = None
    last_cool: float | None = None
    cool_since: float | None = None


def note_signs(state: UnitState, time: float) -> None:
    """Update the signs from the latest readings and the running state decided before."""
    signs = state.season_signs
    split = state.readings.split
    if not state.cycles.running or split is None:
        signs.cool_since = None
        return
    if split >= WARM_SPLIT and not state.defrost.active:
        signs.last_warm = time
    if split > COOL_SPLIT:
        signs.cool_since = None
    elif signs.cool_since is None:
        signs.cool_since = time
    elif time - signs.cool_since >= COOL_HOLD:
        signs.last_cool = time


def season_of(state: UnitState, now: float) -> Season | None:
    """The thermostat's season, else the latest recent split sign, else the outdoor temperature."""
    thermostat = state.readings.season
    if thermostat is not None:
        return thermostat
    signs = state.season_signs
    warm = _recent(signs.last_warm, now)
    cool = _recent(signs.last_cool, now)
    if cool is not None and (warm is None or cool >= warm):
        return Season.COOL
    if warm is not None:
        return Season.HEAT
    outdoor = state.readings.outdoor
    if outdoor is not None and outdoor <= HEATING_OUTDOOR:
        return Season.HEAT
    return None


def _recent(seen: float | None, now: float) -> float | None:
    """`seen` when it is within the sign memory of `now`, else None."""
    return seen if seen is not None and now - seen < SIGN_MEMORY else None
