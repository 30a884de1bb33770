"""The steps the services run, as plain functions, so `replay` runs the very same code without Kafka."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, MutableMapping
from dataclasses import replace
from pathlib import Path

import orjson

from villagewatch.alert.control_state import VillageState, apply
from villagewatch.alert.tracking import Tracking
from villagewatch.ingest.parse import BadReport, reports_in
from villagewatch.models import Alert, Event, Report, Routed
from villagewatch.understanding.dedup import ReportIndex, Routing
from villagewatch.understanding.extract import MAX_EVENTS_PER_REPORT, extract

# What a near-duplicate re-sources: the events that decide control. Clashes and shelling of a reprint
# would only repeat the first copy's, which went out already.
RESOURCED = ("control_change", "control_held", "control_denied")


def routed(routing: Routing, report: Report) -> list[Routed]:
    """enrich, dedup step: forget first copies that left the window, then extract or re-source the report."""
    out = [Routed("forget", seen.report_id) for seen in routing.expired if seen.first is None]
    seen = routing.seen
    out.append(Routed(routing.action, seen.report_id, report, seen.first, seen.fingerprint))
    return out


def enrich(message: Routed, stored: MutableMapping[bytes, bytes], limit: int = MAX_EVENTS_PER_REPORT) -> list[Event]:
    """enrich, extract step: the events to publish for one routed message.

    `stored` (a Faust table in the service, a dict in replay) keeps each first copy's control events
    until it leaves the dedup window, so a near-duplicate is recorded as another source of them
    instead of being extracted again. A message seen before yields nothing new.
    """
    key = message.report_id.encode()
    if message.action == "forget":
        stored.pop(key, None)
        return []
    if message.report is None or (message.action == "duplicate" and message.first is None):
        raise ValueError(f"routed message {message.action!r} without its report or first copy")  # dead-lettered
    if message.action == "duplicate":
        kept = stored.get(message.first.encode())
        firsts = [Event.from_dict(d) for d in orjson.loads(kept)] if kept else []
        return [_resourced(e, message.report, message.fingerprint) for e in firsts]
    if stored.get(key) is not None:
        return []
    return [replace(e, fingerprint=message.fingerprint) for e in extract(message.report, limit=limit).events]


def remember(message: Routed, events: list[Event], stored: MutableMapping[bytes, bytes]) -> bool:
    """After its events went out: keep a first copy's control events for its duplicates (True if stored).

    In this order a crash between the two steps repeats the events (harmless downstream), never loses them.
    """
    key = message.report_id.encode()
    if message.action != "extract" or stored.get(key) is not None:
        return False
    stored[key] = orjson.dumps([e.to_dict() for e in events if e.type in RESOURCED])
    return True


def _resourced(event: Event, report: Report, print_: tuple[int, ...]) -> Event:
    """The first copy's event with the near-duplicate as its source (and an id of its own)."""
    event_id = "e-" + hashlib.sha256(f"{report.report_id}|{event.event_id}".encode()).hexdigest()[:20]
    return replace(event, event_id=event_id, report_id=report.report_id, source=report.source, url=report.url,
                   fingerprint=print_, duplicate_of=event.report_id)


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
    paths: Iterable[str], tracking: Tracking, window_hours: float = 72.0, errors: list[str] | None = None,
    dedup_days: float = 30.0,
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
    index = ReportIndex(dedup_days)
    stored: dict[bytes, bytes] = {}
    states: dict[str, VillageState] = {}
    final: dict[str, Alert] = {}
    for report in ordered:
        now = report.published or "unknown"
        events: list[Event] = []
        for message in routed(index.route(report), report):
            found = enrich(message, stored)
            remember(message, found, stored)
            events += found
        for event in events:
            if event.place is None:
                continue
            pid = event.place.place_id
            states[pid], alert = apply(states.get(pid), event, tracking.tracks(event.place), now, window_hours)
            if alert is not None:
                final[alert.alert_id] = alert
    return list(final.values())
