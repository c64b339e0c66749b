"""Turns a detector's verdicts over time into findings: sustain, clear, go stale."""

from dataclasses import replace

from .detectors.base import Timing
from .findings import SEVERITY_ORDER, Condition, EndReason, Finding, FindingKey
from .model import TrackedFinding


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
