"""SASL / TLS for the broker: the settings carry them (VILLAGEWATCH_KAFKA_*), one helper turns them into each
client library's arguments, and every client we build gets them (Faust, ingest's aiokafka producer, the
kafka-python clients of the CLI and of topic creation). Nothing here connects to a broker."""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path
from typing import Any

import certifi
import pytest

from villagewatch.kafka import security
from villagewatch.settings import ENV_NAMES, Settings

SERVICES = Path(__file__).resolve().parents[2] / "services" / "villagewatch"
SASL_SSL = {"VILLAGEWATCH_KAFKA_SECURITY_PROTOCOL": "sasl_ssl", "VILLAGEWATCH_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
            "VILLAGEWATCH_KAFKA_SASL_USERNAME": "villagewatch", "VILLAGEWATCH_KAFKA_SSL_CAFILE": certifi.where()}


@pytest.fixture
def secured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Settings:
    """SASL_SSL with SCRAM-SHA-512, the password from a file (a Docker secret), our own CA file."""
    secret = tmp_path / "kafka_password"
    secret.write_text("sekret-pw\n")
    for name, value in {**SASL_SSL, "VILLAGEWATCH_KAFKA_SASL_PASSWORD_FILE": str(secret),
                        "VILLAGEWATCH_STATE_DIR": str(tmp_path / "state"),
                        "VILLAGEWATCH_BOOTSTRAP_SERVERS": "127.0.0.1:1"}.items():
        monkeypatch.setenv(name, value)
    return Settings.from_env()


def test_plaintext_by_default_adds_nothing(tmp_path: Path) -> None:
    s = Settings(state_dir=tmp_path)
    assert s.kafka_security() == ("PLAINTEXT", None)
    assert security.kafka_python_kwargs(s) == security.aiokafka_kwargs(s) == {}
    assert security.faust_credentials(s) is None and security.ssl_context(s) is None
    from villagewatch.runtime import make_app

    assert make_app("enrich", s, s.enrich_port).conf.broker_credentials is None


def test_env_names_and_password_hidden(secured: Settings) -> None:
    assert {"VILLAGEWATCH_KAFKA_SECURITY_PROTOCOL", "VILLAGEWATCH_KAFKA_SASL_MECHANISM",
            "VILLAGEWATCH_KAFKA_SASL_USERNAME", "VILLAGEWATCH_KAFKA_SASL_PASSWORD",
            "VILLAGEWATCH_KAFKA_SASL_PASSWORD_FILE", "VILLAGEWATCH_KAFKA_SSL_CAFILE",
            "VILLAGEWATCH_KAFKA_SSL_CERTFILE", "VILLAGEWATCH_KAFKA_SSL_KEYFILE"} <= set(ENV_NAMES)
    assert secured.kafka_security() == ("SASL_SSL", "SCRAM-SHA-512")
    assert secured.kafka_sasl_secret() == "sekret-pw"
    with_password = Settings(kafka_security_protocol="SASL_PLAINTEXT", kafka_sasl_username="u",
                             kafka_sasl_password="in-the-env")
    assert "in-the-env" not in repr(with_password) and with_password.kafka_sasl_secret() == "in-the-env"


def test_kafka_python_and_aiokafka_arguments(secured: Settings) -> None:
    kw = security.kafka_python_kwargs(secured)
    context = kw.pop("ssl_context")
    assert kw == {"security_protocol": "SASL_SSL", "sasl_mechanism": "SCRAM-SHA-512",
                  "sasl_plain_username": "villagewatch", "sasl_plain_password": "sekret-pw"}
    assert context.check_hostname and context.verify_mode.name == "CERT_REQUIRED"
    assert context.get_ca_certs()  # loaded from VILLAGEWATCH_KAFKA_SSL_CAFILE
    assert security.aiokafka_kwargs(secured).keys() == {*kw, "ssl_context"}


def test_each_protocol_gives_what_it_needs() -> None:
    tls = Settings(kafka_security_protocol="SSL")
    assert security.kafka_python_kwargs(tls).keys() == {"security_protocol", "ssl_context"}
    assert type(security.faust_credentials(tls)).__name__ == "SSLCredentials"
    sasl = Settings(kafka_security_protocol="SASL_PLAINTEXT", kafka_sasl_username="u", kafka_sasl_password="p")
    assert security.kafka_python_kwargs(sasl) == {"security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": "PLAIN",
                                                  "sasl_plain_username": "u", "sasl_plain_password": "p"}
    assert security.faust_credentials(sasl).protocol.value == "SASL_PLAINTEXT"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"kafka_security_protocol": "TLS"}, "must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL"),
        ({"kafka_security_protocol": "SASL_SSL", "kafka_sasl_password": "p"}, "KAFKA_SASL_USERNAME is required"),
        ({"kafka_security_protocol": "SASL_SSL", "kafka_sasl_username": "u"}, "needs VILLAGEWATCH_KAFKA_SASL_PASSWORD"),
        ({"kafka_security_protocol": "SASL_SSL", "kafka_sasl_username": "u", "kafka_sasl_password": "p",
          "kafka_sasl_password_file": "/x"}, "(one of them)"),
        ({"kafka_security_protocol": "SASL_SSL", "kafka_sasl_mechanism": "GSSAPI", "kafka_sasl_username": "u",
          "kafka_sasl_password": "p"}, "KAFKA_SASL_MECHANISM must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512"),
        ({"kafka_sasl_username": "u"}, "is PLAINTEXT: use SASL_SSL"),
        ({"kafka_ssl_cafile": "/ca.pem"}, "is PLAINTEXT: use SSL or SASL_SSL"),
        ({"kafka_security_protocol": "SSL", "kafka_ssl_keyfile": "/k.pem"}, "KEYFILE needs"),
    ],
)
def test_settings_that_cannot_work_are_refused_at_start(values: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Settings(**values)  # type: ignore[arg-type]


def test_unreadable_password_file_stops_the_client(tmp_path: Path) -> None:
    s = Settings(kafka_security_protocol="SASL_SSL", kafka_sasl_username="u",
                 kafka_sasl_password_file=str(tmp_path / "missing"))
    with pytest.raises(ValueError, match="cannot read it"):
        security.kafka_python_kwargs(s)
    (tmp_path / "empty").write_text("\n")
    with pytest.raises(ValueError, match="is empty"):
        security.faust_credentials(Settings(**{**s.__dict__, "kafka_sasl_password_file": str(tmp_path / "empty")}))


def test_faust_apps_get_the_credentials(secured: Settings) -> None:
    """Faust hands broker_credentials to every aiokafka client it builds, through this one function."""
    from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth

    from villagewatch.runtime import make_app

    creds = make_app("alert", secured, secured.alert_port).conf.broker_credentials
    auth = credentials_to_aiokafka_auth(creds)
    assert auth["security_protocol"] == "SASL_SSL" and auth["sasl_mechanism"] == "SCRAM-SHA-512"
    assert (auth["sasl_plain_username"], auth["sasl_plain_password"]) == ("villagewatch", "sekret-pw")
    assert auth["ssl_context"].get_ca_certs()


def test_kafka_python_clients_built_with_the_arguments(secured: Settings) -> None:
    """Real kafka-python objects, built without connecting (api_version given, no bootstrap on construction)."""
    from kafka import KafkaConsumer, KafkaProducer

    kw = security.kafka_python_kwargs(secured)
    consumer = KafkaConsumer(bootstrap_servers=secured.bootstrap, api_version=(4, 0), **kw)
    producer = KafkaProducer(bootstrap_servers=secured.bootstrap, api_version=(4, 0), **kw)
    try:
        for client in (consumer, producer):
            assert client.config["security_protocol"] == "SASL_SSL"
            assert client.config["sasl_mechanism"] == "SCRAM-SHA-512"
            assert client.config["sasl_plain_password"] == "sekret-pw"
            assert client.config["ssl_context"] is kw["ssl_context"]
    finally:
        consumer.close()
        producer.close(timeout=1)


def test_aiokafka_producer_built_with_the_arguments(secured: Settings) -> None:
    from aiokafka import AIOKafkaProducer

    async def build() -> dict[str, Any]:
        producer = AIOKafkaProducer(bootstrap_servers=secured.bootstrap, **security.aiokafka_kwargs(secured))
        client = vars(producer.client)
        await producer.stop()
        return client

    client = asyncio.run(build())
    assert client["_security_protocol"] == "SASL_SSL" and client["_sasl_mechanism"] == "SCRAM-SHA-512"
    assert client["_sasl_plain_password"] == "sekret-pw" and client["_ssl_context"] is not None


class Built(Exception):
    """Raised by a recording stand-in for a client class once it has seen its arguments."""


def recorder(seen: list[dict[str, Any]]) -> type:
    class Client:
        def __init__(self, *args: object, **kwargs: Any) -> None:
            seen.append(kwargs)
            raise Built

    return Client


def test_every_client_we_build_gets_them(secured: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Topic creation, the CLI's producer and consumers, and ingest's own producer."""
    import kafka

    from villagewatch import cli
    from villagewatch.alert import tracking_feed
    from villagewatch.ingest import service as ingest
    from villagewatch.kafka import admin

    seen: list[dict[str, Any]] = []
    for name in ("KafkaAdminClient", "KafkaProducer", "KafkaConsumer"):
        monkeypatch.setattr(admin, name, recorder(seen))
    monkeypatch.setattr(kafka, "KafkaConsumer", recorder(seen))  # the CLI imports it where it is used
    monkeypatch.setattr(tracking_feed, "KafkaConsumer", recorder(seen))  # `track list` reads through the feed's
    for call in (lambda: admin.ensure_topics(secured), lambda: admin.producer(secured),
                 lambda: next(admin.consume(secured, "alerts")),
                 lambda: cli.main(["track", "list"])):
        with pytest.raises(Built):
            call()

    class Edge:
        def __init__(self, bootstrap: str, security_kwargs: dict[str, Any] | None = None) -> None:
            seen.append(security_kwargs or {})

    monkeypatch.setattr(ingest, "EdgeProducer", Edge)
    ingest.build(secured)
    assert len(seen) == 5
    for kwargs in seen:
        assert kwargs["security_protocol"] == "SASL_SSL" and kwargs["sasl_plain_password"] == "sekret-pw"


# Client constructions that need no broker security: the local broker's own liveness probe, and the benchmark's
# private local broker.
PLAINTEXT_ONLY = {"kafka/local.py", "loadbench.py"}
CLIENTS = {"KafkaConsumer", "KafkaProducer", "KafkaAdminClient", "AIOKafkaProducer", "AIOKafkaConsumer"}


def test_no_other_client_construction_skips_the_security_arguments() -> None:
    """Every construction of a Kafka client in services/ passes `**<security helper>(...)` (or `**self.security`)."""
    missing = set()
    for path in SERVICES.rglob("*.py"):
        rel = path.relative_to(SERVICES).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node, "func", None) and getattr(node.func, "id", getattr(node.func, "attr", None))
            if not (isinstance(node, ast.Call) and name in CLIENTS):
                continue
            spread = [k.value for k in node.keywords if k.arg is None]
            if not any("kwargs" in ast.unparse(v) or "security" in ast.unparse(v) for v in spread):
                missing.add(rel)
    assert missing - PLAINTEXT_ONLY == set()
