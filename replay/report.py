"""The replay's outcome as plain data (--json) and as a report a person reads."""

from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from custom_components.heat_pump_health.engine.findings import Evidence, Finding

from .history import HistoryFormat, Tally
from .runner import ReplayResult

REPORT_VERSION = 1

FORMAT_NAMES: dict[HistoryFormat, str] = {
    HistoryFormat.REST: "Home Assistant REST history (JSON)",
    HistoryFormat.RECORDER: "Home Assistant recorder database",
    HistoryFormat.CSV: "history panel download (CSV)",
}


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a replay found out, with what it read to get there."""

    source: Path
    format: HistoryFormat
    zone: tzinfo
    tally: Tally
    result: ReplayResult
    name: str | None = None

    @property
    def zone_name(self) -> str:
        """The IANA name of the report's time zone."""
        return str(getattr(self.zone, "key", self.zone))

    def iso(self, time: float | None) -> str | None:
        """An epoch time as ISO 8601 in the report's time zone."""
        return None if time is None else datetime.fromtimestamp(time, self.zone).isoformat()

    def as_dict(self) -> dict[str, Any]:
        """The JSON document --json writes."""
        return {
            "version": REPORT_VERSION,
            "findings": [self._finding(finding) for finding in self.result.findings],
            "summary": self.summary(),
        }

    def _finding(self, finding: Finding) -> dict[str, Any]:
        """One finding with ISO times."""
        return {
            "key": finding.key.value,
            "start": self.iso(finding.start),
            "end": self.iso(finding.end),
            "severity": finding.severity.value,
            "guidance": finding.guidance.value,
            "evidence": dict(finding.evidence),
            "confidence": finding.confidence,
            "end_reason": finding.end_reason.value if finding.end_reason else None,
        }

    def summary(self) -> dict[str, Any]:
        """Period, cycle, defrost and energy totals, and what reading the history met."""
        result, totals, tally = self.result, self.result.totals, self.tally
        return {
            "source": str(self.source),
            "format": self.format.value,
            "time_zone": self.zone_name,
            "period_start": self.iso(result.period_start),
            "period_end": self.iso(result.period_end),
            "cycles": totals.starts,
            "runtime_hours": totals.runtime_hours,
            "defrost_count": totals.defrost_count,
            "defrost_minutes_avg": totals.defrost_minutes_avg,
            "energy_kwh": totals.energy_kwh,
            "hot_water_runs": totals.hot_water_runs,
            "hot_water_starts": totals.hot_water_starts,
            "hot_water_runtime_hours": totals.hot_water_runtime_hours,
            "rows_read": tally.read,
            "rows_bad": tally.bad.total(),
            "rows_bad_reasons": {reason.value: count for reason, count in tally.bad.items()},
            "rows_other_entities": tally.other_entities,
            "observations": result.observations,
            "late_observations": result.late_observations,
        }


def render_text(report: Report) -> str:
    """The report for a terminal."""
    lines = [*_heading(report), "", *_findings(report), "", *_totals(report)]
    return "\n".join(lines) + "\n"


def _heading(report: Report) -> list[str]:
    """What was replayed, over which period, and how clean the input was."""
    result, tally = report.result, report.tally
    title = f"Heat Pump Health replay{f': {report.name}' if report.name else ''}"
    lines = [
        title,
        f"Source: {report.source} ({FORMAT_NAMES[report.format]}), times in {report.zone_name}",
    ]
    if result.period_start is None or result.period_end is None:
        lines.append("Period: no states of the configured entities")
    else:
        hours = (result.period_end - result.period_start) / 3600
        lines.append(
            f"Period: {_when(report, result.period_start)} to {_when(report, result.period_end)}"
            f" ({hours:.1f} h)"
        )
    lines.append(
        f"Rows: {tally.read} read, {tally.bad.total()} bad{_reasons(tally)},"
        f" {tally.other_entities} of other entities;"
        f" {result.observations} observations, {result.late_observations} late"
    )
    return lines


def _reasons(tally: Tally) -> str:
    """Why rows were bad, most common first."""
    if not tally.bad:
        return ""
    return f" ({', '.join(f'{count} {reason.value}' for reason, count in tally.bad.most_common())})"


def _findings(report: Report) -> list[str]:
    """Each finding: key, severity and guidance, when, and the numbers behind it."""
    findings = report.result.findings
    if not findings:
        return ["Findings: none"]
    lines = [f"Findings ({len(findings)}):"]
    for finding in findings:
        end = "still open" if finding.end is None else _when(report, finding.end)
        if finding.end_reason is not None:
            end += f" ({finding.end_reason.value})"
        lines += [
            f"  {finding.key.value}: {finding.severity.value}, {finding.guidance.value}",
            f"    from {_when(report, finding.start)} to {end}",
        ]
        if finding.evidence:
            lines.append(f"    evidence: {_evidence(finding.evidence)}")
    return lines


def _evidence(evidence: Evidence) -> str:
    """Evidence as key=value pairs, numbers rounded for reading."""
    return ", ".join(f"{key}={_number(value)}" for key, value in evidence.items())


def _totals(report: Report) -> list[str]:
    """Cycles, runtime, defrost and energy; n/a where the sources cannot tell."""
    totals = report.result.totals
    return [
        "Summary:",
        f"  compressor starts:    {totals.starts}",
        f"  runtime:              {_number(totals.runtime_hours)} h",
        f"  defrosts:             {_number(totals.defrost_count)}",
        f"  defrost length (avg): {_number(totals.defrost_minutes_avg, 'min')}",
        f"  energy:               {_number(totals.energy_kwh, 'kWh')}",
        f"  hot-water runs:       {_number(totals.hot_water_runs)}",
        f"  hot-water starts:     {_number(totals.hot_water_starts)}",
        f"  hot-water runtime:    {_number(totals.hot_water_runtime_hours, 'h')}",
    ]


def _when(report: Report, time: float) -> str:
    """A time for reading, to the second, with its UTC offset."""
    return datetime.fromtimestamp(time, report.zone).strftime("%Y-%m-%d %H:%M:%S%z")


def _number(value: object, unit: str | None = None) -> str:
    """A value for reading: floats to two decimals, None as n/a."""
    if value is None:
        return "n/a"
    text = f"{value:.2f}" if isinstance(value, float) else str(value)
    return f"{text} {unit}" if unit else text
