"""What every detector looks at, and the timing that turns its verdicts into findings."""

from dataclasses import dataclass
from typing import Protocol

from ..config import EngineConfig
from ..findings import Condition, FindingKey
from ..model import UnitState

MINUTE = 60.0
HOUR = 3600.0
DAY = 86400.0
# The engine's own learning period: detectors that judge against normal wait this long.
LEARNING_PERIOD = DAY
# A run counts as steady this long after it started or after a defrost ended.
STEADY_AFTER = 10 * MINUTE
# Outdoor temperatures at which frost builds on the outdoor coil (°C).
ICING_MIN = -12.0
ICING_MAX = 4.0


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

    def active(self, key: FindingKey) -> bool:
        """Whether a finding is open now."""
        tracked = self.state.tracked.get(key)
        return tracked is not None and tracked.finding is not None

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
    """A detector: the verdict on one finding at one moment."""

    def __call__(self, context: Context, /) -> Condition:
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


@dataclass(frozen=True, slots=True)
class Detector:
    """A finding key, its detector and its timing.

    An `hourly` detector judges only what closed hours and days add (hourly samples, daily
    records), so its verdict cannot change between two hour closes: it is asked once an hour.
    """

    key: FindingKey
    detect: Detect
    timing: Timing
    hourly: bool = False


def confidence(amount: float, enough: float) -> float:
    """How much data stood behind a verdict, 0-1."""
    return round(max(0.0, min(1.0, amount / enough)), 2)
