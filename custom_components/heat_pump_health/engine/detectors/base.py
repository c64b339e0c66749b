"""What every detector looks at, and the registry entry that describes one."""

from dataclasses import dataclass
from typing import Protocol

from ..config import EngineConfig
from ..durations import DAY, LEARNING_PERIOD, MINUTE
from ..findings import Condition, FindingKey
from ..model import Memory, UnitState
from ..observations import Role

# A run counts as steady this long after it started or after a defrost ended.
STEADY_AFTER = 10 * MINUTE
# Outdoor temperatures at which frost builds on the outdoor coil (°C).
ICING_MIN = -12.0
ICING_MAX = 4.0
# The repair flow's menu when a detector names none: the owner checked, or a technician came.
DEFAULT_MENU = ("checked", "serviced")


@dataclass(frozen=True, slots=True)
class Context:
    """The engine's state at the moment of an evaluation."""

    state: UnitState
    config: EngineConfig
    now: float
    # The observations are recorded history, which keeps changes only: silence is not news.
    changes_only: bool = False

    @property
    def learning(self) -> bool:
        """Whether the engine has seen less than its learning period."""
        first = self.state.first_time
        return first is None or self.now - first < LEARNING_PERIOD

    @property
    def running(self) -> bool:
        """Whether the compressor runs (a defrost included)."""
        return bool(self.state.cycles.running)

    @property
    def steady(self) -> bool:
        """Running for a while, and not in or just after a defrost."""
        state = self.state
        if not self.running or state.defrost.active:
            return False
        if state.cycles.run_length(self.now) < STEADY_AFTER:
            return False
        last_defrost = state.defrost.last_end
        return last_defrost is None or self.now - last_defrost >= STEADY_AFTER

    @property
    def icing(self) -> bool:
        """Outdoor temperature in the range where the outdoor coil frosts."""
        outdoor = self.state.readings.outdoor
        return outdoor is not None and ICING_MIN <= outdoor <= ICING_MAX


class Detect(Protocol):
    """A detector: the verdict on one finding at one moment.

    `raised` says whether its finding is open now, so a detector with hysteresis judges
    against its clearing thresholds; the engine keeps track of that, not the detector.
    """

    def __call__(self, context: Context, raised: bool, /) -> Condition:
        """Judge the state."""


@dataclass(frozen=True, slots=True)
class Timing:
    """How a detector's verdicts become a finding.

    `sustain`: the condition must hold this long before the finding starts.
    `clear`: it must be absent this long before the finding ends.
    `stale`: a finding nothing can confirm or deny for this long ends as stale.
    """

    sustain: float = 0.0
    clear: float = 30 * MINUTE
    stale: float = 3 * DAY


@dataclass(frozen=True, slots=True, kw_only=True)
class Detector:
    """One registry entry: everything the engine and the integration need to know of a detector.

    `key`: the finding it raises. `detect`: its verdict (see `Detect`). `timing`: how verdicts
    become a finding (sustain, clear, stale).
    `needs`: the source roles it cannot work without, as groups of which any one role will do
    (the integration gives a finding whose needs are not configured no entity).
    `hourly`: it judges only what closed hours and days add (hourly samples, daily records),
    so its verdict cannot change between two hour closes and it is asked once an hour.
    `baseline`: it judges against a learned baseline, so "Service done" and `reset_baselines`
    forget its memory and end its finding.
    `enabled_by_default`: whether its problem sensor starts enabled (niche findings start off).
    `repair_menu`: the options of its Repairs flow, in order.
    `defers_to`: findings that explain this one: while any is open, its condition counts as
    absent (they are judged first, see the registry's order).
    `memory`: the state it keeps of its own, saved with the engine's; the engine calls its
    `hour_closed` and `day_closed` hooks (see `Memory`).
    """

    key: FindingKey
    detect: Detect
    timing: Timing
    needs: tuple[frozenset[Role], ...] = ()
    hourly: bool = False
    baseline: bool = False
    enabled_by_default: bool = True
    repair_menu: tuple[str, ...] = DEFAULT_MENU
    defers_to: tuple[FindingKey, ...] = ()
    memory: type[Memory] | None = None


def confidence(amount: float, enough: float) -> float:
    """How much data stood behind a verdict, 0-1."""
    return round(max(0.0, min(1.0, amount / enough)), 2)
