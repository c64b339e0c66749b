"""Low flow rate: less water moves through the unit than it normally does at that weather.

The usual causes are a clogged strainer or magnetic filter, air in the circuit, closed valves
or a failing pump. The flow is judged against the unit's own normal, learned per outdoor
temperature bin (a pump that modulates moves less water on a mild day), from hours of steady
running with the pump moving water. A fault present when learning started is learned as
normal and cannot be seen this way.

Many pumps modulate with the compressor: at low output they move less water for less heat,
and the flow-return difference stays where it was. A clog moves less water for the same heat,
so the difference widens. Where supply and return are read too, low flow counts only while
the difference is also well above its normal for that weather (learned from the same hours).
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
# With supply and return read, the flow-return difference of those hours must be this many
# times its normal too (raised), or stay this many times it (kept).
WIDER_SPLIT = 1.2
WIDER_SPLIT_KEPT = 1.1
# Hours of running learned before the normal is fully trusted.
ENOUGH_LEARNED = 24


@dataclass(slots=True)
class FlowMemory(Memory):
    """The unit's normal flow per outdoor temperature, and recent hours against it."""

    baseline: BinnedBaseline = field(default_factory=lambda: BinnedBaseline(reject=0.3))
    samples: deque[HourSample] = field(default_factory=lambda: deque(maxlen=RECENT_HOURS))
    learned: int = 0
    # The flow-return difference of the same hours, and its normal per outdoor temperature.
    split_baseline: BinnedBaseline = field(default_factory=lambda: BinnedBaseline(reject=0.3))
    splits: deque[HourSample] = field(default_factory=lambda: deque(maxlen=RECENT_HOURS))

    def hour_closed(self, hour: Period, end: float, *, raised: bool) -> None:
        """The hour's mean flow while running, next to the normal; learned while not raised."""
        flow, outdoor = hour.mean_flow, hour.outdoor_mean
        if flow is None or outdoor is None or hour.flow_seconds < MIN_FLOW_TIME:
            return
        expected = self.baseline.expected(outdoor)
        if expected is not None and expected > 0:
            self.samples.append(HourSample(end, flow, expected))
        split = hour.mean_split if hour.split_seconds >= MIN_FLOW_TIME else None
        normal_split = self.split_baseline.expected(outdoor)
        if split is not None and normal_split is not None and normal_split > 0:
            self.splits.append(HourSample(end, split, normal_split))
        if not raised:
            self.baseline.add(outdoor, flow)
            if split is not None:
                self.split_baseline.add(outdoor, split)
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
    evidence: dict[str, float | int | str | bool | None] = {
        "flow": round(best, 1),
        "normal_flow": round(normal, 1),
        "hours": len(recent),
        "reference": "own",
    }
    present = best < share * normal
    splits = [sample for sample in memory.splits if sample.time > begin]
    if present and len(splits) >= MIN_FLOW_HOURS:
        # a modulating pump moving less water for less heat keeps its difference
        split = median(sample.value for sample in splits)
        normal_split = median(sample.expected for sample in splits)
        present = split >= (WIDER_SPLIT_KEPT if raised else WIDER_SPLIT) * normal_split
        evidence |= {"split": round(split, 1), "normal_split": round(normal_split, 1)}
    return Condition(
        present,
        Severity.WARNING,
        Guidance.DIY,
        evidence,
        confidence(memory.learned, ENOUGH_LEARNED),
    )
