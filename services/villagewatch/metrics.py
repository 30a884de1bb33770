"""Prometheus metrics every service exports on /metrics (names follow Prometheus conventions)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

REPORTS_RECEIVED = Counter("villagewatch_reports_received_total", "Reports accepted by ingest", ["channel"])
REPORTS_REJECTED = Counter("villagewatch_reports_rejected_total", "Submissions refused", ["reason"])
DUPLICATES = Counter("villagewatch_duplicates_dropped_total", "Duplicates recognised and not reprocessed", ["kind"])
EVENTS = Counter("villagewatch_events_produced_total", "Events published by enrich", ["type"])
ALERTS = Counter("villagewatch_alerts_raised_total", "Alerts published (each version counts)", ["status"])
DEADLETTER = Counter("villagewatch_deadletter_total", "Messages sent to the deadletter topic", ["service"])
LATENCY = Histogram(
    "villagewatch_processing_seconds",
    "Time to process one consumed message",
    ["service"],
    buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0),
)
