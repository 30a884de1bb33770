"""The steps the services run, as plain functions, so `replay` runs the very same code without Kafka."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from villagewatch.alert.control_state import VillageState, apply
from villagewatch.alert.tracking import Tracking
from villagewatch.ingest.parse import BadReport, reports_in
from villagewatch.models import Alert, Event, Report
from villagewatch.understanding.dedup import fingerprint
from villagewatch.understanding.extract import extract


def events_of(report: Report) -> list[Event]:
    """enrich: the report's events, each carrying the report's near-duplicate fingerprint."""
    found = extract(report).events
    if not found:
        return []
    print_ = fingerprint(report.text)
    return [replace(e, fingerprint=print_) for e in found]


def report_files(paths: Iterable[str]) -> list[str]:
    """Files named, and the .txt/.jsonl files inside named directories, in a stable order."""
    out: list[str] = []
    for name in paths:
        p = Path(name)
        if p.is_dir():
            out.extend(str(f) for f in sorted(p.iterdir()) if f.suffix in {".txt", ".jsonl"})
        else:
            out.append(name)
    return out


def replay(
    paths: Iterable[str], tracking: Tracking, window_hours: float = 72.0, errors: list[str] | None = None
) -> list[Alert]:
    """ingest -> enrich -> alert over files in date order, in one process; the final version of each alert."""
    reports: dict[str, Report] = {}
    for label, report in reports_in(report_files(paths)):
        if isinstance(report, BadReport):
            if errors is not None:
                errors.append(f"{label}: {report}")
            continue
        reports.setdefault(report.report_id, report)
    ordered = sorted(reports.values(), key=lambda r: (r.published or "", r.report_id))
    states: dict[str, VillageState] = {}
    final: dict[str, Alert] = {}
    for report in ordered:
        now = report.published or "unknown"
        for event in events_of(report):
            if event.place is None:
                continue
            pid = event.place.place_id
            states[pid], alert = apply(states.get(pid), event, tracking.tracks(event.place), now, window_hours)
            if alert is not None:
                final[alert.alert_id] = alert
    return list(final.values())
