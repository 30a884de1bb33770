"""Control changes: who took which named place from whom, read from a dependency parse of the sentence.

Only sentences holding a control word (`lexicon.CONTROL_WORD_PREFIXES`) are parsed. In the parse each
control verb or noun is a candidate; its roles come from the grammar, not from word order:
- active "X captured A, B and C" (subject, object with its list), passive "A was captured by X",
  reduced "the villages captured by X", light verbs "X took control of A", nominals "the capture of A
  by X", "X's liberation of A";
- "X drove IS out of A", "X cleared A of IS" (the object is the side that lost), "IS withdrew from A"
  (the subject lost), "IS lost A to X", "A fell to X", "A came under X control".
A candidate is dropped, with the name of the rule, when it did not happen (negated, hypothetical,
attempted), when it is only part of a place, or when no place or no side can be named. `explain` prints
every candidate with its rule.

The parse and the questions asked of a token are in `parsing`; who took and who lost, with what earlier
sentences tell (`Reading`), in `sides`; this module reads shapes, places and the rules.
"""


from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from villagewatch.understanding import lexicon as lx
from villagewatch.understanding.actors import NONSTATE_GENERIC, find_actors, side_of
from villagewatch.understanding.certainty import outlet_sides
from villagewatch.understanding.gazetteer import get_gazetteer, lookup_key
from villagewatch.understanding.lexicon import Shape
from villagewatch.understanding.mentions import (
    NAME,
    STOP,
    NameSpan,
    clean_name,
    list_at,
    list_before,
    named_places,
    object_places,
)
from villagewatch.understanding.parsing import (
    Token,
    dep_children,
    has_name,
    is_passive,
    is_time_word,
    lemma_of,
    parse,
    particle_of,
    prep_object,
    sentence_of,
    span_text,
)
from villagewatch.understanding.sides import (
    ALLIES,
    Reading,
    actor_before,
    actor_side,
    control_owner,
    head_side,
    main_enemy,
    marked_previous,
    opponent_of,
    other_side,
    owner_in,
    previous_side,
    report_side,
    side_free,
    subject_of,
)

BACKGROUND = re.compile(
    r"(?i)\b(?:since|back\s+in\s+(?:(?:19|20)\d\d|January|February|March|April|May|June|July|August|September"
    r"|October|November|December)|with\s+the\s+loss\s+of|had\s+been\s+able|ago|previously|earlier\s+(?:this|last)\s+"
    r"(?:year|month)|last\s+(?:year|month)|in\s+(?:(?:early|late|mid-?)\s*)?(?:(?:January|February|March|April|May|June"
    r"|July|August|September|October|November|December)\s+)?(?:19|20)\d\d"
    r"|(?:a|an|the)\s+(?:19|20)\d\d\s+(?:deal|settlement|agreement|offensive|battle|campaign|operation))\b"
)  # "under a 2018 settlement": the year as an adjective dates the change before the news


_CONTROL_WORD = re.compile(r"(?i)\b(?:" + "|".join(lx.CONTROL_WORD_PREFIXES) + ")")
# Objects of "take" that are no place: "took part", "took advantage", "took refuge".
_NOT_TAKEN = frozenset({"part", "place", "step", "measure", "position", "advantage", "care", "note", "action", "refuge",
                        "shelter", "aim", "hold", "root", "effect"})


# What a side can leave without leaving the place: "evacuated their checkpoints near A".
_POSITIONS = frozenset({"checkpoint", "position", "post", "outpost", "base", "headquarters", "point", "barrack",
                        "office", "building", "trench", "line"})


# Words after an unnamed place that lead to a landmark, not to its name: "a town close to the city of A".
_LOCATIVE = frozenset({"near", "close", "outside", "around", "north", "south", "east", "west", "beside", "along",
                       "off", "overlooking", "northeast", "northwest", "southeast", "southwest", "next"})


# "A is now / back / once again under X's control": a state that says it changed.
_NOW = frozenset({"now", "back", "again", "finally", "newly"})
_DIRECTIONS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western"})
_STATE_HOLD = frozenset({"control", "embrace", "fold", "authority", "sovereignty"})
_PART_WORDS = frozenset({"partial", "part", "some", "limited", "incomplete"})  # "partial control of A"
_AIM_PREPS = frozenset({"at", "to", "for", "toward", "towards", "of"})  # "aimed at taking", "a bid for", "hopes of"


class Rule(StrEnum):
    """Why a candidate change was kept or dropped: the names `explain` prints."""

    KEPT = "kept"
    NO_CONTROL_WORD = "no-control-word"  # the sentence holds no control word: not parsed
    NEGATED = "negated"  # "did not capture", "never fell"
    HYPOTHETICAL = "hypothetical"  # "will capture", "if X takes", "could fall"
    ATTEMPTED = "attempted"  # "tried to capture", "an attempt to seize", "aimed at taking"
    PARTIAL = "partial"  # "parts of A", "the outskirts of A"
    NO_PLACE = "no-place"  # no named place in the role the verb gives
    NO_SIDE = "no-side"  # no actor (or only one the lexicon does not know) takes the place
    SAME_SIDE = "same-side"  # the new and the previous controller are the same side
    HELD = "held"  # "A, controlled by X", "occupied by X for three years": who holds it, not a change
    NOT_A_PLACE = "not-a-place"  # the name found is an actor or an adjective ("Kurdish-led", "Druze-majority")
    REFUTED = "refuted"  # one party's claim an independent source contradicts ("... but the Observatory said
    # the army still held it"): a control_denied event, not a change
    DEMINING = "demining"  # "engineers are clearing the town of mines": who holds it already, not a change


@dataclass(frozen=True, slots=True)
class Change:
    """One control change as the sentence gives it, before place resolution."""

    place: NameSpan
    new: str
    previous: str | None
    background: bool
    anaphoric: bool = False


@dataclass(frozen=True, slots=True)
class Candidate:
    """A control word read in a sentence and what became of it (for `explain`)."""

    word: str
    shape: Shape | None
    places: tuple[str, ...]
    actor: str | None
    new: str | None
    previous: str | None
    rule: Rule
    not_places: tuple[str, ...] = ()  # names in the place's role dropped as no place (rule not-a-place)


def has_control_word(sentence: str) -> bool:
    return bool(_CONTROL_WORD.search(sentence))


def find_changes(sentence: str, reading: Reading | None = None,
                 trace: list[Candidate] | None = None) -> list[Change]:
    """Every control change the sentence states as having happened."""
    reading = reading or Reading()
    if not has_control_word(sentence):
        return []
    doc = parse(sentence)
    cues = [m.start() for m in BACKGROUND.finditer(sentence)]
    reading.here = None
    out: list[Change] = []
    for token in doc:
        shape = _shape(token, reading.deal)
        if shape is None:
            continue
        candidate, changes = _read(token, shape, sentence, reading, _in_the_past(token, cues))
        if trace is not None:
            trace.append(candidate)
        out.extend(changes)
    return out


def _in_the_past(token: Token, cues: list[int]) -> bool:
    """Whether a background cue ("since 2014", "last year", "previously") belongs to this candidate: the
    cue's path up the parse meets the candidate (or its light verb) before any other verb. "A, held by IS
    since 2014, was captured on Monday" is news; "In 2014 IS captured A" is background."""
    doc = token.doc
    if any(c.dep_ == "aux" and c.lower_ == "having" for c in token.children):
        return True  # "having lost control of it recently": before the news
    if token.dep_ == "relcl" and any(c.dep_ == "aux" and c.lower_ == "had" for c in token.children):
        return True  # "Government forces, which had captured A in May, lost it again"
    after = next((c for c in token.children if c.dep_ == "mark" and c.lower_ in ("after", "since")), None)
    if after is None and token.dep_ == "pcomp" and token.head.lower_ in ("after", "since"):
        after = token.head
    if after is not None and (any(t.lemma_.lower() in _SPANS for t in after.subtree if t.i < after.i) or (
            after.i > 0 and doc[after.i - 1].lemma_.lower() in _SPANS)):
        return True  # "three weeks after insurgents overran the village", "20 days after the gangs occupied it"
    for at in cues:
        cue = next((t for t in doc if t.idx <= at < t.idx + len(t.text)), None)
        if cue is None:
            return True  # past the parsed part of a long sentence: the whole sentence counts
        node, steps = cue, 0
        while steps < _CUE_REACH:
            steps += 1
            if node.i == token.i or (node.i == token.head.i and token.pos_ == "NOUN"):
                return True
            if node.i != cue.i and node.pos_ in ("VERB", "AUX"):
                break
            if node.head.i == node.i:
                break
            node = node.head
    return False


_SPANS = frozenset({"day", "week", "month", "year"})  # "three weeks after ...": a time before the news
_CUE_REACH = 8  # parse steps from a cue to its verb: deeper is another clause


def _shape(token: Token, deal: bool = False) -> Shape | None:
    """The role pattern a token's word gives, or None when it is no control word here (`deal`: the report
    speaks of a deal, so entering a place is taking it over)."""
    lemma, pos = lemma_of(token), token.pos_
    if token.lower_ in lx.IRREGULAR and pos in ("NOUN", "PROPN", "ADJ"):
        pos = "VERB"  # "The SDF retook A" tagged as a noun: still the verb
    if pos in ("VERB", "AUX"):
        if lemma in lx.TAKE_VERBS and _takes_object(token):
            return Shape.TAKE
        if lemma == "return" and _falls(token):
            return Shape.FALL  # "A returned to government control" (not "the army returned to A")
        if lemma == "sweep" and prep_object(token, "through", "across") is not None:
            return Shape.TAKE  # "Ankara's proxies swept through A"
        if lemma in lx.ENTER_VERBS and _under_a_deal(token, deal):
            return Shape.TAKE
        if lemma in lx.EXPEL_VERBS and _has_source(token):
            return Shape.EXPEL
        if lemma in lx.LEAVE_VERBS and (lemma != "pull" or _pulled_out(token)):
            return Shape.LEAVE
        if lemma in lx.CEDE_VERBS:
            return Shape.CEDE
        if lemma == "change" and any(c.dep_ == "dobj" and c.lower_ == "hands" for c in token.children):
            return Shape.FALL  # "A changed hands (to X)": A is the subject, like "A fell (to X)"
        if lemma in lx.FALL_VERBS and _falls(token):
            return Shape.FALL
    if pos == "NOUN" and lemma in lx.CONTROL_NOUNS and token.dep_ in ("dobj", "conj") and \
            _light_verb(token).lemma_.lower() in lx.CONTROL_LIGHT_VERBS:
        return Shape.TAKE
    if pos == "NOUN" and lemma == "control" and _in_control(token):
        return Shape.TAKE
    if pos == "ADJ" and lemma in ("free", "clear") and token.dep_ in ("acomp", "oprd") and prep_object(token, "of"):
        return Shape.EXPEL  # "A is now clear of militants", "A was declared free of IS"
    if pos == "NOUN" and lemma in ("control", "hand") and _under_control(token):
        return Shape.FALL
    if pos in ("NOUN", "PROPN") and lemma in lx.TAKE_NOUNS - {"control"} and prep_object(token, "of") is not None:
        return Shape.TAKE
    if pos == "NOUN" and lemma in lx.LOSS_NOUNS and prep_object(token, "of", "from") is not None:
        return Shape.CEDE if lemma == "loss" else Shape.LEAVE
    return None


def _under_a_deal(verb: Token, deal: bool) -> bool:
    """"The army entered A under a reconciliation deal": entering by agreement (said in the sentence or
    anywhere in the report), or after the other side left, is taking over."""
    into = prep_object(verb, "into", "in", "to") if lemma_of(verb) != "enter" else None
    agreed = deal or deals(sentence_of(verb)) or _others_left(verb)
    return agreed and (bool(dep_children(verb, "dobj")) or into is not None)


def _pulled_out(token: Token) -> bool:
    """"pulled out (of A)", "pulled back": leaving; "pulled the trigger": not ("out" parsed as particle or
    preposition)."""
    return particle_of(token) in ("out", "back") or any(
        c.dep_ in ("prep", "advmod") and c.lower_ in ("out", "back") for c in token.children)


def _others_left(verb: Token) -> bool:
    """"X entered A after IS withdrew": entering what the other side left (not its positions) is taking it."""
    for token in verb.doc:
        if token.i == verb.i or token.pos_ != "VERB":
            continue
        if lemma_of(token) in lx.EXPEL_VERBS and any(side_free(o) for o in dep_children(token, "dobj")):
            return True  # "swept into A, routing government troops"
        if lemma_of(token) == "melt" and any(c.lower_ == "away" for c in token.children):
            return True  # "as government troops melted away"
        if lemma_of(token) in lx.LEAVE_VERBS and (lemma_of(token) != "pull" or _pulled_out(token)):
            left = prep_object(token, "from", "out") or next(iter(dep_children(token, "dobj")), None)
            if left is None or left.lemma_.lower() not in _POSITIONS:
                return True
    return False


def deals(text: str) -> bool:
    """Whether the text speaks of a deal, a surrender or a handover."""
    lowered = text.lower()
    return any(w in lowered for w in lx.DEAL_WORDS)


def _light_verb(noun: Token) -> Token:
    """The verb of "took control of", "restored security and stability to" (through the conjunction), "are now
    in full control of"."""
    if noun.head.lower_ == "in" and noun.dep_ == "pobj":
        return noun.head.head
    return noun.head.head if noun.dep_ == "conj" and noun.head.dep_ == "dobj" else noun.head


def _in_control(noun: Token) -> bool:
    """"X is now in (full) control of A": a change when it says now, full or complete (else who holds it)."""
    verb = _light_verb(noun)
    if noun.head.lower_ != "in" or verb.lemma_.lower() != "be" or prep_object(noun, "of", "over") is None:
        return False
    return any(c.lower_ in _NOW for c in verb.children) or any(
        c.lower_ in ("full", "complete", "total") for c in noun.children)


def _takes_object(token: Token) -> bool:
    """A taking verb with something taken: an object, a passive subject, or a reduced relative. "took control
    of A" is read from its noun ("control"), not twice."""
    lemma = token.lemma_.lower()
    if lemma == "control" and token.tag_ in ("VBZ", "VBP", "VBG"):
        return any(c.lower_ in _NOW for c in token.children)  # "X now controls A"; "X controls A" holds it
    objects = dep_children(token, "dobj")
    if any(c.lemma_.lower() in lx.CONTROL_NOUNS for c in objects) and lemma in lx.CONTROL_LIGHT_VERBS:
        return False
    if lemma != "take":
        return True
    if any(c.lemma_.lower() in _NOT_TAKEN for c in objects):
        return False
    return bool(objects or dep_children(token, "nsubjpass")) or particle_of(token) in ("over", "back") or is_passive(
        token)


def _has_source(token: Token) -> bool:
    """A side driven out: an object ("drove IS out of A", "A was cleared"), or one the parse missed right after
    the verb. Without one, "pushed north from A" is a movement from A, not an expulsion."""
    passive = any(c.dep_ == "auxpass" for c in token.children)  # "were reported to have been driven out of A"
    if dep_children(token, "dobj", "nsubjpass") or (passive and prep_object(token, "from", "of", "out") is not None):
        return True
    missed = _EXPELLED_FROM.match(token.doc.text, token.idx + len(token.text))
    return missed is not None and (side_of(missed.group("who")) is not None or _DRIVEN.search(missed.group("who")))


def _falls(token: Token) -> bool:
    lemma = token.lemma_.lower()
    if lemma == "fall":
        return prep_object(token, "to", "into", "under", "out") is not None or _fell_alone(token)
    if lemma == "return" and any(t.lemma_.lower() in _STATE_HOLD for t in token.subtree):
        return True  # "A returned to government control", "returned to the state's embrace"
    return _under_control_prep(token) is not None


def _fell_alone(token: Token) -> bool:
    """"The town fell on Friday": a place as the subject, nothing said to fall on or in it (rockets did)."""
    subject = dep_children(token, "nsubj")
    on = prep_object(token, "on", "in", "into", "onto", "near", "from")
    if not subject or (on is not None and not is_time_word(on)):
        return False
    if any(c.dep_ in ("acomp", "attr", "oprd", "dobj", "advmod") and c.lower_ not in ("finally", "eventually", "also",
                                                                                       "later", "quickly", "soon")
           for c in token.children):
        return False  # "fell silent", "fell apart", "fell short"
    head = subject[0]
    if head.lower_ in ("that", "which") and token.dep_ == "relcl":
        head = token.head  # "the villages that fell": the noun the clause hangs on
    return head.lemma_.lower() in lx.SETTLEMENT_NOUNS or (head.pos_ == "PROPN" and side_of(span_text(head)) is None)


def _under_control_prep(token: Token) -> Token | None:
    for child in dep_children(token, "prep"):
        if child.lower_ == "under" and any(c.lemma_.lower() == "control" for c in child.subtree):
            return child
    return None


def _state_verb(noun: Token) -> Token:
    """The verb of "A is (back) under X's control" / "in the hands of X": the one "under"/"in" hangs on."""
    verb = noun.head.head
    if verb.lower_ in _NOW and verb.head.lemma_.lower() == "be":  # "is back in the hands of X"
        verb = verb.head
    return verb


def _under_control(token: Token) -> bool:
    """"A is now under the control of X" (a change only when the sentence says "now" or a verb of passing)."""
    under = token.head
    if under.lower_ not in ("under", "in") or (under.lower_ == "in" and token.lemma_.lower() != "hand"):
        return False
    verb = _state_verb(token)
    if verb.lemma_.lower() in lx.FALL_VERBS:
        return False  # read from the verb
    return verb.lemma_.lower() in ("be", "pass", "bring", "place", "put") and (
        verb.lemma_.lower() != "be" or any(c.lower_ in _NOW for c in verb.children))


@dataclass
class _Roles:
    """What one candidate's words fill: the verb that governs it, the tokens of the place, the taker and the
    loser, and what was read from them."""

    verb: Token
    place: Token | None
    actor: Token | None
    loser: Token | None
    places: list[NameSpan] = field(default_factory=list)
    not_places: list[str] = field(default_factory=list)  # names in the place's role that are no place
    expelled: str | None = None  # the side named after "drove ... out of" when the parse missed it


def _read(token: Token, shape: Shape, sentence: str, reading: Reading,
          background: bool) -> tuple[Candidate, list[Change]]:
    """One candidate: its roles, its places and sides, then the rules that keep or drop it."""
    noun = token.pos_ == "NOUN" and token.lemma_.lower() in lx.CONTROL_NOUNS | {"hand"}
    verb = _light_verb(token) if noun and shape is Shape.TAKE else token
    if noun and shape is Shape.FALL:
        verb = _state_verb(token)
    roles = _Roles(verb, *_roles(token, verb, shape))
    _read_places(roles, token, shape, sentence, reading)
    actor_text, new, previous = _read_sides(roles, token, shape, sentence, reading)
    rule = _decide(roles, token, new, previous)
    candidate = Candidate(token.text, shape, tuple(p.name for p in roles.places), actor_text, new, previous,
                          rule or Rule.KEPT, tuple(dict.fromkeys(roles.not_places)))
    if rule is Rule.NO_SIDE and len(roles.places) == 1:  # "Gunmen left A under a deal. Troops entered the town."
        reading.last_village = roles.places[0]
    if len(roles.places) == 1 and rule in (None, Rule.NO_SIDE, Rule.SAME_SIDE):
        reading.here = roles.places[0]
    if rule is not None or new is None:
        return candidate, []
    anaphoric = roles.places == [reading.last_village] and reading.last_village is not None
    return candidate, [Change(p, new, previous, background, anaphoric) for p in roles.places]


def _read_places(roles: _Roles, token: Token, shape: Shape, sentence: str, reading: Reading) -> None:
    """The named places in the place's role; where the small model misparsed, the names right after the
    verb, the names before a passive or "fell", or the place after "drove X out of"."""
    verb, dropped = roles.verb, roles.not_places
    roles.places = _places(roles.place, sentence, reading, dropped)
    if not roles.places and _active_take(token, verb, shape):
        roles.places = _places_after(verb, sentence, dropped)
    unnamed = roles.place is not None and roles.place.lemma_.lower() in lx.PLACE_NOUNS  # "a town near A fell"
    passive_or_fall = shape is Shape.FALL or (shape is Shape.TAKE and is_passive(verb))
    if not roles.places and not unnamed and token is verb and passive_or_fall:
        roles.places = _sift(list_before(sentence, _verb_group_start(verb)), dropped, sentence)
    if not roles.places and token is verb and roles.place is None:
        label = _LABEL.match(sentence, verb.idx + len(verb.text))  # a bulletin's "Liberated: A", "Also freed: A, B"
        if label:
            roles.places = _sift(list_at(sentence, label.end()), dropped, sentence)
            if roles.places and roles.actor is not None and roles.actor.idx > verb.idx:
                roles.actor = None  # "Also freed: A and B": A misread as the one who freed
    if not roles.places and shape is Shape.EXPEL:
        out = _EXPELLED_FROM.match(sentence, verb.idx + len(verb.text))
        if out:
            roles.places = _sift(object_places(sentence, out.end()), dropped, sentence)
            roles.expelled = side_of(out.group("who"))
            roles.loser = None if roles.expelled is None else roles.loser


_LABEL = re.compile(r"\s*:\s*")  # a verb, a colon, then what it says of: the places


def _active_take(token: Token, verb: Token, shape: Shape) -> bool:
    return shape is Shape.TAKE and token is verb and not is_passive(verb)


def _read_sides(roles: _Roles, token: Token, shape: Shape, sentence: str,
                reading: Reading) -> tuple[str | None, str | None, str | None]:
    """(actor as written, new side, previous side): from the roles, else the fallbacks `sides` names."""
    verb = roles.verb
    actor_text = span_text(roles.actor) if roles.actor is not None else None
    new = actor_side(roles.actor, reading) if roles.actor is not None else None
    stranger = roles.actor is not None and roles.actor.pos_ == "PROPN" and actor_text is not None and \
        side_of(actor_text) is None  # "which Israel captured": a named actor outside the sides, not a misparse
    if new is None and _active_take(token, verb, shape) and not stranger:  # a misparsed subject: the actor before
        mention = actor_before(sentence, verb.idx, reading)
        actor_text, new = (mention.text, mention.side) if mention else (actor_text, None)
    loser = actor_side(roles.loser, reading) if roles.loser is not None else None
    loser = loser or (roles.expelled if shape is Shape.EXPEL and not roles.loser else None)
    if shape in (Shape.LEAVE, Shape.CEDE, Shape.EXPEL, Shape.FALL) and new is None and loser is not None:
        new = other_side(sentence, loser) or report_side(reading, loser)
    if shape is Shape.EXPEL and new is None and roles.actor is None and is_passive(verb):
        loser = loser or _gave_way(verb, reading)  # "A was cleared as IS defences collapsed against X"
        new = _first_other(sentence, loser) if loser else report_side(reading, None)  # else the report's side
    if new is None and roles.actor is None and shape in (Shape.TAKE, Shape.FALL):
        # "A was liberated", "the fall of A": the side the headline or the report names, not the loser
        loser = marked_previous(verb, sentence, None)  # "A was liberated from IS, the SDF said"
        new = (other_side(sentence, loser) if loser else None) or _speaker_side(sentence, loser) or _they_added(
            verb, reading, loser) or report_side(reading, loser)
    if new is None and shape in (Shape.TAKE, Shape.FALL):  # "the advance led to taking A", they added
        new = _they_added(verb, reading, loser)
    previous = loser or _reconciled(sentence, new) or previous_side(verb, roles.place, sentence, new) or (
        reading.took_from.get(new) if new else None) or opponent_of(reading, new)  # "X also took B": from the same
    if previous and new and frozenset({previous, new}) in ALLIES:  # "cleared of terrorists" in Turkey's offensive:
        previous = main_enemy(reading, new)  # the generic word meant its enemy, not the rebels it backs
    if previous is None and new == "government" and NONSTATE_GENERIC.search(sentence) and not (
            set(reading.sides) & NON_STATE):  # the state's "terrorists", no group named: the rebels
        previous = "opposition"
    return actor_text, new, previous


NON_STATE = frozenset({"islamic-state", "opposition", "kurdish-led"})
# The state's reconciliation ("musalaha") deals are made with rebels: their fighters "settle their status" or go north.
_RECONCILIATION = re.compile(r"(?i)\breconciliation\b|\bsettle(?:d|s)?\s+(?:their|his)\s+status\b")


def _reconciled(sentence: str, new: str | None) -> str | None:
    """"The army regained A after militants surrendered under a reconciliation agreement": the rebels, whatever
    else the report names (a jihadist group fought elsewhere)."""
    if new == "government" and _RECONCILIATION.search(sentence) and NONSTATE_GENERIC.search(sentence) and not any(
            m.side in NON_STATE for m in find_actors(sentence)):  # a group named in the sentence says it itself
        return "opposition"
    return None
_GIVE_WAY = lx.LEAVE_VERBS | {"collapse", "crumble", "break", "surrender", "disintegrate"}
_SUBJECT_REACH = 30  # characters before a verb its misparsed subject may stand in ("YPG defences collapsed")


def _gave_way(verb: Token, reading: Reading) -> str | None:
    """The side a clause of the sentence says gave way ("as YPG defences collapsed"): the one that lost."""
    for clause in verb.subtree:
        if clause is not verb and clause.pos_ == "VERB" and clause.lemma_.lower() in _GIVE_WAY:
            subject = subject_of(clause)
            side = actor_side(subject, reading) if subject is not None else None
            near = [m for m in find_actors(sentence_of(verb)) if clause.idx - _SUBJECT_REACH <= m.end <= clause.idx]
            side = side or (near[-1].side if near else None)  # a subject the parse missed, right before
            if side is not None:
                return side
    return None


def _first_other(sentence: str, loser: str) -> str | None:
    """The first side the sentence names other than the loser (who the loser gave way to)."""
    return next((m.side for m in find_actors(sentence) if m.side != loser), None)


def _they_added(verb: Token, reading: Reading, loser: str | None) -> str | None:
    """"They added that the advance led to taking control of A", after a sentence a side's sources spoke in:
    the speakers' side, when the speech verb's subject is a pronoun."""
    node, steps = verb, 0
    while node.head.i != node.i and steps < _SPEECH_REACH:
        steps += 1
        if node.dep_ == "ccomp" and node.head.lemma_.lower() in lx.SPEECH_VERBS:
            said_by = dep_children(node.head, "nsubj")
            pronoun = bool(said_by) and said_by[0].lower_ in ("they", "he", "she", "it")
            return reading.last_speaker if pronoun and reading.last_speaker != loser else None
        node = node.head
    return None


_SPEECH_REACH = 6  # parse steps from a change up to the "said" it is told under


def _speaker_side(sentence: str, loser: str | None) -> str | None:
    """The side whose own organ reports an agentless change ("A was retaken from IS, Syrian state television
    said"): a party announces its own gains."""
    sides = outlet_sides(sentence) - {loser}
    return next(iter(sides)) if len(sides) == 1 else None


def _decide(roles: _Roles, token: Token, new: str | None, previous: str | None) -> Rule | None:
    """The rule that drops the candidate, or None to keep it."""
    rule = _unreal(roles.verb) or _held(roles.verb, token) or _partial(roles.place, roles.verb)
    if rule is None and any(t.lemma_.lower() in _ORDNANCE and t.head.lower_ == "of" for t in roles.verb.subtree):
        rule = Rule.DEMINING
    if rule is None and not roles.places:
        rule = Rule.NOT_A_PLACE if roles.place is not None and has_name(roles.place) else Rule.NO_PLACE
    if rule is None and new is None:
        rule = Rule.NO_SIDE
    if rule is None and new == previous:
        rule = Rule.SAME_SIDE
    return rule


# What a place is cleared of after it was taken: "clearing the town of mines and explosive devices".
_ORDNANCE = frozenset({"mine", "landmine", "explosive", "device", "ied", "rubble", "ordnance", "trap", "booby",
                       "remnant", "debris"})


def _timeless_object(verb: Token, *words: str) -> Token | None:
    """The object of the first of `words` on the verb that names a place, not a time or a manner: "restored
    security, in cooperation with allies, on Sunday to the towns of A and B"."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in words:
            objs = dep_children(child, "pobj")
            if objs and not is_time_word(objs[0]) and (
                    has_name(objs[0]) or objs[0].lemma_.lower() in lx.PLACE_NOUNS):
                return objs[0]
    return prep_object(verb, *words)


_FLAGS = frozenset({"flag", "banner"})
_FLAG_PREPS = ("over", "above", "on", "in")


def _flag_place(flag: Token, verb: Token) -> Token | None:
    """Where a flag went up: "over A", wherever the parse hung it ("the flag of the revolution over A" hangs it on
    "revolution"); a flag's own "of" names the flag ("the banner of Tawhid"), never the place."""
    for t in flag.subtree:
        if t.dep_ == "prep" and t.lower_ in _FLAG_PREPS and dep_children(t, "pobj"):
            return dep_children(t, "pobj")[0]
    return _timeless_object(verb, *_FLAG_PREPS, "to")


def _roles(token: Token, verb: Token, shape: Shape) -> tuple[Token | None, Token | None, Token | None]:
    """(place, taker, loser) tokens for a candidate, by its shape and voice."""
    if token is not verb and token.lemma_.lower() in lx.CONTROL_NOUNS | {"hand"}:  # took control of A / under X's
        if shape is Shape.FALL:
            return _undergoer(verb), control_owner(token), None
        if token.lemma_.lower() in _FLAGS:
            place = _flag_place(token, verb)
        else:
            place = prep_object(token, "of", "over", "on", "in") or _timeless_object(verb, "of", "to", "in", "over",
                                                                                     "on")
        return place, subject_of(verb), None
    if token.pos_ == "ADJ":  # "A is now clear of militants": A, the side it is clear of
        return _undergoer(token.head), None, prep_object(token, "of")
    if token.pos_ in ("NOUN", "PROPN"):  # the capture of A by X; X's capture of A; the loss of A to X
        place = prep_object(token, "of", "from")
        owner = next(iter(dep_children(token, "poss")), None)
        if shape is Shape.CEDE:
            return place, prep_object(token, "to") or (prep_object(place, "to") if place is not None else None), owner
        if shape is Shape.LEAVE:  # "the withdrawal of the rebels from A" ("from" may hang on "rebels")
            inner = [t for t in token.subtree if t.dep_ == "pobj" and t.head.lower_ == "from"]
            return prep_object(token, "from") or (inner[0] if inner else None), None, owner or prep_object(token, "of")
        by = prep_object(token, "by", "to") or (prep_object(place, "by", "to") if place is not None else None)
        if by is None and owner is None and token.dep_ in ("dobj", "attr") and token.head.pos_ == "VERB":
            by = subject_of(token.head)  # "the SDF announced the liberation of A"
        return place, by or owner, None
    passive = is_passive(verb)
    if shape is Shape.TAKE:
        if passive:
            place = next(iter(dep_children(verb, "nsubjpass")), None)
            if place is None and verb.dep_ == "oprd":
                place = next(iter(dep_children(verb.head, "nsubjpass")), None)  # "A was declared liberated"
            relative = place is not None and place.lower_ in ("which", "that", "who") and verb.dep_ == "relcl"
            if (place is None and verb.dep_ in ("acl", "amod", "relcl")) or relative:
                place = verb.head  # "the villages captured by X", "A, which was captured by X"
            if relative and place is not None:
                before = verb.doc[max(0, dep_children(verb, "nsubjpass")[0].i - 1)]
                place = before if before.pos_ in ("NOUN", "PROPN") else place  # the noun "which" follows
            return place, prep_object(verb, "by"), None
        place = next(iter(dep_children(verb, "dobj")), None)
        if place is None and lemma_of(verb) in lx.ENTER_VERBS:
            place = prep_object(verb, "into", "in", "to", "through")  # "deployed in A under the deal"
        relative = place is not None and place.lower_ in ("which", "that") and verb.dep_ == "relcl"
        if (place is None and verb.dep_ == "relcl") or relative:
            place = verb.head  # "A, which rebels captured last week"
        return place, subject_of(verb), None
    if shape is Shape.EXPEL:
        obj = next(iter(dep_children(verb, "nsubjpass" if passive else "dobj")), None)
        source = prep_object(verb, "from", "of", "out")
        taker = prep_object(verb, "by") if passive else subject_of(verb)
        if obj is not None and source is not None and head_side(obj) is None and (
                side_free(source) is not None or obj.lemma_.lower() in lx.PLACE_NOUNS):
            return obj, taker, source  # "cleared A of IS", "the villages were cleared of militants"
        if obj is not None and source is None and head_side(obj) is None:
            inner = [t for t in obj.subtree if t.dep_ == "pobj" and t.head.lower_ == "of" and side_free(t)]
            return obj, taker, inner[-1] if inner else None  # "cleared the village of A of IS fighters"
        return source, taker, obj
    if shape is Shape.LEAVE:
        place = prep_object(verb, "from", "out", "of") or next(iter(dep_children(verb, "dobj", "nsubjpass")), None)
        return place, None, subject_of(verb) if not passive else None
    if shape is Shape.CEDE:
        if passive:
            return next(iter(dep_children(verb, "nsubjpass")), None), prep_object(verb, "to", "by"), None
        return next(iter(dep_children(verb, "dobj")), None), prep_object(verb, "to"), subject_of(verb)
    # FALL: A fell to X / into the hands of X / under the control of X; A came under X control
    out_of = prep_object(verb, "out")
    if out_of is not None and out_of.lemma_.lower() in lx.CONTROL_NOUNS | {"hand"}:
        return _undergoer(verb), None, control_owner(out_of)  # "A fell out of the government's control"
    taker = prep_object(verb, "to")
    if taker is not None and taker.lemma_.lower() == "control":
        taker = control_owner(taker)  # "returned to government control"
    if taker is None:
        into = prep_object(verb, "into", "under")
        taker = owner_in(into) if into is not None else None
    made = dep_children(verb, "dobj") if lemma_of(verb) in ("declare", "bring", "place", "put") else []
    return (made[0] if made else _undergoer(verb)), taker, None  # "declared A back under army control"


def _undergoer(verb: Token) -> Token | None:
    """The place that fell or was brought under control: the subject, active or passive."""
    passive = dep_children(verb, "nsubjpass")
    return passive[0] if passive else subject_of(verb)


def _unreal(verb: Token) -> Rule | None:
    """Negated, hypothetical or attempted: the verb (or the clause it is part of) did not happen."""
    node, steps = verb, 0
    while node is not None and steps < 3:
        steps += 1
        if any(c.dep_ == "neg" for c in node.children):
            return Rule.NEGATED
        if any(c.dep_ == "aux" and c.lower_ in lx.UNREAL_AUX for c in node.children):
            return Rule.HYPOTHETICAL
        if any(c.dep_ == "mark" and c.lower_ in lx.CONDITIONAL_MARKS for c in node.children):
            return Rule.HYPOTHETICAL
        if any(c.lower_ == "yet" for c in node.children) and node is not verb:
            return Rule.HYPOTHETICAL  # "have yet to capture"
        head = node.head
        if node is not verb and node.dep_ == "acl" and node.lemma_.lower() in lx.SPEECH_VERBS:
            return None  # "the operations room of the battle announced that X had taken A": a speech the parser
            # hung on a noun ("battle"), not an attempt
        if node.dep_ == "xcomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children) and \
                head.lemma_.lower() == "be":
            return Rule.HYPOTHETICAL  # "government forces are to enter A next week": planned
        if node.dep_ in ("xcomp", "pcomp", "dobj") and head.lemma_.lower() == "deny":
            return Rule.NEGATED  # "IS denied losing A" (but "denied that IS took A" is a claim, denied)
        if node.dep_ == "dobj" and node.pos_ == "NOUN" and head.lemma_.lower() in lx.UNREAL_HEADS:
            return Rule.ATTEMPTED  # "agreed to allow the withdrawal of X from A", "planned the capture of A"
        if node.dep_ in ("pobj", "pcomp") and head.lower_ not in _AIM_PREPS:
            return None  # "following the capture of A": a fact, whatever the main verb
        if node.dep_ in ("xcomp", "acl", "advcl", "pcomp", "pobj", "ccomp", "prep", "acomp") and head is not node:
            if head.lemma_.lower() in lx.REAL_HEADS:
                real = any(c.dep_ == "mark" and c.lower_ in lx.CONDITIONAL_MARKS for c in head.children)
                return Rule.HYPOTHETICAL if real else None  # "if they manage to seize A": still an if
            if head.lemma_.lower() in lx.UNREAL_HEADS and node.dep_ != "ccomp":
                return Rule.ATTEMPTED
            node = head
            continue
        if node.dep_ == "conj" and head is not node:
            node = head
            continue
        return None
    return None


def _held(verb: Token, token: Token) -> Rule | None:
    """A state, not a change: "A, controlled by X" (a reduced relative of control or hold), or a verb of
    holding with a duration ("has been occupied by X for three years", "since 2014")."""
    if token is not verb or lemma_of(verb) not in ("control", "occupy", "hold"):
        return None
    if verb.dep_ in ("acl", "amod") and verb.tag_ == "VBN" and prep_object(verb, "by") is not None:
        return Rule.HELD
    duration = [c for c in verb.subtree if c.lower_ in ("since", "for") and any(
        t.lemma_.lower() in ("year", "month", "week", "decade") or t.like_num for t in c.subtree)]
    return Rule.HELD if duration else None


def _partial(place: Token | None, verb: Token | None = None) -> Rule | None:
    """Only part of a place: "parts of A", "35 percent of A", "a hill overlooking A", "evacuated their
    checkpoints near A"."""
    if verb is not None and lemma_of(verb) in lx.LEAVE_VERBS and any(
            c.lemma_.lower() in _POSITIONS for c in dep_children(verb, "dobj")):
        return Rule.PARTIAL
    if place is None:
        return None
    whole = any(c.lower_ in ("entire", "whole", "full", "all") for c in place.children) and not any(
        c.lower_ in _DIRECTIONS for c in place.children)  # "the entire area of A"; not "the entire western area"
    if (place.lower_ in lx.PARTIAL_NOUNS or place.lemma_.lower() in ("percent", "%")) and prep_object(
            place, "of", "from") is not None and not whole:
        return Rule.PARTIAL
    holder = place.head.head if place.head.dep_ == "prep" else place.head
    if holder.lemma_.lower() in lx.CONTROL_NOUNS and any(
            c.dep_ == "amod" and c.lower_ in _PART_WORDS for c in holder.children):
        return Rule.PARTIAL  # "seized partial control of A"
    if place.lemma_.lower() in ("hill", "position", "point", "checkpoint", "base", "height", "building") and any(
            c.dep_ in ("acl", "prep", "relcl") for c in place.children):
        return Rule.PARTIAL  # "a hill overlooking A", "positions near A": not A itself
    if any(c.dep_ == "amod" and c.lower_ in ("eastern", "western", "northern", "southern") for c in place.children) \
            and place.lemma_.lower() in ("part", "neighbourhood", "neighborhood", "district", "side"):
        return Rule.PARTIAL
    return None


_DRIVEN = re.compile(r"(?i)\b(?:them|him|it|militants|fighters|forces|troops|rebels|jihadists|terrorists|insurgents"
                     r"|gunmen|militias?|extremists)\b")  # who "drove X out of A" drove out, when no side is named
_EXPELLED_FROM = re.compile(r"\s+(?P<who>[^,.;]{1,60}?)\s+(?:out\s+of|from)\s+")
_PLACE_OF = re.compile(r"(?i)\b(?:village|town|city|hamlet)\s+of\s+")


_TIME_AFTER_VERB = re.compile(
    r"(?i)(?:\s*(?:,|on\s+(?:\w+day|\w+\s+\d{1,2}(?:st|nd|rd|th)?)|today|yesterday|overnight|earlier|later"
    r"|last\s+\w+|this\s+\w+|(?:full|complete|total)\s+control\s+(?:of|over)|control\s+(?:of|over)|over|back"
    r"|on\s+the\s+\w+|in\s+(?:the\s+)?(?:morning|evening|afternoon|night))\b)*\s*")


def _verb_group_start(verb: Token) -> int:
    """Where the verb with its auxiliaries starts ("were retaken", "has fallen")."""
    aux = [c.idx for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "advmod") and c.i < verb.i]
    return min([verb.idx, *aux])


_FEATURE_AFTER = re.compile(r"(?i)\s+(?:military\s+|border\s+)?(?:Hill|Hills|Mount|Mountain|Dam|Base|Airbase"
                            r"|Air\s+Base|Airport|Crossing|Road"
                            r"|Highway|Bridge|Valley|Ridge|Heights|Lake|River|Oilfield|Field|Bakery|Hospital"
                            r"|School|Roundabout|Square|Factory|Silos|Camp|Plateau|Elevation|Peak|Summit|Mountains"
                            r"|Checkpoints?|Post|Barracks|Station|Junction|Intersection|Academy|Prison|Port|Mosque"
                            r"|Citadel|Castle|Fort|Fortress|Palace|Neighbou?rhoods?|Quarters?|Districts?)\b"
                            r"|,\s+(?:a|the)\s+(?:[\w-]+\s+){0,2}?(?:hill|hilltop|mountain|peak|height|base|airbase|airport"
                            r"|crossing|dam|checkpoint)\b(?!\s+(?:village|town|city))")  # "A, a strategic hill"


_PARTS_AFTER = re.compile(r"(?i)\s+(?:neighbou?rhoods|districts|quarters|hills|checkpoints)\b")
_SPEAKS_AFTER = re.compile(r"\s+(?:said|says|reported|reports|told|added|announced|claimed|quoted)\b")
_AREA_AFTER = re.compile(r"(?i)\s*(?:['’]s\s+)?(?:villages|towns|countryside|province|governorate|region|plains?"
                         r"|district|outskirts|suburbs)\b")


def _sift(found: list[NameSpan], dropped: list[str], sentence: str = "") -> list[NameSpan]:
    """The names that can be places; the others (actors, peoples, adjectives, an area named for the villages
    in it: "Aleppo villages", "the Hama countryside") noted in `dropped`."""
    def no_place(p: NameSpan) -> bool:
        area = _AREA_AFTER.match(sentence, p.end) or _AREA_AFTER.match(sentence, p.start + len(p.name))
        feature = _FEATURE_AFTER.match(sentence, p.start + len(p.name))  # "the Rashwan Hill": no village
        speaker = _SPEAKS_AFTER.match(sentence, p.start + len(p.name))  # ", SANA said": who tells it
        return _actor_word(p.name) or bool(feature) or bool(speaker) or _part_of_province(p.name) or bool(
            sentence and area and (len(found) == 1 or p.name.lower() in _GOVERNORATES)) or _common_noun_first(
            p, sentence)
    if found and _PARTS_AFTER.match(sentence, found[-1].start + len(found[-1].name)):
        dropped.extend(p.name for p in found)  # "the A and B neighbourhoods of Aleppo": parts of a city
        return []
    dropping = [no_place(p) for p in found]  # once each: the checks parse and look names up
    dropped.extend(p.name for p, drop in zip(found, dropping, strict=True) if drop)
    return [p for p, drop in zip(found, dropping, strict=True) if not drop]


def _common_noun_first(p: NameSpan, sentence: str) -> bool:
    """A sentence's first word, capitalised only for being first, that the tagger reads as a plural common noun
    and the gazetteer does not know: "Pistols, ammunition and phones were seized". (Singular is no sign: the
    tagger reads unknown names first in a sentence, "Kafranbel, ...", as singular nouns too.)"""
    if p.start != 0 or " " in p.name or not sentence or lookup_key(p.name) in get_gazetteer().index:
        return False
    first = parse(sentence)[0]
    return first.tag_ == "NNS" and first.text == p.name


def _part_of_province(name: str) -> bool:
    """"Eastern al-Suwayda", "northern Aleppo": a part of a province (or its city's countryside), no village;
    so is a region ("Eastern Ghouta", "the Qalamoun") and a valley the gazetteer has no community of
    ("Wadi Barada": "Wadi al-Oyoun" is a town)."""
    first, _, rest = name.partition(" ")
    bare = name.lower().removeprefix("the ")
    if first.lower() in _DIRECTIONS:
        bare = rest.lower()
        if bare in _GOVERNORATES or bare.removeprefix("al-").removeprefix("as-") in _GOVERNORATES:
            return True
    if bare.removeprefix("al-").removeprefix("el-") in _REGIONS:
        return True
    return first.lower() == "wadi" and lookup_key(name) not in get_gazetteer().index


# Regions of Syria reports name like places, none of them a village.
_REGIONS = frozenset({"ghouta", "ghuta", "qalamoun", "qalamon", "badia", "jazira", "jazeera", "hauran",
                      "houran", "lajat", "leja", "jabal al-akrad", "jabal al-turkman", "jabal al-zawiya",
                      "jabal al-arab", "golan", "golan heights", "sahel", "euphrates valley", "khabur valley",
                      "ghab plain"})


_GOVERNORATES = frozenset({"aleppo", "idlib", "hama", "homs", "raqqa", "deir ez-zor", "deir ezzor", "hasakah",
                           "al-hasakah", "latakia", "lattakia", "tartus", "damascus", "daraa", "quneitra", "sweida",
                           "suwayda", "as-sweida", "deir al-zor", "deir ez-zour", "hasaka", "raqa"})


def _places_after(verb: Token, sentence: str, dropped: list[str]) -> list[NameSpan]:
    """The names right after a verb (and its time words): for objects the parser misread."""
    end = verb.idx + len(verb.text)
    prt = dep_children(verb, "prt")
    if prt:
        end = max(end, prt[0].idx + len(prt[0].text))
    skip = _TIME_AFTER_VERB.match(sentence, end)
    start = skip.end() if skip else end
    return _sift(object_places(sentence, start), dropped, sentence)


# Before a name, what makes it a landmark "the town" cannot mean: "south of A", "near A", "the city of A".
_LANDMARK_BEFORE = re.compile(r"(?i)(?:\b(?:north|south|east|west)\w*\s+of|\bnear|\boutside|\bcity\s+of|\bprovince\s+of"
                              r"|\bcountryside\s+of"
                              # where people fled: "residents who had fled to Raqqa said the town ..."
                              r"|\b(?:fled|flee|fleeing|displaced|escaped|evacuated|headed|heading)\s+(?:to|towards?|into)"
                              # where someone spoke: "a spokesman confirmed in Baghdad that the city ..."
                              r"|\b(?:said|says|told\s+(?:\w+\s+)?\w+|confirmed|announced|speaking|spoke|stated)\s+in)"
                              r"\s+(?:the\s+)?$")


_POSSESSIVE = re.compile(r"['’]s$")
# "a nearby village", "the neighbouring town": another place than the one named before, not a reference to it
_ANOTHER_PLACE = frozenset({"a", "an", "another", "nearby", "neighbouring", "neighboring", "adjacent", "other",
                            "next", "second"})


def _one_place_before(sentence: str, end: int) -> NameSpan | None:
    """The one place the sentence names before `end`, when "the town" there has no other antecedent:
    "X's grip on A ended when Y overran the town", "Y stormed back into A, but X retook the town". A place is a
    name after a place noun or a locative ("into A") or a community of the gazetteer. None when it names
    none, or several (which one is meant is then a guess), or only as a landmark ("south of A")."""
    head = sentence[:end]
    index = get_gazetteer().index
    names = ((clean_name(m.group(0)), m) for m in NAME.finditer(head))
    spans = [*named_places(head), *(NameSpan(n, m.start(), m.end()) for n, m in names
                                     if n is not None and lookup_key(_POSSESSIVE.sub("", n)) in index)]
    found = {_POSSESSIVE.sub("", n.name): n for n in spans  # "A's town centre"
             if not n.name.isupper()  # a dateline ("AMMAN, May 8 -") or an outlet ("ARA News")
             and not _LANDMARK_BEFORE.search(head, 0, n.start) and not _part_of_province(n.name)
             and not _actor_word(_POSSESSIVE.sub("", n.name))}  # "Assad's thugs": no place
    if len(found) != 1:
        return None
    name, span = next(iter(found.items()))
    return NameSpan(name, span.start, span.start + len(name))


def _places(token: Token | None, sentence: str, reading: Reading, dropped: list[str]) -> list[NameSpan]:
    """The named places of the phrase at token: "the villages of A, B and C", "A and B villages", "A"."""
    if token is not None and (token.lemma_.lower() == "key" or (
            token.lower_ in lx.CONTROL_NOUNS and token.dep_ in ("nsubj", "nsubjpass"))):
        token = prep_object(token, "of", "over", "to")  # "Control of A was handed to X", "handed the keys of A"
    if token is None:
        return []
    if token.lower_ in ("it", "village", "town", "city", "suburb", "hamlet") and not has_name(token) and not (
            _ANOTHER_PLACE & {c.lower_ for c in token.children if c.dep_ in ("amod", "det")}):
        text = sentence_of(token)
        earlier = [n for m in _PLACE_OF.finditer(text, 0, token.idx) for n in list_at(text, m.end())[:1]]
        if earlier:  # "the town of A ... did not take full control of it": A, named before in the sentence
            return [earlier[-1]]
        if reading.here is not None and reading.here.start < token.idx:
            return [reading.here]  # "rebels took A at dawn, but by nightfall the army had retaken the village"
        named = _one_place_before(text, token.idx) if token.lower_ != "it" else None
        if named is not None:  # "X stormed back into A, but Y said it had recaptured the town"
            return [named]
        if reading.last_village is not None:
            return [reading.last_village]
        before = _one_place_before(reading.previous, len(reading.previous)) if token.lower_ != "it" else None
        if before is not None:  # "IS stormed A last month. On Saturday the army restored control over the town"
            return [before]
    start = token.left_edge.idx
    for owner in dep_children(token, "poss"):  # "Idlib province's A town": the names after the possessor
        start = max(start, owner.right_edge.idx + len(owner.right_edge.text))
        start = sentence.find(" ", start) + 1 if sentence.startswith(("'", "’"), start) else start
    start = _name_start(sentence, start)
    landmark = [c.idx for c in token.children if c.lower_ in _LOCATIVE and c.i > token.i]
    text = sentence[: min(landmark)] if landmark and token.lemma_.lower() in lx.PLACE_NOUNS else sentence
    found = object_places(text, start, window=max(90, token.right_edge.idx + 40 - start))  # "a town near A": not A
    head = token.head
    if not found and token.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() in ("include", "be"):
        named = dep_children(head, "dobj", "attr")  # "the villages captured by X include A and B"
        if named:
            found = object_places(sentence, named[0].left_edge.idx)
    if not found and token.dep_ == "pobj" and head.lower_ == "among" and head.head.lemma_.lower() == "be":
        named = [c for c in dep_children(head.head, "nsubj", "attr", "acomp") if c.i != token.i]
        for n in named:  # "A and B were among the villages taken by X"; "Among the villages taken were A, B"
            found = found or object_places(sentence, n.left_edge.idx)
    colon = sentence.find(":", token.idx)
    if not found and token.lemma_.lower() in lx.PLACE_NOUNS and colon > 0:  # "the villages ... were taken: A, B"
        found = list_at(sentence, colon + 1 + (len(sentence) - colon - 1 - len(sentence[colon + 1 :].lstrip())))
    return _sift(found + _conjuncts(token, sentence, found), dropped, sentence)


_ARTICLE_FIRST = re.compile(r"(?:al|el|ad|as|ash|ar|az|at|ez|es|ed|er|et)[-‑]")
_WORD_BEFORE = re.compile(r"([A-Z][\w’']+)\s+$")


def _name_start(sentence: str, start: int) -> int:
    """Where the name the parse cut after its first word begins: "Deir ez-Zor" parsed as "Deir" + "ez-Zor"."""
    at = len(sentence) - len(sentence[start:].lstrip())
    before = _WORD_BEFORE.search(sentence, 0, at) if _ARTICLE_FIRST.match(sentence, at) else None
    return before.start() if before and before.group(1).lower() not in STOP else start


def _conjuncts(token: Token, sentence: str, found: list[NameSpan], depth: int = 0) -> list[NameSpan]:
    """Names the parse joins to the place that the list reader stopped before: "A and, later in the day, B",
    "A on Monday and B on Tuesday", "two villages, A and B" (an apposition to an unnamed place noun)."""
    more: list[NameSpan] = []
    if depth > _CONJUNCT_DEPTH:
        return more
    for child in token.children:
        apposed = child.dep_ == "appos" and token.lemma_.lower() in lx.PLACE_NOUNS and token.pos_ == "NOUN" and \
            child.left_edge.i == token.i + 2 and token.nbor().text in (",", ":")  # "two villages, A and B"
        if child.dep_ != "conj" and not apposed:
            continue
        if child.pos_ in ("VERB", "AUX") or any(f.start <= child.idx < f.end for f in found + more):
            more.extend(_conjuncts(child, sentence, found + more, depth + 1))
            continue
        named = child.pos_ == "PROPN" or any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in child.children)
        read = list_at if named else object_places  # "B areas of Damascus": B; "the town of B": B
        more.extend(n for n in read(sentence, child.left_edge.idx) if n not in found + more)
        more.extend(_conjuncts(child, sentence, found + more, depth + 1))
    return more


_CONJUNCT_DEPTH = 6  # conjuncts followed down a chain ("A, B, C and D" nests each in the one before)


def _actor_word(name: str) -> bool:
    """A "place" that is an actor or a people: "Kurdish-led", "Druze-majority", "Syrian-Iraqi"."""
    return side_of(name) is not None or bool(re.fullmatch(
        r"(?i)(?:[\w’']+-)?(?:majority|led|backed|held|controlled|based|allied|dominated)|"
        r"(?:Syrian|Iraqi|Turkish|Kurdish|Arab|Druze|Alawite|Sunni|Shia|Shiite|Christian|Jordanian|Lebanese"
        r"|Israeli|Russian|Iranian|American|US)(?:-[\w’']+)?"
        r"|Assad|Bashar|Erdo[gğ]an|Putin|Baghdadi|Jolani|Julani"  # people, though a village is also called Assad
        r"|.*\b(?:Muslims|Christians|Arabs|Kurds|Alawites|Sunnis|Shiites|Yazidis|Armenians|Assyrians|Jihadists"
        r"|Islamists|Terrorists|Forces|Troops|Fighters|Militias|Units|Brigades?|Battalions?|Division|Army)", name))
