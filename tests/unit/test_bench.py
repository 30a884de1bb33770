"""The pipeline benchmark's pure helpers: percentiles, the load mix, the BENCHMARKS.md section."""

from __future__ import annotations

import pytest

from villagewatch.loadmix import (
    CHANGE,
    CONTEXT,
    FILLER,
    INCIDENT,
    MixSpec,
    last_processed,
    latency_summary,
    percentile,
    realistic_mix,
    replace_section,
)

NAMES = [f"Village{chr(65 + i)}{chr(97 + j)}" for i in range(10) for j in range(10)]


def test_percentile_interpolates_between_ranks() -> None:
    xs = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
    assert percentile(xs, 0) == 1.0
    assert percentile(xs, 100) == 10.0
    assert percentile(xs, 50) == pytest.approx(5.5)
    assert percentile(xs, 95) == pytest.approx(9.55)
    assert percentile(reversed(xs), 50) == pytest.approx(5.5)
    assert percentile([3.0], 99) == 3.0
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile(xs, 101)


def test_latency_summary_in_milliseconds() -> None:
    summary = latency_summary([0.1, 0.2, 0.3])
    assert summary == {"p50": 200.0, "p95": 290.0, "p99": 298.0, "max": 300.0, "samples": 3}
    assert latency_summary([])["p99"] is None


def test_mix_is_deterministic_and_has_its_kinds() -> None:
    spec = MixSpec(change_share=0.5, reprint_share=0.1, near_duplicate_share=0.1)
    one = realistic_mix(300, spec, seed=3, names=NAMES)
    two = realistic_mix(300, spec, seed=3, names=NAMES)
    assert [m.report.report_id for m in one] == [m.report.report_id for m in two]
    kinds = {k: sum(1 for m in one if m.kind == k) for k in ("fresh", "change", "reprint", "near-duplicate")}
    assert 15 <= kinds["reprint"] <= 50 and 15 <= kinds["near-duplicate"] <= 50
    fresh = kinds["fresh"] + kinds["change"]
    assert 0.35 < kinds["change"] / fresh < 0.65
    assert len({m.report.report_id for m in one}) == 300  # every report is new to ingest
    dates = [m.report.published for m in one]
    assert dates == sorted(dates)


def test_copies_come_from_another_outlet_and_keep_the_text() -> None:
    mix = realistic_mix(200, MixSpec(reprint_share=0.2, near_duplicate_share=0.2), seed=5, names=NAMES)
    by_id = {m.report.report_id: m for m in mix}
    for m in mix:
        if m.copy_of is None:
            continue
        first = by_id[m.copy_of]
        assert m.report.source != first.report.source
        if m.kind == "reprint":
            assert m.report.text == first.report.text
        else:
            assert m.report.text != first.report.text
            assert len(set(m.report.text.split()) & set(first.report.text.split())) > 0.8 * len(
                set(first.report.text.split()))


def test_change_reports_lead_with_a_change_and_use_the_names_given() -> None:
    mix = realistic_mix(100, MixSpec(change_share=1.0, reprint_share=0, near_duplicate_share=0), names=NAMES)
    assert all(m.kind == "change" for m in mix)
    for m in mix:
        words = m.report.text.replace(",", " ").replace(".", " ").split()
        assert any(w.startswith("Village") for w in words)
        assert any(verb in m.report.text.split("\n\n")[0] for verb in ("took", "captured", "seized", "taken"))


def test_templates_are_ours() -> None:
    # Every sentence the mix writes comes from these tuples; a template has placeholders, never a quote.
    for template in CHANGE + INCIDENT + CONTEXT + FILLER:
        assert "{v}" in template or "{w}" in template


def test_bad_shares_are_refused() -> None:
    with pytest.raises(ValueError):
        MixSpec(change_share=1.5)
    with pytest.raises(ValueError):
        MixSpec(reprint_share=0.6, near_duplicate_share=0.6)


def test_replace_section_keeps_the_rest() -> None:
    doc = "# Benchmarks\n\nintro\n"
    once = replace_section(doc, "realistic", "figures 1")
    assert once.startswith("# Benchmarks\n\nintro\n") and "figures 1" in once
    twice = replace_section(once + "\nnotes\n", "realistic", "figures 2")
    assert "figures 1" not in twice and "figures 2" in twice and twice.endswith("notes\n")
    both = replace_section(twice, "dense", "dense figures")
    assert "figures 2" in both and "dense figures" in both


def test_last_processed_reads_the_newest_timestamp() -> None:
    page = ('# HELP villagewatch_last_processed_timestamp_seconds When\n'
            'villagewatch_last_processed_timestamp_seconds{service="enrich"} 1.7e+09\n'
            'villagewatch_last_processed_timestamp_seconds{service="dedup"} 1.8e+09\n')
    assert last_processed(page) == 1.8e9
    assert last_processed("other_metric 1\n") is None
