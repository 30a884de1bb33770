"""The words war reporting uses to state a change of control, as lemmas (spaCy gives every inflection and
voice the same lemma: "retook", "retaken", "retaking" are all `retake`).

Written from how the language works, not from any one report: each group says which role its parts play
(who took the place, who lost it, where). Sources: general English usage of news agencies' conflict
reporting and their style guides' verbs of capture, loss and withdrawal.
"""

from __future__ import annotations

from enum import StrEnum


class Shape(StrEnum):
    """How a verb assigns the roles of a control change."""

    TAKE = "take"  # subject took the object place ("X captured A"); passive: "A was captured by X"
    EXPEL = "expel"  # subject drove the object side out of a place ("X drove IS out of A")
    LEAVE = "leave"  # subject (the loser) left a place ("IS withdrew from A")
    CEDE = "cede"  # subject (the loser) gave a place to someone ("IS lost A to X", "handed A over to X")
    FALL = "fall"  # the place is the subject ("A fell to X", "A came under X control")


# Verbs whose object is the place taken. "take" counts only with a place object (never "take part").
TAKE_VERBS = frozenset({
    "capture", "recapture", "seize", "take", "retake", "liberate", "free", "regain", "overrun", "conquer",
    "occupy", "secure", "wrest", "reclaim", "win", "annex", "control", "recover", "grab", "snatch",
})
# Verbs whose object is the side driven out; the place follows "from", "of" or "out of".
EXPEL_VERBS = frozenset({"drive", "push", "expel", "oust", "kick", "evict", "dislodge", "chase", "clear", "flush",
                         "rout", "purge", "cleanse", "rid", "eject", "force", "throw", "beat"})
# Verbs whose subject is the side that left the place.
LEAVE_VERBS = frozenset({"withdraw", "retreat", "pull", "flee", "abandon", "evacuate", "vacate", "leave"})
# Verbs whose subject lost the place to a side named after "to".
CEDE_VERBS = frozenset({"lose", "cede", "surrender", "hand", "yield", "relinquish"})
# The place is the subject, the side follows "to", "into the hands of", "under the control of".
FALL_VERBS = frozenset({"fall", "come", "return", "declare", "bring", "place", "put", "pass"})
# "took control of", "imposed its control over": the verb, then the noun "control", then the place.
CONTROL_LIGHT_VERBS = frozenset({"take", "gain", "seize", "assume", "impose", "establish", "restore", "extend",
                                 "regain", "wrest", "tighten", "declare", "announce", "retake", "secure", "get",
                                 "bring", "consolidate", "complete", "achieve", "raise", "hoist", "plant", "claim",
                                 "expand", "reassert", "reestablish", "re-establish", "reimpose", "reclaim", "recover",
                                 "reinstate", "win", "grab", "snatch"})
# The nouns of "took control of", "restored security to", "tightened its grip on".
CONTROL_NOUNS = frozenset({"control", "security", "stability", "sovereignty", "authority", "grip", "hold", "flag",
                           "banner"})
# Nouns that name a capture; "the capture of A by X", "X's capture of A".
TAKE_NOUNS = frozenset({"capture", "recapture", "seizure", "liberation", "takeover", "retaking", "fall", "control",
                        "conquest", "occupation"})
LOSS_NOUNS = frozenset({"loss", "withdrawal", "expulsion", "retreat", "evacuation", "departure", "exit"})
# Entering a place is a change of control only under a deal ("the army entered A under a reconciliation
# agreement"); otherwise it is an advance (partial: entering is not holding).
ENTER_VERBS = frozenset({"enter", "deploy", "move", "return", "roll", "sweep", "march", "advance", "walk"})
DEAL_WORDS = ("deal", "agreement", "reconciliation", "settlement", "truce", "surrender", "handover", "hand-over",
              "hand over", "agreed to")

# Every surface form that can carry one of the lemmas above (lowercase prefixes): a sentence holding
# none is not parsed (the named gate `no-control-word` in explain). Kept beside the lemma sets so the
# two change together; tests/unit/test_lexicon_gate.py checks every lemma but NOT_GATED has a prefix here.
CONTROL_WORD_PREFIXES = (
    "captur", "recaptur", "seiz", "seizure", "took", "take", "taking", "retak", "retook", "liberat", "free",
    "regain", "overr", "conquer", "conquest", "occup", "secur", "wrest", "reclaim", "won", "win", "annex",
    "control", "recover", "swept", "sweep", "drove", "drive", "driven", "driving", "push", "expel", "oust",
    "kick", "evict", "dislodg", "chase", "clear", "flush", "rout", "purg", "cleans", "withdr", "retreat", "pull",
    "fled", "flee", "abandon", "evacuat", "lose", "lost", "losing", "loss", "ced", "surrender", "hand", "yield",
    "relinquish", "fell", "fall", "came", "come", "return", "expuls", "restor", "grip", "brought", "bring", "declar",
    "put", "plac", "pass", "enter", "deploy", "evacuation", "departure", "rid", "eject", "forc", "thr", "beat",
    "grab", "snatch", "flag", "banner", "hands", "vacat", "expand", "chang", "left", "leav", "walk", "march", "roll",
    "melt",
)

# Lemmas above that alone do not get a sentence parsed: too common, and alone no change ("advances in
# Idlib"; tried on train: a false change, nothing found). `test_lexicon_gate` holds every other lemma to a prefix.
NOT_GATED = frozenset({"move", "advance", "exit"})

# Nouns that make a place of the name beside them.
PLACE_NOUNS = frozenset({"village", "town", "city", "hamlet", "farm", "hill", "area", "locality", "settlement",
                         "district", "suburb", "township", "mountain", "mount", "base", "airbase", "airport",
                         "crossing", "dam", "plain", "valley", "region", "countryside", "neighbourhood",
                         "neighborhood", "camp", "ridge", "heights", "highway", "road", "junction", "outpost",
                         "point", "position", "checkpoint", "oasis", "field", "oilfield"})
# Only these are places the system alerts on; the others are kept as place cues for names.
SETTLEMENT_NOUNS = frozenset({"village", "town", "city", "hamlet", "farm", "locality", "settlement", "township",
                              "suburb"})
# A head noun that makes the object only part of a place ("parts of A", "the outskirts of A").
PARTIAL_NOUNS = frozenset({"part", "parts", "outskirts", "edge", "edges", "entrance", "entrances", "outskirt",
                           "neighbourhood", "neighborhood", "neighbourhoods", "neighborhoods", "district",
                           "districts", "quarter", "quarters", "building", "buildings", "section", "sections",
                           "half", "most", "much", "some", "portion", "portions", "perimeter", "periphery",
                           "position", "positions", "point", "points", "checkpoint", "checkpoints", "hill", "hills",
                           "street", "streets", "square", "block", "blocks", "side", "sides", "flank", "areas",
                           "area", "heights", "road", "roads", "highway", "base", "airport", "farms", "farm"})

# A head above the verb that makes the change not (yet) happen: "tried to capture", "an attempt to seize".
UNREAL_HEADS = frozenset({"try", "attempt", "fail", "aim", "plan", "seek", "want", "threaten", "prepare", "hope",
                          "intend", "vow", "pledge", "refuse", "push", "bid", "effort", "offensive", "operation",
                          "battle", "fight", "struggle", "campaign", "advance", "move", "mobilize", "mobilise",
                          "launch", "begin", "start", "need", "expect", "unable", "race",
                          "order", "call", "urge", "ask", "promise", "decide", "agree", "would", "goal",
                          "objective", "way", "chance", "attack", "assault", "drive", "threat", "close", "verge",
                          "brink", "poise", "poised", "failure", "about", "due", "likely", "ready", "eager",
                          "determined", "keen", "set", "near", "preparation", "allow", "permit", "enable"})
# "managed to", "succeeded in": a head above the verb that keeps the change real.
REAL_HEADS = frozenset({"manage", "succeed", "go", "able"})
# Auxiliaries that make the verb hypothetical or future.
UNREAL_AUX = frozenset({"will", "would", "could", "might", "may", "should", "can", "must", "shall", "wo", "ca"})
# Conjunctions that make a clause conditional.
CONDITIONAL_MARKS = frozenset({"if", "unless", "whether", "lest"})
# Speech verbs whose subject is the speaker, not the actor ("the SDF said IS fled").
SPEECH_VERBS = frozenset({"say", "report", "claim", "announce", "state", "tell", "confirm", "add", "deny",
                          "declare"})

# Past forms the tagger sometimes misreads as nouns or names; read as the verb they are.
IRREGULAR = {"retook": "retake", "overran": "overrun", "took": "take", "retaken": "retake", "overrun": "overrun",
             "drove": "drive", "driven": "drive", "fled": "flee", "lost": "lose", "fell": "fall", "won": "win",
             "swept": "sweep", "recaptured": "recapture", "captured": "capture", "seized": "seize",
             "liberated": "liberate", "regained": "regain", "ousted": "oust", "expelled": "expel"}

# Nouns for armed men: "our forces", "the fighters" name a side by reference, and "fighters from IS" by "from".
ARMED_NOUNS = frozenset({"force", "fighter", "unit", "troop", "soldier", "militia", "militiaman", "faction",
                         "group", "brigade", "battalion", "army", "man", "rebel", "militant"})
