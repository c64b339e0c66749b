"""Turns a detector's verdicts over time into findings: sustain, clear, go stale.

One rule holds over every detector: while the room holds its setpoint, nothing but a water
leak is critical or an emergency (see `fit_to_room`).
"""

from dataclasses import replace

from .detectors.base import Timing
from .findings import SEVERITY_ORDER, Condition, EndReason, Finding, FindingKey, Guidance, Severity
from .model import TrackedFinding
from .readings import Readings

# The room holds its setpoint while it is less than this far (K) on the wrong side of it.
HOLDS_SETPOINT = 1.0
# Urgent whatever the room does: water on the floor does not wait for the room to cool.
ALWAYS_URGENT = frozenset({FindingKey.WATER_LEAK})


def room_holds(readings: Readings) -> bool:
    """Whether the thermostat has a setpoint and the room is within `HOLDS_SETPOINT` of it."""
    misses = [
        miss for miss in (readings.heating_deficit(), readings.cooling_excess()) if miss is not None
    ]
    return bool(misses) and max(misses) < HOLDS_SETPOINT


def fit_to_room(key: FindingKey, condition: Condition, *, holds: bool) -> Condition:
    """A verdict no more urgent than the room allows: while it holds, warning and professional."""
    if not holds or key in ALWAYS_URGENT or not _urgent(condition.severity, condition.guidance):
        return condition
    return replace(
        condition, severity=_capped(condition.severity), guidance=_calmed(condition.guidance)
    )


def calm(key: FindingKey, tracked: TrackedFinding) -> None:
    """Bring an open finding to what a room that holds its setpoint allows, silently.

    Not announced: it is less urgent than what was told; if the room falls short again, the
    detector's verdict escalates it once more, and that is announced.
    """
    if tracked.finding is not None:
        tracked.finding = shown(key, tracked.finding, holds=True)


def shown(key: FindingKey, finding: Finding, *, holds: bool) -> Finding:
    """An open finding as urgent as the room allows (see `fit_to_room`)."""
    if not holds or key in ALWAYS_URGENT or not _urgent(finding.severity, finding.guidance):
        return finding
    return replace(finding, severity=_capped(finding.severity), guidance=_calmed(finding.guidance))


def _urgent(severity: Severity, guidance: Guidance) -> bool:
    """Critical, or an emergency."""
    return severity is Severity.CRITICAL or guidance is Guidance.EMERGENCY


def _capped(severity: Severity) -> Severity:
    """Critical becomes a warning; anything less stays."""
    return Severity.WARNING if severity is Severity.CRITICAL else severity


def _calmed(guidance: Guidance) -> Guidance:
    """An emergency becomes a professional's job; anything less stays."""
    return Guidance.PROFESSIONAL if guidance is Guidance.EMERGENCY else guidance


def step(  # noqa: PLR0911
    key: FindingKey, tracked: TrackedFinding, timing: Timing, condition: Condition, now: float
) -> Finding | None:
    """Apply one verdict; return the finding when it started, ended or grew more severe."""
    finding = tracked.finding
    if condition.present is None:
        tracked.pending_since = None
        if finding is None:
            return None
        if tracked.unknown_since is None:
            tracked.unknown_since = now
        elif now - tracked.unknown_since >= timing.stale:
            return _end(tracked, finding, now, EndReason.STALE)
        return None
    tracked.unknown_since = None
    if not condition.present:
        tracked.pending_since = None
        if finding is None:
            return None
        if tracked.clearing_since is None:
            tracked.clearing_since = now
        if now - tracked.clearing_since >= timing.clear:
            return _end(tracked, finding, now, EndReason.CLEARED)
        return None
    tracked.clearing_since = None
    if finding is None:
        if tracked.pending_since is None:
            tracked.pending_since = now
        if now - tracked.pending_since < timing.sustain:
            return None
        tracked.pending_since = None
        tracked.finding = Finding(
            key,
            now,
            condition.severity,
            condition.guidance,
            condition.evidence,
            condition.confidence,
        )
        return tracked.finding
    escalated = SEVERITY_ORDER[condition.severity] > SEVERITY_ORDER[finding.severity]
    tracked.finding = replace(
        finding,
        severity=condition.severity if escalated else finding.severity,
        guidance=condition.guidance if escalated else finding.guidance,
        evidence=condition.evidence,
        confidence=condition.confidence,
    )
    return tracked.finding if escalated else None


def resolve(tracked: TrackedFinding, now: float) -> Finding | None:
    """End a finding because the owner dealt with it (maintenance recorded, baseline reset)."""
    if tracked.finding is None:
        return None
    return _end(tracked, tracked.finding, now, EndReason.RESOLVED)


def _end(tracked: TrackedFinding, finding: Finding, now: float, reason: EndReason) -> Finding:
    """Close a finding and reset the tracking."""
    tracked.finding = None
    tracked.clearing_since = tracked.unknown_since = tracked.pending_since = None
    return finding.ended(now, reason)
