"""`runtime.guarded`, the one path every consumed message takes, seen from outside: which failures send the
message to the dead-letter topic (with the reason and the original bytes) and which are retried instead.

A poison message (undecodable, against the schema, unreadable by `from_dict`) and a bug in our logic are
dead-lettered at once and processing goes on; a transient failure (Kafka, the network, a timeout) is retried
with backoff, is never dead-lettered, and when it outlasts the retries the worker gives up (exits, in a
service) and the exception propagates."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import aiokafka.errors
import kafka.errors
import orjson
import pytest
from faust.exceptions import ProducerSendError

from villagewatch import codec
from villagewatch.models import Routed
from villagewatch.runtime import BACKOFF, Backoff, guarded

FAST = Backoff(attempts=4, base=0.001, cap=0.004)
RAW = b"\xff\x00 some bytes"


class Topic:
    """The dead-letter topic as `guarded` uses it: `send(key=, value=)`, here recorded."""

    def __init__(self) -> None:
        self.sent: list[tuple[bytes | None, dict]] = []

    async def send(self, key: bytes | None, value: bytes) -> None:
        self.sent.append((key, orjson.loads(value)))


class App:
    def __init__(self) -> None:
        self.deadletter = Topic()


class Handler:
    """Raises the given exceptions in turn, one per run, then succeeds; counts its runs."""

    def __init__(self, *failures: BaseException) -> None:
        self.failures = list(failures)
        self.runs = 0
        self.seen: list[bytes | None] = []

    async def __call__(self, raw: bytes | None) -> None:
        self.runs += 1
        self.seen.append(raw)
        if self.failures:
            raise self.failures.pop(0)


def run(handler: Handler, raw: bytes | None = RAW, give_up: Callable | None = None) -> App:
    app = App()
    extra = {"give_up": give_up} if give_up else {}
    asyncio.run(guarded(app, "enrich", "t.reports", b"k1", raw, handler, backoff=FAST, **extra))  # type: ignore[arg-type]
    return app


def unreadable() -> Exception:
    """What a model's `from_dict` raises on a record it cannot read (here, no `action`)."""
    return _raised(Routed.from_dict, {"report_id": "r-1"})


@pytest.mark.parametrize(("make", "reason"), [
    (lambda: _raised(codec.decode, "report", b"\xff garbage"), "not JSON"),
    (lambda: _raised(codec.decode, "report", b'{"hello": "world"}'), "report.v1 schema"),
    (unreadable, "unreadable record: KeyError: 'action'"),
    (lambda: KeyError("place"), "unreadable record: KeyError: 'place'"),
    (lambda: TypeError("not a str"), "unreadable record: TypeError: not a str"),
    (lambda: ValueError("bad date"), "unreadable record: ValueError: bad date"),
    (lambda: OverflowError("date value out of range"), "internal error: OverflowError: date value out of range"),
    (lambda: AssertionError("no report"), "internal error: AssertionError: no report"),
])
def test_poison_and_bugs_are_dead_lettered_once_with_reason_and_original_bytes(make, reason: str) -> None:
    handler = Handler(make())
    app = run(handler)
    assert handler.runs == 1, "a poison message was retried"
    [(key, letter)] = app.deadletter.sent
    assert key == b"k1"
    assert letter["reason"].startswith(reason), letter["reason"]
    assert (letter["service"], letter["topic"]) == ("enrich", "t.reports")
    assert bytes.fromhex(letter["original_hex"]) == RAW and letter["original"] is None


def test_a_readable_original_is_kept_as_text() -> None:
    app = run(Handler(KeyError("x")), raw=b'{"hello": "world"}')
    assert app.deadletter.sent[0][1]["original"] == '{"hello": "world"}'


TRANSIENT = [
    aiokafka.errors.KafkaTimeoutError(),
    aiokafka.errors.KafkaConnectionError("connection lost"),
    aiokafka.errors.NotLeaderForPartitionError(),
    kafka.errors.KafkaTimeoutError("metadata"),
    ProducerSendError("Error while sending"),
    ConnectionResetError("reset by peer"),
    TimeoutError(),
    asyncio.TimeoutError("wait_for"),  # noqa: UP041 - the name aiokafka and Faust raise it by
    OSError("network unreachable"),
]


@pytest.mark.parametrize("failure", TRANSIENT, ids=lambda e: type(e).__name__)
def test_a_transient_failure_is_retried_and_not_dead_lettered(failure: Exception) -> None:
    handler = Handler(failure, failure)
    app = run(handler)
    assert handler.runs == 3 and handler.seen == [RAW] * 3
    assert app.deadletter.sent == []


@pytest.mark.parametrize("failure", TRANSIENT[:3], ids=lambda e: type(e).__name__)
def test_a_transient_failure_that_outlasts_the_retries_gives_up_and_propagates(failure: Exception) -> None:
    handler = Handler(*[failure] * (FAST.attempts + 1))
    gave_up: list[tuple[str, BaseException]] = []
    with pytest.raises(type(failure)):
        run(handler, give_up=lambda service, exc: gave_up.append((service, exc)))
    assert handler.runs == FAST.attempts
    assert gave_up == [("enrich", failure)]


def test_a_transient_failure_then_poison_is_dead_lettered_after_the_retry() -> None:
    handler = Handler(aiokafka.errors.KafkaTimeoutError(), codec.InvalidMessage("report.v1 schema: at text"))
    app = run(handler)
    assert handler.runs == 2
    assert [letter["reason"] for _, letter in app.deadletter.sent] == ["report.v1 schema: at text"]


def test_a_good_message_runs_once_and_sends_nothing() -> None:
    handler = Handler()
    assert run(handler).deadletter.sent == [] and handler.runs == 1


def test_backoff_doubles_up_to_its_cap_and_the_default_rides_out_a_few_seconds() -> None:
    assert [Backoff(attempts=6, base=0.5, cap=3.0).delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    waits = [BACKOFF.delay(n) for n in range(1, BACKOFF.attempts)]
    assert waits == sorted(waits) and 3.0 <= sum(waits) <= 20.0


def test_slow_waits_really_happen() -> None:
    """The retry waits between runs (a real sleep, not a spin)."""
    loop = asyncio.new_event_loop()
    times: list[float] = []

    async def handler(raw: bytes | None) -> None:
        times.append(loop.time())
        if len(times) < 3:
            raise aiokafka.errors.KafkaTimeoutError()

    loop.run_until_complete(guarded(App(), "alert", "t.events", None, RAW, handler,  # type: ignore[arg-type]
                                    backoff=Backoff(attempts=3, base=0.05, cap=0.08)))
    loop.close()
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert gaps[0] >= 0.045 and gaps[1] >= 0.075


def _raised(fn: Callable, *args: object) -> Exception:
    try:
        fn(*args)
    except Exception as exc:  # noqa: BLE001 - the exception is the point
        return exc
    raise AssertionError(f"{fn.__name__}{args} did not raise")
