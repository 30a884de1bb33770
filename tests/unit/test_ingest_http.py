"""POST /reports without a broker: the token bucket's timing, the bearer check, and 503 when the broker
does not acknowledge in time (the same `ReportsEndpoint` the service runs; tests/integration/
test_ingest_service.py drives it over real HTTP against a real broker)."""

from __future__ import annotations

import asyncio
import time

import orjson
import pytest

from villagewatch.ingest.service import MAX_BODY, ReportsEndpoint, TokenBuckets, TooLarge, bearer_ok
from villagewatch.metrics import REPORTS_REJECTED

GOOD = orjson.dumps({"text": "The YPG took the village of Kharrata.", "published": "2016-03-10"})
JSON = {"Content-Type": "application/json"}


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def body(data: bytes):  # noqa: ANN201 - the endpoint's body reader
    async def read() -> bytes:
        return data
    return read


def rejected(reason: str) -> float:
    return REPORTS_REJECTED.labels(reason)._value.get()  # noqa: SLF001 - prometheus_client's counter value


def test_token_bucket_bursts_then_refills_at_the_rate_per_client() -> None:
    clock = Clock()
    buckets = TokenBuckets(rate=2.0, burst=3.0, clock=clock)
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a") == pytest.approx(0.5)
    assert buckets.take("b") == 0.0  # another client has its own bucket
    clock.now += 0.5
    assert buckets.take("a") == 0.0 and buckets.take("a") == pytest.approx(0.5)
    clock.now += 100
    assert [buckets.take("a") for _ in range(4)][:3] == [0.0, 0.0, 0.0]  # never more than the burst


def test_token_bucket_forgets_idle_clients() -> None:
    clock = Clock()
    buckets = TokenBuckets(rate=1.0, burst=1.0, clock=clock, max_clients=10)
    for i in range(10):
        buckets.take(f"c{i}")
    clock.now += 5
    buckets.take("new")
    assert list(buckets.buckets) == ["new"]


@pytest.mark.parametrize(
    ("header", "ok"),
    [("Bearer tok", True), ("bearer tok", True), ("Bearer  tok ", True), ("Bearer tok2", False),
     ("Bearer to", False), ("Basic tok", False), ("tok", False), ("", False), (None, False),
     ("Bearer t\udcffk", False)],
)
def test_bearer_check(header: str | None, ok: bool) -> None:
    assert bearer_ok(header, "tok") is ok


def test_429_says_when_to_retry_and_401_comes_after_the_limit() -> None:
    sent: list[bytes] = []

    async def send(key: bytes, value: bytes) -> None:
        sent.append(key)

    clock = Clock()
    endpoint = ReportsEndpoint(send, token="tok", limiter=TokenBuckets(0.25, 2.0, clock=clock))
    auth = {**JSON, "Authorization": "Bearer tok"}
    before = rejected("rate_limited")
    answers = [asyncio.run(endpoint.post(h, "10.0.0.1", body(GOOD))) for h in (JSON, auth, auth)]
    assert [a[0] for a in answers] == [401, 202, 429]
    status, error, headers = answers[2]
    assert headers["Retry-After"] == "4" and "too many reports from 10.0.0.1" in error["error"]
    assert rejected("rate_limited") == before + 1 and len(sent) == 1
    clock.now += 4
    assert asyncio.run(endpoint.post(auth, "10.0.0.1", body(GOOD)))[0] == 202


def test_broker_that_does_not_acknowledge_gets_503_in_time() -> None:
    async def never(key: bytes, value: bytes) -> None:
        await asyncio.Event().wait()  # a broker that never acknowledges

    endpoint = ReportsEndpoint(never, send_timeout=0.3)
    started = time.monotonic()
    status, error, headers = asyncio.run(endpoint.post(JSON, "c", body(GOOD)))
    assert status == 503 and headers["Retry-After"] and "did not accept the report" in error["error"]
    assert time.monotonic() - started < 2


def test_too_large_body_is_413_json() -> None:
    async def too_large() -> bytes:
        raise TooLarge

    async def send(key: bytes, value: bytes) -> None:
        raise AssertionError("nothing is sent")

    status, error, _ = asyncio.run(ReportsEndpoint(send).post(JSON, "c", too_large))
    assert status == 413 and error == {"error": f"request body is larger than {MAX_BODY} bytes"}
