"""The compose deployment, proven without a Docker engine: validated by the compose tool, linted, and
checked against the code (settings names, service commands, ports, exported metrics)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from villagewatch.cli import parser
from villagewatch.metrics import EXPORTED
from villagewatch.settings import ENV_NAMES, Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
COMPOSE = DEPLOY / "docker-compose.yml"
OURS = ("ingest", "enrich", "alert")


def tool(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path=str(Path(__file__).resolve().parents[2] / ".venv" / "bin"))
    if path is None:
        pytest.fail(f"{name} is not installed: `bash deploy/local.sh test` installs it")
    return path


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_file_validates_with_the_compose_tool() -> None:
    done = subprocess.run([tool("docker-compose"), "-f", str(COMPOSE), "config", "-q"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_images_are_pinned_and_kafka_matches_the_local_broker(compose: dict) -> None:
    for name, svc in compose["services"].items():
        image = svc.get("image", "")
        assert re.fullmatch(r"[\w./-]+:[\w.-]+", image) and not image.endswith(":latest"), (name, image)
    assert compose["services"]["kafka"]["image"] == f"apache/kafka:{Settings().kafka_version}"


def test_services_are_healthy_before_others_start(compose: dict) -> None:
    services = compose["services"]
    assert "healthcheck" in services["kafka"]
    for name in OURS:
        svc = services[name]
        assert svc["healthcheck"]["test"] == ["CMD", "villagewatch", "health", name]
        assert svc["depends_on"]["kafka"]["condition"] == "service_healthy"
        assert svc["depends_on"]["topics"]["condition"] == "service_completed_successfully"
        assert svc["restart"] == "unless-stopped"
    assert services["topics"]["command"] == ["init"]
    assert "kafka-data" in compose["volumes"]


def test_commands_are_the_cli_the_tests_run(compose: dict) -> None:
    cli = parser()
    for name in OURS:
        command = compose["services"][name]["command"]
        assert command == ["service", name]
        cli.parse_args(command)  # the same argv the compose-equivalent test runs


def test_environment_names_are_settings(compose: dict) -> None:
    for name in ("topics", *OURS):
        env = compose["services"][name]["environment"]
        assert set(env) <= set(ENV_NAMES), set(env) - set(ENV_NAMES)
        assert env["VILLAGEWATCH_BOOTSTRAP_SERVERS"] == "kafka:9092"


def test_host_ports_only_on_loopback_and_not_on_scaled_services(compose: dict) -> None:
    for name, svc in compose["services"].items():
        for port in svc.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), (name, port)
    assert "ports" not in compose["services"]["enrich"] and "ports" not in compose["services"]["alert"]


def test_prometheus_scrapes_each_service_on_its_port(compose: dict) -> None:
    config = yaml.safe_load((DEPLOY / "prometheus.yml").read_text())
    jobs = {j["job_name"]: j["dns_sd_configs"][0] for j in config["scrape_configs"]}
    defaults = Settings()
    ports = {"ingest": defaults.ingest_port, "enrich": defaults.enrich_port, "alert": defaults.alert_port}
    assert set(jobs) == set(OURS)
    for name in OURS:
        assert jobs[name]["names"] == [name] and jobs[name]["port"] == ports[name]
        env = compose["services"][name]["environment"]
        assert int(env.get(f"VILLAGEWATCH_{name.upper()}_PORT", ports[name])) == ports[name]
    if shutil.which("promtool"):
        done = subprocess.run(["promtool", "check", "config", str(DEPLOY / "prometheus.yml")], capture_output=True)
        assert done.returncode == 0, done.stdout


def test_grafana_dashboard_queries_name_exported_metrics() -> None:
    dashboard = json.loads((DEPLOY / "grafana" / "dashboards" / "villagewatch.json").read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    assert len(exprs) >= 8
    for expr in exprs:
        names = set(re.findall(r"villagewatch_\w+", expr))
        assert names and names <= EXPORTED, (expr, names - EXPORTED)
    datasource = yaml.safe_load((DEPLOY / "grafana" / "provisioning" / "datasources" / "prometheus.yml").read_text())
    assert datasource["datasources"][0]["url"] == "http://prometheus:9090"


def test_dockerfile_lints_clean_and_runs_as_non_root() -> None:
    done = subprocess.run([tool("hadolint"), str(DEPLOY / "Dockerfile")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
    text = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^USER 10001$", text, re.M)
    assert 'ENTRYPOINT ["villagewatch"]' in text
    assert "--constraint" in text and (DEPLOY / "constraints.txt").exists()
