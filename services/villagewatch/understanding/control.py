"""Control changes: who took which named place from whom, as the sentence states it.

Each pattern yields (places, new side, previous side). What does not change control (clashes,
shelling, failed or planned advances, places merely held) is left to `incidents`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from villagewatch.understanding.actors import Mention, find_actors, side_of
from villagewatch.understanding.mentions import NameSpan, list_at, object_places
from villagewatch.understanding.text import Caseless, has_any, lowered

_CONTROL_OF = (
    r"(?:took|take|takes|taking|taken|gained|gain|gains|gaining|regained|regain|regains|regaining|seized|seize"
    r"|seizing|assumed|imposed|wrested|established|announced\s+(?:its|their)|declared\s+(?:its|their))"
    r"\s+(?:full\s+|complete\s+|total\s+)?control\s+(?:of|over)"
)
_VERB = (
    r"(?:(?:totally\s+|fully\s+)?(?:captured|capture|captures|capturing|recaptured|recapture|recaptures|recapturing"
    r"|seized|seize|seizes|seizing|liberated|liberate|liberates|liberating|retook|retake|retakes|retaking"
    r"|took\s+over|take\s+over|takes\s+over|taking\s+over|overran|overrun|overruns|regained|regain|regains"
    r"|regaining|freed|took|take|takes|taking|won\s+back|win\s+back))"
)
ACTIVE = re.compile(rf"\b(?:{_CONTROL_OF}|{_VERB})\b")
NOMINAL = re.compile(r"\b(?:capture|recapture|liberation|seizure|takeover|fall)\s+of\s+")
LOSS = re.compile(r"\bloss\s+of\s+")
PASSIVE = re.compile(
    r"\b(?:was|were|been|being|is|are)\s+(?:\w+\s+)?(?:captured|recaptured|seized|liberated|retaken|taken\s+over"
    r"|taken|overrun|freed)\s+by\s+"
)
FELL = re.compile(r"\bfell\s+(?:to|into\s+the\s+hands\s+of|under\s+the\s+control\s+of)\s+")
CAME_UNDER = re.compile(
    r"\b(?:came|come|comes|fell|brought|declared|declared\s+to\s+be)\s+under\s+(?:the\s+)?(?:full\s+)?"
    r"(?:control\s+of\s+(?:the\s+)?(?P<who1>[^,.;:]{2,50}?)|(?P<who2>[^,.;:]{2,40}?)\s+control)\b"
)
WITHDREW = re.compile(
    r"\b(?:withdrew|withdrawn|withdrawing|retreated|pulled\s+out|fled)\s+from\s+|\bwithdrawal\s+of\s+(?P<who>[^,.;]"
    r"{2,60}?)\s+from\s+"
)
EXPELLED = re.compile(r"\b(?:expelled|drove|driven|ousted|kicked)\s+(?P<who>[^,.;]{2,60}?)\s+(?:out\s+)?(?:of|from)\s+")

_HYPOTHETICAL = Caseless(
    r"\b(?:fail(?:ed|s|ing)?\s+to|attempt(?:ed|ing|s)?\s+to|tr(?:y|ies|ied|ying)\s+to|bid\s+to"
    r"|aim(?:ed|ing|s)?\s+(?:at|to)|plan(?:s|ned|ning)?\s+to|will|would|could|might|may|should"
    r"|seek(?:s|ing)?\s+to|sought\s+to|want(?:s|ed)?\s+to|if|in\s+the\s+event\s+that|unless"
    r"|not|never|no\s+longer|prevent(?:ed)?\s+\w+\s+from|threat(?:en(?:ed|s)?)?\s+to"
    r"|hopes?\s+to|ready\s+to|prepar(?:e|es|ed|ing)\s+to)\s+(?:\S+\s+){0,4}$"
)
_CONTRACTED_NOT = Caseless(r"n't\s+(?:\S+\s+){0,4}$")  # apart: no word boundary before it
_TO_INFINITIVE = re.compile(r"\bto\s+(?:\w+\s+)?$")
_ABLE_TO = Caseless(
    r"\b(?:able|managed|succeeded|went\s+on|continued|did|finally|eventually)\s+to\s+(?:\w+\s+)?$"
)
_ALLY_BEFORE = Caseless(r"(?:backed|supported|led|assisted|aided|joined|accompanied)\s+by\s+(?:\w+\s+){0,4}$"
                        r"|in\s+(?:cooperation|coordination|collaboration)\s+with\s+(?:\w+\s+){0,4}$"
                        r"|(?:along|together)\s+with\s+(?:\w+\s+){0,4}$")
_OPPONENT_BEFORE = Caseless(r"(?:\bwith|\bagainst|\bfrom|\bon|\bbetween|\bto)\s+(?:the\s+)?"
                            r"(?:(?!(?:that|which|who|when|after|before|the)\b)[\w’'-]+[\s(]+){0,3}(?:the\s+)?$")
_FIRST_PERSON = Caseless(r"\b(?:we|our|us)\b")
_FROM_ACTOR = Caseless(r"\bfrom\s+(?:the\s+)?")
_HELD_BY = Caseless(r"\b([\w’'-]+)-(?:held|controlled)\b")
BACKGROUND = Caseless(
    r"\b(?:since|back\s+in|with\s+the\s+loss\s+of|had\s+been\s+able"
    r"|ago|previously|earlier\s+(?:this|last)\s+(?:year|month)|last\s+(?:year|month)|in\s+(?:19|20)\d\d)\b"
)


# Used inside find_changes; compiled once here.
_THE_VILLAGE = re.compile(r"[\s”\"’]*the\s+(?:village|town)\b(?!\s+of)")
_BY_OR_TO = re.compile(r"[^.;]{0,40}?\b(?:by|to)\s+")
_TO = re.compile(r"[^.;]{0,20}?\bto\s+")
_COLON = re.compile(r"[^.;:]{0,40}:\s*")
_NAMED_BEFORE = re.compile(
    r"((?:(?:al|el|ad)[-‑])?[‘'’]?[A-Z][\w’'‘-]*(?:\s+(?:(?:al|el|ad)[-‑])?[A-Z‘'’][\w’'‘-]*)*)"
    r"(?:\s+(?:village|town|city))?\s*,?\s*(?:(?:which|that|who)\s+)?(?:has\s+|had\s+)?$"
)
_PLACE_OF_BEFORE = re.compile(r"(?:the\s+)?(?:village|town|city)\s+of\s+([^,]+?)\s*,?\s*(?:which\s+)?(?:has\s+)?$")


@dataclass(frozen=True, slots=True)
class Change:
    """One control change as the sentence gives it, before place resolution."""

    place: NameSpan
    new: str
    previous: str | None
    background: bool
    anaphoric: bool = False


def _hypothetical(sentence: str, pos: int) -> bool:
    before = sentence[max(0, pos - 60) : pos]
    if _HYPOTHETICAL.search(before) or _CONTRACTED_NOT.search(before):
        return True
    return bool(_TO_INFINITIVE.search(before)) and not _ABLE_TO.search(before)


def _subject(sentence: str, actors: tuple[Mention, ...], pos: int) -> Mention | None:
    """The actor doing the verb at pos: the nearest mention before it that is no ally or opponent;
    in a first-person quote ("we were able to regain ..."), the speaker named after the quote."""
    close = max(sentence.rfind("”"), sentence.rfind('"'))
    if close > pos and _FIRST_PERSON.search(sentence[:pos]):
        speaker = [a for a in actors if a.start > close]
        if speaker:
            return speaker[0]
    for m in reversed([a for a in actors if a.end <= pos]):
        lead = sentence[max(0, m.start - 40) : m.start]
        if _ALLY_BEFORE.search(lead) or _OPPONENT_BEFORE.search(lead):
            continue
        return m
    return None


def _previous(sentence: str, actors: tuple[Mention, ...], new: str, after: int) -> str | None:
    """The side that lost: 'from X', an 'X-held' place, or the one other side the sentence names."""
    for m in actors:
        if m.start >= after and _FROM_ACTOR.search(sentence[max(0, m.start - 12) : m.start]) and m.side != new:
            return m.side
    for h in _HELD_BY.finditer(sentence):
        side = side_of(h.group(1))
        if side and side != new:
            return side
    others = set()
    for m in actors:
        lead = sentence[max(0, m.start - 40) : m.start]
        if m.side != new and not _ALLY_BEFORE.search(lead) and "media" not in sentence[m.end : m.end + 8]:
            others.add(m.side)
    return others.pop() if len(others) == 1 else None


def _actor_after(sentence: str, pos: int) -> Mention | None:
    found = find_actors(sentence[pos : pos + 80])
    return found[0] if found else None


# A word every control pattern needs (lowercase): a sentence holding none states no change.
_TRIGGERS = ("control", "captur", "seiz", "liberat", "retak", "took", "take", "taking", "overr", "regain", "freed",
             "fell", "fall", "loss", "under", "withdr", "retreat", "pulled", "fled", "expell", "drove", "driven",
             "ousted", "kicked", "won", "win")


def find_changes(sentence: str, last_village: NameSpan | None = None) -> list[Change]:
    """Every control change the sentence states as having happened."""
    if not has_any(lowered(sentence), _TRIGGERS):
        return []
    actors = find_actors(sentence)
    background = bool(BACKGROUND.search(sentence))
    out: list[Change] = []

    for m in ACTIVE.finditer(sentence):
        if _hypothetical(sentence, m.start()):
            continue
        places = object_places(sentence, m.end())
        anaphoric = False
        if not places and last_village and _THE_VILLAGE.match(sentence[m.end() :]):
            places, anaphoric = [last_village], True
        if not places:
            continue
        who = _subject(sentence, actors, m.start())
        if who is None:
            continue
        previous = _previous(sentence, actors, who.side, m.end())
        out.extend(Change(p, who.side, previous, background, anaphoric) for p in places)

    nominal = has_any(sentence, ("capture", "liberation", "seizure", "takeover", "fall"))
    for m in NOMINAL.finditer(sentence) if nominal else ():
        places = list_at(sentence, m.end())
        if not places or _hypothetical(sentence, m.start()):
            continue
        tail = sentence[places[-1].end :]
        by = _BY_OR_TO.match(tail)
        who = _actor_after(sentence, places[-1].end + by.end()) if by else None
        if who is None:
            lead = _subject(sentence, actors, m.start())
            who = lead if lead and sentence[lead.end : m.start()].strip().endswith(("'s", "’s")) else None
        if who is None:
            continue
        previous = _previous(sentence, actors, who.side, m.end())
        out.extend(Change(p, who.side, previous, background) for p in places)

    for m in LOSS.finditer(sentence) if "loss" in sentence else ():
        places = list_at(sentence, m.end())
        if not places:
            continue
        to = _TO.match(sentence[places[-1].end :])
        who = _actor_after(sentence, places[-1].end + to.end()) if to else None
        if who is None or to is None:
            continue
        previous = _previous(sentence, actors, who.side, places[-1].end + to.end() + 1)
        out.extend(Change(p, who.side, previous, True) for p in places)

    for pattern in ((PASSIVE,) if "by" in sentence else ()) + ((FELL,) if "fell" in sentence else ()):
        for m in pattern.finditer(sentence):
            if _hypothetical(sentence, m.start()):
                continue
            who = _actor_after(sentence, m.end())
            head = sentence[: m.start()]
            subj = _NAMED_BEFORE.search(head)
            if who is None or subj is None:
                continue
            places = list_at(sentence, subj.start(1))
            previous = _previous(sentence, actors, who.side, m.end())
            out.extend(Change(p, who.side, previous, background) for p in places)

    for m in CAME_UNDER.finditer(sentence) if "under" in sentence else ():
        who_text = m.group("who1") or m.group("who2") or ""
        side = side_of(who_text) or side_of(who_text + " forces")
        if side is None:
            continue
        colon = _COLON.match(sentence[m.end() :])
        if colon:
            places = list_at(sentence, m.end() + colon.end())
        else:
            subj = _PLACE_OF_BEFORE.search(sentence[: m.start()])
            places = list_at(sentence, subj.start(1)) if subj else []
        if places and not _hypothetical(sentence, m.start()):
            out.extend(Change(p, side, None, background) for p in places)

    # Both are case-sensitive: a sentence without one of their words cannot match.
    withdrew = has_any(sentence, ("withdr", "retreat", "pulled", "fled"))
    expelled = has_any(sentence, ("expelled", "drove", "driven", "ousted", "kicked"))
    for pattern in ((WITHDREW,) if withdrew else ()) + ((EXPELLED,) if expelled else ()):
        for m in pattern.finditer(sentence):
            if _hypothetical(sentence, m.start()):
                continue
            places = object_places(sentence, m.end())
            if not places:
                continue
            loser_text = m.groupdict().get("who")
            loser = side_of(loser_text) if loser_text else None
            if pattern is WITHDREW and loser is None:
                doer = _subject(sentence, actors, m.start())
                loser = doer.side if doer else None
            if pattern is WITHDREW:
                winners = {a.side for a in actors if a.side != loser}
                if len(winners) != 1 or loser is None:
                    continue
                new = winners.pop()
            else:
                doer = _subject(sentence, actors, m.start())
                if doer is None:
                    continue
                new = doer.side
            out.extend(Change(p, new, loser, background) for p in places)
    return out
