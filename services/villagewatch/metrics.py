"""Prometheus metrics every service exports on /metrics (names follow Prometheus conventions)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

REPORTS_RECEIVED = Counter("villagewatch_reports_received_total", "Valid reports ingest published to reports")
HTTP_ACCEPTED = Counter("villagewatch_http_reports_accepted_total", "Reports accepted over HTTP (202)")
REPORTS_REJECTED = Counter("villagewatch_reports_rejected_total", "Submissions refused", ["reason"])
DUPLICATES = Counter("villagewatch_duplicates_dropped_total", "Duplicates recognised and not reprocessed", ["kind"])
EVENTS = Counter("villagewatch_events_produced_total", "Events published by enrich", ["type"])
TRUNCATED = Counter("villagewatch_reports_truncated_total",
                    "Reports that named more than the per-report cap of events (the excess was dropped)")
ALERTS = Counter("villagewatch_alerts_raised_total", "Alerts published (each version counts)", ["status"])
DEADLETTER = Counter("villagewatch_deadletter_total", "Messages sent to the deadletter topic", ["service"])
LATENCY = Histogram(
    "villagewatch_processing_seconds",
    "Time to process one consumed message",
    ["service"],
    buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0),
)
CONSUMER_LAG = Gauge("villagewatch_consumer_lag", "Messages not yet read, per source partition",
                     ["service", "topic", "partition"])
LAST_PROCESSED = Gauge("villagewatch_last_processed_timestamp_seconds", "When the service last finished a message",
                       ["service"])

# Every metric name a dashboard may use (the deploy tests check the Grafana panels against this).
EXPORTED = {
    "villagewatch_reports_received_total", "villagewatch_http_reports_accepted_total",
    "villagewatch_reports_rejected_total", "villagewatch_duplicates_dropped_total",
    "villagewatch_events_produced_total", "villagewatch_reports_truncated_total",
    "villagewatch_alerts_raised_total", "villagewatch_deadletter_total",
    "villagewatch_processing_seconds_bucket", "villagewatch_processing_seconds_count",
    "villagewatch_processing_seconds_sum", "villagewatch_consumer_lag",
    "villagewatch_last_processed_timestamp_seconds",
}
