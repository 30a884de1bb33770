"""No single report can hold up the others: at most MAX_EVENTS_PER_REPORT events, the rest dropped and flagged."""

from __future__ import annotations

from villagewatch.ingest.parse import build_report
from villagewatch.understanding.extract import MAX_EVENTS_PER_REPORT, extract
from villagewatch.understanding.gazetteer import get_gazetteer


def names(n: int) -> list[str]:
    """Plain one-word community names from the gazetteer (our own sentences are built around them)."""
    out = [c.name_en for c in get_gazetteer().communities if c.name_en.isalpha() and c.name_en.istitle()]
    return list(dict.fromkeys(out))[:n]


def report(text: str):  # noqa: ANN201 (a Report)
    return build_report({"text": text, "source": "Desk", "published": "2020-01-01"})


def test_a_report_naming_many_places_is_kept_up_to_the_cap_and_flagged() -> None:
    text = " ".join(f"Government forces captured the village of {n} on Monday." for n in names(260))
    result = extract(report(text))
    assert len(result.events) == MAX_EVENTS_PER_REPORT
    assert result.truncated >= 1
    assert all(e.truncated for e in result.events)
    assert result.to_contract()["truncated"] == result.truncated


def test_one_long_list_is_capped_too() -> None:
    text = "Government forces captured the villages of " + ", ".join(names(260)) + " on Monday."
    result = extract(report(text), limit=50)
    assert len(result.events) == 50 and result.truncated > 0


def test_an_ordinary_report_is_not_flagged() -> None:
    result = extract(report("Government forces captured the village of Tal Baydar on Monday."))
    assert result.truncated == 0 and not any(e.truncated for e in result.events)
