"""The enrich service: reports in, one event message per thing the report says, keyed by place."""

from __future__ import annotations

import faust

from villagewatch import codec
from villagewatch.metrics import DUPLICATES, EVENTS
from villagewatch.models import Report
from villagewatch.pipeline import events_of
from villagewatch.runtime import guarded, log, make_app
from villagewatch.settings import Settings


def build(settings: Settings) -> faust.App:
    app = make_app("enrich", settings, settings.enrich_port)
    reports = app.topic(settings.topic("reports"), partitions=settings.partitions, internal=False)
    events = app.topic(settings.topic("events"), partitions=settings.partitions, internal=False)
    seen = app.Table("seen-reports", default=None, partitions=settings.partitions, key_type=bytes, value_type=bytes)

    @app.agent(reports)
    async def enrich(stream: faust.Stream) -> None:
        async for key, raw in stream.items():

            async def handle(value: bytes | None) -> None:
                report = Report.from_dict(codec.decode("report", value))
                if seen.get(report.report_id.encode()):
                    DUPLICATES.labels("report").inc()
                    log.info("duplicate report skipped", extra={"report_id": report.report_id})
                    return
                for event in events_of(report):
                    await events.send(key=event.key.encode(), value=codec.encode("event", event.to_dict()))
                    EVENTS.labels(event.type).inc()
                    log.info("event", extra={"report_id": report.report_id, "event_id": event.event_id,
                                             "type": event.type, "place_id": event.key})
                seen[report.report_id.encode()] = b"1"
                log.info("report enriched", extra={"report_id": report.report_id})

            await guarded(app, "enrich", reports.get_topic_name(), key, raw, handle)

    return app
