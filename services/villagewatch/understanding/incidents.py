"""Events that do not change control: clashes, shelling, strikes, attacks, casualties, arrests, and
statements of who holds a place ("the YPG-held village of X")."""

from __future__ import annotations

import re

from villagewatch.understanding.actors import side_of
from villagewatch.understanding.mentions import NAME, PLACE_NOUNS, NameSpan, clean_name, list_at
from villagewatch.understanding.text import Caseless, has_any, lowered

TYPES: tuple[tuple[str, Caseless], ...] = (
    ("attack_repelled", Caseless(r"\b(?:repel(?:led|s)?|repuls(?:ed|es)?|thwart(?:ed|s)?|foil(?:ed|s)?"
                                   r"|beat\s+back|pushed\s+back)\b")),
    ("shelling", Caseless(r"\b(?:shell(?:s|ed|ing)?|mortars?|artillery|bombard(?:ed|ing|ment)?|pounded"
                            r"|rockets?|missiles?)\b")),
    ("airstrike", Caseless(r"\b(?:air\s*strikes?|airstrikes?|air\s+raids?|warplanes?|jets|drone\s+strikes?)\b")),
    ("clash", Caseless(r"\b(?:clash(?:es|ed)?|battles?|fighting|fought|combat|skirmish(?:es)?)\b")),
    ("attack", Caseless(r"\b(?:attack(?:ed|s)?|assault(?:ed|s)?|ambush(?:ed)?|storm(?:ed|ing)?|offensive"
                          r"|car\s+bombs?|explosions?|IEDs?)\b")),
    ("casualties", Caseless(r"\b(?:killed|wounded|injured|dead|died|executed|casualties|bodies)\b")),
    ("arrest", Caseless(r"\b(?:arrest(?:ed|s)?|detain(?:ed|s)?|kidnap(?:ped|s)?|abduct(?:ed|s)?)\b")),
)

HELD = Caseless(
    rf"\b([\w’'-]+)-(?:held|controlled)\s+(?:{PLACE_NOUNS}\s+of\s+|(?=[A-Z]))"
    rf"|\b(?:stronghold|bastion)\s+of\s+(?:the\s+)?([\w’' -]{{2,30}}?)\s+(?:in|at)\s+"
)
HELD_AFTER = Caseless(
    r"\b(?:(?:is|was|remains|remained)\s+(?:still\s+)?(?:held|controlled)\s+by|(?:,\s*)?under\s+(?:the\s+)?"
    r"control\s+of|(?:,\s*)?under)\s+(?:the\s+)?([\w’' -]{2,40}?)(?:\s+control)?\b(?=[,.;)]|\s+(?:since|for|and))"
)


# A word every incident type's pattern needs (lowercase; a test checks each form the patterns accept).
INCIDENT_WORDS = ("repel", "repuls", "thwart", "foil", "back", "shell", "mortar", "artillery", "bombard", "pounded",
                  "rocket", "missile", "air", "warplane", "jets", "drone", "clash", "battle", "fighting", "fought",
                  "combat", "skirmish", "attack", "assault", "ambush", "storm", "offensive", "bomb", "explosion",
                  "ied", "killed", "wounded", "injured", "dead", "died", "executed", "casualties", "bodies",
                  "arrest", "detain", "kidnap", "abduct")
_NAME_BEFORE = re.compile(rf"({NAME.pattern})(?:\s+(?:village|town|city))?\s*,?\s*(?:which\s+)?$")
_ANY_INCIDENT = Caseless("|".join(f"(?:{p.pattern})" for _, p in TYPES))
_ORDER = {name: i for i, (name, _) in enumerate(TYPES)}
_NEGATED = Caseless(r"\b(?:without|no|not|denied|den(?:y|ies))\s+(?:any\s+)?(?:\w+\s+)?$")


_HOLDING = ("held", "controlled", "stronghold", "bastion", "under")  # one is in every holding statement


def incident_types(sentence: str) -> list[str]:
    """The non-control event types a sentence reports, most specific first ('without casualties' is none).

    One scan for any type, then the type of each hit (no word belongs to two types).
    """
    found: set[str] = set()
    for m in _ANY_INCIDENT.finditer(sentence):
        at = m.start()
        kind = next(name for name, p in TYPES if p.match(sentence, at))
        if kind not in found and not _NEGATED.search(sentence[max(0, at - 30) : at]):
            found.add(kind)
    return sorted(found, key=_ORDER.__getitem__)


def held_places(sentence: str) -> list[tuple[NameSpan, str]]:
    """(place, side) pairs the sentence states as held: 'the YPG-held village of X', 'X, under SDF control'."""
    out: list[tuple[NameSpan, str]] = []
    if not has_any(lowered(sentence), _HOLDING):
        return out
    for m in HELD.finditer(sentence):
        side = side_of(m.group(1) or m.group(2) or "")
        if side:
            out.extend((p, side) for p in list_at(sentence, m.end()))
    for m in HELD_AFTER.finditer(sentence):
        side = side_of(m.group(1))
        if not side:
            continue
        head = _NAME_BEFORE.search(sentence[: m.start()])
        if head:
            name = clean_name(head.group(1))
            if name:
                out.append((NameSpan(name, head.start(1), head.end(1)), side))
    return out
