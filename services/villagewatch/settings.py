"""One frozen settings object, read from environment variables (12-factor).

Every name here is the one used in deploy/docker-compose.yml and in the README.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path

PREFIX = "VILLAGEWATCH_"
_RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:/\s*(\d+(?:\.\d+)?)\s*)?$")


@dataclass(frozen=True)
class Settings:
    """Runtime configuration; `Settings.from_env()` is the only constructor services use."""

    bootstrap_servers: str = ""
    kafka_version: str = "4.1.1"
    kafka_port: int = 9092
    home: Path = field(default_factory=lambda: Path.home() / ".cache" / "villagewatch")
    topic_prefix: str = ""
    partitions: int = 6
    replication: int = 1
    # Where each service's web server (ingest's API, every /healthz and /metrics) listens: loopback unless
    # told otherwise (compose sets 0.0.0.0, inside its network).
    ingest_host: str = "127.0.0.1"
    ingest_port: int = 8080
    enrich_host: str = "127.0.0.1"
    enrich_port: int = 8081
    alert_host: str = "127.0.0.1"
    alert_port: int = 8082
    # POST /reports needs `Authorization: Bearer <token>` when a token is set, directly or in a file.
    ingest_token: str = field(default="", repr=False)
    ingest_token_file: str = ""
    # Per-client rate limit of POST /reports: "RATE" or "RATE/BURST" (reports per second); empty: none.
    ingest_rate: str = ""
    # How every Kafka client (Faust, aiokafka, kafka-python) reaches the broker: PLAINTEXT (empty), SSL,
    # SASL_PLAINTEXT or SASL_SSL; SASL with PLAIN or SCRAM-SHA-256/512; TLS verified against the system's CAs
    # or KAFKA_SSL_CAFILE, with a client certificate when KAFKA_SSL_CERTFILE (and _KEYFILE) are set.
    # villagewatch.kafka.security builds each client's arguments from these.
    kafka_security_protocol: str = ""
    kafka_sasl_mechanism: str = ""
    kafka_sasl_username: str = ""
    kafka_sasl_password: str = field(default="", repr=False)
    kafka_sasl_password_file: str = ""
    kafka_ssl_cafile: str = ""
    kafka_ssl_certfile: str = ""
    kafka_ssl_keyfile: str = ""
    tracked_file: str = ""
    state_dir: Path = field(default_factory=lambda: Path.home() / ".cache" / "villagewatch" / "state")
    session_timeout: float = 10.0
    event_window_hours: float = 72.0
    dedup_window_days: float = 30.0
    # No single report may hold up the others: events beyond this many a report are dropped, the rest flagged
    # `truncated` (real reports state about 9).
    max_events_per_report: int = 200
    processing_guarantee: str = "at_least_once"
    log_level: str = "info"

    @classmethod
    def from_env(cls) -> Settings:
        """Build settings from VILLAGEWATCH_* variables, falling back to the defaults above."""
        base = cls()
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(PREFIX + f.name.upper())
            if raw is None or raw == "":
                continue
            current = getattr(base, f.name)
            if isinstance(current, bool):
                values[f.name] = raw.lower() in {"1", "true", "yes"}
            elif isinstance(current, int):
                values[f.name] = int(raw)
            elif isinstance(current, float):
                values[f.name] = float(raw)
            elif isinstance(current, Path):
                values[f.name] = Path(raw).expanduser()
            else:
                values[f.name] = raw
        if "home" in values and "state_dir" not in values:
            values["state_dir"] = Path(values["home"]) / "state"  # type: ignore[arg-type]
        return cls(**values)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        if self.ingest_token and self.ingest_token_file:
            raise ValueError(f"set {PREFIX}INGEST_TOKEN or {PREFIX}INGEST_TOKEN_FILE, not both")
        self.ingest_rate_limit()  # a malformed rate stops the service at start, not at the first request
        self.kafka_security()  # so does a broker security setting that cannot work

    def kafka_security(self) -> tuple[str, str | None]:
        """(security protocol, SASL mechanism or None), checked: a combination that cannot work is refused."""
        protocol = (self.kafka_security_protocol.strip() or "PLAINTEXT").upper()
        if protocol not in KAFKA_PROTOCOLS:
            raise ValueError(f"{PREFIX}KAFKA_SECURITY_PROTOCOL must be one of {', '.join(KAFKA_PROTOCOLS)}; "
                             f"got {self.kafka_security_protocol!r}")
        sasl = protocol.startswith("SASL_")
        mechanism = (self.kafka_sasl_mechanism.strip() or ("PLAIN" if sasl else "")).upper() or None
        said = [n for n in ("sasl_mechanism", "sasl_username", "sasl_password", "sasl_password_file")
                if getattr(self, "kafka_" + n)]
        if not sasl and said:
            raise ValueError(f"{', '.join(PREFIX + 'KAFKA_' + n.upper() for n in said)} set, but "
                             f"{PREFIX}KAFKA_SECURITY_PROTOCOL is {protocol}: use SASL_SSL (or SASL_PLAINTEXT)")
        if sasl:
            if mechanism not in SASL_MECHANISMS:
                raise ValueError(f"{PREFIX}KAFKA_SASL_MECHANISM must be one of {', '.join(SASL_MECHANISMS)}; "
                                 f"got {self.kafka_sasl_mechanism!r}")
            if not self.kafka_sasl_username:
                raise ValueError(f"{PREFIX}KAFKA_SASL_USERNAME is required with {protocol}")
            if bool(self.kafka_sasl_password) == bool(self.kafka_sasl_password_file):
                raise ValueError(f"{protocol} needs {PREFIX}KAFKA_SASL_PASSWORD or {PREFIX}KAFKA_SASL_PASSWORD_FILE "
                                 "(one of them)")
        tls = [n for n in ("ssl_cafile", "ssl_certfile", "ssl_keyfile") if getattr(self, "kafka_" + n)]
        if tls and protocol not in ("SSL", "SASL_SSL"):
            raise ValueError(f"{', '.join(PREFIX + 'KAFKA_' + n.upper() for n in tls)} set, but "
                             f"{PREFIX}KAFKA_SECURITY_PROTOCOL is {protocol}: use SSL or SASL_SSL")
        if self.kafka_ssl_keyfile and not self.kafka_ssl_certfile:
            raise ValueError(f"{PREFIX}KAFKA_SSL_KEYFILE needs {PREFIX}KAFKA_SSL_CERTFILE")
        return protocol, mechanism

    def kafka_sasl_secret(self) -> str | None:
        """The SASL password, from the variable or its file (a Docker secret); None without SASL.

        A configured password file that cannot be read or is empty is an error."""
        return _secret(self.kafka_sasl_password, self.kafka_sasl_password_file, "KAFKA_SASL_PASSWORD_FILE")

    def host_of(self, service: str) -> str:
        """The address a service's web server binds."""
        return {"ingest": self.ingest_host, "enrich": self.enrich_host, "alert": self.alert_host}.get(
            service, "127.0.0.1")

    def ingest_secret(self) -> str | None:
        """The bearer token POST /reports requires, or None when none is configured.

        A configured token file that cannot be read or is empty is an error (the service does not start
        open by mistake)."""
        return _secret(self.ingest_token, self.ingest_token_file, "INGEST_TOKEN_FILE")

    def ingest_rate_limit(self) -> tuple[float, float] | None:
        """(reports per second, burst) of the per-client limit, or None when off. The burst defaults to
        the rate (at least 1)."""
        if not self.ingest_rate.strip():
            return None
        m = _RATE.match(self.ingest_rate)
        if not m or float(m.group(1)) <= 0 or (m.group(2) is not None and float(m.group(2)) < 1):
            raise ValueError(f"{PREFIX}INGEST_RATE must be RATE or RATE/BURST (reports per second, a burst of "
                             f"at least 1), e.g. 20 or 20/40; got {self.ingest_rate!r}")
        rate = float(m.group(1))
        return rate, float(m.group(2)) if m.group(2) is not None else max(1.0, rate)

    @property
    def bootstrap(self) -> str:
        """Where clients connect: the configured cluster, else the local broker."""
        return self.bootstrap_servers or f"127.0.0.1:{self.kafka_port}"

    def topic(self, name: str) -> str:
        """Full topic name; the prefix keeps test runs and deployments apart."""
        return self.topic_prefix + name

    def group(self, service: str) -> str:
        """Consumer group / Faust app id of a service."""
        return f"{self.topic_prefix}villagewatch-{service}"

    def changelog(self, service: str, table: str) -> str:
        """Faust's name for a table's changelog topic."""
        return f"{self.group(service)}-{table}-changelog"

    def env(self) -> dict[str, str]:
        """These settings as VILLAGEWATCH_* variables, to hand to child processes."""
        return {PREFIX + f.name.upper(): str(getattr(self, f.name)) for f in fields(self)}


KAFKA_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
TOPICS = ("reports.raw", "reports", "reports.routed", "events", "alerts", "deadletter", "village-state", "tracking")
COMPACTED = frozenset({"village-state", "tracking"})
# tracking: every alert worker reads all of it; reports: every report meets every earlier one in dedup.
SINGLE_PARTITION = frozenset({"tracking", "reports"})
# Faust's table changelogs, created up front: a worker that creates one itself can miss it in its first
# metadata and then fail every table write (seen with Faust 0.15.3 on a fresh cluster). A table has as
# many partitions as the topic its agent reads.
CHANGELOGS = (("enrich", "report-index", 1), ("enrich", "extracted", None), ("alert", "villages", None))
ENV_NAMES = tuple(PREFIX + f.name.upper() for f in fields(Settings))


def _secret(value: str, file: str, file_var: str) -> str | None:
    """A secret given directly, else read from its file (`file_var` names the variable, for the error);
    None when neither is set. A file that cannot be read or is empty is an error."""
    if value:
        return value
    if not file:
        return None
    path = Path(file).expanduser()
    try:
        secret = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{PREFIX}{file_var}={path}: cannot read it: {exc}") from exc
    if not secret:
        raise ValueError(f"{PREFIX}{file_var}={path} is empty")
    return secret
