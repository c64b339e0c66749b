"""Findings: what the engine concludes, and how a condition becomes one.

The keys, severities and guidance values are a public contract: entities, Repairs issues,
events, automations and replay reports all use them unchanged.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

type EvidenceValue = float | int | str | bool | None
type Evidence = dict[str, EvidenceValue]


class FindingKey(StrEnum):
    """Every finding the engine can raise."""

    SHORT_CYCLING = "short_cycling"
    NONSTOP_RUNNING = "nonstop_running"
    RUNAWAY_ENERGY = "runaway_energy"
    DEFROST_TOO_FREQUENT = "defrost_too_frequent"
    DEFROST_TOO_LONG = "defrost_too_long"
    DEFROST_MISSING = "defrost_missing"
    WEAK_AIRFLOW = "weak_airflow"
    LOW_TEMPERATURE_SPLIT = "low_temperature_split"
    LOW_FLOW_RATE = "low_flow_rate"
    LOW_WATER_PRESSURE = "low_water_pressure"
    EFFICIENCY_DROP = "efficiency_drop"
    AUX_HEAT_OVERUSE = "aux_heat_overuse"
    NOT_HEATING = "not_heating"
    NOT_COOLING = "not_cooling"
    POWER_INTERRUPTED = "power_interrupted"
    WATER_LEAK = "water_leak"
    UNIT_FAULT = "unit_fault"
    SENSOR_FAULT = "sensor_fault"
    FILTER_DUE = "filter_due"
    SERVICE_DUE = "service_due"


MAINTENANCE_FINDINGS = frozenset({FindingKey.FILTER_DUE, FindingKey.SERVICE_DUE})


class Severity(StrEnum):
    """How much it matters; ordered from least to most."""

    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


SEVERITY_ORDER: dict[Severity, int] = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}


class Guidance(StrEnum):
    """Who should act first: the owner, a professional, or a professional right now."""

    DIY = "diy"
    PROFESSIONAL = "professional"
    EMERGENCY = "emergency"


class EndReason(StrEnum):
    """Why a finding ended."""

    CLEARED = "cleared"  # the condition was gone for the whole clear window
    STALE = "stale"  # nothing could confirm it for a long time (the season turned)
    RESOLVED = "resolved"  # maintenance was recorded, or the finding was reset


class Maintenance(StrEnum):
    """What the owner or a technician can record as done."""

    FILTER = "filter"
    SERVICE = "service"


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding: open while `end` is None.

    `evidence` holds the numbers that triggered it; `confidence` (0-1) says how much data
    stood behind them.
    """

    key: FindingKey
    start: float
    severity: Severity
    guidance: Guidance
    evidence: Evidence = field(default_factory=dict)
    confidence: float = 1.0
    end: float | None = None
    end_reason: EndReason | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain data (times are epoch seconds)."""
        return {
            "key": self.key.value,
            "start": self.start,
            "end": self.end,
            "severity": self.severity.value,
            "guidance": self.guidance.value,
            "evidence": dict(self.evidence),
            "confidence": self.confidence,
            "end_reason": self.end_reason.value if self.end_reason else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """Restore a finding saved by `as_dict`."""
        return cls(
            key=FindingKey(data["key"]),
            start=float(data["start"]),
            end=None if data["end"] is None else float(data["end"]),
            severity=Severity(data["severity"]),
            guidance=Guidance(data["guidance"]),
            evidence=dict(data["evidence"]),
            confidence=float(data["confidence"]),
            end_reason=EndReason(data["end_reason"]) if data["end_reason"] else None,
        )

    def ended(self, time: float, reason: EndReason) -> Finding:
        """A copy that ended at `time`."""
        return replace(self, end=time, end_reason=reason)


@dataclass(frozen=True, slots=True)
class Condition:
    """A detector's verdict at one moment.

    `present` is None when the detector cannot tell (no data, learning, wrong season); a
    finding then neither starts nor clears, and goes stale if that lasts.
    """

    present: bool | None
    severity: Severity = Severity.WARNING
    guidance: Guidance = Guidance.DIY
    evidence: Evidence = field(default_factory=dict)
    confidence: float = 1.0


UNKNOWN = Condition(None)
ABSENT = Condition(False)


class Status(StrEnum):
    """The one-word verdict on a heat pump, from its open findings."""

    OK = "ok"
    LEARNING = "learning"
    ATTENTION = "attention"
    SERVICE = "service"
    EMERGENCY = "emergency"


def overall_status(findings: Iterable[Finding], *, learning: bool) -> Status:
    """Emergency beats a professional's job, which beats something for the owner to check."""
    guidance = {finding.guidance for finding in findings}
    if Guidance.EMERGENCY in guidance:
        return Status.EMERGENCY
    if Guidance.PROFESSIONAL in guidance:
        return Status.SERVICE
    if guidance:
        return Status.ATTENTION
    return Status.LEARNING if learning else Status.OK


# How many points of the 100-point health score an open finding takes away.
SCORE_PENALTY: dict[Severity, int] = {Severity.INFO: 5, Severity.WARNING: 25, Severity.CRITICAL: 60}
# An emergency leaves at most this score, however few findings are open.
EMERGENCY_SCORE = 10


def health_score(findings: Iterable[Finding]) -> int:
    """A 0-100 summary for dashboards: 100 with nothing open, lower the more and worse is open."""
    findings = list(findings)
    score = 100 - sum(SCORE_PENALTY[finding.severity] for finding in findings)
    if any(finding.guidance is Guidance.EMERGENCY for finding in findings):
        score = min(score, EMERGENCY_SCORE)
    return max(0, score)
