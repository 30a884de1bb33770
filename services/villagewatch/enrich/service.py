"""The enrich service: reports in, one event message per thing the report says, keyed by place.

Two agents. `dedup` reads the single-partition reports topic, so every report meets every earlier one
of the window: it finds a near-duplicate's first copy and routes the report (topic reports.routed).
`enrich` reads reports.routed over all partitions, extracts first copies and re-sources the stored
events of a first copy for its duplicates. Both keep their state in changelog-backed tables.
"""

from __future__ import annotations

import faust
import orjson

from villagewatch import codec
from villagewatch.metrics import DUPLICATES, EVENTS, TRUNCATED
from villagewatch.models import Report, Routed
from villagewatch.pipeline import enrich as enrich_step
from villagewatch.pipeline import remember, routed
from villagewatch.runtime import guarded, log, make_app
from villagewatch.settings import Settings
from villagewatch.understanding.dedup import ReportIndex, Seen
from villagewatch.understanding.gazetteer import get_gazetteer
from villagewatch.understanding.parsing import load_parser


def build(settings: Settings) -> faust.App:
    load_parser()  # the language model loads once, here, not on the first report a worker reads (~2 s)
    get_gazetteer()  # so does the gazetteer and its name index (~0.8 s, seen in a profile of the first report)
    app = make_app("enrich", settings, settings.enrich_port)
    reports = app.topic(settings.topic("reports"), partitions=1, internal=False)
    routes = app.topic(settings.topic("reports.routed"), partitions=settings.partitions, internal=False)
    events = app.topic(settings.topic("events"), partitions=settings.partitions, internal=False)
    seen = app.Table("report-index", default=None, partitions=1, key_type=bytes, value_type=bytes)
    stored = app.Table("extracted", default=None, partitions=settings.partitions, key_type=bytes,
                       value_type=bytes)
    index = ReportIndex(settings.dedup_window_days)
    stale = True

    @app.on_rebalance_complete.connect
    async def on_rebalance(sender: faust.App, **kwargs: object) -> None:
        nonlocal stale
        stale = True

    def current_index() -> ReportIndex:
        """The in-memory index mirrors the table: after a rebalance (the table was recovered or moved
        here) it is rebuilt from it."""
        nonlocal index, stale
        if stale or len(index) != len(seen):
            index = ReportIndex(settings.dedup_window_days)
            for key, value in seen.items():
                index.add(Seen.from_dict(key.decode(), orjson.loads(value)))
            index.today = max((s.day for s in index.entries.values()), default=0)
            stale = False
        return index

    @app.agent(reports)
    async def dedup(stream: faust.Stream) -> None:
        async for key, raw in stream.items():

            async def handle(value: bytes | None) -> None:
                report = Report.from_dict(codec.decode("report", value))
                routing = current_index().route(report)
                for message in routed(routing, report):
                    await routes.send(key=message.key.encode(), value=codec.encode("routed_report", message.to_dict()))
                for gone in routing.expired:
                    seen.pop(gone.report_id.encode(), None)
                if routing.again:
                    DUPLICATES.labels("report").inc()
                    log.info("report seen before", extra={"report_id": report.report_id})
                    return
                seen[report.report_id.encode()] = orjson.dumps(routing.seen.to_dict())
                if routing.action == "duplicate":
                    DUPLICATES.labels("report").inc()
                    log.info("near-duplicate report: recorded as another source", extra={
                        "report_id": report.report_id, "source": report.source, "duplicate_of": routing.first})

            await guarded(app, "enrich", reports.get_topic_name(), key, raw, handle)

    @app.agent(routes)
    async def enrich(stream: faust.Stream) -> None:
        async for key, raw in stream.items():

            async def handle(value: bytes | None) -> None:
                message = Routed.from_dict(codec.decode("routed_report", value))
                if message.report is not None:
                    codec.check("report", message.report.to_dict())
                found = enrich_step(message, stored, settings.max_events_per_report)
                if any(e.truncated for e in found):
                    TRUNCATED.inc()
                    log.warning("report over the per-report cap: events dropped", extra={
                        "report_id": message.report_id, "kept": len(found)})
                for event in found:
                    await events.send(key=event.key.encode(), value=codec.encode("event", event.to_dict()))
                    EVENTS.labels(event.type).inc()
                    log.info("event", extra={"report_id": event.report_id, "event_id": event.event_id,
                                             "type": event.type, "place_id": event.key})
                if remember(message, found, stored):
                    log.info("report enriched", extra={"report_id": message.report_id})

            await guarded(app, "enrich", routes.get_topic_name(), key, raw, handle)

    return app
