"""Place-name mentions in a sentence: single names and lists ("the villages of A, B and C")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from villagewatch.understanding.text import Caseless

_TOKEN = (
    r"(?:(?:al|el|ad|ash|as|at|ar|az|an|ez|es|ed|er|et|en|Al|El|Ad|AL)[-‑][‘'’]?[A-Za-z]|(?:al|el)\s(?=[A-Z])[A-Z]"
    r"|[‘'’]?[A-ZÀ-ÖØ-ÞĀ-ɏḀ-ỿ])[\w’'‘]*(?:-[A-Za-zÀ-ÿŞşĞğİıÎîÊêÇç‘’'][\w’'‘]*)*"
)
# A name: capitalised tokens, with a lowercase article between them ("Maarat al Numan").
NAME = re.compile(rf"{_TOKEN}(?:\s+(?:(?:al|el|ad|as|ash|ar|az|at)\s+)?(?:{_TOKEN}))*")
_SEP = re.compile(r"\s*(?:[,;]+\s*(?:and\s+|as\s+well\s+as\s+|in\s+addition\s+to\s+|along\s+with\s+|plus\s+)?"
                  r"|\s+and\s+|\s+as\s+well\s+as\s+|\s+in\s+addition\s+to\s+|\s+along\s+with\s+|\s*&\s*)"
                  r"(?:(?:to|in)\s+(?=the\s))?"  # "..., as well as to the villages of B"
                  r"(?:[-–•*]\s*)?")  # a bulleted list: "A, - B, - C"; a doubled comma: "A,, B"
# What may follow a name in a list before the next one: its noun ("Nawa city", "A hill": the reader of the
# place drops a name its feature noun follows), the area it lies in ("in the
# Lajat area", "in Daraa's eastern countryside"); skipped, as are the distances and directions of _QUALIFIER.
_NOUN_AFTER = re.compile(
    rf"\s+(?:village|town|city|hamlet|farms?|area|hills?|mountain|mount|heights|plateau|elevation)\b|\s+(?:in|on)\s+(?:the\s+)?(?:{_TOKEN}['’]?s?\s+)?"
    rf"(?:(?:eastern|western|northern|southern|north|south|east|west|central)\w*\s+)?"
    rf"(?:area|countryside|region|district|province|plains?|desert|valley|outskirts|suburbs?)\b(?:\s+of\s+{_TOKEN})?")
_QUALIFIER = re.compile(
    rf"\s*(?:\([^)]*\)|,?\s*(?:(?:about|some|nearly)\s+)?(?:\d+(?:\.\d+)?\s*km\s+)?(?:(?:north|south|east|west)\w*|near"
    rf"|in\s+the\s+(?:north|south|east|west)\w*(?:\s+(?:part|side|countryside))?\s+of)"
    rf"\s+(?:of\s+)?(?:the\s+)?(?:\w+\s+){{0,2}}?(?:(?:town|city|village)\s+of\s+)?{_TOKEN}(?:\s+{_TOKEN})*"
    rf"(?:\s+(?:town|city|village|district|region))?)"
)
STOP = {
    "the", "village", "villages", "town", "towns", "city", "cities", "area", "areas", "and", "of", "on", "in",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "syria", "syrian", "iraq", "turkey", "turkish", "kurdish", "arab", "christian", "assyrian", "syriac",
    "northern", "southern", "eastern", "western", "north", "south", "east", "west", "province", "governorate",
    "countryside", "district", "river", "road", "border", "mount", "mountain", "hill", "dam", "base", "airport",
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
    "several", "some", "many", "dozens", "farms", "a", "an", "its", "their", "his", "her", "this", "that",
    "these", "those", "after", "before", "during", "with", "from", "by", "to", "at", "near", "while",
    "meanwhile", "but", "however", "also", "including", "which", "who", "as", "our", "we", "they", "it",
    "islamic", "state", "ypg", "ypj", "sdf", "isis", "isil", "is", "daesh", "fsa", "sna", "saa", "ndf", "nda",
    "kurds", "regime", "army", "forces", "units", "group", "groups", "militants", "fighters", "rebels",
    "government", "media", "news", "agency", "observatory", "said", "told", "reported", "according",
    "only", "all", "both", "most", "more", "other", "another", "each", "every", "entire", "whole", "part", "parts",
    "neighbouring", "neighboring", "nearby", "adjacent",  # "Neighbouring al-Zara had fallen"
    # where statements are posted ("said on Twitter"): no places
    "twitter", "telegram", "facebook", "youtube", "instagram", "whatsapp", "x",
}
_ADJECTIVAL = Caseless(
    r"-(?:held|controlled|led|backed|based|linked|affiliated|majority|populated|dominated|inhabited|speaking|run)$")
# Capitalised before a name, these belong to it: "Eastern Rajman", "Lower Khweitleh" are villages.
PART_OF_NAME = {"eastern", "western", "northern", "southern", "upper", "lower", "arab"}  # "Arab Hassan"
PLACE_NOUNS = (r"(?:village|villages|town|towns|city|cities|hamlet|hamlets|farms?|areas?|localities|locality|hill"
               r"|settlements?|communities|community|strongholds?|bastions?"  # "the rebel bastion of A"
               r"|(?:provincial\s+|regional\s+)?(?:capital|cent(?:er|re)))")


@dataclass(frozen=True, slots=True)
class NameSpan:
    name: str
    start: int
    end: int


@lru_cache(maxsize=65536)
def clean_name(raw: str) -> str | None:
    """Trim generic words off a captured name; None when nothing name-like is left (cached: the same names
    recur in report after report)."""
    tokens = [t for t in raw.split() if "-" not in t or not _ADJECTIVAL.search(t)]
    while tokens and tokens[0].lower().strip("’'‘") in STOP and not (
        tokens[0].lower() in PART_OF_NAME and len(tokens) > 1 and tokens[1].lower() not in STOP
    ):
        tokens.pop(0)
    while tokens and tokens[-1].lower().strip("’'‘") in STOP:
        tokens.pop()
    for i, t in enumerate(tokens):
        if t.lower() in STOP and not (i == 0 and t.lower() in PART_OF_NAME):
            tokens = tokens[:i]
            break
    name = " ".join(tokens).strip(" ,’'")
    if not name or len(name) < 3 or name.lower() in STOP:
        return None
    return name


_THE = re.compile(r"(?:the\s+)?")
_PLACES_OF = re.compile(rf"\s*(?:the\s+|a\s+)?(?:[\w-]+\s+){{0,3}}?{PLACE_NOUNS}\s+(?:of|called|named)\s+")
_MORE_PLACES_OF = re.compile(  # "and the (Druze-majority) town of B"
    rf"(?:the\s+|a\s+)?(?:[\w’-]+-(?:majority|populated|inhabited)\s+)?"
    rf"(?:(?:nearby|neighbouring|neighboring|adjacent|strategic|key|two|three|small|large)\s+)*"
    rf"{PLACE_NOUNS}\s+of\s+|(?:nearby|neighbouring|neighboring|adjacent)\s+")
_PLACES_INCLUDING = re.compile(
    rf"\s*(?:the\s+)?(?:[\w-]+\s+){{0,5}}?{PLACE_NOUNS}\b[^.;]*?(?:,\s*)?(?:\b(?:including|namely|such\s+as|among\s+them"
    rf"|notably|in\s+particular|particularly|the\s+(?:latest|last|most\s+recent)\s+(?:of\s+them|of\s+which|being))|:)\s+"
)
_PLACE_CUE = re.compile(rf"\b{PLACE_NOUNS}\s+of\s+|\b(?:in|near|at|on|around|into)\s+(?=(?:the\s+)?[A-Z‘'’]|al-)")
_NAME_THEN_NOUN = re.compile(rf"({NAME.pattern})\s+(?:village|town)\b")
_NAME_END = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ɏḀ-ỿ‘'’]|[ae][ldstrzn]h?[-‑]")  # every token of a name holds one


def _name_then_noun_possible(sentence: str) -> bool:
    """Whether some "village"/"town" follows, after blanks, a word that could end a name: the only way
    `_NAME_THEN_NOUN` can match. Checked first, because "the village of" is far more common."""
    for noun in ("village", "town"):
        at = sentence.find(noun)
        while at >= 0:
            end = at
            while end > 0 and sentence[end - 1].isspace():
                end -= 1
            if end < at:
                start = end
                while start > 0 and not sentence[start - 1].isspace():
                    start -= 1
                if _NAME_END.search(sentence, start, end):
                    return True
            at = sentence.find(noun, at + 1)
    return False


def name_at(sentence: str, pos: int) -> NameSpan | None:
    """The place name starting exactly at pos (after an optional 'the'), if any."""
    m = _THE.match(sentence, pos)
    start = m.end() if m else pos
    m = NAME.match(sentence, start)
    if not m:
        return None
    name = clean_name(m.group(0))
    if name is None:
        return None
    lead = m.group(0).split()[0]
    if not m.group(0).startswith(name.split()[0]):
        if not _ADJECTIVAL.search(lead):  # only an adjective ("Druze-majority A") may stand before the name
            return None
        start += m.group(0).find(name.split()[0])
    return NameSpan(name, start, m.end())


_BULLET = re.compile(r"\s*[-–•*]\s+")


def list_at(sentence: str, pos: int) -> list[NameSpan]:
    """A list of names at pos: 'A, B, and C', 'A as well as B', '- A, - B', with location qualifiers skipped."""
    out: list[NameSpan] = []
    bullet = _BULLET.match(sentence, pos)
    first = name_at(sentence, bullet.end() if bullet else pos)
    if first is None:
        return out
    out.append(first)
    end = first.end
    while True:
        noun = _NOUN_AFTER.match(sentence, end)
        end = noun.end() if noun else end
        q = _QUALIFIER.match(sentence, end)
        after_q = q.end() if q else end
        sep = _SEP.match(sentence, after_q)
        if not sep:
            break
        again = _MORE_PLACES_OF.match(sentence, sep.end())  # "A and the villages of B and C"
        nxt = name_at(sentence, again.end() if again else sep.end())
        if nxt is None:
            break
        out.append(nxt)
        end = nxt.end
    return out


def object_places(sentence: str, pos: int, window: int = 90) -> list[NameSpan]:
    """Places named as the object of a verb ending at pos: 'the villages of A and B', 'A and B villages',
    'the Arab city of X', 'thirteen villages ..., including A, B'."""
    span = sentence[pos : pos + window]
    m = _PLACES_OF.match(span)
    if m:
        return list_at(sentence, pos + m.end())
    m = _PLACES_INCLUDING.match(span)
    if m:
        return list_at(sentence, pos + m.end())
    return list_at(sentence, pos + len(span) - len(span.lstrip(" \t\n\"“”")))  # past a closing quote


def named_places(sentence: str) -> list[NameSpan]:
    """Every place a sentence names with a place noun or a locative preposition (for non-control events)."""
    out: list[NameSpan] = []
    for m in _PLACE_CUE.finditer(sentence):
        out.extend(list_at(sentence, m.end()))
    for m in _NAME_THEN_NOUN.finditer(sentence) if _name_then_noun_possible(sentence) else ():
        name = clean_name(m.group(1))
        if name:
            out.append(NameSpan(name, m.start(1), m.end(1)))
    seen: set[str] = set()
    unique = []
    for n in out:
        if n.name not in seen:
            seen.add(n.name)
            unique.append(n)
    return unique


_BEFORE_VERB = re.compile(
    r"(?:\s*,?\s*(?:which|that|who)?\s*(?:has|have|had|was|were|is|are|been|being|also|reportedly|finally|now"
    r"|completely|fully|all|both)\b)*\s*$")
_NOUN_BEFORE = re.compile(r"\s+(?:villages?|towns?|cities|city|hamlets?)\s*$")
_SEP_BEFORE = re.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+|\s+as\s+well\s+as\s+)$")


def list_before(sentence: str, end: int) -> list[NameSpan]:
    """The list of names that ends at `end` (before a verb): "A, B and C villages were captured"."""
    head = sentence[:end]
    aux = _BEFORE_VERB.search(head)
    head = head[: aux.start()] if aux else head
    noun = _NOUN_BEFORE.search(head)
    head = head[: noun.start()] if noun else head
    out: list[NameSpan] = []
    while True:
        last = None
        for m in NAME.finditer(head, max(0, len(head) - 80)):
            if m.end() == len(head.rstrip()):
                last = m
        if last is None:
            break
        name = clean_name(last.group(0))
        if name is None or not last.group(0).endswith(name.split()[-1]):
            break
        out.insert(0, NameSpan(name, last.start(), last.end()))
        sep = _SEP_BEFORE.search(head[: last.start()])
        if sep is None:
            break
        head = head[: sep.start()]
    return out
