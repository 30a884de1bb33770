"""Near-duplicate fingerprints: re-edits of one story match, different write-ups do not.

The threshold (0.5 estimated Jaccard over 5-word shingles) sits between the two groups measured
here: light edits of one story score 0.69-0.91, the most similar pair of different dev-set articles
(two items carrying the same agency material) 0.25.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from villagewatch.ingest.parse import build_report, parse_text
from villagewatch.understanding.dedup import NEAR_DUPLICATE, fingerprint, near_duplicate, similarity

SAMPLE = Path(__file__).resolve().parents[2] / "services" / "villagewatch" / "samples" / "hasakah-sample.txt"


def body() -> str:
    return parse_text(SAMPLE.read_text())["text"]


def test_re_edits_are_near_duplicates() -> None:
    text = body()
    edits = [
        text + "\n\nFollow us on social media for more. Share this story with your friends today.",
        "BREAKING: army advances south of Hasakah\n\n" + text,
        text[: len(text) * 2 // 3],
        text.replace("Regime-aligned outlets said", "Pro-government media reported")
            .replace("three mortar rounds", "several mortar shells"),
    ]
    for edit in edits:
        assert near_duplicate(fingerprint(text), fingerprint(edit)), similarity(fingerprint(text), fingerprint(edit))


def test_own_words_about_the_same_event_are_not() -> None:
    other = ("Government troops and allied militia were reported to have entered seven hamlets to the south of "
             "Hasakah on Thursday, including Masoom and Hanash, according to state television. Residents we "
             "reached by phone said they could not confirm it.")
    assert similarity(fingerprint(body()), fingerprint(other)) < NEAR_DUPLICATE


def test_fingerprint_is_deterministic_and_small() -> None:
    assert fingerprint(body()) == fingerprint(body())
    assert len(fingerprint(body())) == 32
    assert fingerprint("") == ()


def test_different_dev_articles_stay_below_the_threshold(dev_reports: Path) -> None:
    prints = {p.stem: fingerprint(build_report(parse_text(p.read_text())).text) for p in dev_reports.glob("*.txt")}
    worst = max(similarity(prints[a], prints[b]) for a, b in itertools.combinations(prints, 2))
    assert worst < NEAR_DUPLICATE
