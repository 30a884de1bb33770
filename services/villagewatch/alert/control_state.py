"""Control state of one village and the alert decision: a pure function of (state, event).

Replays are harmless: a report already counted for a village changes nothing. A report that
confirms the current controller upgrades the standing alert (same alert_id, higher version)
instead of raising a second one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

from villagewatch.models import Alert, Event, Place, SourceRef

MAX_SEEN = 200


def alert_id(place_id: str, previous: str | None, new: str, event_date: str | None) -> str:
    """Deterministic: the same change gets the same id on any worker and any replay."""
    raw = f"{place_id}|{previous or '-'}|{new}|{event_date or '-'}"
    return "a-" + hashlib.sha256(raw.encode()).hexdigest()[:20]


@dataclass(frozen=True)
class VillageState:
    """What we know of one village: who holds it, since when, and the alert about the last change."""

    place: Place
    controller: str | None = None
    since: str | None = None
    alert: Alert | None = None
    seen_reports: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "place": self.place.to_dict(),
            "controller": self.controller,
            "since": self.since,
            "alert": self.alert.to_dict() if self.alert else None,
            "seen_reports": list(self.seen_reports),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> VillageState:
        return cls(
            place=Place.from_dict(d["place"]),
            controller=d.get("controller"),
            since=d.get("since"),
            alert=Alert.from_dict(d["alert"]) if d.get("alert") else None,
            seen_reports=tuple(d.get("seen_reports") or ()),
        )


def _confidence(sources: int, verified: bool) -> float:
    base = 0.7 if verified else 0.4
    return round(min(0.95, base + 0.15 * (sources - 1)), 2)


def apply(state: VillageState | None, event: Event, tracked: bool, now: str) -> tuple[VillageState, Alert | None]:
    """Fold one event into the village state; return the new state and the alert to publish, if any."""
    assert event.place is not None
    if state is None:
        state = VillageState(place=event.place)
    if event.report_id in state.seen_reports and event.type == "control_change":
        return state, None
    if event.type == "control_held":
        if state.controller is None and event.new_controller:
            return replace(state, controller=event.new_controller, since=event.event_date), None
        return state, None
    if event.type != "control_change" or not event.new_controller:
        return state, None
    seen = (state.seen_reports + (event.report_id,))[-MAX_SEEN:]
    source = SourceRef(event.report_id, event.source, event.url, event.evidence)
    if event.background:
        if state.controller is None:
            return replace(state, controller=event.new_controller, since=event.event_date, seen_reports=seen), None
        return replace(state, seen_reports=seen), None

    if state.controller == event.new_controller:
        standing = state.alert
        if standing is None or standing.to_side != event.new_controller:
            return replace(state, seen_reports=seen), None
        sources = standing.sources + (source,)
        verified = standing.verified or event.verified
        upgraded = replace(
            standing,
            version=standing.version + 1,
            sources=sources,
            verified=verified,
            status="corroborated" if len(sources) > 1 or verified else standing.status,
            confidence=_confidence(len(sources), verified),
        )
        new_state = replace(state, alert=upgraded, seen_reports=seen)
        return new_state, upgraded if tracked else None

    previous = state.controller or event.previous_controller
    alert = Alert(
        alert_id=alert_id(event.place.place_id, previous, event.new_controller, event.event_date),
        version=1,
        place=event.place,
        from_side=previous,
        to_side=event.new_controller,
        event_time=event.event_date,
        first_seen=now,
        status="claimed",
        confidence=_confidence(1, event.verified),
        verified=event.verified,
        sources=(source,),
    )
    new_state = VillageState(
        place=state.place, controller=event.new_controller, since=event.event_date, alert=alert, seen_reports=seen
    )
    return new_state, alert if tracked else None
