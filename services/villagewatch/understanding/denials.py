"""Denials: what the text says did not happen, so an earlier claim can be contested or retracted.

Two shapes. A sentence that states a change and denies it ("The SDF denied that IS had captured X",
"Reports that IS took X were false") still yields the change (the claim is news), marked as denied.
A sentence that only denies ("X did not fall", "X remains under SDF control, contrary to IS claims")
yields a `control_denied` event. Either way the denial carries its own certainty: `claimed` when one
party denies (it would say so), `confirmed` when the outlet or an independent source does.
"""

from __future__ import annotations

import re

from villagewatch.understanding.actors import find_actors, side_of
from villagewatch.understanding.mentions import NameSpan, list_at, named_places
from villagewatch.understanding.text import Caseless, has_any, lowered

_DENY_VERB = r"(?:denied|denies|deny|denying|dismissed|dismisses|refuted|refutes|rejected|rejects)"
_FALSE = (r"(?:were|was|is|are|proved|proven|turned\s+out\s+to\s+be)\s+(?:completely\s+|entirely\s+)?"
          r"(?:false|untrue|incorrect|baseless|unfounded|fabricated|wrong|not\s+true)")
DENIAL = Caseless(
    rf"\b{_DENY_VERB}\b(?:\s+\w+){{0,3}}?\s+(?:that|reports?|claims?|rumou?rs?|news|the\s+(?:capture|fall|loss)"
    rf"|(?:having\s+)?(?:lost|losing))\b|\b(?:reports?|claims?|rumou?rs?|news)\b[^.;]{{0,120}}?\b{_FALSE}\b"
    r"|\bcontrary\s+to\s+(?:earlier\s+|previous\s+|the\s+)?(?:\w+\s+){0,3}(?:reports?|claims?)"
)
NOT_FALLEN = Caseless(
    r"\b(?:did\s+not|didn[’']t|has\s+not|hasn[’']t|had\s+not|have\s+not|never)\s+(?:fall(?:en)?|been\s+"
    r"(?:captured|taken|seized|overrun))\b(?:\s+(?:to|into\s+the\s+hands\s+of|by)\s+)?"
)
STILL_HELD = Caseless(
    r"\b(?:is|was|remains|remained)\s+(?:still\s+|firmly\s+)?(?:under\s+(?:the\s+)?(?:full\s+)?(?:control\s+of\s+"
    r"(?:the\s+)?)?|in\s+the\s+hands\s+of\s+(?:the\s+)?)(?P<who>[^,.;]{2,40}?)(?:\s+control)?(?=[,.;]|\s+(?:and|despite"
    r"|contrary|after|as))"
)
_SUBJECT = re.compile(
    r"((?:(?:al|el|ad)[-‑])?[‘'’]?[A-Z][\w’'‘-]*(?:\s+(?:(?:al|el|ad)[-‑])?[A-Z‘'’][\w’'‘-]*)*)"
    r"(?:\s+(?:village|town|city))?\s*,?\s*$"
)
_SPEECH = Caseless(rf"\b{_DENY_VERB}\b|\b(?:said|says|told|claimed|insisted|stated)\b")
_ACCORDING = Caseless(r"\baccording\s+to\s+([^,.;]{2,60})")
_PARTY_VOICE = Caseless(r"\b(?:spokes(?:man|woman|person)|commander|official|statement|fighters|militants)\b")
# A word every denial needs (lowercase): a sentence holding none denies nothing.
_WORDS = ("denied", "denies", "deny", "dismiss", "refut", "reject", "false", "untrue", "incorrect", "baseless",
          "unfounded", "fabricat", "wrong", "not", "contrary", "n't", "n’t", "never", "remain", "still")


_NOMINAL = Caseless(r"\b(?:capture|recapture|fall|loss|seizure|takeover|liberation)\s+of\s+(?:the\s+)?"
                    r"(?:(?:village|town)\s+of\s+)?")
_CONTROL_WORD = Caseless(r"\b(?:captur\w*|fall|fell|fallen|control|taken|took|seiz\w*|los[ts]|losing|loss"
                         r"|overr[au]n|liberat\w*)\b")
_CONTRAST = Caseless(r"\b(?:contrary\s+to|despite|in\s+spite\s+of|denied|denies|false|untrue|rumou?rs?)\b")


def denial_certainty(sentence: str) -> str | None:
    """None when the sentence denies nothing; `claimed` when a party is the one denying; else `confirmed`.

    The one denying is the speaker of the sentence: the words between the last comma and "denied" or
    "said", or after "according to". A side's name or a party's voice there (spokesman, commander,
    statement) makes it one party's word.
    """
    if not has_any(lowered(sentence), _WORDS) or not (DENIAL.search(sentence) or NOT_FALLEN.search(sentence)
                                         or _contrast_held(sentence)):
        return None
    speakers = [sentence[: cue.start()].rsplit(",", 1)[-1] for cue in _SPEECH.finditer(sentence)]
    speakers += [m.group(1) for m in _ACCORDING.finditer(sentence)]
    for who in speakers:
        if find_actors(who) or _PARTY_VOICE.search(who):
            return "claimed"
    return "confirmed"


def _contrast_held(sentence: str) -> bool:
    return bool(STILL_HELD.search(sentence)) and bool(_CONTRAST.search(sentence))


def find_denials(sentence: str) -> list[tuple[NameSpan, str | None, str | None]]:
    """(place, side whose takeover is denied, side said to still hold it) for sentences that only deny."""
    if not has_any(lowered(sentence), _WORDS):
        return []
    out: list[tuple[NameSpan, str | None, str | None]] = []
    for m in NOT_FALLEN.finditer(sentence):
        subj = _SUBJECT.search(sentence[: m.start()])
        if subj is None:
            continue
        named_after = m.group(0).rstrip().endswith(("to", "by", "of"))
        after = find_actors(sentence[m.end() : m.end() + 60]) if named_after else ()
        denied = after[0].side if after else None
        out.extend((p, denied, None) for p in list_at(sentence, subj.start(1)))
    if _contrast_held(sentence):
        for m in STILL_HELD.finditer(sentence):
            holder = side_of(m.group("who")) or side_of(m.group("who") + " forces")
            subj = _SUBJECT.search(sentence[: m.start()])
            if holder is None or subj is None:
                continue
            out.extend((p, None, holder) for p in list_at(sentence, subj.start(1)))
    if not out and DENIAL.search(sentence) and _CONTROL_WORD.search(sentence):
        nominal = [p for m in _NOMINAL.finditer(sentence) for p in list_at(sentence, m.end())]
        out.extend((p, None, None) for p in nominal or named_places(sentence))
    return out
