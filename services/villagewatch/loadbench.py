"""The pipeline benchmark (`villagewatch bench --quick|--full`): the adapters around `loadmix`.

One run: extract the mix offline on one core; start a private local Kafka (ephemeral port, its own data
directory); measure a plain kafka-python produce -> consume of the same payloads (the ceiling); start
ingest, enrich and alert as separate processes (`supervisor.System`, tracking every village); POST the
mix to /reports as fast as ingest takes it and time the last expected alert on the alerts topic (the
sustained rate); then POST fresh reports at half that rate and time each report's alerts (latency).
Everything started here is stopped in `finally`, on errors and Ctrl-C too. Loopback only.
"""

from __future__ import annotations

import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import orjson

from villagewatch import codec
from villagewatch.kafka.local import LocalKafka, free_port
from villagewatch.loadmix import (
    Expected,
    MixReport,
    MixSpec,
    dense_mix,
    expected,
    last_processed,
    latency_summary,
    ratio,
    realistic_mix,
)
from villagewatch.settings import Settings
from villagewatch.supervisor import SERVICES, System


@dataclass(frozen=True)
class Plan:
    """How big a run is."""

    sustained: int
    latency: int
    ceiling_messages: int
    idle_timeout: float  # give up waiting when no alert arrives for this long (the end is the last alert)
    profile_dir: Path | None = None


QUICK = Plan(sustained=400, latency=200, ceiling_messages=5000, idle_timeout=40.0)
FULL = Plan(sustained=3000, latency=1000, ceiling_messages=20000, idle_timeout=60.0)


def rss_mb(pid: int) -> float | None:
    """VmRSS of a process in MB, None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError):
        return None
    return None


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown cpu")
    mem = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal:")), 0)
    return f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {model}, {mem} MB RAM, " \
           f"Python {platform.python_version()}, {platform.system()} {platform.release()}"


@dataclass
class AlertWatch:
    """Reads the alerts topic from the beginning in a thread; remembers when each (report, alert) pair
    first appeared (a report is one of the alert's sources)."""

    settings: Settings
    seen: dict[tuple[str, str], float] = field(default_factory=dict)
    latest: dict[str, float] = field(default_factory=dict)  # report id -> when its newest alert appeared
    last: float = 0.0
    messages: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        from kafka import KafkaConsumer, TopicPartition

        self.consumer = KafkaConsumer(bootstrap_servers=self.settings.bootstrap, group_id=None,
                                      enable_auto_commit=False, isolation_level="read_committed")
        topic = self.settings.topic("alerts")
        parts = [TopicPartition(topic, p) for p in range(self.settings.partitions)]
        self.consumer.assign(parts)
        self.consumer.seek_to_beginning(*parts)
        self.thread = threading.Thread(target=self._run, name="alert-watch", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            for records in self.consumer.poll(timeout_ms=100).values():
                now = time.monotonic()
                with self.lock:
                    for r in records:
                        alert = orjson.loads(r.value)
                        self.messages += 1
                        self.last = now
                        for s in alert.get("sources") or ():
                            if (s["report_id"], alert["alert_id"]) not in self.seen:
                                self.seen[(s["report_id"], alert["alert_id"])] = now
                                self.latest[s["report_id"]] = now

    def done_at(self, report_id: str, alerts: set[str]) -> float | None:
        """When the last of the report's expected alerts appeared with it as a source; None if one is missing."""
        with self.lock:
            times = [self.seen.get((report_id, a)) for a in alerts]
        return None if not times or None in times else max(t for t in times if t is not None)

    def close(self) -> None:
        self.stop.set()
        if hasattr(self, "thread"):
            self.thread.join(timeout=5)
        if hasattr(self, "consumer"):
            self.consumer.close()


def post(port: int, m: MixReport) -> str:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/reports", data=orjson.dumps(m.body()),
                                 headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req, timeout=60) as resp:
        if resp.status != 202:
            raise RuntimeError(f"ingest answered {resp.status} to {m.report.report_id}")
        return str(orjson.loads(resp.read())["report_id"])


def ceiling(settings: Settings, mix: list[MixReport], messages: int) -> dict[str, float | int]:
    """A plain kafka-python produce -> consume of the mix's report payloads (as ingest sends them: same
    encoding, keys and partition count as reports.raw), no processing: the broker's ceiling here."""
    from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
    from kafka.admin import NewTopic

    topic = settings.topic("bench.ceiling")
    admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap, request_timeout_ms=10000)
    try:
        admin.create_topics([NewTopic(topic, settings.partitions, 1)])
        deadline = time.monotonic() + 30
        while topic not in admin.list_topics() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        admin.close()
    payloads = [(m.report.report_id.encode(), codec.encode("report", m.report.to_dict())) for m in mix]
    consumer = KafkaConsumer(bootstrap_servers=settings.bootstrap, group_id=None, enable_auto_commit=False,
                             isolation_level="read_committed")
    parts = [TopicPartition(topic, p) for p in range(settings.partitions)]
    consumer.assign(parts)
    consumer.seek_to_beginning(*parts)
    consumer.poll(timeout_ms=200)  # connect before the clock starts
    got = {"n": 0, "last": 0.0}

    def drain() -> None:
        deadline = time.monotonic() + 120
        while got["n"] < messages and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=100).values():
                got["n"] += len(records)
                got["last"] = time.monotonic()

    reader = threading.Thread(target=drain, daemon=True)
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap, acks="all", linger_ms=5)
    try:
        reader.start()
        started = time.monotonic()
        for i in range(messages):
            key, value = payloads[i % len(payloads)]
            producer.send(topic, key=key, value=value)
        producer.flush()
        produced = time.monotonic()
        reader.join(timeout=130)
    finally:
        producer.close()
        consumer.close()
    elapsed = (got["last"] or time.monotonic()) - started
    return {"messages": got["n"], "partitions": settings.partitions, "seconds": round(elapsed, 3),
            "produce_seconds": round(produced - started, 3),
            "reports_per_s": round(got["n"] / elapsed, 1) if elapsed > 0 else 0.0,
            "avg_bytes": round(sum(len(v) for _, v in payloads) / len(payloads))}


def drained(settings: Settings, quiet: float) -> bool:
    """True when no service has processed a message for `quiet` seconds (their /metrics say when they last
    did): the stream is through, whatever the alerts say."""
    for port in (settings.ingest_port, settings.enrich_port, settings.alert_port):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as resp:
                last = last_processed(resp.read().decode())
        except OSError:
            return False
        if last is None or time.time() - last < quiet:
            return False
    return True


def _wait(watch: AlertWatch, want: dict[str, set[str]], posted: dict[str, float], idle: float,
          say: bool, settings: Settings, quiet: float = 6.0) -> tuple[dict[str, float], bool]:
    """Until every report's expected alerts are seen; or the services have been idle for `quiet` seconds
    with no new alert (live partition order can differ from the offline expectation, e.g. which of two
    claims about a village comes first); or no alert arrives for `idle` seconds. The time each report was
    done (the moment the last of its expected alerts appeared)."""
    done: dict[str, float] = {}
    noted = time.monotonic()
    checked = 0.0
    while True:
        for rid, alerts in want.items():
            if rid not in done and rid in posted:
                at = watch.done_at(rid, alerts)
                if at is not None:
                    done[rid] = at
        if len(done) == len(want):
            return done, True
        quiet_since = max(watch.last, max(posted.values(), default=0.0))
        if time.monotonic() - quiet_since > quiet and time.monotonic() - checked > 1:
            checked = time.monotonic()
            if drained(settings, quiet):
                if say:
                    print(f"  services idle: {len(want) - len(done)} report(s) did not get every alert the offline "
                          f"run gave them (partition order); the end is the last alert", file=sys.stderr, flush=True)
                with watch.lock:  # those count from the newest alert that names them, if any
                    return done | {r: watch.latest[r] for r in want if r not in done and r in watch.latest}, False
        if time.monotonic() - quiet_since > idle:
            if say:
                print(f"  gave up waiting: {len(want) - len(done)} report(s) without all their alerts after "
                      f"{idle:.0f}s without a new alert", file=sys.stderr, flush=True)
            return done, False
        if say and time.monotonic() - noted > 10:
            noted = time.monotonic()
            print(f"  ... {len(done)}/{len(want)} alerting reports done, {watch.messages} alert messages",
                  file=sys.stderr, flush=True)
        time.sleep(0.05)


def _profilers(system: System, out: Path | None) -> list[subprocess.Popen[bytes]]:
    """py-spy record on each service (for a one-off profile; py-spy is not a dependency)."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if out is None or not Path(spy).exists():
        if out is not None:
            print("py-spy not found: no profile taken", file=sys.stderr)
        return []
    out.mkdir(parents=True, exist_ok=True)
    return [subprocess.Popen([spy, "record", "--pid", str(p.pid), "--format", "raw", "--rate", "50",
                              "--output", str(out / f"{name}.txt")], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
            for name, p in system.procs.items()]


def _private_system(base: Settings, tmp: Path, prefix: str) -> tuple[LocalKafka, Settings]:
    """A private broker under `tmp` and settings for services of its own on free loopback ports."""
    kafka = LocalKafka(version=base.kafka_version, home=base.home, port=free_port(), data=tmp / "kafka")
    settings = replace(
        base, bootstrap_servers=kafka.bootstrap, home=tmp / "home", state_dir=tmp / "state",
        topic_prefix=f"{prefix}{uuid.uuid4().hex[:8]}.", ingest_host="127.0.0.1", ingest_port=free_port(),
        enrich_port=free_port(), alert_port=free_port(), tracked_file="",  # empty: every village is tracked
        enrich_host="127.0.0.1", alert_host="127.0.0.1",
        # A private system on loopback: no bearer token and no per-client rate limit in the way of the load.
        ingest_token="", ingest_token_file="", ingest_rate="",
    )
    return kafka, settings


def run(plan: Plan, mix_name: str = "realistic", spec: MixSpec | None = None, say: bool = True) -> dict:
    """One benchmark run; returns the figures (the JSON `bench` prints)."""
    wall0 = time.monotonic()

    def note(text: str) -> None:
        if say:
            print(f"[{time.monotonic() - wall0:6.1f}s] {text}", file=sys.stderr, flush=True)

    from villagewatch.bench import extract_all

    total = plan.sustained + plan.latency
    mix = realistic_mix(total, spec) if mix_name == "realistic" else dense_mix(total)
    note(f"{mix_name} mix: {total} reports; extracting them offline on one core")
    extract_stats, extracted = extract_all([m.report for m in mix])
    base = Settings.from_env()
    exp: Expected = expected(mix, extracted, window_hours=base.event_window_hours,
                             dedup_days=base.dedup_window_days)
    sustained, later = mix[: plan.sustained], mix[plan.sustained :]

    tmp = Path(tempfile.mkdtemp(prefix="villagewatch-bench-"))
    kafka, settings = _private_system(base, tmp, "bench")
    system = System(settings, services=SERVICES)
    watch = AlertWatch(settings)
    spies: list[subprocess.Popen[bytes]] = []
    previous = {sig: signal.signal(sig, _raise_interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    ok = False
    try:
        note(f"starting a private Kafka on {kafka.bootstrap}")
        kafka.start()
        note("ceiling: plain produce -> consume")
        ceil = ceiling(settings, mix, plan.ceiling_messages)
        note(f"ceiling {ceil['reports_per_s']} reports/s; starting ingest, enrich, alert")
        t_up = time.monotonic()
        system.start(timeout=180, say=False)
        startup = time.monotonic() - t_up
        rss_start = {name: rss_mb(p.pid) for name, p in system.procs.items()}
        watch.start()
        note(f"services ready in {startup:.1f}s; sustained: POST {len(sustained)} reports as fast as ingest takes them")

        spies = _profilers(system, plan.profile_dir)
        posted: dict[str, float] = {}
        t0 = time.monotonic()

        def send(m: MixReport) -> None:
            at = time.monotonic()
            post(settings.ingest_port, m)
            posted.setdefault(m.report.report_id, at)

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(send, sustained))
        t_posted = time.monotonic()
        want = {m.report.report_id: exp.alerts[m.report.report_id] for m in sustained
                if exp.alerts.get(m.report.report_id)}
        note(f"posted in {t_posted - t0:.1f}s ({len(sustained) / (t_posted - t0):.0f}/s); waiting for the alerts of "
             f"{len(want)} alerting reports")
        done, complete = _wait(watch, want, posted, plan.idle_timeout, say, settings)
        end = max(done.values(), default=watch.last) if complete else watch.last
        elapsed = max(end - t0, 1e-9)
        rate = len(sustained) / elapsed
        events = sum(exp.events.get(m.report.report_id, 0) for m in sustained)
        for spy in spies:
            spy.send_signal(signal.SIGINT)
        for spy in spies:
            try:
                spy.wait(timeout=30)
            except subprocess.TimeoutExpired:
                spy.kill()
                spy.wait()
        spies = []
        note(f"sustained {rate:.1f} reports/s (every expected alert seen: {complete})")

        half = rate / 2
        note(f"latency: {len(later)} fresh reports at {half:.1f}/s")
        posted_late: dict[str, float] = {}

        def send_late(m: MixReport) -> None:
            at = time.monotonic()
            post(settings.ingest_port, m)
            posted_late.setdefault(m.report.report_id, at)

        with ThreadPoolExecutor(max_workers=16) as pool:
            start = time.monotonic()
            futures = []
            for i, m in enumerate(later):
                delay = start + i / half - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                futures.append(pool.submit(send_late, m))
            for f in futures:
                f.result()
        want_late = {m.report.report_id: exp.alerts[m.report.report_id] for m in later
                     if exp.alerts.get(m.report.report_id)}
        done_late, complete_late = _wait(watch, want_late, posted_late, plan.idle_timeout, say, settings)
        latencies = [done_late[r] - posted_late[r] for r in done_late]
        rss_end = {name: rss_mb(p.pid) for name, p in system.procs.items()}
        extract_rate = extract_stats["reports_per_cpu_second"]
        result = {
            "mix": mix_name,
            "ceiling_reports_per_s": ceil["reports_per_s"],
            "extract_reports_per_s": extract_rate,
            "pipeline_reports_per_s": round(rate, 2),
            "pipeline_events_per_s": round(events / elapsed, 1),
            "latency_ms": latency_summary(latencies),
            "latency_rate_per_s": round(half, 2),
            "events_per_report": round(extract_stats["events"] / max(len(mix), 1), 2),
            "rss_mb": {name: {"start": rss_start.get(name), "end": rss_end.get(name)} for name in system.procs},
            "ratios": {"pipeline_over_ceiling": ratio(rate, ceil["reports_per_s"]),
                       "pipeline_over_extract": ratio(rate, extract_rate)},
            "reports": {"sustained": len(sustained), "latency": len(later),
                        "alerting_sustained": len(want), "alerting_latency": len(want_late),
                        "near_duplicates": exp.duplicates,
                        "kinds": {k: sum(1 for m in mix if m.kind == k) for k in sorted({m.kind for m in mix})}},
            "complete": {"sustained": complete, "latency": complete_late},
            "ceiling": ceil,
            "extract": extract_stats,
            "startup_s": round(startup, 1),
            "alert_messages": watch.messages,
        }
        result["wall_s"] = round(time.monotonic() - wall0 + 0.0, 1)
        ok = True
        return result
    except KeyboardInterrupt:
        ok = True  # nothing to investigate: the logs go with the rest
        raise
    finally:
        for spy in spies:
            spy.kill()
            spy.wait()
        watch.close()
        note("stopping services and Kafka")
        try:
            system.stop()
        finally:
            kafka.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            if ok:
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                print(f"bench: logs kept in {tmp}", file=sys.stderr)


MEMORY_DAYS = 3000  # days the memory run's reports span from 2016-03-01: all before today


def memory(checkpoints: tuple[int, ...], say: bool = True, quiet: float = 6.0) -> dict:
    """RSS of each service after the pipeline has taken the first N reports of the realistic mix, for each N
    in `checkpoints` (issue 12: growth under 10 % between 20,000 and 100,000). No expected alerts are
    computed: each checkpoint waits until every service has been idle for `quiet` seconds."""
    wall0 = time.monotonic()

    def note(text: str) -> None:
        if say:
            print(f"[{time.monotonic() - wall0:7.1f}s] {text}", file=sys.stderr, flush=True)

    n = max(checkpoints)
    # Dates stay in the past however many reports (a future date is refused by ingest, and a report kept
    # without one stays in the dedup window for good): 2016-03-01 plus at most ~3,000 days.
    mix = realistic_mix(n, MixSpec(reports_per_day=max(MixSpec().reports_per_day, -(-n // MEMORY_DAYS))))
    base = Settings.from_env()
    tmp = Path(tempfile.mkdtemp(prefix="villagewatch-memory-"))
    kafka, settings = _private_system(base, tmp, "mem")
    system = System(settings, services=SERVICES)
    samples: list[dict] = []
    try:
        kafka.start()
        system.start(timeout=180, say=False)
        samples.append({"reports": 0, "seconds": 0.0,
                        "rss_mb": {name: rss_mb(p.pid) for name, p in system.procs.items()}})
        note(f"services ready; posting up to {len(mix)} reports")
        t0, done = time.monotonic(), 0
        with ThreadPoolExecutor(max_workers=8) as pool:
            for n in sorted(checkpoints):
                list(pool.map(lambda m: post(settings.ingest_port, m), mix[done:n]))
                done = n
                while not drained(settings, quiet):
                    time.sleep(1.0)
                samples.append({"reports": n, "seconds": round(time.monotonic() - t0, 1),
                                "rss_mb": {name: rss_mb(p.pid) for name, p in system.procs.items()}})
                note(f"{n} reports through: {samples[-1]}")
    finally:
        system.stop()
        kafka.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    first, last = samples[1], samples[-1]
    growth = {name: round((last["rss_mb"][name] - first["rss_mb"][name]) / first["rss_mb"][name], 4)
              for name in first["rss_mb"] if first["rss_mb"][name] and last["rss_mb"].get(name)}
    return {"checkpoints": samples, "growth_between_first_and_last": growth, "machine": machine(),
            "date": now_utc(), "wall_s": round(time.monotonic() - wall0, 1)}


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
