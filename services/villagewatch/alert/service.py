"""The alert service: events in, village control state in a table, alerts out when control changes."""

from __future__ import annotations

from datetime import UTC, datetime

import faust
import orjson

from villagewatch import codec
from villagewatch.alert.control_state import VillageState, apply
from villagewatch.alert.published import PublishedLog
from villagewatch.alert.tracking_feed import TrackingFeed
from villagewatch.kafka.security import kafka_python_kwargs
from villagewatch.metrics import ALERTS, DUPLICATES
from villagewatch.models import Event
from villagewatch.runtime import guarded, log, make_app
from villagewatch.settings import Settings


def build(settings: Settings) -> faust.App:
    app = make_app("alert", settings, settings.alert_port)
    events = app.topic(settings.topic("events"), partitions=settings.partitions, internal=False)
    alerts = app.topic(settings.topic("alerts"), partitions=settings.partitions, internal=False)
    village_state = app.topic(settings.topic("village-state"), partitions=settings.partitions, internal=False)
    villages = app.Table("villages", default=None, partitions=settings.partitions, key_type=bytes, value_type=bytes)
    client = kafka_python_kwargs(settings)  # SASL/TLS, as every client gets them
    tracking = TrackingFeed(settings.bootstrap, settings.topic("tracking"), settings.tracked_file or None, client)
    tracking.start()

    @app.page("/tracking")
    async def tracked(web: faust.web.Web, request: faust.web.Request) -> faust.web.Response:
        return web.json({"file": settings.tracked_file or None, "runtime": tracking.entries()})
    published = PublishedLog(settings.bootstrap, alerts.get_topic_name(), client)

    @app.agent(events)
    async def track(stream: faust.Stream) -> None:
        async for key, raw in stream.items():

            async def handle(value: bytes | None) -> None:
                event = Event.from_dict(codec.decode("event", value))
                if event.place is None:
                    return
                table_key = event.place.place_id.encode()
                stored = villages.get(table_key)
                stored_state = state = VillageState.from_dict(orjson.loads(stored)) if stored else None
                await published.refresh(frozenset(app.consumer.assignment()))
                resumed = published.newer_than(state, event.place.place_id)
                if resumed is not None:
                    state = VillageState.from_alert(resumed, state)
                now = datetime.now(UTC).isoformat(timespec="seconds")
                tracked = tracking.current.tracks(event.place)
                new_state, alert = apply(state, event, tracked, now, settings.event_window_hours)
                if alert is not None:
                    if published.already(alert.alert_id, alert.version):
                        DUPLICATES.labels("alert").inc()
                        log.info("alert already published", extra={"alert_id": alert.alert_id,
                                                                   "version": alert.version})
                    else:
                        await alerts.send(key=table_key, value=codec.encode("alert", alert.to_dict()))
                        published.record(alert)
                        ALERTS.labels(alert.status).inc()
                        log.info("alert", extra={"alert_id": alert.alert_id, "version": alert.version,
                                                 "status": alert.status, "place_id": alert.place.place_id,
                                                 "report_id": event.report_id, "event_id": event.event_id})
                if new_state != stored_state:
                    villages[table_key] = orjson.dumps(new_state.to_dict())
                    await village_state.send(key=table_key, value=codec.encode("village_state", new_state.public(now)))

            await guarded(app, "alert", events.get_topic_name(), key, raw, handle)

    return app
