"""The ingest service: HTTP POST /reports and the reports.raw topic in, validated reports out."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import faust
import orjson
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from villagewatch import codec
from villagewatch.ingest.parse import BadReport, build_report, parse_text
from villagewatch.metrics import HTTP_ACCEPTED, REPORTS_RECEIVED, REPORTS_REJECTED
from villagewatch.models import Report
from villagewatch.runtime import guarded, log, make_app
from villagewatch.settings import Settings


def build(settings: Settings) -> faust.App:
    app = make_app("ingest", settings, settings.ingest_port)
    raw_topic = app.topic(settings.topic("reports.raw"), partitions=settings.partitions, internal=False)
    reports = app.topic(settings.topic("reports"), partitions=1, internal=False)

    edge = EdgeProducer(settings.bootstrap)

    @app.page("/reports")
    class Reports(faust.web.View):
        """POST a report as JSON (text, title, url, source, published) or as text/plain."""

        async def post(self, request: faust.web.Request) -> faust.web.Response:
            body = await request.read()
            try:
                report = _report_from_http(request.content_type, body)
            except BadReport as exc:
                REPORTS_REJECTED.labels("invalid").inc()
                return self.json({"error": str(exc)}, status=400)
            payload = codec.encode("report", report.to_dict())
            try:
                await edge.send(raw_topic.get_topic_name(), key=report.report_id.encode(), value=payload)
            except KafkaError as exc:
                REPORTS_REJECTED.labels("broker_unavailable").inc()
                return self.json({"error": f"the broker did not accept the report, try again: {exc}"}, status=503)
            HTTP_ACCEPTED.inc()
            return self.json({"report_id": report.report_id, "status": "accepted"}, status=202)

    @app.agent(raw_topic)
    async def clean(stream: faust.Stream) -> None:
        async for key, raw in stream.items():

            async def handle(value: bytes | None, key: bytes | None = key) -> None:
                fields = codec.decode("report", value)
                try:
                    report = build_report(fields)
                except BadReport as exc:
                    REPORTS_REJECTED.labels("invalid").inc()
                    raise codec.InvalidMessage(str(exc)) from exc
                report = replace(report, received=fields.get("received") or report.received)
                await reports.send(key=report.report_id.encode(), value=codec.encode("report", report.to_dict()))
                REPORTS_RECEIVED.inc()
                log.info("report accepted", extra={"report_id": report.report_id, "source": report.source})

            await guarded(app, "ingest", raw_topic.get_topic_name(), key, raw, handle)

    return app


class EdgeProducer:
    """The HTTP handler's own idempotent producer, outside Faust's transactions.

    With exactly_once processing, Faust sends only inside a stream's transaction; a report accepted over
    HTTP must be on the broker, committed, before we answer 202, so it gets a plain acks=all producer.
    """

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self.producer: AIOKafkaProducer | None = None
        self.lock = asyncio.Lock()

    async def send(self, topic: str, key: bytes, value: bytes) -> None:
        async with self.lock:
            if self.producer is None:
                producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, acks="all", enable_idempotence=True)
                await producer.start()
                self.producer = producer
        await self.producer.send_and_wait(topic, key=key, value=value)


def _report_from_http(content_type: str, body: bytes) -> Report:
    if not body:
        raise BadReport("empty request body")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadReport("request body is not UTF-8") from exc
    if content_type == "application/json":
        try:
            fields = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise BadReport(f"request body is not valid JSON: {exc}") from exc
        return build_report(fields)
    if content_type in ("text/plain", ""):
        return build_report(parse_text(text))
    raise BadReport(f"unsupported Content-Type {content_type!r}: use application/json or text/plain")
