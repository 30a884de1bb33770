"""What the services produce matches the topics' schemas: `codec.encode` trusts our typed records, so these
tests hold every kind of record we build to its schema (reports, routed reports, events, alerts, states)."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.stream import villages, write_reports
from villagewatch import codec
from villagewatch.alert.control_state import apply
from villagewatch.alert.tracking import Tracking
from villagewatch.ingest.parse import build_report, parse_text
from villagewatch.pipeline import enrich, remember, replay, routed
from villagewatch.understanding.dedup import ReportIndex

SAMPLE = Path(__file__).parents[2] / "services" / "villagewatch" / "samples" / "hasakah-sample.txt"
OWN = """DATE: 2016-05-12
SOURCE: Desk C

Government troops captured the villages of Tal Baydar and Kafr Hamra on Monday, state television said. Activists
could not confirm it. The SDF denied that the Islamic State had seized the village of Susah. Clashes continued near
the town of Marea, and rockets fell on Tal Rifaat.
"""


def test_every_record_the_pipeline_builds_matches_its_schema(tmp_path: Path) -> None:
    files = write_reports(tmp_path, villages(6)) + [SAMPLE]
    (tmp_path / "own.txt").write_text(OWN)
    files.append(tmp_path / "own.txt")
    index, stored, states, kinds = ReportIndex(30.0), {}, {}, set()
    for f in files:
        report = build_report(parse_text(f.read_text()))
        codec.check("report", report.to_dict())
        for message in routed(index.route(report), report):
            codec.check("routed_report", message.to_dict())
            found = enrich(message, stored)
            remember(message, found, stored)
            for event in found:
                codec.check("event", event.to_dict())
                kinds.add(event.type)
                if event.place is None:
                    continue
                pid = event.place.place_id
                states[pid], alert = apply(states.get(pid), event, True, "2016-05-12T00:00:00Z")
                codec.check("village_state", states[pid].public("2016-05-12T00:00:00Z"))
                if alert is not None:
                    codec.check("alert", alert.to_dict())
    assert {"control_change", "clash"} <= kinds
    alerts = replay([str(f) for f in files], Tracking(everything=True))
    assert alerts
    for alert in alerts:
        codec.check("alert", alert.to_dict())
