"""How sure the text is of a claim: confirmed, claimed (one party's word) or unverified (doubted)."""

from __future__ import annotations

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
CONFIRMED_ELSEWHERE = Caseless(r"\b(?:confirmed\b|activists?\s+(?:told|said|reported)|local\s+sources\s+reported)")


def doubts(sentence: str) -> bool:
    """Whether the sentence voices doubt about what it reports (DOUBT)."""
    return has_any(lowered(sentence), _DOUBT_WORDS) and DOUBT.search(sentence) is not None


def certainty(sentence: str, doubted: bool, confirmed_elsewhere: bool) -> tuple[str, bool]:
    """(certainty, verified) of a claim made in `sentence`; `doubted` says whether it or one of the next two
    sentences voices doubt (DOUBT), `confirmed_elsewhere` whether the report names an independent
    confirmation anywhere.

    Explicit doubt near the claim wins; a partisan-only claim stays unverified unless the report
    names an independent confirmation; otherwise the outlet states it as fact.
    """
    if doubted:
        return "unverified", False
    if PARTISAN.search(sentence):
        if confirmed_elsewhere or CONFIRM.search(sentence):
            return "confirmed", True
        return "claimed", False
    return "confirmed", True

