"""A real single-node Apache Kafka (KRaft) run from Kafka's own jars, fetched with Maven.

No Docker engine runs on our machines, so `villagewatch kafka start` resolves
org.apache.kafka:kafka_2.13 and its dependencies from Maven Central into a cache, formats KRaft
storage for one combined broker+controller, starts it with the machine's Java 17 and waits until
it answers. Every step is idempotent.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>villagewatch</groupId><artifactId>local-kafka</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId>
      <version>{version}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId>
      <version>2.24.3</version></dependency>
  </dependencies>
</project>
"""

LOG4J2 = """status = warn
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.out.ref = OUT
logger.kafka.name = kafka.server.KafkaRaftServer
logger.kafka.level = INFO
"""


class KafkaError(RuntimeError):
    """The local broker could not be fetched, formatted or started."""


@dataclass(frozen=True)
class SaslSsl:
    """A SASL_SSL client listener, to prove the clients' security settings against a real broker: SASL PLAIN
    with `users` (name, password), TLS from `pem` (the broker's PKCS#8 private key and its certificate). The
    broker also listens in plaintext on `internal_port` for itself and for the readiness check only."""

    users: tuple[tuple[str, str], ...]
    pem: Path
    internal_port: int

    def listener_lines(self, port: int, cport: int) -> list[str]:
        users = " ".join(f'user_{name}="{password}"' for name, password in self.users)
        return [
            f"listeners=SASL_SSL://127.0.0.1:{port},INTERNAL://127.0.0.1:{self.internal_port},"
            f"CONTROLLER://127.0.0.1:{cport}",
            f"advertised.listeners=SASL_SSL://127.0.0.1:{port},INTERNAL://127.0.0.1:{self.internal_port}",
            "inter.broker.listener.name=INTERNAL",
            "listener.security.protocol.map=SASL_SSL:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "sasl.enabled.mechanisms=PLAIN",
            f"listener.name.sasl_ssl.plain.sasl.jaas.config="
            f"org.apache.kafka.common.security.plain.PlainLoginModule required {users};",
            "ssl.keystore.type=PEM",
            f"ssl.keystore.location={self.pem}",
        ]


@dataclass(frozen=True)
class LocalKafka:
    """One local broker: its jars, its data, its ports (plaintext, or SASL_SSL when `secured`)."""

    version: str
    home: Path
    port: int
    controller_port: int | None = None
    data: Path | None = None
    secured: SaslSsl | None = None

    @property
    def probe(self) -> str:
        """Where readiness is asked: the plaintext listener (the internal one of a secured broker)."""
        return f"127.0.0.1:{self.secured.internal_port}" if self.secured else self.bootstrap

    @property
    def libs(self) -> Path:
        return self.home / f"kafka-{self.version}" / "libs"

    @property
    def root(self) -> Path:
        """Broker config, data and log; the jar cache under `home` is shared by every broker."""
        return self.data or self.home / f"broker-{self.port}"

    @property
    def pidfile(self) -> Path:
        return self.root / "kafka.pid"

    @property
    def logfile(self) -> Path:
        return self.root / "kafka.log"

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def fetch(self) -> Path:
        """Resolve the broker jars with Maven once; later calls reuse the cache."""
        marker = self.libs / ".complete"
        if marker.exists():
            return self.libs
        if shutil.which("mvn") is None or shutil.which("java") is None:
            raise KafkaError("Java 17 and Maven are needed to run the local Kafka (apt-get install maven)")
        build = self.home / f"kafka-{self.version}"
        build.mkdir(parents=True, exist_ok=True)
        (build / "pom.xml").write_text(POM.format(version=self.version))
        cmd = [
            "mvn", "-q", "-B", "-f", str(build / "pom.xml"), "dependency:copy-dependencies",
            f"-DoutputDirectory={self.libs}", "-DincludeScope=runtime",
        ]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            raise KafkaError(f"maven could not fetch Kafka {self.version}:\n{result.stdout}{result.stderr}")
        marker.write_text(self.version)
        return self.libs

    def _java(self, main: str, *args: str) -> list[str]:
        return [
            "java", "-Xmx512m", "-Xms128m", "-XX:+UseSerialGC",
            f"-Dlog4j2.configurationFile={self.root / 'log4j2.properties'}",
            "-cp", f"{self.libs}/*", main, *args,
        ]

    def configure(self) -> Path:
        """Write server.properties and format KRaft storage, unless already formatted."""
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "log4j2.properties").write_text(LOG4J2)
        props = self.root / "server.properties"
        data = self.root / "data"
        if props.exists() and (data / "meta.properties").exists():
            return props
        cport = self.controller_port or free_port()
        listeners = self.secured.listener_lines(self.port, cport) if self.secured else [
            f"listeners=PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{cport}",
            f"advertised.listeners=PLAINTEXT://127.0.0.1:{self.port}",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        ]
        props.write_text(
            "\n".join(
                [
                    "process.roles=broker,controller",
                    "node.id=1",
                    f"controller.quorum.voters=1@127.0.0.1:{cport}",
                    *listeners,
                    "controller.listener.names=CONTROLLER",
                    f"log.dirs={data}",
                    "num.partitions=6",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=6",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=false",
                    "",
                ]
            )
        )
        cluster = uuid.uuid4().hex[:22]
        result = subprocess.run(
            self._java("kafka.tools.StorageTool", "format", "-t", cluster, "-c", str(props)),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise KafkaError(f"formatting KRaft storage failed:\n{result.stdout}{result.stderr}")
        return props

    def pid(self) -> int | None:
        """The broker's pid if it is running, else None (a stale pidfile is ignored)."""
        try:
            pid = int(self.pidfile.read_text())
        except (FileNotFoundError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        return pid

    def start(self, timeout: float = 120.0) -> str:
        """Start the broker if it is not running; return its bootstrap address once it answers."""
        if self.pid() is not None and broker_answers(self.probe):
            return self.bootstrap
        self.fetch()
        props = self.configure()
        log = self.logfile.open("ab")
        proc = subprocess.Popen(
            self._java("kafka.Kafka", str(props)),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.pidfile.write_text(str(proc.pid))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise KafkaError(f"Kafka exited with {proc.returncode}; see {self.logfile}")
            if broker_answers(self.probe):
                return self.bootstrap
            time.sleep(0.3)
        self.stop()
        raise KafkaError(f"Kafka did not answer on {self.bootstrap} within {timeout:.0f}s; see {self.logfile}")

    def stop(self, timeout: float = 30.0) -> bool:
        """Stop the broker cleanly (SIGTERM, then SIGKILL after the timeout); True if it was running."""
        pid = self.pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            _reap(pid)
            time.sleep(0.2)
        else:
            os.kill(pid, signal.SIGKILL)
        self.pidfile.unlink(missing_ok=True)
        return True

    def status(self) -> str:
        pid = self.pid()
        if pid is None:
            return f"stopped (port {self.port})"
        state = "answering" if broker_answers(self.probe) else "not answering"
        return f"running pid {pid} on {self.bootstrap}, {state}"


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def broker_answers(bootstrap: str) -> bool:
    """True when a Kafka client can fetch cluster metadata (not just open the socket)."""
    from kafka import KafkaAdminClient
    from kafka.errors import KafkaError as ClientError

    try:
        admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3000)
    except (ClientError, OSError, ValueError):
        return False
    try:
        admin.list_topics()
        return True
    except (ClientError, OSError):
        return False
    finally:
        admin.close()


def free_port() -> int:
    """An ephemeral port on loopback, for tests and side-by-side brokers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
