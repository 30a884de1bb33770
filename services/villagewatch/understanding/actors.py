"""Actor mentions mapped to sides, from a maintained lexicon.

Sides follow the labelling guide of the evaluation data (`../shared/data/reports/README.md`):
`government` (Syrian Arab Army, loyalist militias, Hezbollah and Iranian-backed units fighting for it),
`kurdish-led` (YPG/YPJ, SDF and its military councils, Asayish, allied Syriac units), `opposition` (FSA,
rebels, the Syrian National Army and the Turkish-backed factions by their brigade names, Islamist rebel
groups, Nusra/HTS), `islamic-state`, `turkey` (the Turkish armed forces themselves) and `other`.
Entries are the groups' names and common English descriptions in wire and newspaper reporting; a patron
may be named by its capital ("Ankara-backed factions", "Moscow-backed troops"), and a side by the first of
two adjectives before one noun ("Turkish and allied forces").

Order matters: the first alternative that matches at a position wins, so specific phrases
("Turkish-backed factions" -> opposition) come before general ones ("Turkish forces" -> turkey).
Abbreviations are matched case-sensitively ("IS" the group, not "is" the verb).
Generic words ("troops", "militants", "jihadists") are resolved by `generic_side`, from the report.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

_ARMED = (r"(?:forces|troops|fighters|units|militias?|militiamen|militants|soldiers|factions|groups?|brigades?"
          r"|battalions|gunmen)")

LEXICON: tuple[tuple[str, str], ...] = (
    ("opposition", r"(?i:(?:Turk(?:ish|ey)|Ankara)[- ](?:backed|supported|allied|sponsored|aligned)(?:\s+(?:Syrian\s+)?"
                   r"(?:militants?|forces|factions?|groups?|rebels?|fighters?|opposition|proxies|troops|militias?))?"
                   r"|Syrian\s+National\s+Army|National\s+Syrian\s+Army|Free\s+Syrian\s+Army|National\s+Army"
                   r"|National\s+Front\s+for\s+Liberation|National\s+Liberation\s+Front"
                   r"|Faylaq\s+al[- ]Rahman|Faylaq\s+al[- ]Sham|Sham\s+Legion|Ahrar\s+al[- ]Sham"
                   r"|Ahrar\s+al[- ]Sharqiy?a"
                   r"|Jaa?[iy]sh\s+al[- ]Islam|Army\s+of\s+Islam|Jabhat\s+al[- ]Nusra|Nusra\s+Front|al[- ]Nusra"
                   r"|Jabhat\s+Fateh\s+al[- ]Sham|Hay'?[ae]t\s+Tahrir\s+al[- ]Sham|Tahrir\s+al[- ]Sham"
                   r"|Jabhat\s+al[- ]Shamiy?a|Levant\s+Front|Sultan\s+Murad|Hamza\s+Division|Firqat\s+al[- ]Hamza"
                   r"|Jaa?[iy]sh\s+al[- ](?:Nukhba|Izza|Fateh|Fatah|Sunna|Ahrar|Thuwar\s+al[- ]Sham)"
                   r"|Suqour\s+al[- ]Sham|Liwa\s+al[- ]Tawhid|Fatah\s+Halab|Nour\s+al[- ]Din\s+al[- ]Zenki"
                   r"|pro[- ]Turk(?:ish|ey)\s+(?:rebels|factions|militias?|fighters|groups|forces)|al[- ]Qa[e']?da"
                   r"(?:[- ](?:linked|affiliated|inspired))?(?:\s+" + _ARMED + r")?"
                   r"|Southern\s+Front|Euphrates\s+Shield\s+(?:forces|factions|rebels|groups)|Mutasim\s+Division"
                   r"|Army\s+of\s+Conquest|Jaa?[iy]sh\s+al[- ]Fat[ae]h|Military\s+Operations\s+Command"
                   r"|(?:Operation\s+)?Deterrence\s+of\s+Aggression"
                   r"|(?:mercenaries|factions|militias)\s+of\s+(?:the\s+)?Turkish\s+occupation"
                   r"|(?:Turkish|Turkey|Ankara)[- ]backed\s+mercenaries|occupation\s+mercenaries"
                   r"|(?:Turkey|Ankara)['’]s\s+(?:proxies|proxy\s+forces|allied\s+factions)"
                   r"|Sham\s+Front|Hurras\s+al[- ]Din|Turkistan\s+Islamic\s+Party"
                   r"|(?:Islamic\s+|Islamist\s+|Syrian\s+|moderate\s+|armed\s+|opposition\s+)?rebel(?:s|\s+"
                   + _ARMED + r")?"
                   r"|Islamists?(?:\s+(?:battalions|groups|militants|factions|rebels))?"
                   r"|(?:armed\s+|Syrian\s+)?opposition(?:\s+" + _ARMED + r")?|insurgents|revolutionaries"
                   r"|anti[- ](?:Assad|regime|government)\s+" + _ARMED +
                   r"|(?:armed\s+)?" + _ARMED + r"\s+(?:(?:opposed|hostile)\s+to|opposing|fighting)\s+(?:the\s+)?"
                   r"(?:(?:President\s+)?(?:Bashar\s+)?al[- ])?(?:Assad|regime|government|Damascus)"
                   r"(?:['’]s\s+(?:regime|government|rule))?)"
                   r"|non-state\s+armed\s+groups"  # the UN's name for the armed opposition
                   r"|\b(?:FSA|SNA|NSA|HTS|NLF|TFSA|NSAGs?)\b"),
    ("islamic-state", r"(?i:Islamic\s+State(?:\s+of\s+Iraq\s+and\s+(?:the\s+Levant|al[- ]Sham|Syria))?"
                      r"|(?:soldiers|fighters|lions)\s+of\s+the\s+caliphate|caliphate\s+(?:soldiers|fighters)"  # Amaq
                      r"|Daesh|Da['’]esh|Takfiri\s+ISIL)|\b(?:ISIS|ISIL|IS)\b"),
    ("government", r"(?i:Syrian\s+Arab\s+Army|Syrian\s+(?:Government|army|regime|government\s+" + _ARMED + r"|"
                   + _ARMED + r"|military|Army\s+troops)"
                   r"|government(?:[- ](?:backed|allied|loyal))?\s+" + _ARMED + r"|pro[- ](?:Assad|regime|government)"
                   r"(?!\s+media)(?:\s+(?:military\s+)?" + _ARMED + r"|\s+gunmen)?"
                   r"|Assad(?:['’]s)?\s+(?:army|regime|loyalists|" + _ARMED + r")|regime(?:['’]s)?\s+" + _ARMED +
                   r"|regime|loyalists?(?:\s+" + _ARMED + r")?"
                   r"|(?:Russian|Russia|Moscow)[- ](?:backed|supported|allied)\s+(?:Syrian\s+)?" + _ARMED +
                   r"|(?:Iran(?:ian)?|Tehran)[- ](?:backed|supported|allied)\s+" + _ARMED +
                   r"|National\s+Defen[cs]e\s+(?:Forces|Army)|Tiger\s+Forces|Republican\s+Guard|Desert\s+Hawks"
                   r"|(?:4th|Fourth|5th|Fifth)\s+(?:Armou?red\s+)?(?:Division|Corps|Legion)|Hezbollah|Hizbullah"
                   r"|(?:(?:25th|Twenty-fifth)\s+)?Special\s+(?:Mission|Tasks)\s+Forces(?:\s+Division)?"
                   r"|(?:25th|Twenty-fifth)\s+Division|(?:Iran['’]s\s+)?(?:Islamic\s+)?Revolutionary\s+Guards?"
                   r"|state\s+(?:security\s+)?(?:forces|troops|units)"
                   r"|Hizballah|Fatemiy?oun|Zainabiy?oun|Liwa\s+al[- ]Quds|Quds\s+Brigade|Ba['’]?ath\s+Brigades?"
                   r"|Syrian\s+Army|the\s+army\b(?!\s+of\s+(?:Conquest|Islam|Revolutionaries|the\s+Mujahideen))"
                   r"|the\s+(?:Syrian\s+)?state\b(?!['’]?s?\s+(?:media|news|TV|television|agency|broadcaster))"
                   r"|the\s+government\b(?!['’]s\s+(?:critics|opponents|enemies))"
                   r"|Assad\s+forces|Damascus\s+forces"
                   r"|(?:forces|troops|army|soldiers|militias?|fighters|gunmen|units|militiamen)\s+(?:of|loyal\s+to)\s+"
                   r"(?:the\s+)?(?:Assad|regime"
                   r"|Syrian\s+(?:government|regime)|Damascus|government))"
                   r"|Government\s+of\s+Syria(?:\s+\(GoS\))?\s+forces"  # the UN's name for them
                   r"|\b(?:SAA|NDF|NDA|IRGC|GoS)\b"),
    ("kurdish-led", r"(?i:Syrian\s+Democratic\s+Forces|(?:People|Popular|Women)['’]?s?\s+Protection\s+Units"
                    r"|Asayi?sh|Assayi?sh|Asayesh|Kurdish[- ](?:led|dominated|majority)(?:\s+(?:Syrian\s+Democratic\s+"
                    r"Forces|alliance|coalition|group|" + _ARMED + r"))?"
                    r"|(?:Syrian\s+)?Kurdish\s+(?:YPG|People|" + _ARMED + r"|Protection\s+Units|rebels|guerrillas"
                    r"|insurgents)"
                    r"|Kurds|Sutoro|Syriac\s+Military\s+Council|Khabur\s+Guards|Manbij\s+Military\s+Council"
                    r"|Deir\s+(?:ez|al|el)[- ]Zou?r\s+Military\s+Council|(?:al[- ])?Bab\s+Military\s+Council"
                    r"|Jaa?[iy]sh\s+al[- ]Thuwar|Army\s+of\s+Revolutionaries|Self[- ]Defen[cs]e\s+Forces"
                    r"|(?:U\.?S\.?|American|Washington|coalition)[- ](?:backed|led|allied|supported)\s+"
                    r"(?:Syrian\s+Democratic\s+Forces|SDF"
                    r"|(?:Kurdish(?:[- ]led)?\s+)?"
                    + _ARMED + r"))"
                    r"|\b(?:YPG|YPJ|SDF|MFS|PYD|QSD|HPG|PKK)\b"),  # PKK: Turkish usage for the YPG/SDF
    ("turkey", r"(?i:Turkish(?=\s+and\s+[\w-]+\s+" + _ARMED + r")|Turkish\s+occupation\s+(?:army|forces|troops)"
               # Kurdish outlets' "the occupation army" (not Israel's or the US's, named so)
               r"|(?<!Israeli\s)(?<!US\s)(?<!U\.S\.\s)(?<!American\s)\boccupation\s+(?:army|forces|troops)"
               r"|Turkish\s+(?:army|forces|military|troops|armed\s+forces|soldiers|jets|warplanes|artillery"
               r"|drones?|tanks|special\s+forces|commandos|General\s+Staff)|Turkish\s+Armed\s+Forces|Turkey['’]s\s+(?:army|military"
               r"|forces|troops))|\b(?:TAF|TSK)\b"),  # TSK: the Turkish armed forces' own initials
    ("other", r"(?i:tribal\s+(?:armed\s+)?" + _ARMED + r"|tribes(?:men)?|clan\s+" + _ARMED + r"|Druze\s+(?:armed\s+)?"
              + _ARMED + r")"),
)

_ACTORS = re.compile(
    r"(?<![\w-])(?:" + "|".join(f"(?P<g{i}>{pattern})" for i, (_, pattern) in enumerate(LEXICON)) + r")(?![\w])"
)
_SIDE_OF_GROUP = {f"g{i}": side for i, (side, _) in enumerate(LEXICON)}

# Words that name an armed party without saying which: the report's own use decides (`generic_side`).
STATE_GENERIC = re.compile(r"(?i)(?<![\w-])(?:(?:the\s+)?army|troops|soldiers|military|armed\s+forces)(?![\w-])")
NONSTATE_GENERIC = re.compile(
    r"(?i)(?<![\w-])(?:militants|jihadists?|terrorists?|extremists|gunmen|insurgents)(?![\w-])")


@dataclass(frozen=True, slots=True)
class Mention:
    """An actor named in a sentence, with where it stands."""

    text: str
    side: str
    start: int
    end: int


@lru_cache(maxsize=4096)
def find_actors(sentence: str) -> tuple[Mention, ...]:
    """Every actor mention in the sentence, left to right (cached: each step asks for the same sentence)."""
    return tuple(
        Mention(m.group(0), _SIDE_OF_GROUP[m.lastgroup or ""], m.start(), m.end())
        for m in _ACTORS.finditer(sentence)
    )


def side_of(text: str) -> str | None:
    """The side a short actor phrase names, or None when the lexicon does not know it."""
    found = find_actors(text)
    return found[0].side if found else None


def report_sides(text: str) -> Counter[str]:
    """How often the report names each side: decides what its generic words ("the militants") mean and
    who acted where a sentence names no one. "The army", "troops" count for the government unless part of
    a named mention ("Turkish troops")."""
    named = find_actors(text)
    sides = Counter(m.side for m in named)
    for m in STATE_GENERIC.finditer(text):
        if not any(n.start <= m.start() < n.end for n in named):
            sides["government"] += 1
    return sides


def generic_side(phrase: str, sides: Counter[str]) -> str | None:
    """The side a generic phrase means in this report: "troops"/"the army" are the government's unless the
    phrase says whose; "militants"/"jihadists" are the non-state side the report names most (IS before
    the rebels when both are named equally)."""
    if STATE_GENERIC.search(phrase):
        return "government"
    if NONSTATE_GENERIC.search(phrase):
        ranked = [s for s, _ in sides.most_common() if s in ("islamic-state", "opposition")]
        return ranked[0] if ranked else None
    return None
