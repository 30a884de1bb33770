"""Place resolution: transliteration variants, context, ambiguity, places the gazetteer lacks."""

from __future__ import annotations

import pytest

from villagewatch.understanding.gazetteer import get_gazetteer
from villagewatch.understanding.text import name_key, skeleton

HASAKAH = "Fighting went on in Hasakah province, northeastern Syria."


@pytest.mark.parametrize(
    ("name", "pcode"),
    [
        ("Tel Hormuz", "C4390"),   # gazetteer: Tal Hermez
        ("Tal Hourmiz", "C4390"),
        ("Te Majdal", "C4343"),    # typo in the source
        ("Tel Majdal", "C4343"),
        ("al-Twaina", "C4351"),    # gazetteer: Tweineh
        ("Tel Hamees", "C4639"),   # gazetteer: Tal Hmis
        ("Tell Birak", "C4477"),   # gazetteer: Tal Brak
        ("تل براك", "C4477"),      # Arabic script
        ("Serêkaniyê", "C4988"),   # Kurdish for Ras al-Ain (local_names.csv)
        ("Amûdê", "C4688"),        # Kurdish for Amuda
        ("Dirbesiye", "C5054"),    # Kurdish for Darbasiyah, without diacritics
    ],
)
def test_variants_resolve_to_the_gazetteer_entry(name: str, pcode: str) -> None:
    gaz = get_gazetteer()
    place = gaz.resolve(name, gaz.admin_context(HASAKAH))
    assert place.pcode == pcode
    assert place.place_id == pcode


def test_spelling_keys() -> None:
    assert skeleton("Tel Hormuz") == skeleton("Tal Hermez")
    assert name_key("al-Hasakah") == name_key("Al Hasakah")
    assert skeleton("Tel Hamis") != skeleton("Tel Tamer")


@pytest.mark.parametrize(
    ("name", "key", "readable"),
    [("Tell Birak", "tal brk", "tal birak"), ("Al-Hasakah", "hsk", "hasakah"), ("Ḥamīdīyah", "hmd", "hamidiyah"),
     ("Qamishli", "kmxl", "qamishli"), ("Khirbet el-Sheikh", "hrbt x", "khirbet sheikh"),
     ("Tal Hmis (Tal Hamees)", "tal hms", "tal hmis"), ("تل براك", "تل براك", "تل براك"),
     ("Ouwainah", "awn", "ouwainah"), ("Ras al-Ain", "rs an", "ras ain"), ("Te Majdal", "tal mjdl", "tal majdal")],
)
def test_spelling_keys_stay_what_ids_were_made_of(name: str, key: str, readable: str) -> None:
    """Place ids and the gazetteer index are built from these keys: a faster key function must give the same."""
    assert (skeleton(name), name_key(name)) == (key, readable)


def test_unknown_place_gets_a_stable_id_in_its_governorate() -> None:
    gaz = get_gazetteer()
    ctx = gaz.admin_context(HASAKAH)
    a = gaz.resolve("Hanash", ctx)
    b = gaz.resolve("Hanaash", ctx)
    assert a.pcode is None
    assert a.place_id == b.place_id == "x-SY08-hnx"


def test_name_outside_the_reports_governorate_is_not_guessed() -> None:
    gaz = get_gazetteer()
    place = gaz.resolve("Kobani", gaz.admin_context(HASAKAH))
    assert place.pcode is None
    assert place.candidates  # the near match elsewhere is listed, not taken


def test_ambiguous_name_lists_candidates() -> None:
    gaz = get_gazetteer()
    # Several communities share this name across Syria; with no context none is picked.
    name = next(k for k, v in gaz.index.items() if len({c.admin1 for c in v}) > 2 and len(k) > 4)
    place = gaz.resolve(gaz.index[name][0].name_en, gaz.admin_context("no place named here"))
    assert place.pcode is None
    assert len(place.candidates) >= 2


def test_context_from_district_names_breaks_ties() -> None:
    gaz = get_gazetteer()
    ctx = gaz.admin_context("Ras al-Ain district, Hasakah")
    assert "SY08" in ctx and "SY0804" in ctx
    assert ctx.primary == "SY08"


def test_place_ids_do_not_depend_on_the_process() -> None:
    """Alert ids derive from place ids, so every worker must resolve a name alike: a report naming two
    governorates equally once gave each process its own primary governorate (set order under hash seeds)."""
    import os
    import subprocess
    import sys

    code = ("from villagewatch.understanding.gazetteer import get_gazetteer\n"
            "print(get_gazetteer().admin_context('Fighting near Hasakah and clashes near Daraa.').primary)")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(1, 7)}
    assert len(runs) == 1, runs


def test_one_edit_index_finds_what_a_full_scan_finds() -> None:
    """The symmetric-delete index gives the same near names, in the same order, as scanning every key of
    the governorates with Levenshtein distance <= 1 (what it replaced)."""
    import random

    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    gaz = get_gazetteer()
    rng = random.Random(5)
    for admin1s in (frozenset({"SY08"}), frozenset({"SY08", "SY02", "SY11"})):
        pool = [k for a1 in sorted(admin1s) for k in gaz.by_admin1[a1]]
        for key in rng.sample(pool, 150):
            i = rng.randrange(len(key))
            for query in (key[:i] + key[i + 1 :], key[:i] + "x" + key[i + 1 :], key[:i] + "e" + key[i:]):
                hits = process.extract(query, pool, scorer=Levenshtein.distance, score_cutoff=1, limit=None)
                scanned = tuple(c for k, _, _ in hits for c in gaz.index[k] if c.admin1 in admin1s)
                assert gaz._near(query, admin1s) == scanned, query


def test_run_keys_from_word_tokens_equal_the_keys_of_the_runs() -> None:
    """Admin areas are looked up by the key of every run of words in a capitalised phrase, built from each
    word's tokens once; it must equal `skeleton` of the run itself (articles and Tel rules at the end)."""
    from villagewatch.bench import synthetic_reports
    from villagewatch.understanding.mentions import NAME
    from villagewatch.understanding.text import skeleton_of_tokens, word_tokens

    phrases = {p for r in synthetic_reports(50, seed=12) for p in NAME.findall(r.text)}
    phrases |= {"Ras al-Ain", "Tal Te Abyad", "Al Hasakah Al", "Tell Ti", "Khirbet el-Sheikh Ash", "Qamishli’s",
                "Ḥamīdīyah Te", "Deir ez-Zor", "A (B) C", "Jabal عبد Aziz"}
    checked = 0
    for phrase in phrases:
        words = phrase.split()
        for n in range(1, len(words) + 1):
            for i in range(len(words) - n + 1):
                parts = [word_tokens(w) for w in words[i : i + n]]
                if all(p is not None for p in parts):
                    tokens = [t for p in parts if p is not None for t in p]
                    assert skeleton_of_tokens(tokens) == skeleton(" ".join(words[i : i + n])), words[i : i + n]
                    checked += 1
    assert checked > 500


def test_each_local_name_points_at_the_community_its_row_names() -> None:
    """local_names.csv (ours) maps a Kurdish or Turkish town name to a P-code; the row also names the community,
    so a mistyped P-code (another village) fails here."""
    import csv

    from villagewatch.understanding.gazetteer import DATA

    gaz = get_gazetteer()
    with (DATA / "local_names.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows
    for row in rows:
        assert gaz.by_pcode[row["pcode"]].name_en == row["gazetteer_name"], row
