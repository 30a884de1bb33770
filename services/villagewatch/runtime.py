"""What the three Faust services share: the app factory, /healthz, /metrics and dead-lettering."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum

import aiokafka.errors
import faust
import kafka.errors
import orjson
from faust.exceptions import ProducerSendError
from faust.transport.consumer import Consumer
from faust.types import TP
from faust.types.tuples import Message, ack_lock
from faust.utils.functional import consecutive_numbers
from mode.utils.futures import notify
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from villagewatch.codec import InvalidMessage, deadletter_record
from villagewatch.kafka.security import faust_credentials
from villagewatch.metrics import CONSUMER_LAG, DEADLETTER, LAST_PROCESSED, LATENCY
from villagewatch.settings import Settings

log = logging.getLogger("villagewatch")


def _commit_only_what_was_processed() -> None:
    """Make Faust commit a partition only up to the first record not processed yet.

    faust-streaming 0.15.3 lost records in our scale-out test in two ways. A stream drops what it
    takes while flow control is off (rebalancing, stopping) or what was fetched in an older generation,
    and acks it as processed (streams.py: "ack the filtered out message"). And it commits the first run
    of acked offsets even when it does not start at the committed offset (the head check is off by one
    and skipped when nothing was committed yet), so a record never delivered is committed past.
    Here a dropped record is released (so a rebalance still drains) but not acked, and a commit only
    extends the run that starts at the committed offset. What is left behind, `rewind_stalled` reads again.

    Upstream: commit past an un-acked offset is faust-streaming issue #606 (fix proposed in PR #707, not
    in a release as of 0.15.3); remove this patch when a release carries it and `tests/e2e/test_scale_out.py`
    passes without it. Tested through Faust's public path in `tests/unit/test_runtime_guards.py` (the
    consumer's commit decision) and by the scale-out test (workers joining and leaving mid-stream).
    """
    if getattr(Consumer.ack, "_villagewatch", False):
        return
    processed = Consumer.ack

    def ack(self: Consumer, message: Message) -> bool:
        app = self.app
        if message.generation_id in (None, app.consumer_generation_id) and app.flow_control.is_active():
            return processed(self, message)
        with ack_lock:
            message.acked = True
            self._unacked_messages.discard(message)  # noqa: SLF001 - Faust's own bookkeeping, see above
            notify(self._waiting_for_ack)  # noqa: SLF001
        return False

    def new_offset(self: Consumer, tp: TP) -> int | None:
        committed = self._committed_offset.get(tp)  # noqa: SLF001 - set from the group's offsets, or by us
        acked, index = self._acked[tp], self._acked_index[tp]  # noqa: SLF001
        if committed is None or not acked:
            return None
        gaps = self._gap.get(tp)  # noqa: SLF001 - offsets the broker skipped (no record there)
        if gaps:
            top = max(acked) + 1
            acked.extend(o for iv in gaps.overlap(0, top) for o in range(iv.begin, iv.end))
            gaps.chop(0, top)
        stale = {o for o in acked if o < committed}
        if stale:
            acked[:] = [o for o in acked if o >= committed]
            index.difference_update(stale)
        acked.sort()
        if not acked or acked[0] != committed:
            return None
        run = next(consecutive_numbers(acked))
        acked[: len(run)] = []
        index.difference_update(run)
        return run[-1] + 1

    ack._villagewatch = True  # type: ignore[attr-defined]
    Consumer.ack = ack  # type: ignore[method-assign]
    Consumer._new_offset = new_offset  # type: ignore[method-assign]  # noqa: SLF001


_commit_only_what_was_processed()


STALL_CHECKS = 3  # consecutive checks, `STALL_INTERVAL` apart, with the same stalled position
STALL_INTERVAL = 5.0
RECOVERY_STALL = 45  # seconds without a changelog record while recovery still has records to read


def recovery_stalled(app: faust.App, progress: dict[str, object], now: float) -> bool:
    """True when table recovery has read nothing for `RECOVERY_STALL` seconds though records remain.

    With faust-streaming 0.15.3 a worker that takes over partitions sometimes never receives a record
    of a changelog it must recover ("No event received for active tp ... since recovery start") and
    waits forever, processing nothing. Restarting the worker (compose's restart policy, `up`'s
    supervisor) recovers it; nothing is lost, since nothing was processed or committed meanwhile.
    Upstream: faust-streaming issues #176, #597 and #651 (table recovery hangs), open as of 0.15.3.
    """
    recovery = app.tables.recovery
    remaining = {tp: high for tp, high in recovery.active_highwaters.items()
                 if high >= 0 and recovery.active_offsets.get(tp, -1) < high}
    if not recovery.in_recovery or not remaining:
        progress.clear()
        return False
    mark = tuple(sorted((str(tp), recovery.active_offsets.get(tp, -1)) for tp in remaining))
    if progress.get("mark") != mark:
        progress.update(mark=mark, since=now)
        return False
    return now - float(progress["since"]) >= RECOVERY_STALL  # type: ignore[arg-type]


def rewind_stalled(app: faust.App, seen: dict[object, tuple[object, ...]]) -> list[object]:
    """Seek back to the committed offset of every partition that has records past it, has delivered
    all it fetched, has nothing in processing, and has stayed so for `STALL_CHECKS` checks.

    Besides the skipped messages above, a worker that took over a partition mid-rebalance sometimes
    never delivered its first records at all (seen in our scale-out test: no commit, no lag shown to
    the stream). Re-reading from the committed offset is always safe here: every step is idempotent.
    Returns the partitions it rewound.

    Upstream: the closest reports are faust-streaming issue #629 (partitions that send no fetch request after a
    rebalance, open) and the skipped records of #606 above; remove this guard with the commit patch.
    """
    consumer = app.consumer
    if app.rebalancing or not app.flow_control.is_active() or not app.tables.recovery.completed.is_set():
        seen.clear()
        return []
    busy = {m.tp for m in consumer._unacked_messages}  # noqa: SLF001 - Faust keeps no public view
    rewound = []
    for tp in consumer.assignment():
        if "changelog" in tp.topic:
            continue
        try:
            high = consumer.highwater(tp)
        except Exception:  # noqa: BLE001 - nothing fetched from it yet
            high = None
        committed = consumer._committed_offset.get(tp)  # noqa: SLF001
        read = consumer._read_offset.get(tp)  # noqa: SLF001
        stalled = (high is not None and high > (committed or 0) and tp not in busy
                   and (read is None or read + 1 >= high))
        state = (high, committed, read)
        if not stalled:
            seen.pop(tp, None)
            continue
        count = seen[tp][1] + 1 if tp in seen and seen[tp][0] == state else 1  # type: ignore[operator]
        seen[tp] = (state, count)
        if count >= STALL_CHECKS:
            seen.pop(tp, None)
            rewound.append(tp)
    return rewound


def make_app(service: str, settings: Settings, port: int) -> faust.App:
    """A Faust app with our conventions: raw bytes on every topic (we decode and validate ourselves),
    tables in memory recovered from changelog topics, and a web port for /healthz and /metrics."""
    datadir = settings.state_dir / f"{settings.topic_prefix}{service}"
    datadir.parent.mkdir(parents=True, exist_ok=True)
    app = faust.App(
        settings.group(service),
        broker=f"kafka://{settings.bootstrap}",
        broker_credentials=faust_credentials(settings),  # SASL / TLS from VILLAGEWATCH_KAFKA_*, None for plaintext
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
        web_bind=settings.host_of(service),  # VILLAGEWATCH_<SERVICE>_HOST: loopback unless set (compose: 0.0.0.0)
        web_host=settings.host_of(service),
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

    stalls: dict[object, tuple[object, ...]] = {}

    @app.timer(interval=STALL_INTERVAL)
    async def rewind() -> None:
        """Give never-committed partitions a base to commit from, and read stalled ones again."""
        consumer = app.consumer
        if app.rebalancing or not app.tables.recovery.completed.is_set():
            return
        unknown = {tp for tp in consumer.assignment()
                   if "changelog" not in tp.topic and consumer._committed_offset.get(tp) is None}  # noqa: SLF001
        stalled = rewind_stalled(app, stalls)
        if not unknown and not stalled:
            return
        earliest = await consumer.earliest_offsets(*(unknown | set(stalled)))
        for tp in unknown:
            consumer._committed_offset[tp] = earliest.get(tp) or 0  # noqa: SLF001 - nothing committed yet
        for tp in stalled:
            base = max(consumer._committed_offset.get(tp) or 0, earliest.get(tp) or 0)  # noqa: SLF001
            consumer._committed_offset[tp] = base  # noqa: SLF001
            log.warning("partition %s stalled before offset %d: reading it again", tp, base)
            await consumer.seek(tp, base)

    progress: dict[str, object] = {}

    @app.timer(interval=STALL_INTERVAL)
    async def recovery_watchdog() -> None:
        if recovery_stalled(app, progress, time.monotonic()):
            log.error("table recovery made no progress for %d s: exiting so that this worker is restarted",
                      RECOVERY_STALL)
            logging.shutdown()
            os._exit(75)

    @app.page("/metrics")
    async def metrics(web: faust.web.Web, request: faust.web.Request) -> faust.web.Response:
        measure_lag()
        return web.bytes(generate_latest(), content_type=CONTENT_TYPE_LATEST.split(";")[0])

    return app


class Fault(Enum):
    """What a handler's exception says about the message, which decides what becomes of it."""

    POISON = "poison"        # the message itself cannot be read: dead-letter it, the partition moves on
    TRANSIENT = "transient"  # the broker or the network failed: retry, never dead-letter
    BUG = "bug"              # our logic failed on a readable message: dead-letter it, replay once fixed


# Kafka clients (aiokafka under Faust, kafka-python in the alert service's readers), Faust's wrapper of a
# failed send, and OSError, which covers ConnectionError and TimeoutError (= asyncio.TimeoutError).
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    aiokafka.errors.KafkaError, kafka.errors.KafkaError, ProducerSendError, OSError)
# A schema violation or undecodable bytes (InvalidMessage), or a record `from_dict` cannot read.
POISON_ERRORS: tuple[type[BaseException], ...] = (InvalidMessage, KeyError, TypeError, ValueError)

EXIT_TEMPFAIL = 75  # sysexits' EX_TEMPFAIL: the supervisor restarts the worker


def classify(exc: BaseException) -> Fault:
    if isinstance(exc, TRANSIENT_ERRORS):
        return Fault.TRANSIENT
    return Fault.POISON if isinstance(exc, POISON_ERRORS) else Fault.BUG


@dataclass(frozen=True)
class Backoff:
    """How a transient failure is retried: the handler runs `attempts` times, waiting `base` seconds after the
    first failure, doubling each time, never more than `cap`."""

    attempts: int
    base: float
    cap: float

    def delay(self, failures: int) -> float:
        return min(self.cap, self.base * 2 ** (failures - 1))


# 5 runs, waits 0.5 + 1 + 2 + 4 s: rides out a leader election or a dropped connection (a few seconds);
# an outage longer than that is better met by restarting the worker than by holding its partitions.
BACKOFF = Backoff(attempts=5, base=0.5, cap=8.0)


def exit_for_restart(service: str, exc: BaseException) -> None:
    """Give up on a transient failure without acking the message: the process exits, its supervisor
    (compose, `villagewatch up`) starts it again, and the message is read again from the committed offset.

    Raising into Faust instead would lose it: the stream acks the message it yielded when its iterator is
    closed (faust/streams.py, `it.after(event, do_ack)` in a `finally`), and the agent restarts in-process.
    """
    log.error("%s: a transient failure outlasted its retries (%s: %s): exiting so that this worker is restarted",
              service, type(exc).__name__, exc)
    logging.shutdown()
    os._exit(EXIT_TEMPFAIL)


async def dead_letter(app: faust.App, service: str, topic: str, reason: str, raw: bytes | None,
                      key: bytes | None = None) -> None:
    """Send the original bytes and the reason to the deadletter topic; processing goes on."""
    DEADLETTER.labels(service).inc()
    log.warning("dead-lettered a message from %s: %s", topic, reason)
    await app.deadletter.send(key=key, value=deadletter_record(service, topic, reason, raw))  # type: ignore[attr-defined]


def reason_for(fault: Fault, exc: BaseException) -> str:
    """The dead letter's reason: a schema violation says itself, other faults name the exception."""
    if isinstance(exc, InvalidMessage):
        return str(exc)
    label = "unreadable record" if fault is Fault.POISON else "internal error"
    return f"{label}: {type(exc).__name__}: {exc}"


async def retrying(service: str, topic: str, run: Callable[[], Awaitable[None]], backoff: Backoff) -> None:
    """Run `run`, again after a backoff while it fails transiently; the last failure propagates."""
    for failures in range(1, backoff.attempts + 1):
        try:
            return await run()
        except Exception as exc:
            if classify(exc) is not Fault.TRANSIENT or failures == backoff.attempts:
                raise
            wait = backoff.delay(failures)
            log.warning("transient failure on %s (attempt %d of %d, retrying in %.1f s): %s: %s",
                        topic, failures, backoff.attempts, wait, type(exc).__name__, exc)
            await asyncio.sleep(wait)


async def guarded(app: faust.App, service: str, topic: str, key: bytes | None, raw: bytes | None,
                  handle: Callable[[bytes | None], Awaitable[None]], *, backoff: Backoff = BACKOFF,
                  give_up: Callable[[str, BaseException], None] = exit_for_restart) -> None:
    """Run one message's handler. A poison message or a bug in our logic dead-letters it and the partition
    moves on; a transient failure is retried with `backoff` and never dead-lettered: when it persists,
    `give_up` is called (by default the worker exits to be restarted) and the exception propagates."""
    started = time.perf_counter()
    try:
        await retrying(service, topic, lambda: handle(raw), backoff)
    except Exception as exc:
        fault = classify(exc)
        if fault is Fault.TRANSIENT:
            give_up(service, exc)
            raise
        if not isinstance(exc, InvalidMessage):
            log.exception("processing failed (%s)", fault.value)
        await dead_letter(app, service, topic, reason_for(fault, exc), raw, key)
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
