"""Text handling shared by every step: cleaning, sentence splitting, name normalisation."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from villagewatch.understanding.lexicon import CONTROL_WORD_PREFIXES


def lowered(text: str) -> str:
    """Lowercase with every position kept (a rare letter whose lowercase is longer stays as it is)."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low


def has_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether the text contains one of the words, as written."""
    return any(word in text for word in words)


def Caseless(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: N802 (reads as the pattern class it was)
    """A case-insensitive pattern."""
    return re.compile(pattern, flags | re.IGNORECASE)


BOILERPLATE_LINE = Caseless(
    r"""^\s*(?:
        leave\s+a\s+(?:comment|reply)
      | \d+\s*[-−+×x*/]\s*\d+\s*=.*
      | reporting\s+by\b.*
      | source\s*:.*
      | (?:for\s+the\s+latest|follow\s+us|join\s+our).*
      | related\s+items
      | your\s+email\s+address.*
      | [•·]\s*(?:short\s+link|written\s+by).*
      | share\s+this.*
      | .*\b(?:photo|image|picture)\s*:\s*\S.*
      | .*\(?\bfile\s+photo\)?\.?
    )\s*$""",
    re.VERBOSE,
)

# Starts at the full stop itself (not after it, by lookbehind) so that `re` can skip ahead to one.
_SENTENCE_END = re.compile(r"[.!?][\"”’]?\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREV = re.compile(r"\b(?:[A-Z]|Mr|Dr|St|Gen|Lt|Col|No|U\.S|U\.K)\.$")


# How the kinds of boilerplate line begin (after blanks, lowercased), or else the words they hold: a line
# that fits none is kept without running the pattern (which is slow on long lines: it backtracks over `.*`).
_BOILERPLATE_STARTS = ("leave", "reporting", "source", "for", "follow", "join", "related", "your", "share", "•", "·")
_BLANK_LINES = re.compile(r"\n\n\n+")


def _maybe_boilerplate(line: str) -> bool:
    low = lowered(line).lstrip()
    return (low.startswith(_BOILERPLATE_STARTS) or low[:1].isdecimal()
            or (":" in low and ("photo" in low or "image" in low or "picture" in low))
            or ("file" in low and "photo" in low))


# A dateline before the first words of a story: "QAMISHLI (ANHA) - ", "RIF DIMASHQ - ", "BEIRUT: ".
DATELINE = re.compile(r"^[A-Z][A-Z'’.]{2,}(?:[ ,/-]+[A-Z][A-Z'’.]+)*"
                      r"(?:,\s*[A-Z][a-z]+(?:\s+(?:[A-Z][a-z]+|\d{1,2})){0,2})?"  # "ERBIL, Kurdistan Region", ", May 8"
                      r"(?:\s*\([^)]{1,40}\))?\s*(?:[-–—:]\s+)")


def without_dateline(sentence: str) -> str:
    """The sentence without a leading dateline (the parser reads it as the subject otherwise)."""
    return DATELINE.sub("", sentence, count=1)


def strip_boilerplate(text: str) -> str:
    """Drop page furniture (comment prompts, captchas, bylines, share links) and trailing blanks."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kept = [line for line in lines if not line or not _maybe_boilerplate(line) or BOILERPLATE_LINE.match(line) is None]
    return _BLANK_LINES.sub("\n\n", "\n".join(kept)).strip()


_HASHTAG = re.compile(r"#([A-Za-z][\w’'-]*)")
_ARTICLE_TAG = re.compile(r"(?i)(?:^|(?<=_))(al|el|ad|ar|as|ash|at|an|az|ez|es|ed|er|et|esh|ul)_")


def plain_hashtags(text: str) -> str:
    """Tagged names read as names: channels write places as "#Kafr_Nabuda", "#al_Hamamiyat"."""
    return _HASHTAG.sub(lambda m: _ARTICLE_TAG.sub(r"\1-", m.group(1)).replace("_", " "), text)


_SYMBOLS = re.compile("[\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff\u25a0-\u27bf\u2900-\u297f\u2b00-\u2bff"
                      "\U0001f000-\U0001faff\ufe0f\u200d]+")


def without_symbols(text: str) -> str:
    """Emoji, arrows and bullet shapes out (channel posts): the parser takes "✅" or "🔸" for a word."""
    return _SYMBOLS.sub(" ", text)


def sentences(text: str) -> list[str]:
    """Split into sentences: paragraph breaks always, '. X' unless the dot ends an abbreviation."""
    out: list[str] = []
    for para in _paragraphs(text):
        start = 0
        for m in _SENTENCE_END.finditer(para):
            piece = para[start : m.start() + 1]
            if _ABBREV.search(piece.rstrip("\"”’")):
                continue
            out.append(piece.strip())
            start = m.end()
        tail = para[start:].strip()
        if tail:
            out.append(tail)
    return out


LIST_ITEM_MAX = 60  # a line this short, without a full stop, after a line ending in ":" is an item of its list
_ENDS_SENTENCE = (".", "!", "?", ":", "\"", "”", "’", "'", ";")


_RUNS_ON = frozenset({"and", "of", "the", "to", "from", "in", "as", "by", "with", "including", "villages", "towns"})


def _paragraphs(text: str) -> list[str]:
    """Lines joined into paragraphs: a line that does not end a sentence runs on into the next (wrapped
    text), and the short lines after one that ends in ":" are the items of its list ("are: A, B, C")."""
    lines = [" ".join(line.split()) for line in text.split("\n")]
    out: list[str] = []
    in_list = False
    for line in lines:
        if not line:
            continue
        if out and in_list and len(line) <= LIST_ITEM_MAX and not line.endswith((".", ":")):
            out[-1] += (" " if out[-1].endswith(":") else ", ") + line
            continue
        in_list = line.endswith(":")
        unfinished = out and (out[-1].endswith((",", "–", "-")) or out[-1].rsplit(" ", 1)[-1] in _RUNS_ON)
        if out and not out[-1].endswith(_ENDS_SENTENCE) and (line[:1].islower() or unfinished):
            out[-1] += " " + line  # a wrapped line: the sentence goes on in lowercase, or after "and", "of", ","
            in_list = in_list or out[-1].endswith(":")
            continue
        out.append(line)
    return out


ARTICLES = {"al", "el", "ad", "ash", "as", "at", "ar", "az", "an", "ed", "es", "et", "ez", "er", "en", "ul", "a"}
TEL = {"tel", "tal", "tell", "til", "tall", "tl"}
_APOS = re.compile(r"[’‘'`ʿʾ´]")
_NON_WORD = re.compile(r"[^a-z0-9\u0600-\u06ff]+")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_AR_NORMAL = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"})
_AR_DIACRITICS = re.compile(r"[\u064b-\u0652\u0670\u0640]")


_PARENS = re.compile(r"\(.*?\)")
_VOWELS_DROPPED = str.maketrans(dict.fromkeys("aeiouy"))
_SPELLINGS = (("kh", "h"), ("gh", "g"), ("sh", "x"), ("ch", "x"), ("th", "t"), ("dh", "d"), ("q", "k"), ("ph", "f"),
              ("ou", "u"), ("ee", "i"), ("oo", "u"))


def _single(token: str) -> str:
    """The token with each run of one repeated character cut to one ("Tell" -> "Tel")."""
    out: list[str] = []
    last = ""
    for c in token:
        if c != last:
            out.append(c)
            last = c
    return "".join(out)


def fold(text: str) -> str:
    """Lowercase ASCII-ish form: accents and apostrophes (ain/hamza marks) removed."""
    text = _APOS.sub("", text)
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.lower()


def name_tokens(name: str) -> list[str]:
    """Tokens of a place name with articles dropped and Tel/Tal/Tell unified."""
    name = _PARENS.sub(" ", name)
    if _ARABIC.search(name):
        name = _AR_DIACRITICS.sub("", name).translate(_AR_NORMAL)
        return [t[2:] if t.startswith("ال") and len(t) > 3 else t for t in name.split()]
    return _name_rules([t for t in _NON_WORD.split(fold(name)) if t])


def _name_rules(tokens: list[str]) -> list[str]:
    """Articles dropped and Tel/Tal/Tell unified, except on the name's last token ("Tal Abyad", "Tell Ti")."""
    last = len(tokens) - 1
    return ["tal" if t in TEL or (t in {"te", "ti"} and i < last) else t
            for i, t in enumerate(tokens) if not (t in ARTICLES and i < last)]


@lru_cache(maxsize=65536)
def _skeleton_token(token: str) -> str:
    """Consonant skeleton of one token: what survives the many ways one Arabic name is spelled."""
    if _ARABIC.search(token) or token == "tal":
        return token
    t = token
    for a, b in _SPELLINGS:
        t = t.replace(a, b)
    if len(t) > 1 and t[-1] == "h" and t[-2] in "aeiouy":  # a final h after a vowel is silent
        t = t[:-1]
    t = _single(t)
    if not t:
        return t
    head, rest = t[0], t[1:]
    if head in "aeiou":
        head = "a"
    return head + rest.translate(_VOWELS_DROPPED)


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Readable normalised name: articles dropped, Tel unified, doubled letters collapsed."""
    return " ".join(_single(t) for t in name_tokens(name))


@lru_cache(maxsize=65536)
def skeleton(name: str) -> str:
    """Spelling-insensitive key: 'Tel Hormuz' and 'Tal Hermez' share one."""
    return " ".join(s for s in (_skeleton_token(t) for t in name_tokens(name)) if s)


def word_tokens(word: str) -> list[str] | None:
    """The tokens `name_tokens` makes of one word of a name, before the rules for the name's last token;
    None for a word that sends the whole name another way (Arabic script, brackets)."""
    if "(" in word or ")" in word or _ARABIC.search(word):
        return None
    return [t for t in _NON_WORD.split(fold(word)) if t]


def skeleton_of_tokens(tokens: list[str]) -> str:
    """`skeleton` of a name from its words' `word_tokens`, joined: what the admin-area lookup asks of every
    run of words in a phrase, without folding each word again for each run."""
    return " ".join(s for s in map(_skeleton_token, _name_rules(tokens)) if s)


# Words a headline capitalises that are no names: function words, and the words of control, places and
# armed groups (a name keeps its capitals: "Syrian Arab Army Takes Village" -> "Syrian Arab Army takes village").
_COMMON = frozenset("""a an the of in on at to from by for with as and or but after before near over into under
out back up down off its their his her our new more two three four five six seven eight nine ten several
dozens key strategic last first second village villages town towns city cities area areas hill hills
district countryside province border forces force troops fighters units militants rebels army regime
control full complete total south north east west southern northern eastern western amid despite says
say said claims claim report reports announces announced edges closer nears eyes launches begins continues
gains makes pushes advances battles battle fight fighting offensive assault attack attacks repels kills
killed dies dead amid toward towards""".split())


def sentence_case(headline: str) -> str:
    """A title-case line with its common words lowercased, so that it parses like a sentence."""
    words = headline.split(" ")
    out = []
    for i, word in enumerate(words):
        low = word.lower()
        common = low in _COMMON or (low.startswith(CONTROL_WORD_PREFIXES) and low.isalpha())
        out.append(low if common and i > 0 and not word.isupper() else word)
    return " ".join(out)
