"""Control state of one village and the alert decision: a pure function of (state, event).

- A change of controller raises an alert, version 1, with an id that depends only on the place, the
  new side and the event date, so any worker and any replay give the same id.
- Another report of the standing change upgrades that alert (same id, next version). It counts as
  independent corroboration only if it comes from another outlet, is no near-duplicate of a source
  already counted, and does not merely quote one ("according to X").
- A claim that another side took the place within the event window of the standing alert makes it
  `contested`: both claims stay visible, nothing is silently resolved. A later report that the side
  holding it lost it again (it names that side as the previous one) is a new change, not a contest.
- A denial of the standing change within the window: by the outlet or an independent source it
  `retracts` the alert (control goes back to the side that held it before); by one party it
  `contests` it. A claim reported together with its denial raises a `contested` alert.
- A report already counted for this village changes nothing (replays and duplicates are harmless), nor
  does one that changes neither status, confidence nor verification unless it is a new independent
  source (at most MAX_ALERT_SOURCES are listed): the same outlet again or a reprint is no new version.
- Every alert version says `why` it has its status, in a few words built from the event (no clock).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from villagewatch.models import Alert, AlertStatus, Event, Place, SourceRef
from villagewatch.understanding.dedup import near_duplicate

MAX_SEEN = 200
MAX_ALERT_SOURCES = 25  # sources listed on one alert: enough to show the spread, bounded for the topic's sake
# Fingerprints kept per village to tell a reprint from an independent source: twice the sources an alert can list
# covers each of them and the echoes between (past MAX_ALERT_SOURCES a new source adds no version anyway).
MAX_PRINTS = 2 * MAX_ALERT_SOURCES

CLAIM_CONFIDENCE = 0.4  # one party's word, or an outlet that does not vouch for it
VERIFIED_CONFIDENCE = 0.7  # the outlet states it as fact
SOURCE_STEP = 0.15  # each further independent source makes it likelier
MAX_CONFIDENCE = 0.95  # never certain: independent-looking sources can share one origin
CONTESTED_FACTOR = 0.5  # two claims stand against each other: halve it, decide nothing
RETRACTED_CONFIDENCE = 0.1  # denied by the outlet or an independent source: kept visible, barely believed


def alert_id(place_id: str, new: str, event_date: str | None) -> str:
    """Deterministic: the same change (place, new side, day) gets the same id everywhere."""
    raw = f"{place_id}|{new}|{event_date or '-'}"
    return "a-" + hashlib.sha256(raw.encode()).hexdigest()[:20]


@dataclass(frozen=True)
class VillageState:
    """What we know of one village: who holds it, since when, and the alert about the last change."""

    place: Place
    controller: str | None = None
    since: str | None = None
    alert: Alert | None = None
    seen_reports: tuple[str, ...] = field(default_factory=tuple)
    prints: tuple[tuple[int, ...], ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "place": self.place.to_dict(),
            "controller": self.controller,
            "since": self.since,
            "alert": self.alert.to_dict() if self.alert else None,
            "seen_reports": list(self.seen_reports),
            "prints": [list(p) for p in self.prints],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> VillageState:
        return cls(
            place=Place.from_dict(d["place"]),
            controller=d.get("controller"),
            since=d.get("since"),
            alert=Alert.from_dict(d["alert"]) if d.get("alert") else None,
            seen_reports=tuple(d.get("seen_reports") or ()),
            prints=tuple(tuple(p) for p in d.get("prints") or ()),
        )

    @classmethod
    def from_alert(cls, alert: Alert, state: VillageState | None) -> VillageState:
        """State rebuilt from the last published alert about the village (see alert/published.py)."""
        seen = (state.seen_reports if state else ()) + tuple(s.report_id for s in alert.sources)
        return cls(place=alert.place, controller=alert.to_side, since=alert.event_time, alert=alert,
                   seen_reports=tuple(dict.fromkeys(seen))[-MAX_SEEN:], prints=state.prints if state else ())

    def public(self, updated: str) -> dict[str, Any]:
        """The village-state topic's record: the present picture for a new subscriber."""
        return {
            "place": self.place.to_dict(),
            "controller": self.controller,
            "since": self.since,
            "alert_id": self.alert.alert_id if self.alert else None,
            "status": self.alert.status if self.alert else None,
            "updated": updated,
        }


def confidence(independent: int, verified: bool, contested: bool = False) -> float:
    """0.4 for one party's claim, 0.7 when the outlet confirms it, +0.15 per further independent source."""
    value = (VERIFIED_CONFIDENCE if verified else CLAIM_CONFIDENCE) + SOURCE_STEP * (independent - 1)
    return round(min(MAX_CONFIDENCE, value) * (CONTESTED_FACTOR if contested else 1.0), 2)


def _not_independent(event: Event, alert: Alert, prints: tuple[tuple[int, ...], ...]) -> str | None:
    """Why the event adds no independent corroboration to the alert, or None when it does."""
    if event.duplicate_of:
        return "near-duplicate of a counted source"
    names = {(s.source or "").strip().lower() for s in alert.sources if s.independent}
    mine = (event.source or "").strip().lower()
    if not mine:
        return "unnamed source"
    if mine in names:
        return f"same outlet again ({event.source})"
    if event.fingerprint and any(near_duplicate(event.fingerprint, p) for p in prints):
        return f"near-duplicate of a counted source ({event.source})"
    quoted = [n for n in names if n and re.search(rf"(?i)according\s+to\s+{re.escape(n)}", event.evidence)]
    return f"{event.source} quotes a counted source" if quoted else None


def _named(source: str | None) -> str:
    return source or "unnamed source"


ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def _nth(n: int) -> str:
    if 1 <= n <= len(ORDINALS):
        return ORDINALS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _first_why(event: Event, side: str) -> str:
    """Why a new alert is `claimed` or `contested` from version 1."""
    if event.denial:
        return "claim reported together with its denial"
    if event.verified:
        return f"first report: {_named(event.source)} states as fact that {side} took it"
    if event.certainty == "claimed":
        return f"first report: {_named(event.source)} says {side} took it; one party's claim, unverified"
    return f"first report: {_named(event.source)} says {side} took it, unverified"


def _upgrade_why(standing: Alert, event: Event, status: AlertStatus, not_independent: str | None,
                 agreeing: int, window_hours: float) -> str:
    """Why another report of the change (or a rival claim) leaves the alert with `status`."""
    if event.new_controller != standing.to_side:
        return f"other side ({event.new_controller}) claims it within {window_hours:g} h"
    if standing.status == AlertStatus.RETRACTED:
        return f"reported again after its denial ({_named(event.source)})"
    if standing.status == AlertStatus.CONTESTED:
        return f"still contested; {_named(event.source)} repeats the claim"
    if not_independent is not None:
        return f"{not_independent}: no new corroboration"
    if status == AlertStatus.CORROBORATED:
        return f"{_nth(agreeing)} independent source ({_named(event.source)})"
    return f"another source ({_named(event.source)})"


def _within(a: str | None, b: str | None, hours: float) -> bool:
    if not a or not b:
        return False
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days) * 24 <= hours
    except ValueError:
        return False


def apply(
    state: VillageState | None, event: Event, tracked: bool, now: str, window_hours: float = 72.0
) -> tuple[VillageState, Alert | None]:
    """Fold one event into the village state; return the new state and the alert to publish, if any."""
    if event.place is None:
        raise ValueError(f"event {event.event_id} has no place: control state is kept per place")
    if state is None:
        state = VillageState(place=event.place)
    if event.type == "control_held":
        if state.controller is None and event.new_controller:
            return replace(state, controller=event.new_controller, since=event.event_date), None
        return state, None
    if event.report_id in state.seen_reports:
        return state, None
    if event.type == "control_denied":
        return _denied(state, event, tracked, window_hours)
    if event.type != "control_change" or not event.new_controller:
        return state, None
    seen = (state.seen_reports + (event.report_id,))[-MAX_SEEN:]
    if event.background:
        if state.controller is None:
            return replace(state, controller=event.new_controller, since=event.event_date, seen_reports=seen), None
        return replace(state, seen_reports=seen), None

    standing = state.alert
    new_side = event.new_controller
    if standing is not None and standing.to_side != new_side and _reverses(standing, event):
        standing = None
    if standing is not None and (standing.to_side == new_side or _within(standing.event_time, event.event_date,
                                                                          window_hours)):
        if event.denial and standing.to_side == new_side:
            return _denied(state, event, tracked, window_hours)
        not_independent = _not_independent(event, standing, state.prints)
        independent = not_independent is None and standing.to_side == new_side
        source = SourceRef(event.report_id, event.source, event.url, event.evidence, new_side, independent,
                           event.duplicate_of)
        sources = standing.sources + (source,)
        contested = standing.status in (AlertStatus.CONTESTED, AlertStatus.RETRACTED) or standing.to_side != new_side
        agreeing = [s for s in sources
                    if s.independent and not s.denies and (s.claims or standing.to_side) == standing.to_side]
        verified = (standing.verified or (event.verified and standing.to_side == new_side)) and not contested
        status = (AlertStatus.CONTESTED if contested
                  else AlertStatus.CORROBORATED if len(agreeing) > 1 else standing.status)
        upgraded = replace(
            standing, version=standing.version + 1, sources=sources, verified=verified, status=status,
            confidence=confidence(len(agreeing), standing.verified or verified, contested),
            why=_upgrade_why(standing, event, status, not_independent, len(agreeing), window_hours),
        )
        prints = _with_print(state.prints, event.fingerprint)
        if _adds_nothing(standing, upgraded, independent):  # recorded, so a replay stays harmless; not published
            return replace(state, seen_reports=seen, prints=prints), None
        new_state = replace(state, alert=upgraded, seen_reports=seen, prints=prints)
        return new_state, upgraded if tracked else None

    previous = state.controller or event.previous_controller
    if previous == new_side:
        return replace(state, seen_reports=seen), None
    alert = Alert(
        alert_id=alert_id(event.place.place_id, new_side, event.event_date),
        version=1,
        place=event.place,
        from_side=previous,
        to_side=new_side,
        event_time=event.event_date,
        first_seen=now,
        status=AlertStatus.CONTESTED if event.denial else AlertStatus.CLAIMED,
        confidence=confidence(1, event.verified, contested=bool(event.denial)),
        verified=event.verified and not event.denial,
        sources=(SourceRef(event.report_id, event.source, event.url, event.evidence, new_side, True,
                           event.duplicate_of),),
        why=_first_why(event, new_side),
    )
    denied_now = bool(event.denial)  # a claim that arrives denied does not move the recorded controller
    new_state = VillageState(
        place=state.place, controller=state.controller if denied_now else new_side,
        since=state.since if denied_now else event.event_date, alert=alert, seen_reports=seen,
        prints=(event.fingerprint,),
    )
    return new_state, alert if tracked else None


def _with_print(prints: tuple[tuple[int, ...], ...], fingerprint: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    """The village's fingerprints with this report's: each once (a reprint has its original's), the last
    MAX_PRINTS; the state of a much-reported village stays bounded."""
    if not fingerprint or fingerprint in prints:
        return prints
    return (prints + (fingerprint,))[-MAX_PRINTS:]


def _adds_nothing(standing: Alert, upgraded: Alert, independent: bool) -> bool:
    """A report that changes neither status, confidence nor verification and is no new independent source
    (the same outlet again, a reprint, a quote, a rival claim repeated), or an independent one beyond
    MAX_ALERT_SOURCES: no new version. Subscribers get what changes their picture, not every echo, and a
    much-reported village's alert stays bounded."""
    same = (upgraded.status, upgraded.confidence, upgraded.verified) == (standing.status, standing.confidence,
                                                                          standing.verified)
    return same and (not independent or len(standing.sources) >= MAX_ALERT_SOURCES)


def _reverses(standing: Alert, event: Event) -> bool:
    """A later change away from the side the standing alert says took the place: a new change."""
    return (event.previous_controller == standing.to_side and bool(event.event_date) and bool(standing.event_time)
            and str(event.event_date)[:10] > str(standing.event_time)[:10])


def _denied(state: VillageState, event: Event, tracked: bool, window_hours: float) -> tuple[VillageState, Alert | None]:
    """A denial of the standing change: retract it (outlet or independent source) or contest it (a party)."""
    standing = state.alert
    seen = (state.seen_reports + (event.report_id,))[-MAX_SEEN:]
    matches = (
        standing is not None
        and event.new_controller in (None, standing.to_side)
        and event.previous_controller != standing.to_side
        and _within(standing.event_time, event.event_date, window_hours)
    )
    if not matches or standing is None:
        return replace(state, seen_reports=seen), None
    source = SourceRef(event.report_id, event.source, event.url, event.evidence, None,
                       not event.duplicate_of, event.duplicate_of, denies=True)
    if event.denial == "confirmed" or standing.status == AlertStatus.RETRACTED:
        upgraded = replace(standing, version=standing.version + 1, sources=standing.sources + (source,),
                           status=AlertStatus.RETRACTED, confidence=RETRACTED_CONFIDENCE, verified=False,
                           why=_retracted_why(standing, event))
        back = standing.from_side if state.controller == standing.to_side else state.controller
        new_state = replace(state, controller=back, alert=upgraded, seen_reports=seen)
    else:
        agreeing = [s for s in standing.sources if s.independent and not s.denies and s.claims == standing.to_side]
        upgraded = replace(standing, version=standing.version + 1, sources=standing.sources + (source,),
                           status=AlertStatus.CONTESTED,
                           confidence=confidence(max(1, len(agreeing)), standing.verified, True), verified=False,
                           why=f"denied by one party ({_named(event.source)})")
        new_state = replace(state, alert=upgraded, seen_reports=seen)
    return new_state, upgraded if tracked else None


def _retracted_why(standing: Alert, event: Event) -> str:
    """Why a denial leaves the alert `retracted`: who denied it."""
    if standing.status == AlertStatus.RETRACTED:
        return f"already retracted; denied again ({_named(event.source)})"
    mine = (event.source or "").strip().lower()
    if mine and mine in {(s.source or "").strip().lower() for s in standing.sources if not s.denies}:
        return f"denied by the outlet that reported it ({event.source})"
    return f"denied by an independent source ({_named(event.source)})"
