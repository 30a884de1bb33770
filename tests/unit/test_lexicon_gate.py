"""The control-word gate (`lexicon.CONTROL_WORD_PREFIXES`) lets through every sentence that holds a word of the
lexicons: a lemma without a prefix there would be read in no sentence that holds only it."""

from __future__ import annotations

import pytest

from villagewatch.understanding import lexicon as lx
from villagewatch.understanding.control import has_control_word

LEMMAS = sorted((lx.TAKE_VERBS | lx.EXPEL_VERBS | lx.LEAVE_VERBS | lx.CEDE_VERBS | lx.FALL_VERBS | lx.TAKE_NOUNS
                 | lx.LOSS_NOUNS | lx.ENTER_VERBS) - lx.NOT_GATED)


@pytest.mark.parametrize("lemma", LEMMAS)
def test_every_lemma_passes_the_gate(lemma: str) -> None:
    assert any(lemma.startswith(p) for p in lx.CONTROL_WORD_PREFIXES), f"{lemma!r} has no prefix in the gate"


def test_walking_in_as_the_others_melt_away_is_read() -> None:
    assert has_control_word("Rebels walked into the village as the troops melted away.")
    assert not has_control_word("Troops advanced in the province on Monday.")
