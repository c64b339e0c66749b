"""Judging: every minute of observed time the detectors give their verdicts, and findings step.

The tracker (`tracker.step`) turns verdicts into findings with each detector's timing; what
started, escalated or ended is kept until the integration drains it.
"""

from .config import EngineConfig
from .detectors import BY_KEY, DETECTORS, Context, track_outages
from .findings import ABSENT, Finding, FindingKey
from .model import TrackedFinding, UnitState
from .tracker import calm, fit_to_room, resolve, room_holds, shown, step

# Detectors are asked for a verdict at most this often (seconds of observed time).
EVALUATION_INTERVAL = 60.0


class Judge:
    """Asks the detectors, steps their findings, and keeps the changes for the integration."""

    def __init__(self) -> None:
        """Start with no changes and no hour judged."""
        self.changes: list[Finding] = []
        # The hour the hourly detectors last judged (see `Detector.hourly`); not saved, so a
        # restored engine, or one whose options or baselines changed, judges them at once.
        self.judged_hour: float | None = None

    @staticmethod
    def due(state: UnitState, time: float) -> bool:
        """Whether the detectors are due for a verdict at `time`."""
        return state.next_evaluation is None or time >= state.next_evaluation

    def evaluate(
        self, state: UnitState, config: EngineConfig, time: float, *, changes_only: bool
    ) -> None:
        """Ask every detector for its verdict, in registry order, and step the findings."""
        state.next_evaluation = time - time % EVALUATION_INTERVAL + EVALUATION_INTERVAL
        track_outages(state, time)
        context = Context(state, config, time, changes_only=changes_only)
        hour_closed = self.judged_hour != state.hour.start
        self.judged_hour = state.hour.start
        holds = room_holds(state.readings)
        for detector in DETECTORS:
            tracked = state.tracked.get(detector.key)
            if tracked is None:
                tracked = state.tracked[detector.key] = TrackedFinding()
            if holds:
                calm(detector.key, tracked)
            if detector.hourly and not hour_closed:
                continue
            raised = tracked.finding is not None
            condition = detector.detect(context, raised)
            if condition.present and any(map(state.is_open, detector.defers_to)):
                condition = ABSENT
            condition = fit_to_room(detector.key, condition, holds=holds)
            if not condition.present and not raised and tracked.pending_since is None:
                continue  # nothing open or pending: `step` would change nothing
            change = step(detector.key, tracked, detector.timing, condition, time)
            if change is not None:
                self.changes.append(change)

    def resolve(self, state: UnitState, keys: tuple[FindingKey, ...], time: float) -> None:
        """End these findings because the owner dealt with them."""
        for key in keys:
            if (tracked := state.tracked.get(key)) and (ended := resolve(tracked, time)):
                self.changes.append(ended)

    def drain(self) -> list[Finding]:
        """The changes since the last call."""
        changes, self.changes = self.changes, []
        return changes


def open_findings(state: UnitState) -> tuple[Finding, ...]:
    """The open findings, in registry order.

    Between evaluations a reading can show the room back at its setpoint: the findings are
    then shown as urgent as that allows at once, as the next evaluation makes them.
    """
    tracked = state.tracked
    holds = room_holds(state.readings)
    return tuple(
        shown(key, entry.finding, holds=holds)
        for key in BY_KEY
        if (entry := tracked.get(key)) is not None and entry.finding is not None
    )
