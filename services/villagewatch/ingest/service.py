"""The ingest service: HTTP POST /reports and the reports.raw topic in, validated reports out."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import math
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import faust
import orjson
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from villagewatch import codec
from villagewatch.ingest.parse import BadReport, build_report, parse_text
from villagewatch.kafka.security import aiokafka_kwargs
from villagewatch.metrics import HTTP_ACCEPTED, REPORTS_RECEIVED, REPORTS_REJECTED
from villagewatch.models import Report
from villagewatch.runtime import guarded, log, make_app
from villagewatch.settings import Settings

MAX_BODY = 1_048_576  # bytes of a POST /reports body; more is refused with 413
SEND_TIMEOUT = 4.0  # seconds the broker has to acknowledge a report before the client gets 503
BROKER_RETRY_AFTER = 5
JSON_TYPES = frozenset({"application/json"})
TEXT_TYPES = frozenset({"text/plain", ""})  # no Content-Type at all: read as text/plain
UTF8 = frozenset({"", "utf-8", "utf8", "us-ascii", "ascii"})


def build(settings: Settings) -> faust.App:
    app = make_app("ingest", settings, settings.ingest_port)
    raw_topic = app.topic(settings.topic("reports.raw"), partitions=settings.partitions, internal=False)
    reports = app.topic(settings.topic("reports"), partitions=1, internal=False)

    edge = EdgeProducer(settings.bootstrap, aiokafka_kwargs(settings))
    rate = settings.ingest_rate_limit()
    endpoint = ReportsEndpoint(
        send=lambda key, value: edge.send(raw_topic.get_topic_name(), key=key, value=value),
        token=settings.ingest_secret(),
        limiter=TokenBuckets(*rate) if rate else None,
    )

    @app.page("/reports")
    class Reports(faust.web.View):
        """POST a report as JSON (text, title, url, source, published) or as text/plain."""

        async def post(self, request: faust.web.Request) -> faust.web.Response:
            status, body, headers = await endpoint.post(
                request.headers, request.remote or "unknown", lambda: read_body(request, MAX_BODY))
            return self.json(body, status=status, headers=headers or None)

    @app.agent(raw_topic)
    async def clean(stream: faust.Stream) -> None:
        async for key, raw in stream.items():

            async def handle(value: bytes | None, key: bytes | None = key) -> None:
                fields = codec.decode("report", value)
                warnings: list[str] = []
                try:
                    report = build_report(fields, received=_received(fields.get("received")), warnings=warnings)
                except BadReport as exc:
                    REPORTS_REJECTED.labels("invalid").inc()
                    raise codec.InvalidMessage(str(exc)) from exc
                report = replace(report, received=fields.get("received") or report.received)
                await reports.send(key=report.report_id.encode(), value=codec.encode("report", report.to_dict()))
                REPORTS_RECEIVED.inc()
                log.info("report accepted" + "".join(f"; {w}" for w in warnings),
                         extra={"report_id": report.report_id, "source": report.source})

            await guarded(app, "ingest", raw_topic.get_topic_name(), key, raw, handle)

    return app


def _received(value: object) -> datetime | None:
    """When a report on reports.raw was received, so that its date is judged against that day."""
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


class Refused(Exception):
    """A POST answered with a 4xx/5xx JSON error: status, the message, the metric's reason label, headers."""

    def __init__(self, status: int, message: str, reason: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.reason, self.headers = status, reason, headers or {}


class TooLarge(Exception):
    """The request body is over MAX_BODY."""


async def read_body(request: faust.web.Request, limit: int) -> bytes:
    """The request body, read no further than `limit` bytes (a longer one raises TooLarge)."""
    length = request.content_length
    if length is not None and length > limit:
        raise TooLarge
    chunks, size = [], 0
    while chunk := await request.content.read(65536):
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass
class TokenBuckets:
    """A token bucket per client address: `rate` reports a second, up to `burst` at once.

    Buckets that have refilled completely are forgotten when there are more than `max_clients`,
    so memory stays bounded however many addresses call."""

    rate: float
    burst: float
    clock: Callable[[], float] = time.monotonic
    max_clients: int = 10_000
    buckets: dict[str, tuple[float, float]] = field(default_factory=dict)  # client -> (tokens, when)

    def take(self, client: str) -> float:
        """0.0 when `client` may send one report now (a token is taken), else the seconds until it may."""
        now = self.clock()
        tokens, then = self.buckets.get(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        if tokens >= 1.0:
            self.buckets[client] = (tokens - 1.0, now)
            if len(self.buckets) > self.max_clients:
                self._forget_full(now)
            return 0.0
        self.buckets[client] = (tokens, now)
        return (1.0 - tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        full = [c for c, (tokens, then) in self.buckets.items() if tokens + (now - then) * self.rate >= self.burst]
        for client in full:
            del self.buckets[client]


def bearer_ok(authorization: str | None, token: str) -> bool:
    """Whether an Authorization header carries `Bearer <token>`, compared in constant time."""
    scheme, _, given = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode("utf-8", "surrogateescape"), token.encode("utf-8"))


@dataclass
class ReportsEndpoint:
    """POST /reports without the web framework: rate limit, authentication, body checks, broker send.

    `post` answers (status, JSON body, headers); every refusal is `{"error": ...}` and is counted in
    `villagewatch_reports_rejected_total{reason=...}`."""

    send: Callable[[bytes, bytes], Awaitable[None]]
    token: str | None = None
    limiter: TokenBuckets | None = None
    send_timeout: float = SEND_TIMEOUT

    async def post(self, headers: Mapping[str, str], client: str,
                   read: Callable[[], Awaitable[bytes]]) -> tuple[int, dict[str, Any], dict[str, str]]:
        try:
            return await self._post(headers, client, read)
        except Refused as exc:
            REPORTS_REJECTED.labels(exc.reason).inc()
            return exc.status, {"error": str(exc)}, exc.headers

    async def _post(self, headers: Mapping[str, str], client: str,
                    read: Callable[[], Awaitable[bytes]]) -> tuple[int, dict[str, Any], dict[str, str]]:
        if self.limiter is not None:
            wait = self.limiter.take(client)
            if wait > 0:
                retry = max(1, math.ceil(wait))
                raise Refused(429, f"too many reports from {client}: at most {self.limiter.rate:g} a second "
                                   f"(bursts of {self.limiter.burst:g}); retry after {retry} s",
                              "rate_limited", {"Retry-After": str(retry)})
        if self.token is not None and not bearer_ok(headers.get("Authorization"), self.token):
            given = "Authorization" in headers
            raise Refused(401, "invalid bearer token" if given else "missing 'Authorization: Bearer <token>' header",
                          "unauthorized", {"WWW-Authenticate": 'Bearer realm="villagewatch"'})
        try:
            body = await read()
        except TooLarge:
            raise Refused(413, f"request body is larger than {MAX_BODY} bytes", "too_large") from None
        warnings: list[str] = []
        report = report_from_http(headers.get("Content-Type", ""), body, warnings)
        payload = codec.encode("report", report.to_dict())
        try:
            await asyncio.wait_for(self.send(report.report_id.encode(), payload), self.send_timeout)
        except (KafkaError, TimeoutError) as exc:
            reason = str(exc) or f"no acknowledgement within {self.send_timeout:g} s"
            raise Refused(503, f"the broker did not accept the report, try again: {reason}", "broker_unavailable",
                          {"Retry-After": str(BROKER_RETRY_AFTER)}) from exc
        HTTP_ACCEPTED.inc()
        answer: dict[str, Any] = {"report_id": report.report_id, "status": "accepted"}
        if warnings:
            answer["warnings"] = warnings
        return 202, answer, {}


def report_from_http(content_type: str, body: bytes, warnings: list[str] | None = None) -> Report:
    """The report in a POST body, or Refused (415 for a media type we do not read, else 400)."""
    mime, _, params = content_type.partition(";")
    mime = mime.strip().lower()
    charset = next((v.strip().strip('"').lower() for k, _, v in (p.partition("=") for p in params.split(";"))
                    if k.strip().lower() == "charset"), "")
    if mime == "text/html" or mime == "application/xhtml+xml":
        raise Refused(415, "HTML pages are not accepted: send the article's text as text/plain or JSON",
                      "unsupported_media_type")
    if mime not in JSON_TYPES | TEXT_TYPES:
        raise Refused(415, f"unsupported Content-Type {mime!r}: use application/json or text/plain",
                      "unsupported_media_type")
    if charset not in UTF8:
        raise Refused(415, f"unsupported charset {charset!r}: send UTF-8", "unsupported_media_type")
    if not body.strip():
        raise Refused(400, "empty request body", "invalid")
    body = body.removeprefix(b"\xef\xbb\xbf")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(400, f"request body is not UTF-8 (byte {exc.start} is not valid)", "invalid") from None
    try:
        if mime in JSON_TYPES:
            try:
                fields = orjson.loads(body)
            except orjson.JSONDecodeError as exc:
                why = "nested too deeply" if re.search(r"recursion|depth", str(exc), re.I) else str(exc)
                raise BadReport(f"request body is not valid JSON: {why}") from None
            return build_report(fields, warnings=warnings)
        return build_report(parse_text(text), warnings=warnings)
    except BadReport as exc:
        raise Refused(400, str(exc), "invalid") from None


class EdgeProducer:
    """The HTTP handler's own idempotent producer, outside Faust's transactions.

    With exactly_once processing, Faust sends only inside a stream's transaction; a report accepted over
    HTTP must be on the broker, committed, before we answer 202, so it gets a plain acks=all producer.
    """

    def __init__(self, bootstrap: str, security: dict[str, object] | None = None) -> None:
        self.bootstrap = bootstrap
        self.security = security or {}  # SASL / TLS (villagewatch.kafka.security.aiokafka_kwargs)
        self.producer: AIOKafkaProducer | None = None
        self.lock = asyncio.Lock()

    async def send(self, topic: str, key: bytes, value: bytes) -> None:
        async with self.lock:
            if self.producer is None:
                producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, acks="all", enable_idempotence=True,
                                            **self.security)
                try:
                    await producer.start()
                except BaseException:  # a broker down (or our timeout): next request starts a new one
                    with contextlib.suppress(Exception):
                        await producer.stop()
                    raise
                self.producer = producer
        await self.producer.send_and_wait(topic, key=key, value=value)
