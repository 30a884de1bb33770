"""Who: the side that took a place and the side that lost it, from the parse and, where the sentence does not
say, from what the report said before (`Reading`): a subject through conjunctions, relative clauses and
causatives, a pronoun by its speaker or the last side that acted, a generic word by the report's use, the
headline's side, the one other side the report names."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from villagewatch.understanding import lexicon as lx
from villagewatch.understanding.actors import (
    NONSTATE_GENERIC,
    STATE_GENERIC,
    Mention,
    find_actors,
    generic_side,
    side_of,
)
from villagewatch.understanding.certainty import outlet_sides
from villagewatch.understanding.mentions import NameSpan
from villagewatch.understanding.parsing import Token, dep_children, prep_object, sentence_of, span_text

_HELD = re.compile(r"(?i)\b([\w’'-]+?)-(?:held|controlled|occupied|dominated)\b")
_PRONOUNS = frozenset({"they", "it", "we", "he", "she", "them", "their", "its", "our", "who", "which", "that"})


# A government named by its capital or its country, as a speaker ("Damascus said its forces ...", "Turkey says it
# has captured A", "Turkey's defence ministry said its forces ...").
_CAPITALS = {"damascus": "government", "ankara": "turkey", "syria": "government", "turkey": "turkey"}
# Verbs whose object does what the infinitive after them says ("forced IS to withdraw").
_CAUSATIVE = frozenset({"force", "compel", "oblige", "make", "cause", "prompt", "push", "drive", "lead", "order"})
# Passive verbs of report that lend their subject to the verb after them: "A is said to have fallen".
_RAISING = frozenset({"say", "report", "believe", "think", "understand", "know", "rumour", "rumor", "claim"})


@dataclass
class Reading:
    """What earlier sentences of the report tell this one: which sides it names, the last actor, the
    village "the village" refers to, the sides the title names."""

    sides: Counter[str] = field(default_factory=Counter)
    last_side: str | None = None
    last_village: NameSpan | None = None
    title_side: str | None = None
    deal: bool = False  # the report speaks of a deal or a handover: "entered A" is taking it over
    by_noun: dict[str, str] = field(default_factory=dict)  # "groups" -> the side "anti-regime groups" named
    last_speaker: str | None = None  # the side whose sources or spokesmen spoke last ("X's sources said")
    here: NameSpan | None = None  # the one place the sentence's last candidate read: "A ..., but X retook the town"
    took_from: dict[str, str] = field(default_factory=dict)  # side -> whom it last took a place from
    previous: str = ""  # the sentence before: "the town" may mean the one place it named


def owner_in(token: Token) -> Token | None:
    """The side inside "the hands of X" / "the control of X" / "X control" / "X's control"."""
    for t in token.subtree:
        if t.lemma_.lower() in ("hand", "control", "grip", "rule"):
            return control_owner(t)
    return token


def control_owner(token: Token) -> Token | None:
    of = prep_object(token, "of")
    if of is not None:
        return of
    mods = [c for c in token.children if c.dep_ in ("poss", "compound", "amod", "nmod")]
    return mods[0] if mods else None


_SUBORDINATORS = frozenset({"after", "before", "as", "until", "since", "when", "while", "once"})


def _subordinate_subject(verb: Token) -> Token | None:
    """The subject of "after X left A" that the parser made the object of "after" (and the clause's verb an
    adverbial of the main verb): the noun right before the verb, when it hangs on such a subordinator."""
    if verb.dep_ != "advcl" or verb.i == 0:
        return None
    noun = verb.doc[verb.i - 1]
    while noun.dep_ == "conj" and noun.head.i < noun.i:  # "the convoy of fighters and their families left"
        noun = noun.head
    if noun.pos_ in ("NOUN", "PROPN") and noun.dep_ == "pobj" and noun.head.lower_ in _SUBORDINATORS:
        return noun
    return None


def subject_of(verb: Token) -> Token | None:
    """The doer of a verb: its subject, the subject of the verb it is joined to ("advanced and captured"),
    the noun a relative clause hangs on ("forces, which captured"), the controller of "managed to take"."""
    seen = 0
    while verb is not None and seen < 4:
        seen += 1
        subj = dep_children(verb, "nsubj")
        if subj:
            s = subj[0]
            if s.lower_ in ("which", "who", "that") and verb.dep_ == "relcl":
                return verb.head
            return s
        if verb.dep_ == "relcl" or (verb.dep_ == "acl" and verb.tag_ == "VBG"):
            return verb.head
        made = dep_children(verb.head, "dobj", "nsubjpass")
        if verb.dep_ in ("xcomp", "ccomp") and verb.head.lemma_.lower() in _CAUSATIVE and made:
            return made[0]  # "the army forced IS to retreat from A": IS retreated
        if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in _RAISING and made:
            return made[0]  # "rebels are said to have captured A": the rebels captured it
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in ("VERB", "AUX"):
            verb = verb.head.head  # "X advanced after capturing A": X captured it
            continue
        missed = _subordinate_subject(verb)
        if missed is not None:
            return missed
        if verb.dep_ in ("conj", "xcomp", "advcl", "ccomp", "acomp") and verb.head is not verb:
            verb = verb.head
            continue
        return None
    return None


def head_side(token: Token) -> str | None:
    """The side named by a phrase up to its head word ("the village" of "the village of A of IS": none)."""
    return side_of(sentence_of(token)[token.left_edge.idx : token.idx + len(token.text)])


def side_free(token: Token) -> str | None:
    return side_of(span_text(token))


def actor_side(token: Token, reading: Reading) -> str | None:
    """The side of the actor phrase at token: named (lexicon), generic (the report's use), or referred to."""
    text = span_text(token)
    mentions = find_actors(text)
    if mentions:
        return _head_mention(text, mentions, token)
    if token.dep_ == "attr" and token.head.lemma_.lower() == "be":
        subject = dep_children(token.head, "nsubj")
        if subject:  # "IS militants have been the forces to retreat": the copula's subject
            return actor_side(subject[0], reading)
    start = token.left_edge.idx
    cut = [m for m in find_actors(sentence_of(token)) if start <= m.start < start + len(text)]
    if cut:  # a name the tokenizer split ("Fighters from Jaysh al" + "-Islam"): the mention that starts inside
        return cut[0].side
    if token.dep_ in ("compound", "amod", "poss", "nmod") or token.head.lemma_.lower() in lx.CONTROL_NOUNS:
        named = side_of(text + " forces")  # "government control", "rebel hands": the side as an adjective
        if named:
            return named
    if token.lower_ in ("we", "our", "us"):  # a quote: the speaker named after it
        text = sentence_of(token)
        close = max(text.rfind("”"), text.rfind('"'))
        after = text[close:] if close > token.idx else ""
        speaker = find_actors(after)
        if speaker:
            return speaker[0].side
        voiced = outlet_sides(after) or ({"government"} if STATE_GENERIC.search(after) else set())
        if len(voiced) == 1:  # "an army statement broadcast on state TV said"
            return next(iter(voiced))
    if token.lower_ in _PRONOUNS or token.tag_ in ("PRP", "PRP$"):
        clause = token.head if token.dep_ != "poss" else token.head.head  # "its forces had captured": the verb
        if clause.dep_ == "ccomp" and clause.head.lemma_.lower() in lx.SPEECH_VERBS:
            speaker = dep_children(clause.head, "nsubj")
            if not speaker and clause.head.dep_ == "acl":  # "the militants confirmed" misread as a reduced relative
                speaker = [clause.head.head]
            said_by = span_text(speaker[0]) if speaker else ""
            side = side_of(said_by) or _CAPITALS.get(re.split(r"['’]s\b", said_by.lower(), maxsplit=1)[0].strip())
            if side:
                return side  # "The rebels said they retook A": the speaker
        return reading.last_side
    for conj in dep_children(token, "conj"):
        side = side_of(span_text(conj))
        if side:
            return side
    owner = [c for c in token.children if c.dep_ == "poss" and c.tag_ == "PRP$"]
    if owner:  # "its troops", "their fighters": whose the pronoun says, before what "troops" alone means
        side = actor_side(owner[0], reading)
        if side:
            return side
    generic = generic_side(text, reading.sides)
    if generic is None and token.lemma_.lower() in lx.ARMED_NOUNS:  # "the groups": the last "X groups" named,
        last = reading.last_side  # else the side last named (never the state for "militants")
        if last == "government" and NONSTATE_GENERIC.search(text):
            last = None
        return reading.by_noun.get(token.lower_) or last
    return generic


def _head_mention(text: str, mentions: tuple[Any, ...], token: Token) -> str:
    """The mention that names the phrase's head ("Kurdish forces backed by US jets" -> Kurdish forces)."""
    head_at = token.idx - token.left_edge.idx
    for m in mentions:
        if m.start <= head_at < m.end + 1:
            return m.side
    named = [m for m in mentions if not _LINKED.search(m.text)]  # "the al-Qaeda-linked ISIL": ISIL names it
    return (named or mentions)[0].side


_LINKED = re.compile(r"(?i)[- ](?:linked|affiliated|inspired|backed|allied|supported)$")


def report_side(reading: Reading, loser: str | None) -> str | None:
    """The side the report is about when the sentence names none: its headline's, else the one it names
    most (never the side that lost)."""
    if reading.title_side and reading.title_side != loser:
        return reading.title_side
    ranked = [side for side, _ in reading.sides.most_common() if side != loser]
    return ranked[0] if ranked else None


def opponent_of(reading: Reading, new: str | None) -> str | None:
    """The one other side the report names: who the place was taken from, when the sentence does not say
    (a report about two sides fighting); None when it names several."""
    others = [side for side in reading.sides if side not in (new, "other") and frozenset({side, new}) not in ALLIES]
    return others[0] if len(others) == 1 else None


# Sides that fought on one front, never taking a place from each other: Turkey's army and the rebels it backs.
ALLIES = frozenset({frozenset({"turkey", "opposition"})})


def main_enemy(reading: Reading, side: str) -> str | None:
    """The side the report names most that is neither `side` nor its ally."""
    return next((s for s, _ in reading.sides.most_common()
                 if s not in (side, "other") and frozenset({s, side}) not in ALLIES), None)


def other_side(sentence: str, loser: str | None) -> str | None:
    """The one side, other than the loser, the sentence names (who took what the loser left)."""
    others = {m.side for m in find_actors(sentence) if m.side != loser}
    return others.pop() if len(others) == 1 else None


# Before a side's name, what makes it the taker's ally, never the loser: "backed by X", "with support from X".
_ALLY_BEFORE = re.compile(r"(?i)(?:(?:backed|supported|assisted|aided|accompanied|helped|joined)\s+by"
                          r"|(?:support|cover|help)\s+(?:from|of)|alongside|together\s+with)"
                          r"\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}$")


def previous_side(verb: Token, place: Token | None, sentence: str, new: str | None) -> str | None:
    """The side that lost: "from X", an "X-held" place, or the one other side the sentence names that is no
    ally of the taker ("X, backed by Y, took A": not Y)."""
    marked = marked_previous(verb, sentence, new)
    if marked:
        return marked
    others = {m.side for m in find_actors(sentence) if m.side != new and frozenset({m.side, new}) not in ALLIES
              and not _ALLY_BEFORE.search(sentence, max(0, m.start - 40), m.start)}
    return others.pop() if len(others) == 1 else None


def marked_previous(verb: Token, sentence: str, new: str | None) -> str | None:
    """The side that lost as the sentence marks it: "from X", an "X-held" place."""
    source = prep_object(verb, "from")
    if source is not None:
        side = side_of(span_text(source))
        if side and side != new:
            return side
    for h in _HELD.finditer(sentence):
        side = side_of(h.group(1))
        if side and side != new:
            return side
    return None


_ALLY_OR_OPPONENT = re.compile(
    r"(?i)(?:backed|supported|led|assisted|aided|joined|accompanied|by|with|against|from|between|on|to|of|and)"
    r"\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}$")


def actor_before(sentence: str, pos: int, reading: Reading | None = None) -> Any:
    """The nearest actor named before pos that is no ally or opponent of another ("backed by X"); else the
    last generic one ("army units") the report's use resolves."""
    for m in reversed([a for a in find_actors(sentence) if a.end <= pos]):
        if not _ALLY_OR_OPPONENT.search(sentence[max(0, m.start - 40) : m.start]):
            return m
    generic = [g for g in STATE_GENERIC.finditer(sentence, 0, pos)]
    if generic and reading is not None:
        side = generic_side(generic[-1].group(0), reading.sides)
        return Mention(generic[-1].group(0), side, generic[-1].start(), generic[-1].end()) if side else None
    return None
