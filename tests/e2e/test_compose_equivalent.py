"""Each compose service's container command, run as a local process with the environment the compose
file gives it (broker address, ports and paths mapped to this machine), end to end on the real broker;
then the metrics are scraped directly and by a real Prometheus, and alerts read with kcat."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
import yaml

from tests.conftest import wait_until
from villagewatch.ingest.parse import build_report, parse_text
from villagewatch.kafka.local import free_port
from villagewatch.settings import Settings
from villagewatch.understanding.extract import extract

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text())
SAMPLE = ROOT / "services" / "villagewatch" / "samples" / "hasakah-sample.txt"


TOKEN = "e2e-compose-token"


def compose_env(name: str, settings: Settings) -> dict[str, str]:
    """The service's compose environment, with what only makes sense inside Docker mapped to this machine."""
    env = {k: str(v) for k, v in COMPOSE["services"][name]["environment"].items()}
    mounts = {m.split(":")[1]: m.split(":")[0] for m in COMPOSE["services"][name].get("volumes", [])}
    env["VILLAGEWATCH_TRACKED_FILE"] = str((ROOT / "deploy" / mounts[env["VILLAGEWATCH_TRACKED_FILE"]]).resolve())
    env["VILLAGEWATCH_BOOTSTRAP_SERVERS"] = settings.bootstrap
    for var, port in (("INGEST_PORT", settings.ingest_port), ("ENRICH_PORT", settings.enrich_port),
                      ("ALERT_PORT", settings.alert_port)):
        env[f"VILLAGEWATCH_{var}"] = str(port)
    env["VILLAGEWATCH_INGEST_HOST"] = "127.0.0.1"
    if "VILLAGEWATCH_INGEST_TOKEN_FILE" in env:  # the Docker secret: a file of our own, the same token
        secret = Path(settings.state_dir) / "ingest_token"
        secret.parent.mkdir(parents=True, exist_ok=True)
        secret.write_text(TOKEN)
        env["VILLAGEWATCH_INGEST_TOKEN_FILE"] = str(secret)
    env.update(VILLAGEWATCH_TOPIC_PREFIX=settings.topic_prefix, VILLAGEWATCH_HOME=str(settings.home),
               VILLAGEWATCH_STATE_DIR=str(settings.state_dir), VILLAGEWATCH_SESSION_TIMEOUT="6")
    return env


@pytest.fixture
def containers(settings: Settings) -> Iterator[list[subprocess.Popen[bytes]]]:
    procs: list[subprocess.Popen[bytes]] = []
    yield procs
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()


def metrics(port: int) -> dict[str, float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as resp:
        text = resp.read().decode()
    totals: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("villagewatch_"):
            name, value = line.rsplit(" ", 1)
            base = name.split("{", 1)[0]
            totals[base] = totals.get(base, 0.0) + float(value)
    return totals


def test_compose_services_as_processes(settings: Settings, containers, tmp_path: Path) -> None:
    init = subprocess.run([sys.executable, "-m", "villagewatch.cli", *COMPOSE["services"]["topics"]["command"]],
                          env={**os.environ, **compose_env("topics", settings)}, capture_output=True, text=True,
                          timeout=120)
    assert init.returncode == 0, init.stderr
    for name in ("ingest", "enrich", "alert"):
        log = (tmp_path / f"{name}.log").open("wb")
        command = [sys.executable, "-m", "villagewatch.cli", *COMPOSE["services"][name]["command"]]
        containers.append(subprocess.Popen(command, env={**os.environ, **compose_env(name, settings)}, stdout=log,
                                           stderr=subprocess.STDOUT))
    for name in ("ingest", "enrich", "alert"):
        health = COMPOSE["services"][name]["healthcheck"]["test"][1:]  # ["villagewatch", "health", name]
        wait_until(lambda h=health, n=name: subprocess.run(
            [sys.executable, "-m", "villagewatch.cli", *h[1:]], env={**os.environ, **compose_env(n, settings)},
            capture_output=True).returncode == 0, 120, what=f"{name}'s compose healthcheck")

    req = urllib.request.Request(f"http://127.0.0.1:{settings.ingest_port}/reports", data=SAMPLE.read_bytes(),
                                 headers={"Content-Type": "text/plain", "Authorization": f"Bearer {TOKEN}"},
                                 method="POST")
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert resp.status == 202

    # Read the alerts as an outside user would, with kcat (a librdkafka client, not ours).
    kcat = shutil.which("kcat")
    assert kcat, "kcat is not installed: `bash deploy/local.sh test` installs it"

    def read_alerts() -> list[dict]:
        done = subprocess.run([kcat, "-b", settings.bootstrap, "-C", "-t", settings.topic("alerts"), "-o",
                               "beginning", "-e", "-q"], capture_output=True, text=True, timeout=30)
        return [orjson.loads(line) for line in done.stdout.splitlines() if line.strip()]

    alerts = wait_until(lambda: (lambda a: a if len(a) >= 7 else None)(read_alerts()), 90, what="7 alerts via kcat")
    assert {a["to"] for a in alerts} == {"government"} and len(alerts) == 7

    expected_events = len(extract(build_report(parse_text(SAMPLE.read_text()))).events)
    wait_until(lambda: metrics(settings.alert_port).get("villagewatch_alerts_raised_total") == 7, 30,
               what="alert metrics")
    ingest, enrich, alert = (metrics(p) for p in (settings.ingest_port, settings.enrich_port, settings.alert_port))
    assert ingest["villagewatch_http_reports_accepted_total"] == 1
    assert ingest["villagewatch_reports_received_total"] == 1
    assert enrich["villagewatch_events_produced_total"] == expected_events
    assert alert["villagewatch_alerts_raised_total"] == 7
    assert alert.get("villagewatch_deadletter_total", 0) == 0
    assert "villagewatch_consumer_lag" in enrich

    prometheus = shutil.which("prometheus")
    if prometheus is None:
        pytest.fail("prometheus is not installed: `bash deploy/local.sh test` installs it")
    port = free_port()
    config = tmp_path / "prometheus.yml"
    config.write_text(yaml.safe_dump({
        "global": {"scrape_interval": "1s"},
        "scrape_configs": [{"job_name": n, "static_configs": [{"targets": [f"127.0.0.1:{p}"]}]}
                           for n, p in (("ingest", settings.ingest_port), ("enrich", settings.enrich_port),
                                        ("alert", settings.alert_port))],
    }))
    prom = subprocess.Popen([prometheus, f"--config.file={config}", f"--storage.tsdb.path={tmp_path / 'tsdb'}",
                             f"--web.listen-address=127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    containers.append(prom)

    def query(expr: str) -> float | None:
        url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                result = orjson.loads(resp.read())["data"]["result"]
        except OSError:
            return None
        return float(result[0]["value"][1]) if result else None

    for expr, value in (("count(up == 1)", 3), ("sum(villagewatch_alerts_raised_total)", 7),
                        ("sum(villagewatch_reports_received_total)", 1),
                        ("sum(villagewatch_events_produced_total)", expected_events)):
        wait_until(lambda e=expr, v=value: query(e) == v, 90, what=f"Prometheus: {expr} == {value}")
