"""The three services against a broker that wants SASL and TLS (issue 13): a private broker whose client
listener is SASL_SSL (PLAIN users; a certificate of our own making for 127.0.0.1), the services given only
the VILLAGEWATCH_KAFKA_* settings the README documents (the password from a file, as a Docker secret). A
report posted to ingest must come out as its alert, read by `villagewatch subscribe` with the same settings;
a client without the credentials, or with a wrong password, must get nothing from that broker."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import orjson
import pytest
from kafka import KafkaAdminClient
from kafka.errors import KafkaError

from tests.conftest import JAR_CACHE
from tests.e2e.stream import FIRST, villages
from villagewatch.kafka.local import LocalKafka, SaslSsl, free_port
from villagewatch.kafka.security import kafka_python_kwargs
from villagewatch.settings import Settings
from villagewatch.supervisor import SERVICES, System

USER, PASSWORD = "villagewatch", "test-only-" + uuid.uuid4().hex


def self_signed(directory: Path) -> tuple[Path, Path]:
    """(the broker's key + certificate as one PEM file, the certificate alone for the clients' CA file)."""
    key, cert = directory / "key.pem", directory / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    broker = directory / "broker.pem"
    broker.write_text(key.read_text() + cert.read_text())
    return broker, cert


@pytest.fixture
def secured_broker(tmp_path: Path) -> Iterator[tuple[LocalKafka, Path]]:
    broker_pem, cert = self_signed(tmp_path)
    kafka = LocalKafka(version=Settings().kafka_version, home=JAR_CACHE, port=free_port(), data=tmp_path / "kafka",
                       secured=SaslSsl(users=((USER, PASSWORD),), pem=broker_pem, internal_port=free_port()))
    kafka.start()
    yield kafka, cert
    kafka.stop()


def refused(settings: Settings) -> bool:
    """True when a kafka-python client with these settings cannot even read the broker's metadata."""
    try:
        admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap, request_timeout_ms=5000,
                                 **kafka_python_kwargs(settings))
    except KafkaError:
        return True
    admin.close()
    return False


def test_services_reach_a_sasl_ssl_broker_with_the_documented_settings(secured_broker, tmp_path: Path) -> None:
    kafka, cert = secured_broker
    secret = tmp_path / "kafka_password"
    secret.write_text(PASSWORD + "\n")
    settings = replace(
        Settings(), bootstrap_servers=kafka.bootstrap, home=tmp_path / "home", state_dir=tmp_path / "state",
        topic_prefix=f"t{uuid.uuid4().hex[:10]}.", ingest_port=free_port(), enrich_port=free_port(),
        alert_port=free_port(), partitions=2, tracked_file="",
        kafka_security_protocol="SASL_SSL", kafka_sasl_username=USER, kafka_sasl_password_file=str(secret),
        kafka_ssl_cafile=str(cert),
    )
    assert refused(replace(settings, kafka_security_protocol="", kafka_sasl_username="",
                           kafka_sasl_password_file="", kafka_ssl_cafile=""))
    wrong = tmp_path / "wrong_password"
    wrong.write_text("not-the-password\n")
    assert refused(replace(settings, kafka_sasl_password_file=str(wrong)))

    village = villages(1)[0]
    system = System(settings, services=SERVICES)
    system.start(timeout=180, say=False)
    try:
        req = urllib.request.Request(f"http://127.0.0.1:{settings.ingest_port}/reports",
                                     data=FIRST.format(v=village).encode(), method="POST",
                                     headers={"Content-Type": "text/plain"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            assert resp.status == 202
        subscribe = subprocess.run(
            [sys.executable, "-m", "villagewatch.cli", "subscribe", "--from-beginning", "--max", "1",
             "--timeout", "120"],
            env={**os.environ, **settings.env()}, capture_output=True, text=True, timeout=180)
        assert subscribe.returncode == 0, subscribe.stderr
        alerts = [orjson.loads(line) for line in subscribe.stdout.splitlines() if line.startswith("{")]
        assert [(a["place"]["name"], a["to"]) for a in alerts] == [(village, "kurdish-led")], subscribe.stdout
    finally:
        system.stop()
