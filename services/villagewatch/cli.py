"""The `villagewatch` command: local Kafka, the services, submitting, subscribing, offline tools."""

from __future__ import annotations

import argparse
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import orjson

from villagewatch.models import SIDES, Place, Report
from villagewatch.settings import Settings

SAMPLES = Path(__file__).resolve().parent / "samples"


def _settings() -> Settings:
    return Settings.from_env()


def cmd_kafka(args: argparse.Namespace) -> int:
    from villagewatch.kafka.local import KafkaError
    from villagewatch.supervisor import local_kafka

    kafka = local_kafka(_settings())
    try:
        if args.action == "start":
            print(f"Kafka {kafka.version} answering on {kafka.start()}")
        elif args.action == "stop":
            print("stopped" if kafka.stop() else "was not running")
        else:
            print(kafka.status())
    except KafkaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from villagewatch.kafka.admin import ensure_topics

    created = ensure_topics(_settings())
    print(f"created: {', '.join(created)}" if created else "all topics exist")
    return 0


def cmd_service(args: argparse.Namespace) -> int:
    from villagewatch.runtime import run

    settings = _settings()
    if args.name == "ingest":
        from villagewatch.ingest.service import build
    elif args.name == "enrich":
        from villagewatch.enrich.service import build
    else:
        from villagewatch.alert.service import build
    run(build(settings), args.name, settings.log_level)
    return 0


def cmd_health(args: argparse.Namespace) -> int:
    """Exit 0 when the service on this machine says it is ready: the container healthcheck."""
    from villagewatch.supervisor import healthy

    ready = healthy(_settings(), args.name)
    print("ready" if ready else "not ready")
    return 0 if ready else 1


def cmd_up(args: argparse.Namespace) -> int:
    from villagewatch.supervisor import System, wait_for_signal

    system = System(_settings())
    try:
        system.start()
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print("running; Ctrl-C or `villagewatch down` stops everything", flush=True)
    try:
        wait_for_signal(every=system.restart_exited)
    finally:
        system.stop()
        print("stopped", flush=True)
    return 0


def cmd_down(args: argparse.Namespace) -> int:
    from villagewatch.supervisor import down

    print("stopped" if down(_settings()) else "nothing was running")
    return 0


def cmd_submit(args: argparse.Namespace) -> int:
    """Validate each report here, then send it: with an ingest token set (VILLAGEWATCH_INGEST_TOKEN or
    _FILE) to ingest's HTTP API with `Authorization: Bearer`, else straight to the reports.raw topic."""
    import urllib.error

    from villagewatch import codec
    from villagewatch.ingest.parse import BadReport, reports_in

    settings = _settings()
    token = settings.ingest_secret()
    host = "127.0.0.1" if settings.ingest_host in ("0.0.0.0", "::", "") else settings.ingest_host
    url = f"http://{host}:{settings.ingest_port}/reports"

    def post(report: object) -> tuple[int, dict]:
        fields = {k: v for k, v in report.to_dict().items() if k not in ("report_id", "received")}  # type: ignore[attr-defined]
        for _ in range(5):  # 429 and 503 say when to try again
            req = urllib.request.Request(url, data=orjson.dumps(fields), method="POST", headers={
                "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
            try:
                with urllib.request.urlopen(req, timeout=30) as resp:
                    return resp.status, orjson.loads(resp.read())
            except urllib.error.HTTPError as err:
                status, body, retry = err.code, err.read(), err.headers.get("Retry-After")
            try:
                answer = orjson.loads(body)
            except orjson.JSONDecodeError:
                answer = {"error": body.decode("utf-8", "replace")[:200]}
            if status not in (429, 503) or not retry:
                return status, answer
            time.sleep(min(30.0, float(retry)))
        return status, answer

    prod = None
    if token is None:
        from villagewatch.kafka.admin import producer

        prod = producer(settings)
    failures = 0
    for label, report in reports_in(args.files):
        if isinstance(report, BadReport):
            print(f"rejected {report}", file=sys.stderr)
            failures += 1
            continue
        if prod is not None:
            prod.send(settings.topic("reports.raw"), key=report.report_id.encode(),
                      value=codec.encode("report", report.to_dict())).get(timeout=30)
            print(f"accepted {label} {report.report_id}")
            continue
        try:
            status, answer = post(report)
        except (urllib.error.URLError, OSError) as exc:
            print(f"error: cannot reach ingest at {url}: {getattr(exc, 'reason', exc)}", file=sys.stderr)
            return 1
        if status == 202:
            print(f"accepted {label} {answer['report_id']}")
        else:
            print(f"rejected {label}: HTTP {status}: {answer.get('error')}", file=sys.stderr)
            failures += 1
    if prod is not None:
        prod.flush()
        prod.close()
    return 1 if failures else 0


def _alert_line(a: dict, fmt: str) -> str:
    if fmt == "json":
        return orjson.dumps(a).decode()
    place = a["place"]
    lines = [f"[{a['status']} v{a['version']}] {place['name']} ({place.get('pcode') or place['place_id']}): "
             f"{a['from'] or 'unknown'} -> {a['to']} on {a['event_time'] or 'unknown date'}, "
             f"verified={str(a['verified']).lower()}, confidence={a['confidence']}"]
    if a.get("why"):  # alerts published before `why` existed have none
        lines.append(f"    why: {a['why']}")
    lines += [f"    {s.get('source') or 'unknown source'}: \"{s['evidence']}\"" for s in a["sources"]]
    return "\n".join(lines)


def _print_alert(raw: bytes, fmt: str) -> None:
    print(_alert_line(orjson.loads(raw), fmt), flush=True)


def _wanted(a: dict, args: argparse.Namespace) -> bool:
    """subscribe's filters: place (any spelling, P-code or id), side (from or to), minimum confidence."""
    from villagewatch.understanding.text import skeleton

    if args.place:
        p = a["place"]
        keys = {p["place_id"], p.get("pcode"), skeleton(p["name"])}
        if not any(x in keys or skeleton(x) in keys for x in args.place):
            return False
    if args.side and args.side not in (a["from"], a["to"]):
        return False
    return a["confidence"] >= args.min_confidence


def cmd_subscribe(args: argparse.Namespace) -> int:
    from villagewatch.kafka.admin import consume

    settings = _settings()
    shown = 0
    try:
        for _, value in consume(settings, "alerts", group=args.group, from_beginning=args.from_beginning,
                                idle_timeout=args.timeout):
            if value is None:
                continue
            alert = orjson.loads(value)
            if not _wanted(alert, args):
                continue
            print(_alert_line(alert, args.format), flush=True)
            shown += 1
            if args.max and shown >= args.max:
                break
    except KeyboardInterrupt:
        pass
    return 0


def cmd_track(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from villagewatch.alert.tracking import entry_key, file_entries, resolve_entry
    from villagewatch.alert.tracking_feed import read_once
    from villagewatch.kafka.admin import producer
    from villagewatch.kafka.security import kafka_python_kwargs

    settings = _settings()
    topic = settings.topic("tracking")
    if args.action == "list":
        said = read_once(settings.bootstrap, topic, kafka_python_kwargs(settings))
        removed = {k for k, (_, t) in said.items() if not t}
        if settings.tracked_file:
            for e in file_entries(settings.tracked_file):
                if entry_key(e) not in removed and entry_key(e) not in said:
                    print(f"{e}\t(file)")
        for e, t in said.values():
            if t:
                print(f"{e}\t(runtime)")
        return 0
    if not args.place:
        print("error: name a place", file=sys.stderr)
        return 2
    text = " ".join(args.place)
    if args.action == "add":
        resolved = resolve_entry(text)
        print(resolved.message, file=sys.stderr if resolved.entry is None else sys.stdout)
        if resolved.entry is None:
            return 2
        entry, tracked = resolved.entry, True
    else:
        entry, tracked = text, False
    record = {"entry": entry, "tracked": tracked, "at": datetime.now(UTC).isoformat(timespec="seconds")}
    prod = producer(settings)
    prod.send(topic, key=entry_key(entry).encode(), value=orjson.dumps(record)).get(timeout=30)
    prod.close()
    if not tracked:
        print(f"no longer tracking {entry}")
    return 0


def _since(text: str) -> object:
    """--since: an ISO date or date-time; without a zone it is UTC."""
    from datetime import UTC, datetime

    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date or date-time: {text!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def cmd_deadletter(args: argparse.Namespace) -> int:
    from villagewatch.kafka import deadletter

    settings = _settings()
    try:
        letters = [d for d in deadletter.read(settings, args.since) if deadletter.matches(d, settings, args.topic)]
    except (LookupError, TimeoutError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.action == "list":
        for d in letters:
            if args.json:
                print(orjson.dumps(d.to_json()).decode())
                continue
            shown = d.to_json()
            original = shown["original"] if shown["original"] is not None else f"hex:{shown['original_hex']}"
            print(f"{shown['timestamp']}  {d.partition}:{d.offset}  {d.service or '-'}  {d.topic or '-'}  "
                  f"{d.problem or d.reason}  | {original[:80]!r}")
        if not args.json:
            print(f"{len(letters)} dead letter(s)", file=sys.stderr)
        return 0
    sent = deadletter.replay(settings, letters, dry_run=args.dry_run)
    for d, target in sent:
        if target is None:
            print(f"skipped {d.partition}:{d.offset}: {d.problem or f'topic {d.topic!r} is not one of ours'}",
                  file=sys.stderr)
        else:
            print(f"{'would send' if args.dry_run else 'sent'} {d.partition}:{d.offset} -> {target} "
                  f"({len(d.original or b'')} bytes)")
    done = sum(1 for _, t in sent if t is not None)
    print(f"{done} dead letter(s) {'would be ' if args.dry_run else ''}replayed, {len(sent) - done} skipped",
          file=sys.stderr)
    return 0 if done == len(sent) else 1


def cmd_replay(args: argparse.Namespace) -> int:
    from villagewatch.alert.tracking import Tracking
    from villagewatch.pipeline import replay

    settings = _settings()
    if args.track_all:
        tracking = Tracking(everything=True)
    elif args.track:
        tracking = Tracking.parse(args.track)
    else:
        tracking = Tracking.from_file(settings.tracked_file)
    errors: list[str] = []
    for alert in replay(args.paths, tracking, settings.event_window_hours, errors, settings.dedup_window_days):
        print(_alert_line(alert.to_dict(), args.format), flush=True)
    for e in errors:
        print(f"rejected {e}", file=sys.stderr)
    return 1 if errors else 0


def cmd_extract(args: argparse.Namespace) -> int:
    from villagewatch.understanding.extract import extract

    failures: list[str] = []
    for _, report in _usable_reports(args, failures):
        sys.stdout.buffer.write(orjson.dumps(extract(report).to_contract()) + b"\n")
    sys.stdout.flush()
    return 1 if failures else 0


def _usable_reports(args: argparse.Namespace, failures: list[str]) -> Iterator[tuple[str, Report]]:
    """(label, report) for each report in args.files; each refused one printed as an error and noted."""
    from villagewatch.ingest.parse import BadReport, reports_in

    for label, report in reports_in(args.files, args.date):
        if isinstance(report, BadReport):
            print(f"error: {report}", file=sys.stderr)
            failures.append(label)
            continue
        yield label, report


def cmd_explain(args: argparse.Namespace) -> int:
    """Why each sentence did or did not give a control change: candidates, and the rule that kept or dropped
    each."""
    from villagewatch.understanding.extract import SentenceTrace, extract

    failures: list[str] = []
    for path, report in _usable_reports(args, failures):
        trace: list[SentenceTrace] = []
        result = extract(report, trace)
        print(f"== {path}")
        for n, seen in enumerate(trace, 1):
            if args.quiet and not seen.candidates:
                continue
            print(f"[{n}] {seen.sentence}")
            if seen.skipped:
                print(f"    skipped: {seen.skipped}")
            if seen.actors:
                print(f"    actors: {', '.join(seen.actors)}")
            if seen.places:
                print(f"    places: {', '.join(seen.places)}")
            for c in seen.candidates:
                sides = f"{c.previous or '?'} -> {c.new or '?'}"
                print(f"    {c.rule.upper() if c.rule == 'kept' else 'dropped (' + c.rule + ')'}: {c.word!r} "
                      f"[{c.shape}] places={list(c.places)} actor={c.actor!r} {sides}")
                if c.not_places:
                    print(f"      names dropped (not-a-place): {', '.join(c.not_places)}")
        print("-- control changes:")
        for e in result.events:
            if e.type == "control_change":
                flag = " (background)" if e.background else ""
                print(f"    {e.place.name if e.place else '?'}: {e.previous_controller or '?'} -> {e.new_controller}"
                      f" [{e.certainty}, verified={str(e.verified).lower()}]{flag}")
                if e.place:
                    print(f"      place: {_resolution(e.place)}")
    return 1 if failures else 0


def _resolution(place: Place) -> str:
    """How a name was resolved against the gazetteer, for `explain`."""
    if place.pcode:
        return f"{place.pcode} ({', '.join(a for a in (place.admin3, place.admin2, place.admin1) if a)})"
    if place.candidates:
        return f"no P-code, ambiguous or outside the report's area: {'; '.join(place.candidates[:4])}"
    return f"not in the gazetteer (id {place.place_id})"


def _eval_check(text: str) -> object:
    from villagewatch.evaluation import Check

    try:
        return Check.parse(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def cmd_eval(args: argparse.Namespace) -> int:
    """One row per labelled set (+ total); exit 1 when a --check threshold is not met, 2 on unusable input."""
    from villagewatch.evaluation import EvalError, check_failures, detail_lines, evaluate_sets, report, table

    try:
        scores = evaluate_sets(Path(d) for d in args.directories)
        failures = check_failures(scores, args.check or [])
    except EvalError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(orjson.dumps(report(scores, details=args.details), option=orjson.OPT_INDENT_2).decode())
    else:
        print(table(scores))
        for line in detail_lines(scores) if args.details else []:
            print(line)
    for f in failures:
        print(f"check failed: {f}", file=sys.stderr)
    return 1 if failures else 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Start everything on fresh topics, submit the sample report, print the alerts, stop."""
    from villagewatch.kafka.admin import consume
    from villagewatch.supervisor import System

    base = _settings()
    settings = replace(
        base,
        topic_prefix=base.topic_prefix or f"demo-{uuid.uuid4().hex[:8]}.",
        tracked_file=base.tracked_file or str(SAMPLES / "tracked.conf"),
    )
    system = System(settings)
    try:
        system.start()
        sample = (SAMPLES / "hasakah-sample.txt").read_bytes()
        print("\n--- submitting the sample report over HTTP ---")
        print(sample.decode().split("\n\n", 1)[1].strip()[:400] + " ...")
        headers = {"Content-Type": "text/plain"}
        token = settings.ingest_secret()
        if token:  # ingest asks for it (VILLAGEWATCH_INGEST_TOKEN[_FILE])
            headers["Authorization"] = f"Bearer {token}"
        req = urllib.request.Request(
            f"http://127.0.0.1:{settings.ingest_port}/reports", data=sample, headers=headers, method="POST",
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            print(f"ingest answered {resp.status}: {resp.read().decode()}")
        print("\n--- alerts ---", flush=True)
        wanted, seen = args.expect, 0
        deadline = time.monotonic() + args.timeout
        for _, value in consume(settings, "alerts", from_beginning=True, idle_timeout=5):
            if value is not None:
                _print_alert(value, "text")
                seen += 1
            if seen >= wanted or time.monotonic() > deadline:
                break
        if seen < wanted:
            for _, value in consume(settings, "alerts", from_beginning=True, idle_timeout=args.timeout):
                if value is not None:
                    seen += 1
                if seen >= wanted:
                    break
        print(f"\n{seen} alert(s) received")
        return 0 if seen >= wanted else 1
    finally:
        print("stopping ...", flush=True)
        system.stop()


def cmd_bench(args: argparse.Namespace) -> int:
    if args.quick or args.full:
        return _bench_pipeline(args)
    if args.memory:
        from villagewatch import loadbench

        checkpoints = tuple(int(n) for n in args.memory.split(","))
        print(orjson.dumps(loadbench.memory(checkpoints, say=not args.quiet), option=orjson.OPT_INDENT_2).decode())
        return 0
    from villagewatch.bench import run, run_on

    if args.dir is not None and not args.dir.is_dir():
        print(f"bench: {args.dir} is not a folder of reports (the dev set lives in ../shared/data/reports/dev)",
              file=sys.stderr)
        return 2
    result = run_on(args.dir) if args.dir is not None else run(args.reports)
    print(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode())
    return 0


def _bench_pipeline(args: argparse.Namespace) -> int:
    """The pipeline benchmark: ceiling, offline extract, sustained HTTP -> alert rate, latency at half rate."""
    from villagewatch import loadbench
    from villagewatch.kafka.local import KafkaError
    from villagewatch.loadmix import MixSpec, markdown_section, replace_section

    plan = loadbench.FULL if args.full else loadbench.QUICK
    plan = replace(plan, sustained=args.sustained or plan.sustained, latency=args.latency_reports or plan.latency,
                   profile_dir=args.profile)
    try:
        spec = MixSpec(change_share=args.change_share, reprint_share=args.reprint_share,
                       near_duplicate_share=args.near_duplicate_share)
    except ValueError as e:
        print(f"bench: {e}", file=sys.stderr)
        return 2
    try:
        result = loadbench.run(plan, args.mix, spec, say=not args.quiet)
    except KeyboardInterrupt:
        print("bench: interrupted; everything it started is stopped", file=sys.stderr)
        return 130
    except (KafkaError, RuntimeError, OSError) as e:
        print(f"bench: failed: {e}", file=sys.stderr)
        return 1
    if args.json:
        print(orjson.dumps(result).decode(), flush=True)
    else:
        print(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode(), flush=True)
    if args.full and args.write is not None:
        given = sys.argv[1:] if sys.argv[1:2] == ["bench"] else ["bench", "--full"]
        command = "villagewatch " + " ".join(given)
        doc = args.write.read_text() if args.write.exists() else ""
        section = markdown_section(result, command, loadbench.machine(), loadbench.now_utc())
        args.write.write_text(replace_section(doc, args.mix, section))
        print(f"wrote the {args.mix} section of {args.write}", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="villagewatch", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    k = sub.add_parser("kafka", help="the local Kafka broker (from Kafka's own jars)")
    k.add_argument("action", choices=["start", "stop", "status"])
    k.set_defaults(func=cmd_kafka)

    sub.add_parser("init", help="create the topics (idempotent)").set_defaults(func=cmd_init)

    s = sub.add_parser("service", help="run one service in this process")
    s.add_argument("name", choices=["ingest", "enrich", "alert"])
    s.set_defaults(func=cmd_service)

    h = sub.add_parser("health", help="exit 0 if the named service on this machine is ready")
    h.add_argument("name", choices=["ingest", "enrich", "alert"])
    h.set_defaults(func=cmd_health)

    sub.add_parser("up", help="run the whole system until Ctrl-C").set_defaults(func=cmd_up)
    sub.add_parser("down", help="stop what `up` started").set_defaults(func=cmd_down)

    sm = sub.add_parser("submit", help="submit report files (.txt with headers, or .jsonl)")
    sm.add_argument("files", nargs="+")
    sm.set_defaults(func=cmd_submit)

    sb = sub.add_parser("subscribe", help="print alerts as they arrive")
    sb.add_argument("--from-beginning", action="store_true")
    sb.add_argument("--group", default=None)
    sb.add_argument("--format", choices=["json", "text"], default="json")
    sb.add_argument("--max", type=int, default=0, help="stop after this many alerts")
    sb.add_argument("--timeout", type=float, default=None, help="stop after this many idle seconds")
    sb.add_argument("--place", action="append", help="only this place (name, P-code or id); repeatable")
    sb.add_argument("--side", choices=list(SIDES), help="only changes from or to this side")
    sb.add_argument("--min-confidence", type=float, default=0.0)
    sb.set_defaults(func=cmd_subscribe)

    tr = sub.add_parser("track", help="change the tracked villages of a running system")
    tr.add_argument("action", choices=["add", "remove", "list"])
    tr.add_argument("place", nargs="*", help="a name (any spelling), a P-code, an x- id, or area:NAME")
    tr.set_defaults(func=cmd_track)

    dl = sub.add_parser("deadletter", help="list dead letters, or send chosen ones back to their topic")
    dls = dl.add_subparsers(dest="action", required=True)
    for action, text in (("list", "the dead letters, oldest first"),
                         ("replay", "send the chosen dead letters' original bytes back to their topic")):
        a = dls.add_parser(action, help=text)
        a.add_argument("--since", type=_since, help="only those dead-lettered at or after this ISO date/time (UTC)")
        a.add_argument("--topic", help="only those from this topic (reports.raw, reports, reports.routed, events)")
        if action == "list":
            a.add_argument("--json", action="store_true", help="one JSON object a line")
        else:
            a.add_argument("--dry-run", action="store_true", help="say what would be sent, send nothing")
        a.set_defaults(func=cmd_deadletter)

    rp = sub.add_parser("replay", help="ingest -> enrich -> alert over files, no Kafka; final alerts out")
    rp.add_argument("paths", nargs="+", help="report files or directories of them")
    rp.add_argument("--track", action="append", help="track this place (default: VILLAGEWATCH_TRACKED_FILE)")
    rp.add_argument("--track-all", action="store_true")
    rp.add_argument("--format", choices=["json", "text"], default="json")
    rp.set_defaults(func=cmd_replay)

    ex = sub.add_parser("extract", help="understand report files offline (no Kafka), JSON lines out")
    ex.add_argument("files", nargs="+")
    ex.add_argument("--date", help="report date YYYY-MM-DD where the file gives none")
    ex.set_defaults(func=cmd_extract)

    xp = sub.add_parser("explain", help="per sentence: places, actors, candidate changes and the rule that kept "
                                         "or dropped each")
    xp.add_argument("files", nargs="+")
    xp.add_argument("--date", help="publication date for reports that carry none (YYYY-MM-DD)")
    xp.add_argument("-q", "--quiet", action="store_true", help="only sentences with a candidate change")
    xp.set_defaults(func=cmd_explain)
    ev = sub.add_parser(
        "eval", help="score extract against NN.gold.json labels: one row per set, plus the total",
        description="Scores `extract` against NN.gold.json labels beside NN.txt in each DIR (a set, named by "
                    "the directory's basename). Exit 1 when a --check is not met, 2 on a missing or unlabelled DIR.",
    )
    ev.add_argument("directories", nargs="+", metavar="DIR", help="a directory of NN.txt + NN.gold.json")
    ev.add_argument("--json", action="store_true", help='one JSON object {"sets": {name: summary}, "total": summary}')
    ev.add_argument("--details", action="store_true", help="also list each miss and false positive by report")
    ev.add_argument("--check", action="append", type=_eval_check, metavar="NAME:P:R",
                    help="exit 1 unless set NAME (or `total`) has precision >= P and recall >= R; may repeat")
    ev.set_defaults(func=cmd_eval)

    b = sub.add_parser("bench", help="offline extract throughput (default), or the whole pipeline (--quick/--full)",
                       description="Without --quick/--full: offline extract throughput on ~2 KB reports (one core). "
                                   "With them: a private local Kafka and the three services; prints the broker's "
                                   "ceiling, offline extract, sustained HTTP POST -> alert rate, latency at half "
                                   "that rate, events per report and service RSS as one JSON object.")
    b.add_argument("--reports", type=int, default=2000, help="synthetic 2 KB reports to extract")
    b.add_argument("--dir", type=Path, help="instead: extract each *.txt report in this folder once (cold caches)")
    mode = b.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="the pipeline benchmark, small (under 3 minutes)")
    mode.add_argument("--full", action="store_true", help="the pipeline benchmark, larger; writes --write")
    b.add_argument("--json", action="store_true", help="print the result as one line of JSON")
    b.add_argument("--mix", choices=["realistic", "dense"], default="realistic",
                   help="realistic: ~9 events a report with changes, reprints, near-duplicates; dense: ~2 KB, "
                        "~22 events each")
    b.add_argument("--change-share", type=float, default=0.35, help="share of fresh reports with a control change")
    b.add_argument("--reprint-share", type=float, default=0.08, help="share of reprints (same text, other outlet)")
    b.add_argument("--near-duplicate-share", type=float, default=0.08, help="share of lightly edited copies")
    b.add_argument("--sustained", type=int, default=0, help="reports posted at full speed (default by mode)")
    b.add_argument("--latency-reports", type=int, default=0, help="reports posted at half rate (default by mode)")
    b.add_argument("--profile", type=Path, help="py-spy record each service into this folder while sustained runs")
    b.add_argument("--write", type=Path, default=Path("BENCHMARKS.md"), help="--full writes its section here")
    b.add_argument("--memory", metavar="N,M,...", help="RSS of each service after N, M, ... reports of the realistic "
                                                         "mix through the pipeline (e.g. 20000,100000)")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    b.set_defaults(func=cmd_bench)

    d = sub.add_parser("demo", help="start everything, submit the sample report, show the alerts, stop")
    d.add_argument("--expect", type=int, default=7, help="alerts to wait for")
    d.add_argument("--timeout", type=float, default=120.0)
    d.set_defaults(func=cmd_demo)
    return p


def main(argv: list[str] | None = None) -> int:
    from kafka.errors import KafkaError

    args = parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KafkaError as exc:
        print(f"error: Kafka at {_settings().bootstrap} did not answer as expected: {exc!r}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
