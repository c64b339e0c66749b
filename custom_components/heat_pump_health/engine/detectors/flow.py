"""Low flow rate: less water moves through the unit than it normally does at that weather.

The usual causes are a clogged strainer or magnetic filter, air in the circuit, closed valves
or a failing pump. The flow is judged against the unit's own normal, learned per outdoor
temperature bin (a pump that modulates moves less water on a mild day), from hours of steady
running with the pump moving water. A fault present when learning started is learned as
normal and cannot be seen this way.
"""

from collections import deque
from dataclasses import dataclass, field
from statistics import median

from ..baselines import BinnedBaseline
from ..durations import HOUR
from ..findings import UNKNOWN, Condition, FindingKey, Guidance, Severity
from ..model import RECENT_HOURS, HourSample, Memory
from ..periods import Period
from .base import Context, confidence

# An hour teaches and is judged only with this much steady running with water flowing.
MIN_FLOW_TIME = 0.25 * HOUR
# Judged on the hours of the last window: even the best of them is below this share of normal
# (raised), or back above the second share (cleared).
FLOW_WINDOW = 4 * HOUR
MIN_FLOW_HOURS = 3
LOW_SHARE = 0.65
LOW_CLEAR_SHARE = 0.75
# Hours of running learned before the normal is fully trusted.
ENOUGH_LEARNED = 24


@dataclass(slots=True)
class FlowMemory(Memory):
    """The unit's normal flow per outdoor temperature, and recent hours against it."""

    baseline: BinnedBaseline = field(default_factory=lambda: BinnedBaseline(reject=0.3))
    samples: deque[HourSample] = field(default_factory=lambda: deque(maxlen=RECENT_HOURS))
    learned: int = 0

    def hour_closed(self, hour: Period, end: float, *, raised: bool) -> None:
        """The hour's mean flow while running, next to the normal; learned while not raised."""
        flow, outdoor = hour.mean_flow, hour.outdoor_mean
        if flow is None or outdoor is None or hour.flow_seconds < MIN_FLOW_TIME:
            return
        expected = self.baseline.expected(outdoor)
        if expected is not None and expected > 0:
            self.samples.append(HourSample(end, flow, expected))
        if not raised:
            self.baseline.add(outdoor, flow)
            self.learned = min(self.learned + 1, ENOUGH_LEARNED)


def low_flow_rate(context: Context, raised: bool) -> Condition:
    """Even the best running hour of the window moves far less water than normal."""
    memory = context.state.memory(FindingKey.LOW_FLOW_RATE, FlowMemory)
    begin = context.now - FLOW_WINDOW
    recent = [sample for sample in memory.samples if sample.time > begin]
    if len(recent) < MIN_FLOW_HOURS:
        return UNKNOWN
    best = max(sample.value for sample in recent)
    normal = median(sample.expected for sample in recent)
    share = LOW_CLEAR_SHARE if raised else LOW_SHARE
    return Condition(
        best < share * normal,
        Severity.WARNING,
        Guidance.DIY,
        {
            "flow": round(best, 1),
            "normal_flow": round(normal, 1),
            "hours": len(recent),
            "reference": "own",
        },
        confidence(memory.learned, ENOUGH_LEARNED),
    )
