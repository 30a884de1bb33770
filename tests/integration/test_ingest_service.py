"""ingest alone against the real broker: HTTP in, validated reports out, bad input refused or dead-lettered."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request

import orjson
from kafka import KafkaProducer

from tests.conftest import end_offsets
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

    for bad, ctype, code, message in [
        (b"{nope", "application/json", 400, "not valid JSON"),
        (orjson.dumps({"title": "no text"}), "application/json", 400, "'text' is required"),
        (b"<xml/>", "application/xml", 415, "unsupported Content-Type"),
        (b"", "text/plain", 400, "empty request body"),
    ]:
        status, err = post(settings, bad, ctype)
        assert status == code and message in err["error"]

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


def request(port: int, body: bytes | None, headers: dict[str, str], method: str = "POST",
            path: str = "/reports") -> tuple[int, dict, dict]:
    """(status, JSON body, headers) of one request; a refusal's body must be JSON too."""
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, orjson.loads(resp.read()), dict(resp.headers)
    except urllib.error.HTTPError as err:
        raw = err.read()
        assert err.headers.get_content_type() == "application/json", (err.code, raw[:200])
        return err.code, orjson.loads(raw), dict(err.headers)


def metric(port: int, name: str, label: str = "") -> float:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as resp:
        lines = resp.read().decode().splitlines()
    return sum(float(line.rsplit(" ", 1)[1]) for line in lines
               if line.startswith(name) and label in line and not line.startswith("#"))


def listening_addresses(port: int) -> set[str]:
    """Local addresses something listens on at `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = open(table).read().splitlines()[1:]  # noqa: SIM115, PTH123
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            address, hexport = local.split(":")
            if state == "0A" and int(hexport, 16) == port:
                found.add(".".join(str(int(address[i:i + 2], 16)) for i in (6, 4, 2, 0)) if len(address) == 8
                          else address)
    return found


TEXT = "The YPG took control of the village of Kharrata on Monday."
NOTE = "2015-03-01 (estimate: undated, the archive gives only the month, " + "checked against two other outlets " * 4


def test_bad_input_gets_a_json_error_and_nothing_else_is_lost(settings: Settings, system, topic) -> None:
    system("ingest")
    reports = topic("reports")
    port = settings.ingest_port
    js, plain = {"Content-Type": "application/json"}, {"Content-Type": "text/plain"}

    accepted = []
    for body, headers, check in [
        (orjson.dumps({"text": TEXT, "published": "2016-03-10"}), js, lambda r: "warnings" not in r),
        (f"DATE: {NOTE}\nSOURCE: desk\n\n{TEXT} Again.".encode(), plain, lambda r: "warnings" not in r),
        (orjson.dumps({"text": TEXT + " Later.", "published": "2099-01-01"}), js,
         lambda r: r["warnings"] == ["'published' 2099-01-01 is in the future: kept without a date"]),
        (b"DATE: about a week ago\n\n" + TEXT.encode() + b" Third.", plain,
         lambda r: "does not start with a date" in r["warnings"][0]),
        (("\ufeff" + TEXT + " With a BOM.").encode(), {"Content-Type": "text/plain; charset=UTF-8"}, bool),
    ]:
        status, answer, _ = request(port, body, headers)
        assert status == 202 and check(answer), answer
        accepted.append(answer["report_id"])

    before = metric(port, "villagewatch_reports_rejected_total")
    nested = b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    cases = [
        (b"", plain, 400, "empty request body"),
        (b"   \n", js, 400, "empty request body"),
        (b"x" * (1_048_576 + 1), plain, 413, "larger than 1048576 bytes"),
        (orjson.dumps({"text": TEXT}), {"Content-Type": "application/octet-stream"}, 415,
         "unsupported Content-Type 'application/octet-stream'"),
        (b"<html><body>" + TEXT.encode() + b"</body></html>", {"Content-Type": "text/html"}, 415, "HTML pages"),
        (TEXT.encode(), {"Content-Type": "text/plain; charset=latin-1"}, 415, "send UTF-8"),
        (TEXT.encode("utf-16"), plain, 400, "not UTF-8"),
        (b"The YPG took \xe9 village.", plain, 400, "not UTF-8"),
        (b"{nope", js, 400, "not valid JSON"),
        (nested, js, 400, "nested too deeply"),
        (orjson.dumps({"text": TEXT, "title": [[[["deep"]]]]}), js, 400, "'title' must be a string"),
        (orjson.dumps({"title": "no text"}), js, 400, "'text' is required"),
        (orjson.dumps({"text": TEXT, "colour": "red"}), js, 400, "unknown field(s): colour"),
        (orjson.dumps(["a", "list"]), js, 400, "JSON object"),
        (orjson.dumps({"text": TEXT, "published": 2015}), js, 400, "'published' must be a string"),
        (b"<!DOCTYPE html><html><body><p>" + TEXT.encode() + b"</p></body></html>", plain, 400, "HTML markup"),
        (orjson.dumps({"text": "<div><p>" + TEXT + "</p><p>x</p></div>"}), js, 400, "HTML markup"),
        (b"TITLE: a title\nDATE: 2016-03-10\n", plain, 400, "header lines but no report text"),
        (b"URL: https://example.org/x\nThe body starts too early.", plain, 400, "blank line"),
    ]
    for body, headers, code, message in cases:
        status, answer, _ = request(port, body, headers)
        assert (status, list(answer)) == (code, ["error"]) and message in answer["error"], (message, status, answer)
    assert metric(port, "villagewatch_reports_rejected_total") == before + len(cases)
    assert metric(port, "villagewatch_reports_rejected_total", 'reason="too_large"') == 1
    assert metric(port, "villagewatch_reports_rejected_total", 'reason="unsupported_media_type"') == 3

    got = {orjson.loads(v)["report_id"]: orjson.loads(v) for _, v in reports.wait_for(len(accepted))}
    assert set(got) == set(accepted)
    assert [got[r]["published"] for r in accepted] == ["2016-03-10", "2015-03-01", None, None, None]
    assert got[accepted[1]]["source"] == "desk"
    # Ingest answers only once the broker has the record, so what reached reports.raw is final by now.
    assert end_offsets(settings, "reports.raw") == len(accepted)  # no refusal reached the topic
    assert len(reports.poll()) == len(accepted)


TOKEN = "t0k-" + "x" * 40


def test_token_guards_post_reports_healthz_stays_open_and_submit_sends_it(settings: Settings, system, topic,
                                                                          tmp_path) -> None:
    sysm = system("ingest", ingest_token=TOKEN)
    port = settings.ingest_port
    assert listening_addresses(port) == {"127.0.0.1"}  # VILLAGEWATCH_INGEST_HOST's default
    reports = topic("reports")
    body = orjson.dumps({"text": TEXT, "source": "desk"})
    js = {"Content-Type": "application/json"}

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as resp:
        assert resp.status == 200
    for headers, message in [
        (js, "missing 'Authorization: Bearer <token>' header"),
        ({**js, "Authorization": f"Bearer {TOKEN[:-1]}"}, "invalid bearer token"),
        ({**js, "Authorization": f"Basic {TOKEN}"}, "invalid bearer token"),
    ]:
        status, answer, resp_headers = request(port, body, headers)
        assert (status, answer) == (401, {"error": message})
        assert resp_headers["WWW-Authenticate"].startswith("Bearer")
    assert metric(port, "villagewatch_reports_rejected_total", 'reason="unauthorized"') == 3
    status, answer, _ = request(port, body, {**js, "Authorization": f"Bearer {TOKEN}"})
    assert status == 202

    report = tmp_path / "r.txt"
    report.write_text(f"SOURCE: cli desk\nDATE: 2099-12-31\n\n{TEXT} From the CLI.")
    env = {**os.environ, **sysm.settings.env()}
    done = subprocess.run([sys.executable, "-m", "villagewatch.cli", "submit", str(report)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"accepted {report}#1 r-")
    assert "'published' 2099-12-31 is in the future: kept without a date" in done.stderr
    wrong = subprocess.run([sys.executable, "-m", "villagewatch.cli", "submit", str(report)],
                           env={**env, "VILLAGEWATCH_INGEST_TOKEN": "wrong"}, capture_output=True, text=True,
                           timeout=60)
    assert wrong.returncode == 1 and "HTTP 401: invalid bearer token" in wrong.stderr
    assert metric(port, "villagewatch_http_reports_accepted_total") == 2
    got = [orjson.loads(v) for _, v in reports.wait_for(2)]
    assert {r["source"] for r in got} == {"desk", "cli desk"}


def test_rate_limit_per_client_answers_429_with_retry_after(settings: Settings, system) -> None:
    system("ingest", ingest_rate="0.05/3")  # one report every 20 s after a burst of 3: no refill during the test
    port = settings.ingest_port
    js = {"Content-Type": "application/json"}
    answers = [request(port, orjson.dumps({"text": f"{TEXT} Number {i}."}), js) for i in range(3)]
    answers.append(request(port, b"{nope", js))  # a refused report counts as well
    assert [a[0] for a in answers] == [202, 202, 202, 429]
    status, answer, headers = answers[3]
    assert 1 <= int(headers["Retry-After"]) <= 20
    assert "too many reports from 127.0.0.1" in answer["error"] and list(answer) == ["error"]
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as resp:
        assert resp.status == 200  # not rate limited
    assert metric(port, "villagewatch_reports_rejected_total", 'reason="rate_limited"') == 1
