"""Follows the compacted `tracking` topic in a thread, so `villagewatch track add|remove` takes effect
in a running alert service without a restart."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import orjson
from kafka import KafkaConsumer, TopicPartition

from villagewatch.alert.tracking import Tracking

log = logging.getLogger("villagewatch")


class TrackingFeed:
    """The current Tracking: the config file plus everything said on the tracking topic so far."""

    def __init__(self, bootstrap: str, topic: str, path: str | Path | None,
                 security: dict[str, Any] | None = None) -> None:
        self.bootstrap = bootstrap
        self.security = security or {}  # SASL/TLS arguments (kafka.security.kafka_python_kwargs)
        self.topic = topic
        self.path = path
        self.runtime: dict[str, tuple[str, bool]] = {}
        self.current = Tracking.combine(path, {})
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._follow, name="tracking-feed", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def entries(self) -> dict[str, dict[str, object]]:
        return {k: {"entry": e, "tracked": t} for k, (e, t) in sorted(self.runtime.items())}

    def _follow(self) -> None:
        consumer = KafkaConsumer(bootstrap_servers=self.bootstrap, enable_auto_commit=False, group_id=None,
                                 isolation_level="read_committed", **self.security)
        try:
            consumer.assign([TopicPartition(self.topic, 0)])
            consumer.seek_to_beginning()
            while not self.stopping.is_set():
                changed = False
                for records in consumer.poll(timeout_ms=500).values():
                    for r in records:
                        key = r.key.decode() if r.key else ""
                        if r.value is None:
                            self.runtime.pop(key, None)
                        else:
                            value = orjson.loads(r.value)
                            self.runtime[key] = (value["entry"], bool(value["tracked"]))
                        changed = True
                if changed:
                    self.current = Tracking.combine(self.path, dict(self.runtime))
                    log.info("tracking updated: %d runtime entries", len(self.runtime))
        except Exception:  # noqa: BLE001 - keep the last known tracking rather than kill the service
            log.exception("tracking feed stopped")
        finally:
            consumer.close()
