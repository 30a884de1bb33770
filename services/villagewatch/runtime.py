"""What the three Faust services share: the app factory, /healthz, /metrics and dead-lettering."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Awaitable, Callable

import faust
import orjson
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from villagewatch.codec import InvalidMessage, deadletter_record
from villagewatch.metrics import CONSUMER_LAG, DEADLETTER, LAST_PROCESSED, LATENCY
from villagewatch.settings import Settings

log = logging.getLogger("villagewatch")


def make_app(service: str, settings: Settings, port: int) -> faust.App:
    """A Faust app with our conventions: raw bytes on every topic (we decode and validate ourselves),
    tables in memory recovered from changelog topics, and a web port for /healthz and /metrics."""
    datadir = settings.state_dir / f"{settings.topic_prefix}{service}"
    datadir.parent.mkdir(parents=True, exist_ok=True)
    app = faust.App(
        settings.group(service),
        broker=f"kafka://{settings.bootstrap}",
        store="memory://",
        datadir=str(datadir),
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication,
        topic_allow_declare=True,
        topic_disable_leader=True,
        key_serializer="raw",
        value_serializer="raw",
        web_enabled=True,
        web_port=port,
        web_bind=settings.ingest_host if service == "ingest" else "0.0.0.0",
        web_host=settings.ingest_host,
        broker_session_timeout=settings.session_timeout,
        broker_heartbeat_interval=max(1.0, settings.session_timeout / 5),
        broker_commit_every=100,
        broker_commit_interval=1.0,
        producer_acks=-1,
        processing_guarantee=settings.processing_guarantee,
        table_standby_replicas=0,
        web_in_thread=False,
    )
    deadletter = app.topic(settings.topic("deadletter"), partitions=settings.partitions, internal=False)
    app.deadletter = deadletter  # type: ignore[attr-defined]

    @app.page("/healthz")
    async def healthz(web: faust.web.Web, request: faust.web.Request) -> faust.web.Response:
        assignment = app.consumer.assignment() if app.consumer else set()
        recovered = app.tables.recovery.completed.is_set() if app.tables else True
        ready = bool(assignment) and recovered and not app.rebalancing
        body = {"service": service, "ready": ready, "partitions": len(assignment), "recovered": recovered}
        return web.json(body, status=200 if ready else 503)

    def measure_lag() -> None:
        """Consumer lag per source partition, at scrape time: the highwater minus what this worker has read."""
        consumer = app.consumer
        for tp in consumer.assignment() if consumer else ():
            if "changelog" in tp.topic:
                continue
            read = consumer._read_offset.get(tp)  # noqa: SLF001 - Faust keeps no public read position
            try:
                high = consumer.highwater(tp)
            except Exception:  # noqa: BLE001 - no highwater known yet for this partition
                high = None
            if high is not None:
                lag = max(0, high - (read + 1 if read is not None else 0))
                CONSUMER_LAG.labels(service, tp.topic, str(tp.partition)).set(lag)

    @app.page("/metrics")
    async def metrics(web: faust.web.Web, request: faust.web.Request) -> faust.web.Response:
        measure_lag()
        return web.bytes(generate_latest(), content_type=CONTENT_TYPE_LATEST.split(";")[0])

    return app


async def dead_letter(app: faust.App, service: str, topic: str, reason: str, raw: bytes | None,
                      key: bytes | None = None) -> None:
    """Send the original bytes and the reason to the deadletter topic; processing goes on."""
    DEADLETTER.labels(service).inc()
    log.warning("dead-lettered a message from %s: %s", topic, reason)
    await app.deadletter.send(key=key, value=deadletter_record(service, topic, reason, raw))  # type: ignore[attr-defined]


async def guarded(app: faust.App, service: str, topic: str, key: bytes | None, raw: bytes | None,
                  handle: Callable[[bytes | None], Awaitable[None]]) -> None:
    """Run one message's handler; an invalid message or a bug in our logic dead-letters it."""
    started = time.perf_counter()
    try:
        await handle(raw)
    except InvalidMessage as exc:
        await dead_letter(app, service, topic, str(exc), raw, key)
    except Exception as exc:  # noqa: BLE001 - one bad message must not stop the stream
        log.exception("processing failed")
        await dead_letter(app, service, topic, f"internal error: {type(exc).__name__}: {exc}", raw, key)
    finally:
        LATENCY.labels(service).observe(time.perf_counter() - started)
        LAST_PROCESSED.labels(service).set_to_current_time()


class JsonLines(logging.Formatter):
    """One JSON object per line with the ids a record carries, so a report can be followed across services."""

    FIELDS = ("report_id", "event_id", "alert_id", "version", "place_id", "type", "status", "source")

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        line = {"ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname.lower(),
                "service": self.service, "msg": record.getMessage()}
        line.update({k: getattr(record, k) for k in self.FIELDS if hasattr(record, k)})
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return orjson.dumps(line).decode()


def run(app: faust.App, service: str, loglevel: str) -> None:
    """Run the worker in this process until SIGTERM/SIGINT; our own log lines are JSON on stdout."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonLines(service))
    log.addHandler(handler)
    log.setLevel(loglevel.upper())
    log.propagate = False
    worker = faust.Worker(app, loglevel=loglevel)
    worker.execute_from_commandline()
