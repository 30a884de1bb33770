"""ingest alone against the real broker: HTTP in, validated reports out, bad input refused or dead-lettered."""

from __future__ import annotations

import urllib.error
import urllib.request

import orjson
from kafka import KafkaProducer

from villagewatch.settings import Settings


def post(settings: Settings, body: bytes, content_type: str) -> tuple[int, dict]:
    req = urllib.request.Request(f"http://127.0.0.1:{settings.ingest_port}/reports", data=body,
                                 headers={"Content-Type": content_type}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, orjson.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, orjson.loads(err.read())


def test_http_reports_accepted_and_rejected(settings: Settings, system, topic) -> None:
    system("ingest")
    reports = topic("reports")

    status, body = post(settings, orjson.dumps({"text": "The YPG took control of the village of Kharrata.",
                                                "source": "test desk", "published": "2016-03-10"}),
                        "application/json")
    assert status == 202 and body["report_id"].startswith("r-")
    status, plain = post(settings, b"TITLE: t\nDATE: 2016-03-11\n\nClashes went on near Tal Tamr town.",
                         "text/plain")
    assert status == 202

    for bad, ctype, message in [
        (b"{nope", "application/json", "not valid JSON"),
        (orjson.dumps({"title": "no text"}), "application/json", "'text' is required"),
        (b"<xml/>", "application/xml", "unsupported Content-Type"),
        (b"", "text/plain", "empty request body"),
    ]:
        status, err = post(settings, bad, ctype)
        assert status == 400 and message in err["error"]

    got = reports.wait_for(2)
    ids = {orjson.loads(v)["report_id"] for _, v in got}
    assert ids == {body["report_id"], plain["report_id"]}
    first = next(orjson.loads(v) for _, v in got if orjson.loads(v)["report_id"] == body["report_id"])
    assert first["published"] == "2016-03-10" and first["source"] == "test desk"


def test_garbage_on_raw_topic_is_dead_lettered_and_processing_goes_on(settings: Settings, system, topic) -> None:
    system("ingest")
    dead, reports = topic("deadletter"), topic("reports")
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap)
    producer.send(settings.topic("reports.raw"), b"\xff not json at all").get(30)
    producer.send(settings.topic("reports.raw"), orjson.dumps({"report_id": "r-x", "text": "?!"})).get(30)
    good = {"report_id": "r-ok", "text": "Clashes went on near the village of Tal Nasri."}
    producer.send(settings.topic("reports.raw"), orjson.dumps(good)).get(30)
    producer.close()

    letters = [orjson.loads(v) for _, v in dead.wait_for(2)]
    assert {d["service"] for d in letters} == {"ingest"}
    reasons = " | ".join(d["reason"] for d in letters)
    assert "not JSON" in reasons and "no readable sentences" in reasons
    assert any(d["original_hex"] == b"\xff not json at all".hex() for d in letters)
    assert len(reports.wait_for(1)) == 1
