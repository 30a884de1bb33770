"""enrich alone against the real broker: a report becomes events keyed by place; a repeat is dropped;
a reprint from another outlet is recorded as another source of the first report, not read again."""

from __future__ import annotations

import orjson
from kafka import KafkaProducer

from tests.conftest import end_offsets, wait_until
from villagewatch.ingest.parse import build_report
from villagewatch.models import Report
from villagewatch.settings import Settings

TEXT = ("The YPG took control of the villages of Kharrata and Tal Nasri from IS on Monday. "
        "Clashes went on near the town of Tal Tamr.")


def test_report_becomes_place_keyed_events_once(settings: Settings, system, topic) -> None:
    system("enrich")
    events = topic("events")
    report = build_report({"text": TEXT, "published": "2016-03-10", "source": "test desk"})
    reprint = build_report({"text": "Share this story.\n\n" + TEXT, "published": "2016-03-11",
                            "source": "aggregator"})
    marker = build_report({"text": "Shelling hit the village of Tal Baydar on Tuesday."})
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap)

    def send(r: Report | None) -> None:
        key, value = (r.report_id.encode(), orjson.dumps(r.to_dict())) if r else (None, b"[]")
        producer.send(settings.topic("reports"), key=key, value=value).get(30)

    for r in (report, report, None, reprint, marker):
        send(r)
    producer.close()

    def read_from(r: Report) -> int:
        return sum(orjson.loads(v)["report_id"] == r.report_id for _, v in events.messages)

    def all_read() -> bool:
        """Reports sit on partitions of their own, so the marker coming out says nothing of the others."""
        events.poll()
        return read_from(report) >= 3 and read_from(reprint) >= 2 and read_from(marker) >= 1

    wait_until(all_read, 90, what="the events of the report, its reprint and the marker")
    wait_until(lambda: len(events.poll()) >= end_offsets(settings, "events"), 30, what="the rest of the topic")
    mine = [(k, orjson.loads(v)) for k, v in events.messages if orjson.loads(v)["report_id"] == report.report_id]
    changes = [(k.decode(), e) for k, e in mine if e["type"] == "control_change"]
    assert sorted(e["place"]["name"] for _, e in changes) == ["Kharrata", "Tal Nasri"]
    assert all(k == e["place"]["place_id"] for k, e in changes)
    assert all(e["new_controller"] == "kurdish-led" and e["previous_controller"] == "islamic-state"
               for _, e in changes)
    assert any(e["type"] == "clash" for _, e in mine)
    assert len({e["event_id"] for _, e in mine}) == len(mine), "the repeated report was processed twice"

    copies = [orjson.loads(v) for _, v in events.messages if orjson.loads(v)["report_id"] == reprint.report_id]
    assert sorted((e["type"], e["place"]["name"]) for e in copies) == [
        ("control_change", "Kharrata"), ("control_change", "Tal Nasri")], "the reprint was read again"
    assert all(e["duplicate_of"] == report.report_id and e["source"] == "aggregator" for e in copies)
