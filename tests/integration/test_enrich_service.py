"""enrich alone against the real broker: a report becomes events keyed by place; a repeat is dropped."""

from __future__ import annotations

import orjson
from kafka import KafkaProducer

from villagewatch.ingest.parse import build_report
from villagewatch.settings import Settings


def test_report_becomes_place_keyed_events_once(settings: Settings, system, topic) -> None:
    system("enrich")
    events = topic("events")
    report = build_report({"text": "The YPG took control of the villages of Kharrata and Tal Nasri from IS "
                                   "on Monday. Clashes went on near the town of Tal Tamr.",
                           "published": "2016-03-10", "source": "test desk"})
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap)
    for _ in range(2):
        producer.send(settings.topic("reports"), key=report.report_id.encode(),
                      value=orjson.dumps(report.to_dict())).get(30)
    producer.send(settings.topic("reports"), value=b"[]").get(30)
    marker = build_report({"text": "Shelling hit the village of Tal Baydar on Tuesday."})
    producer.send(settings.topic("reports"), key=marker.report_id.encode(),
                  value=orjson.dumps(marker.to_dict())).get(30)
    producer.close()

    def seen_marker() -> bool:
        return any(orjson.loads(v)["report_id"] == marker.report_id for _, v in events.poll())

    from tests.conftest import wait_until

    wait_until(seen_marker, 90, what="the marker report's events")
    mine = [(k, orjson.loads(v)) for k, v in events.messages if orjson.loads(v)["report_id"] == report.report_id]
    changes = [(k.decode(), e) for k, e in mine if e["type"] == "control_change"]
    assert sorted(e["place"]["name"] for _, e in changes) == ["Kharrata", "Tal Nasri"]
    assert all(k == e["place"]["place_id"] for k, e in changes)
    assert all(e["new_controller"] == "kurdish-led" and e["previous_controller"] == "islamic-state"
               for _, e in changes)
    assert any(e["type"] == "clash" for _, e in mine)
    assert len({e["event_id"] for _, e in mine}) == len(mine), "the repeated report was processed twice"
