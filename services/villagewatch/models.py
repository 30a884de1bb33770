"""The typed records that flow report -> event -> alert, shared by every service and the CLI.

Each record converts to a plain dict (orjson encodes dataclasses natively) and back with
`from_dict`, so the wire format is exactly the dataclass fields.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Literal

Side = Literal["islamic-state", "government", "kurdish-led", "opposition", "turkey", "other"]
SIDES: tuple[str, ...] = ("islamic-state", "government", "kurdish-led", "opposition", "turkey", "other")

EventType = Literal[
    "control_change",
    "control_held",
    "control_denied",
    "clash",
    "shelling",
    "airstrike",
    "attack",
    "attack_repelled",
    "casualties",
    "arrest",
    "other",
]
Certainty = Literal["confirmed", "claimed", "unverified"]


@dataclass(frozen=True, slots=True)
class Report:
    """A report as ingest publishes it: cleaned text plus what the submitter told us."""

    report_id: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None
    received: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Report:
        return cls(**{k: d.get(k) for k in cls.__dataclass_fields__})  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Routed:
    """enrich's dedup step to its extract step: extract a report, re-source a first copy's events for a
    near-duplicate, or forget a first copy that left the dedup window. Keyed by the report whose stored
    events it concerns (`first` for a duplicate), so it reaches the worker that holds them."""

    action: Literal["extract", "duplicate", "forget"]
    report_id: str
    report: Report | None = None
    first: str | None = None
    fingerprint: tuple[int, ...] = ()

    @property
    def key(self) -> str:
        return self.first if self.action == "duplicate" and self.first else self.report_id

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "report_id": self.report_id,
                "report": self.report.to_dict() if self.report else None, "first": self.first,
                "fingerprint": list(self.fingerprint)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Routed:
        report = d.get("report")
        return cls(d["action"], d["report_id"], Report.from_dict(report) if report else None, d.get("first"),
                   tuple(d.get("fingerprint") or ()))


@dataclass(frozen=True, slots=True)
class Place:
    """A place as resolved against the gazetteer; `place_id` is the P-code or a stable name id."""

    name: str
    place_id: str
    pcode: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    candidates: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["candidates"] = list(self.candidates)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Place:
        return cls(
            name=d["name"],
            place_id=d["place_id"],
            pcode=d.get("pcode"),
            admin1=d.get("admin1"),
            admin2=d.get("admin2"),
            admin3=d.get("admin3"),
            candidates=tuple(d.get("candidates") or ()),
        )


@dataclass(frozen=True, slots=True)
class Event:
    """One thing a report says happened (or holds) at one place."""

    event_id: str
    report_id: str
    type: str
    place: Place | None
    actors: tuple[str, ...]
    evidence: str
    new_controller: str | None = None
    previous_controller: str | None = None
    verified: bool = False
    certainty: str = "claimed"
    event_date: str | None = None
    source: str | None = None
    url: str | None = None
    background: bool = False
    fingerprint: tuple[int, ...] = ()
    duplicate_of: str | None = None  # the report this one copies: its events are that report's, re-sourced
    denial: str | None = None  # the text denies this change: `claimed` (by a party) or `confirmed`
    truncated: bool = False  # the report named more than the per-report cap: some of its events were dropped

    @property
    def key(self) -> str:
        """Partition key: everything about one place lands in one partition."""
        return self.place.place_id if self.place else self.report_id

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["place"] = self.place.to_dict() if self.place else None
        d["actors"] = list(self.actors)
        d["fingerprint"] = list(self.fingerprint)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        place = d.get("place")
        return cls(
            event_id=d["event_id"],
            report_id=d["report_id"],
            type=d["type"],
            place=Place.from_dict(place) if place else None,
            actors=tuple(d.get("actors") or ()),
            evidence=d.get("evidence", ""),
            new_controller=d.get("new_controller"),
            previous_controller=d.get("previous_controller"),
            verified=bool(d.get("verified", False)),
            certainty=d.get("certainty", "claimed"),
            event_date=d.get("event_date"),
            source=d.get("source"),
            url=d.get("url"),
            background=bool(d.get("background", False)),
            fingerprint=tuple(d.get("fingerprint") or ()),
            duplicate_of=d.get("duplicate_of"),
            denial=d.get("denial"),
            truncated=bool(d.get("truncated", False)),
        )


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything enrich understood of one report."""

    report_id: str
    published: str | None
    events: tuple[Event, ...]
    truncated: int = 0  # events beyond the per-report cap, dropped (see understanding.extract)

    @property
    def control_changes(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.type == "control_change")

    def to_contract(self) -> dict[str, Any]:
        """The stable `villagewatch extract` output that evaluations rely on."""
        return {
            "report_id": self.report_id,
            "published": self.published,
            "truncated": self.truncated,
            "control_changes": [
                {
                    "place": e.place.name if e.place else None,
                    "place_pcode": e.place.pcode if e.place else None,
                    "place_id": e.place.place_id if e.place else None,
                    "candidates": list(e.place.candidates) if e.place else [],
                    "new_controller": e.new_controller,
                    "previous_controller": e.previous_controller,
                    "verified": e.verified,
                    "certainty": e.certainty,
                    "background": e.background,
                    "denial": e.denial,
                    "event_date": e.event_date,
                    "evidence": e.evidence,
                }
                for e in self.control_changes
            ],
            "events": [
                {
                    "type": e.type,
                    "place": e.place.name if e.place else None,
                    "place_pcode": e.place.pcode if e.place else None,
                    "actors": list(e.actors),
                    "event_date": e.event_date,
                    "evidence": e.evidence,
                }
                for e in self.events
                if e.type != "control_change"
            ],
        }


@dataclass(frozen=True, slots=True)
class SourceRef:
    """One report that backs an alert."""

    report_id: str
    source: str | None
    url: str | None
    evidence: str
    claims: str | None = None
    independent: bool = True
    duplicate_of: str | None = None
    denies: bool = False  # this source says the change did not happen

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class AlertStatus(StrEnum):
    """What we make of an alert's change; on the wire it is the plain string."""

    CLAIMED = "claimed"  # one source so far
    CORROBORATED = "corroborated"  # a further independent source says the same
    CONTESTED = "contested"  # another side claims it, or one party denies it
    RETRACTED = "retracted"  # denied by the outlet or an independent source


@dataclass(frozen=True, slots=True)
class Alert:
    """A change of control of a tracked village, as subscribers receive it."""

    alert_id: str
    version: int
    place: Place
    from_side: str | None
    to_side: str
    event_time: str | None
    first_seen: str
    status: AlertStatus
    confidence: float
    verified: bool
    sources: tuple[SourceRef, ...] = field(default_factory=tuple)
    why: str = ""  # a short reason for the status of this version

    def to_dict(self) -> dict[str, Any]:
        return {
            "alert_id": self.alert_id,
            "version": self.version,
            "place": self.place.to_dict(),
            "from": self.from_side,
            "to": self.to_side,
            "event_time": self.event_time,
            "first_seen": self.first_seen,
            "status": str(self.status),
            "why": self.why,
            "confidence": self.confidence,
            "verified": self.verified,
            "sources": [s.to_dict() for s in self.sources],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Alert:
        return cls(
            alert_id=d["alert_id"],
            version=int(d["version"]),
            place=Place.from_dict(d["place"]),
            from_side=d.get("from"),
            to_side=d["to"],
            event_time=d.get("event_time"),
            first_seen=d["first_seen"],
            status=AlertStatus(d["status"]),
            confidence=float(d["confidence"]),
            verified=bool(d["verified"]),
            sources=tuple(SourceRef(**s) for s in d.get("sources") or ()),
            why=d.get("why") or "",  # records from before `why` have none
        )
