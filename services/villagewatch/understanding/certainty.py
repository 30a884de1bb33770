"""How sure the text is of a claim: confirmed, claimed (one party's word) or unverified (doubted)."""

from __future__ import annotations

import re

from villagewatch.understanding.actors import find_actors
from villagewatch.understanding.text import Caseless, has_any, lowered

DOUBT = Caseless(
    r"\b(?:could\s+not\s+(?:be\s+)?(?:independently\s+)?(?:verif|confirm)\w*|(?:has|have|had)\s+not\s+been\s+"
    r"(?:independently\s+)?(?:confirmed|verified)|not\s+(?:been\s+)?(?:independently\s+)?(?:confirmed|verified)"
    r"|unconfirmed|unverified|cannot\s+(?:be\s+)?(?:verif|confirm)\w*|denied|denies|deny(?:ing)?|rumou?rs?)\b"
)
PARTISAN = Caseless(
    r"\b(?:(?:pro[- ](?:Assad|regime|government|Turkish|Kurdish)|regime[- ](?:aligned|affiliated|run)"
    r"|government[- ](?:aligned|run)|state[- ]run)\s+(?:media|sources|outlets|channels|television|TV)"
    r"|according\s+to\s+(?:a\s+)?(?:military|security)\s+sources?|military\s+sources?\s+(?:in|said|told|reported)"
    r"|state\s+(?:media|television|TV|news)|SANA|(?:claimed|claims|claiming|alleged(?:ly)?|reportedly)"
    r"|announced\s+(?:its|their)\s+control|spokes(?:man|woman|person)|media\s+(?:office|center|centre)|statement"
    r"|(?:YPG|SDF|SAA|SNA|IS|ISIS)\s+(?:fighter|commander|source|official)s?\s+(?:told|said))\b"
)
CONFIRM = Caseless(
    r"\b(?:confirmed|verified|activists?|local\s+sources|residents?|eyewitness(?:es)?|Syrian\s+Observatory"
    r"|SOHR|Observatory|monitor(?:ing\s+group)?|independent\s+sources?)\b"
)

_DOUBT_WORDS = ("not", "unconfirmed", "unverified", "deni", "deny", "rumo")  # one in each form of DOUBT
_INDEPENDENT = (r"(?:activists?|local\s+sources|residents|(?:eye)?witness(?:es)?|Syrian\s+Observatory|SOHR"
                r"|monitoring\s+group|war\s+monitor)")
# An independent voice anywhere in the report, or the losing side's own admission (a party conceding a loss
# speaks against its interest: the strongest word a side gives).
CONFIRMED_ELSEWHERE = Caseless(
    r"\b(?:confirmed\b|(?:activists?|local\s+sources)\s+(?:told|said|reported|confirmed)"
    r"|(?:Syrian\s+Observatory(?:\s+for\s+Human\s+Rights)?|SOHR|monitoring\s+group)[^.;]{0,60}?\b"
    r"(?:said|reported|confirmed|told)"
    r"|(?:backed|corroborated|confirmed)\s+by\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,2}" + _INDEPENDENT +
    r"|(?:official\s+)?admission\s+that|admitted\s+(?:that|the\s+loss)|acknowledged\s+(?:that|the\s+loss)"
    r"|conceded\s+(?:that|the\s+loss))")

# Hedged and unattributed: the outlet does not state the change as fact ("were reported to have been driven
# out", "is said to have fallen"). Read in the claim's own sentence only.
HEDGE = Caseless(r"\b(?:(?:is|are|was|were|has\s+been|have\s+been)\s+(?:reported(?:ly)?|said|believed|rumou?red"
                 r"|thought)\s+to\s+(?:have\s+)?|unconfirmed\s+reports|reports\s+(?:said|say|suggest(?:ed)?)\b)")

# A source named before and referred back to ("according to the sources", "the same source added"): its voice
# is the one that named it (QUOTE_REACH sentences back).
SOURCE_AGAIN = Caseless(r"\b(?:according\s+to\s+(?:the\s+)?(?:same\s+)?sources?\b|the\s+(?:same\s+)?sources?\s+"
                        r"(?:said|says|added|told|reported|stated)\b)|^\s*(?:They|He|She)\s+(?:also\s+)?(?:added|said"
                        r"|stated|noted)\b")  # "They added that ...": the speakers of the sentence before


# A party's voice in the sentence: "according to the regime", "Captain X said", "a source at the 25th Division".
SPEAKER = Caseless(
    r"\baccording\s+to\s+(?:the\s+)?(?:regime|government|army|(?:Syrian\s+)?(?:Arab\s+)?Army|YPG|SDF|FSA|SNA|ISIS|IS"
    r"|Islamic\s+State|Turkish|rebels?|opposition|Kurdish|pro-)"
    r"|\b(?:Captain|Capt\.|Colonel|Col\.|Brigadier|General|Gen\.|Major|Lieutenant|Lt\.|commander|officer|official"
    r"|militiaman|fighter)\b[^.;]{0,80}?\b(?:said|says|told|stated|added|claimed)\b"
    r"|\bsources?\s+(?:at|in|from|within)\s+(?:the\s+)?[^.;]{0,40}?\b(?:Division|Brigade|Corps|Regiment|army|forces"
    r"|command|ministry)\b"
    r"|\b(?:military|field|security|army)\s+(?:source|commander|official)s?\b"
    r"|\b(?:rebel|opposition|Kurdish|regime|government|loyalist|SDF|YPG|jihadist|Islamic\s+State|IS|Turkish"
    r"|Russian|Iranian)\s+(?:sources?|media|outlets?|officials?|commanders?|spokes\w+|statements?)\b"
    r"|\b(?:Defen[cs]e\s+Ministry|Ministry\s+of\s+(?:National\s+)?Defen[cs]e|General\s+Staff|Reconciliation\s+Cent(?:er|re)"
    r"|General\s+Command)\b"
)

# Outlets that speak for a side (a party's or an allied state's own organs), as the report's SOURCE
# names them: a change they report for their own side is that side's claim unless the report names an
# independent confirmation.
OUTLET_SIDES: tuple[tuple[str, frozenset[str]], ...] = (
    (r"\bSANA\b|Syrian\s+Arab\s+News|Syrian\s+(?:state\s+)?(?:TV|television)|Ikhbariya",
     frozenset({"government"})),
    (r"\bHawar\b|\bANHA\b|SDF\s+Press|Ronahi|YPG\s+Press|Kurdistan\s+24", frozenset({"kurdish-led"})),
    (r"Anadolu|\bTRT\b",
     frozenset({"turkey", "opposition"})),
    (r"\bEbaa\b|Amjad", frozenset({"opposition"})),  # HTS's own agencies (independent opposition media are not)
    (r"\bAmaq\b|Nashir|Al[- ]Naba", frozenset({"islamic-state"})),
)


# A source that says whose it is ("Telegram channel X (pro-opposition)", "IS-affiliated news channel"): read only in
# the report's SOURCE, where it describes the outlet (in a sentence "pro-government militias" are fighters).
_DECLARED = (
    (r"\bpro[- ](?:government|regime|Assad|Damascus)\b", "government"),
    (r"\bpro[- ](?:opposition|rebels?|revolution)\b", "opposition"),
    (r"\bpro[- ](?:Kurdish|SDF|YPG)\b", "kurdish-led"),
    (r"\bpro[- ](?:Turkish|Turkey|Ankara)\b", "turkey"),
    (r"\b(?:IS|ISIS|ISIL|Islamic\s+State)[- ](?:affiliated|linked|run)\b|\bpro[- ](?:IS|ISIS)\b", "islamic-state"),
)


def declared_sides(source: str | None) -> frozenset[str]:
    """The side a report's SOURCE line says the outlet speaks for, if it says one."""
    found = {side for pattern, side in _DECLARED if source and re.search(pattern, source, re.IGNORECASE)}
    return frozenset(found) if len(found) == 1 else frozenset()


def outlet_sides(source: str | None) -> frozenset[str]:
    """The sides whose claims the outlet carries (empty for an independent outlet or an unknown one)."""
    for pattern, sides in OUTLET_SIDES:
        if source and re.search(pattern, source, re.IGNORECASE if pattern.islower() else 0):
            return sides
    return frozenset()


# A quote closed by its speaker's pronoun ("..." he said): the speaker is the one a sentence before named.
QUOTE_BY_PRONOUN = Caseless(r"[”\"]\s*,?\s*(?:he|she|they)\s+(?:said|added|told|stressed|noted|explained)\b"
                            r"|^\s*[“\"]")


_SPEECH_AFTER = re.compile(
    r"(?:\s*\([^()]{1,20}\))?"  # its abbreviation first: "The Syrian National Army (SNA) announced"
    r"\s*(?:(?:has|have|had|also|later|officially|on\s+\w+day|\w+ly)\s+){0,3}"
    r"(?:said|says|say|announced|announces|announce|claimed|claims|claim|declared|declares|stated|reported"
    r"|confirmed|told)\b"
    r"|['’]s?\s+(?:media\s+(?:office|center|centre|wing)|press\s+(?:office|centre|center)|general\s+command"
    r"|official\s+(?:website|account|channel)|Telegram|statement|spokes\w+)", re.IGNORECASE)
_PARTY_CHANNEL = Caseless(r"\b(?:in\s+a\s+statement|media\s+(?:office|center|centre|wing)|press\s+(?:office|centre"
                          r"|center)|general\s+command|official\s+(?:website|Telegram|channel)|Telegram\s+channel"
                          r"|operations\s+room"  # a side's joint command: "the operations room announced"
                          # a party's own statement in the first person: "our fighters liberated A"
                          r"|our\s+(?:heroic\s+|brave\s+)?(?:forces|fighters|units|troops|army|men|heroes|mujahideen))\b")


# What contradicts a claim of capture: the place still held, fighting still inside, the attack repelled.
_REFUTING = Caseless(
    r"\b(?:(?:remain(?:s|ed)?|still)\s+(?:firmly\s+)?(?:held|holding|hold|in\s+(?:their|its|\w+)\s+hands|in\s+the\s+hands"
    r"\s+of|under\s+[\w\s-]{0,30}?control|in\s+(?:full\s+)?control)|fighting\s+(?:was\s+|is\s+|were\s+)?still\s+"
    r"(?:raging|going\s+on|continuing|under\s+way)|(?:attack|assault|offensive)\s+(?:had\s+been|was|has\s+been)\s+"
    r"repelled|repell(?:ed|ing)\s+the\s+(?:attack|assault)|(?:were|was)\s+driven\s+back|claims?\s+(?:was|were)\s+"
    r"(?:false|untrue|baseless)|denied\s+(?:this|it|the\s+(?:claims?|reports?|news))"
    r"|(?:has|have|had)\s+not\s+(?:yet\s+)?(?:been\s+)?(?:captured|taken|seized|fallen|entered|lost|driven\s+out)"
    r"|fighting\s+(?:is|was)\s+(?:still\s+)?(?:continuing|going\s+on|raging)\s+inside)")
_INDEPENDENT_VOICE = Caseless(r"\b(?:Syrian\s+Observatory|Observatory|SOHR|monitor(?:ing\s+group)?|activists?"
                              r"|residents?|local\s+sources|(?:eye)?witnesses)\b")


def refuted(text: str) -> bool:
    """Whether an independent voice in `text` (the claim's sentence and the next) contradicts a claim of
    capture: "..., but the Observatory said government forces still held it"."""
    return bool(_REFUTING.search(text)) and bool(_INDEPENDENT_VOICE.search(text))


def party_voice(sentence: str) -> bool:
    """Whether one party speaks in the sentence: PARTISAN or SPEAKER cues, a party's channel ("in a
    statement", "media office"), a side's own organ named (OUTLET_SIDES), or a side named as the one
    speaking ("The SDF said ...")."""
    if PARTISAN.search(sentence) or SPEAKER.search(sentence) or _PARTY_CHANNEL.search(sentence):
        return True
    if outlet_sides(sentence):  # "according to Anadolu Agency", "state television said": a party's organ
        return True
    return any(_SPEECH_AFTER.match(sentence, m.end) for m in find_actors(sentence))


def doubts(sentence: str) -> bool:
    """Whether the sentence voices doubt about what it reports (DOUBT)."""
    return has_any(lowered(sentence), _DOUBT_WORDS) and DOUBT.search(sentence) is not None


# A denial in a relative clause denies what its own sentence says just before: "The government accused Turkey of
# letting fighters cross, which Ankara denied" casts no doubt on a capture told a sentence earlier.
_RELATIVE_DENIAL = Caseless(r",?\s*(?:which|something|a\s+charge|an\s+accusation)\s+(?:\w+\s+){0,4}?(?:denied|denies|"
                            r"has\s+denied|had\s+denied)\b")


def doubts_later(sentence: str) -> bool:
    """Whether a sentence after a claim voices doubt about it: DOUBT, less denials of the sentence's own words."""
    return doubts(_RELATIVE_DENIAL.sub("", sentence))


def certainty(sentence: str, doubted: bool, confirmed_elsewhere: bool,
              party_spoke_before: bool = False) -> tuple[str, bool]:
    """(certainty, verified) of a claim made in `sentence`; `doubted` says whether it or one of the next two
    sentences voices doubt (DOUBT), `confirmed_elsewhere` whether the report names an independent
    confirmation anywhere, `party_spoke_before` whether one of the two sentences before gave a party's voice
    (the speaker of a quote that ends "he said", or of "according to the sources").

    Explicit doubt near the claim, or a hedge in its sentence, wins; a partisan-only claim stays unverified
    unless the report names an independent confirmation; otherwise the outlet states it as fact.
    """
    if doubted or HEDGE.search(sentence):
        return "unverified", False
    quoted = party_spoke_before and bool(QUOTE_BY_PRONOUN.search(sentence) or SOURCE_AGAIN.search(sentence))
    if party_voice(sentence) or quoted:
        if confirmed_elsewhere or CONFIRM.search(sentence):
            return "confirmed", True
        return "claimed", False
    return "confirmed", True

