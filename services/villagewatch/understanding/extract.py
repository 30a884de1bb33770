"""Report in, events out: the enrich step as one pure function, used by the service and the CLI."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace

from villagewatch.models import Event, Extraction, Place, Report
from villagewatch.understanding.actors import NONSTATE_GENERIC, find_actors, generic_side, report_sides
from villagewatch.understanding.certainty import (
    CONFIRMED_ELSEWHERE,
    certainty,
    declared_sides,
    doubts,
    doubts_later,
    outlet_sides,
    party_voice,
    refuted,
)
from villagewatch.understanding.control import Candidate, Change, Rule, deals, find_changes, has_control_word
from villagewatch.understanding.dates import event_date, parse_date
from villagewatch.understanding.denials import denial_certainty, find_denials
from villagewatch.understanding.gazetteer import Context, get_gazetteer
from villagewatch.understanding.incidents import held_places, incident_types
from villagewatch.understanding.mentions import list_at, named_places
from villagewatch.understanding.parsing import parse_all
from villagewatch.understanding.sides import Reading
from villagewatch.understanding.text import (
    name_key,
    plain_hashtags,
    sentence_case,
    sentences,
    strip_boilerplate,
    without_dateline,
    without_symbols,
)

_VILLAGE_OF = re.compile(r"\b(?:village|town)\s+of\s+")
_WORD = re.compile(r"[A-Za-z][\w’'-]*")
_SAID_BY = re.compile(r"\s*(?:[\w’'-]+\s+){0,2}?(?:said|says|confirmed|announced|claimed|stated|added|told)\b")
_GENERIC_DOERS = re.compile(r"(?i)\b(?:army\s+units|troops|soldiers)\b")  # not "military" (an adjective)
_ARMED_NOUN = re.compile(r"(?i)\b(?:forces|troops|fighters|units|militias|militants|soldiers|factions|groups"
                         r"|brigades|battalions|rebels|gunmen)\b")


# No single report may hold up the others: events beyond this many are dropped and the rest flagged
# `truncated` (a real report states about 9; a list of thousands of villages is an attack or an error).
MAX_EVENTS_PER_REPORT = 200
QUOTE_REACH = 4  # sentences back a quote's "he said" may refer to (quotes run over a few sentences)


def _event_id(*parts: object) -> str:
    return "e-" + hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:20]


def _headline(sentence: str) -> bool:
    """Title-case lines (headlines): read in sentence case, the parser misreads every word capitalised."""
    if sentence.rstrip().endswith("."):
        return False
    words = _WORD.findall(sentence)
    small = {"of", "in", "the", "and", "a", "to", "from", "on", "at", "for", "by", "with", "as"}
    caps = sum(1 for w in words if w[0].isupper() or w.lower() in small)
    return len(words) >= 4 and caps / len(words) >= 0.85


def _remember(reading: Reading, sentence: str, found: list[Change]) -> None:
    """What later sentences may refer back to: the side that last took a place (else the first side the
    sentence names: subjects come first), the side each armed noun last named ("the groups" after
    "anti-regime groups"), the last "village of X" or the one place a change was read for (not any
    place named: "south of the city of A" names a landmark, not what "the town" means next), and whom each
    side last took a place from."""
    for change in found:
        if change.previous and not change.background:
            reading.took_from[change.new] = change.previous  # "The FSA also liberated B": from the same enemy
    actors = find_actors(sentence)
    spoke = [a.side for a in actors if _SAID_BY.match(sentence, a.end)]
    if spoke:  # "The sources affiliated to the Ankara-backed militants confirmed ...": whose voice this is
        reading.last_speaker = spoke[0]
    for actor in actors:
        noun = _ARMED_NOUN.search(actor.text)
        if noun:
            reading.by_noun[noun.group(0).lower()] = actor.side
    if found:
        reading.last_side = found[-1].new
    elif actors:
        reading.last_side = actors[0].side
    else:  # "Army units advanced. They captured A": a generic word the report's use resolves
        generic = _GENERIC_DOERS.search(sentence) or NONSTATE_GENERIC.search(sentence)
        reading.last_side = generic_side(generic.group(0), reading.sides) if generic else reading.last_side
    named = [n for m in _VILLAGE_OF.finditer(sentence) for n in list_at(sentence, m.end())[:1]]
    if named:
        reading.last_village = named[-1]
    elif len({c.place.name for c in found}) == 1:  # "The SDF captured Susah. The village had been held by IS"
        reading.last_village = found[0].place
    reading.previous = sentence


_OF_OR_FROM = re.compile(r"(?i)\b(?:of|from)\s+(?:the\s+)?(?:[\w-]+\s*/\s*)*$")  # "cleared of PKK/YPG terrorists"


def _title_side(title: str | None) -> str | None:
    """The side a headline names first, not as the one a place was cleared of or taken from ("7 villages
    cleared of PKK terrorists"): the actor of a change the body states without one."""
    text = title or ""
    actors = [a for a in find_actors(text) if not _OF_OR_FROM.search(text, 0, a.start)]
    return actors[0].side if actors else None


@dataclass
class SentenceTrace:
    """What the reader saw in one sentence, for `explain`: every candidate change and its rule."""

    sentence: str
    skipped: str | None = None  # the named reason the sentence was not read for changes
    actors: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    events: list[str] = field(default_factory=list)


def extract(report: Report, trace: list[SentenceTrace] | None = None,
            limit: int = MAX_EVENTS_PER_REPORT) -> Extraction:
    """Every event the report states, each with its place, sides, certainty, date and evidence."""
    gaz = get_gazetteer()
    text = without_symbols(plain_hashtags(strip_boilerplate(report.text)))
    sents = sentences(text)
    title = (report.title or "").strip()
    if title and title not in sents[:3]:
        sents.insert(0, title)  # the change may be stated in the headline only
    title_at = sents.index(title) if title else None
    sents = [sentence_case(x) if _headline(x) else without_dateline(x) for x in sents]
    context: Context = gaz.admin_context(text)
    published = parse_date(report.published)
    places: dict[str, Place] = {}

    def place(name: str) -> Place:
        if name not in places:
            nearby = {p.admin3 for p in places.values() if p.pcode and p.admin3}
            places[name] = _apart(gaz.resolve(name, context, nearby), places)
        return places[name]

    confirmed_elsewhere = bool(CONFIRMED_ELSEWHERE.search(text))
    outlet = outlet_sides(report.source) or declared_sides(report.source)  # a side's own: its changes are claims
    doubted_at: list[bool | None] = [None] * len(sents)  # a sentence's doubt counts for the two before it too

    def doubted(j: int) -> bool:
        if doubted_at[j] is None:
            doubted_at[j] = doubts_later(sents[j])
        return bool(doubted_at[j])

    changes: dict[tuple[str, str], Event] = {}
    others: dict[tuple[str, str], Event] = {}
    reading = Reading(sides=report_sides(text), title_side=_title_side(report.title), deal=deals(text))
    parse_all([s for s in sents if has_control_word(s)][: limit + 1])  # a long report: the rest as needed
    cut = False  # the cap was reached before the last sentence: the rest is not read
    for i, sentence in enumerate(sents):
        if len(changes) + len(others) > limit:
            cut = True
            break
        seen = SentenceTrace(sentence) if trace is not None else None
        if seen is not None and trace is not None:
            trace.append(seen)
            seen.actors = [f"{a.text} ({a.side})" for a in find_actors(sentence)]
            seen.places = [n.name for n in named_places(sentence)]
            seen.skipped = None if has_control_word(sentence) else "no-control-word"
        found = find_changes(sentence, reading, seen.candidates if seen is not None else None)
        _remember(reading, sentence, found)
        held = held_places(sentence)
        kinds = incident_types(sentence)
        denied = [] if found else find_denials(sentence)
        if not (found or held or kinds or denied):
            continue
        denial = denial_certainty(sentence) if found or denied else None
        when = event_date(sentence, published)
        near_doubt = doubts(sentence) or any(doubted(j) for j in range(i + 1, min(i + 3, len(sents))))
        spoke = any(party_voice(sents[j]) for j in range(max(0, i - QUOTE_REACH), i))
        level, verified = certainty(sentence, near_doubt, confirmed_elsewhere, spoke)

        def event(kind: str, where: Place | None, key: str, actors: tuple[str, ...], new_controller: str | None = None,
                  previous_controller: str | None = None, verified: bool = verified, certainty: str = level,
                  background: bool = False, denial: str | None = None, evidence: str = sentence,
                  event_date: str | None = when.isoformat() if when else None) -> Event:
            """An event of this sentence (its defaults); fields in Event's order, positionally (faster)."""
            return Event(_event_id(report.report_id, kind, key), report.report_id, kind, where, actors, evidence,
                         new_controller, previous_controller, verified, certainty, event_date, report.source,
                         report.url, background, (), None, denial)

        if found and (level == "claimed" or party_voice(sentence)) and refuted(" ".join(sents[i : i + 2])):
            _refute(found, seen)  # one party's claim an independent voice contradicts: denied, not a change
            denied = [(c.place, c.new, c.previous) for c in found]
            denial, found = "confirmed", []
        for change in found:
            where = place(change.place.name)
            own_word = change.new in outlet and not confirmed_elsewhere and level == "confirmed"
            new = event(
                "control_change", where, f"{where.place_id}|{change.new}",
                tuple(dict.fromkeys(a for a in (change.new, change.previous) if a)),
                new_controller=change.new, previous_controller=change.previous, background=change.background,
                denial=denial, verified=False if denial or own_word else verified,
                certainty="unverified" if denial else "claimed" if own_word else level,
            )
            key = (where.place_id, change.new)
            if key not in changes:
                changes[key] = new
            elif changes[key].evidence == (sents[title_at] if title_at is not None else None):
                changes[key] = _merge(new, changes[key], headline=True)  # a headline drops its body's attribution
            else:
                changes[key] = _merge(changes[key], new)
        for span, side in held:
            where = place(span.name)
            if ("control_held", where.place_id) not in others:
                others["control_held", where.place_id] = event(
                    "control_held", where, f"{where.place_id}|{side}", (side,), new_controller=side,
                    verified=True, certainty="confirmed")
        for span, taker, holder in denied:
            where = place(span.name)
            if ("control_denied", where.place_id) not in others:
                others["control_denied", where.place_id] = event(
                    "control_denied", where, f"{where.place_id}|{taker}|{holder}",
                    tuple(dict.fromkeys(a for a in (taker, holder) if a)), new_controller=taker,
                    previous_controller=holder, denial=denial or "confirmed", verified=denial != "claimed",
                    certainty=denial or "confirmed")
        if kinds:
            actors = tuple(dict.fromkeys(a.side for a in find_actors(sentence)))
            spots: list[Place | None] = [place(n.name) for n in named_places(sentence)] or [None]
            for kind in kinds:
                for spot in spots:
                    pid = spot.place_id if spot else f"s{i}"
                    if (kind, pid) not in others:
                        others[kind, pid] = event(kind, spot, pid, actors)
    result = Extraction(report.report_id, report.published, tuple(changes.values()) + tuple(others.values()))
    return _capped(result, limit, cut)


def _apart(found: Place, places: dict[str, Place]) -> Place:
    """Two names of one report that fall on one unresolved id ("Latmeen" and "Latamneh", one skeleton) are two
    places: the report would not name one village twice in one list. The later one keeps its own spelling."""
    if found.pcode is None and any(p.place_id == found.place_id for p in places.values()):
        return replace(found, place_id=f"{found.place_id}~{name_key(found.name)}")
    return found


def _refute(found: list[Change], seen: SentenceTrace | None) -> None:
    """Mark the kept candidates of refuted changes `refuted` for `explain`."""
    if seen is None:
        return
    names = {c.place.name for c in found}
    seen.candidates[:] = [replace(c, rule=Rule.REFUTED) if c.rule is Rule.KEPT and names & set(c.places) else c
                          for c in seen.candidates]


def _capped(result: Extraction, limit: int, cut: bool) -> Extraction:
    """At most `limit` events (control changes first), each flagged `truncated` when some were dropped;
    `truncated` counts the dropped ones (at least 1 when sentences were left unread)."""
    if len(result.events) <= limit and not cut:
        return result
    kept = tuple(replace(e, truncated=True) for e in result.events[:limit])
    return replace(result, events=kept, truncated=max(len(result.events) - limit, 1))


def _merge(first: Event, again: Event, headline: bool = False) -> Event:
    """Two mentions of one change in one report: keep the main one, doubt wins, fill the gaps. A change the
    outlet states as fact in one sentence and attributes to a party in another is the outlet's fact ("Rebels say
    they seized A" ... "fighters in A, after seizing it"); a headline's wording yields to its body's."""
    main, other = (again, first) if first.background and not again.background else (first, again)
    doubted = "unverified" in (first.certainty, again.certainty)
    stated = not headline and "confirmed" in (first.certainty, again.certainty)
    return replace(
        main,
        background=first.background and again.background,
        previous_controller=main.previous_controller or other.previous_controller,
        denial=main.denial or other.denial,
        verified=False if doubted else True if stated else main.verified,
        certainty="unverified" if doubted else "confirmed" if stated else main.certainty,
    )
