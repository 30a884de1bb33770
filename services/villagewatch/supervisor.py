"""`villagewatch up`: the whole system on one machine, each service its own process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import orjson

from villagewatch.kafka.admin import ensure_topics
from villagewatch.kafka.local import LocalKafka
from villagewatch.settings import Settings

SERVICES = ("ingest", "enrich", "alert")


def local_kafka(settings: Settings) -> LocalKafka:
    return LocalKafka(settings.kafka_version, settings.home, settings.kafka_port)


def port_of(settings: Settings, service: str) -> int:
    return {"ingest": settings.ingest_port, "enrich": settings.enrich_port, "alert": settings.alert_port}[service]


def healthy(settings: Settings, service: str) -> bool:
    url = f"http://127.0.0.1:{port_of(settings, service.split('#')[0])}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return bool(orjson.loads(resp.read()).get("ready"))
    except (urllib.error.URLError, OSError, ValueError):
        return False


@dataclass
class System:
    """The processes `up` started, so they can be stopped in reverse order."""

    settings: Settings
    services: tuple[str, ...] = SERVICES
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    workers: dict[str, Settings] = field(default_factory=dict)
    started_kafka: bool = False

    @property
    def logdir(self) -> Path:
        return self.settings.home / "logs"

    def start(self, timeout: float = 180.0, say: bool = True) -> None:
        s = self.settings
        if not s.bootstrap_servers:
            kafka = local_kafka(s)
            self.started_kafka = kafka.pid() is None
            if say:
                print(f"starting local Kafka {s.kafka_version} on {kafka.bootstrap} ...", flush=True)
            kafka.start()
        created = ensure_topics(s)
        if say and created:
            print(f"created topics: {', '.join(created)}", flush=True)
        self.logdir.mkdir(parents=True, exist_ok=True)
        for name in self.services:
            self._spawn(name)
        self._wait_ready(self.services, timeout)
        if say and self.services == SERVICES:
            print(f"ingest listening on http://{s.ingest_host}:{s.ingest_port}/reports", flush=True)
            print(f"enrich on :{s.enrich_port}, alert on :{s.alert_port} (/healthz, /metrics); logs in {self.logdir}",
                  flush=True)
        (s.home / "up.json").write_bytes(orjson.dumps({"pid": os.getpid()}))

    def _spawn(self, name: str) -> None:
        """Start `name` ('enrich', or 'enrich#2' for a further worker of the same consumer group)."""
        s = self.workers.get(name, self.settings)
        log = (self.logdir / f"{s.topic_prefix}{name}.log").open("ab")
        self.procs[name] = subprocess.Popen(
            [sys.executable, "-m", "villagewatch.cli", "service", name.split("#")[0]],
            env={**os.environ, **s.env()}, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )

    def add_worker(self, service: str, port: int, timeout: float = 180.0) -> str:
        """One more worker of a running service (its own web port), in the same consumer group."""
        name = f"{service}#{sum(1 for n in self.procs if n.split('#')[0] == service) + 1}"
        self.workers[name] = replace(self.settings, **{f"{service}_port": port})
        self._spawn(name)
        self._wait_ready((name,), timeout)
        return name

    def stop_worker(self, name: str) -> None:
        """A clean stop (SIGTERM) of one worker; its partitions move to the others."""
        proc = self.procs.pop(name)
        proc.terminate()
        proc.wait(timeout=60)

    def _wait_ready(self, names: tuple[str, ...], timeout: float) -> None:
        """Until every named service's /healthz says ready; stop everything if one dies or time runs out."""
        deadline = time.monotonic() + timeout
        waiting = set(names)
        while waiting and time.monotonic() < deadline:
            for name in list(waiting):
                proc = self.procs[name]
                if proc.poll() is not None:
                    self.stop()
                    log = self.logdir / f"{self.settings.topic_prefix}{name}.log"
                    raise RuntimeError(f"{name} exited with {proc.returncode}; see {log}")
                if healthy(self.workers.get(name, self.settings), name):
                    waiting.discard(name)
            time.sleep(0.3)
        if waiting:
            self.stop()
            raise RuntimeError(f"not ready within {timeout:.0f}s: {', '.join(sorted(waiting))}; logs in {self.logdir}")

    def crash_and_restart(self, name: str, timeout: float = 180.0) -> None:
        """kill -9 one service (no clean shutdown, no final commit) and start it again: for failure tests."""
        proc = self.procs[name]
        proc.kill()
        proc.wait()
        self._spawn(name)
        self._wait_ready((name,), timeout)

    def restart_exited(self) -> list[str]:
        """Start again every service process that ended on its own (a crash, or a worker that gave up on
        a stuck table recovery), as compose's restart policy does; return their names."""
        gone = [name for name, proc in self.procs.items() if proc.poll() is not None]
        for name in gone:
            print(f"{name} exited with code {self.procs[name].returncode}: starting it again", flush=True)
            self._spawn(name)
        return gone

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs.clear()
        if self.started_kafka:
            local_kafka(self.settings).stop()
        (self.settings.home / "up.json").unlink(missing_ok=True)


def wait_for_signal(every: Callable[[], object] = lambda: None, interval: float = 2.0) -> None:
    """Block until SIGINT or SIGTERM (Ctrl-C or `villagewatch down`), calling `every` meanwhile."""
    stop = {"flag": False}

    def handler(signum: int, frame: object) -> None:
        stop["flag"] = True

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
    while not stop["flag"]:
        every()
        time.sleep(interval)


def down(settings: Settings) -> bool:
    """Ask a running `villagewatch up` to stop everything it started."""
    marker = settings.home / "up.json"
    try:
        pid = int(orjson.loads(marker.read_bytes())["pid"])
    except (FileNotFoundError, KeyError, ValueError):
        return False
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        marker.unlink(missing_ok=True)
        return False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.2)
    return True


def _alive(pid: int) -> bool:
    """True while the process runs; a zombie (exited, not yet reaped by its parent) counts as gone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return True
