"""`villagewatch eval`: per-set rows, the total, JSON, --check; and the labelled train set's floor.

The fixture reports are our own invented sentences; the real labelled reports stay in ../shared/data.
"""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from villagewatch.cli import main
from villagewatch.evaluation import Check, Score, evaluate, evaluate_sets, score_one, table, total
from villagewatch.ingest.parse import build_report, parse_text
from villagewatch.understanding.extract import extract

SHARED_REPORTS = Path(__file__).resolve().parents[3] / "shared" / "data" / "reports"

# (id, text, gold control changes) per set; two sets with different names.
NORTH = [
    ("01", "Government forces took control of the village of Kafr Nabl on Tuesday, local activists said.",
     [{"place": "Kafr Nabl", "place_pcode": None, "new_controller": "government",
       "previous_controller": None, "verified": True}]),
    ("02", "Shelling hit the outskirts of Kafr Nabl overnight; nobody claimed any gains.", []),
    ("03", "Rebel fighters captured the villages of Deir Sunbul and Maarzaf from government forces on Friday.",
     [{"place": "Deir Sunbul", "place_pcode": None, "new_controller": "opposition",
       "previous_controller": "government", "verified": True},
      {"place": "Maarzaf", "place_pcode": None, "new_controller": "opposition",
       "previous_controller": "government", "verified": True}]),
]
SOUTH = [
    ("11", "The SDF seized the village of Umm Hajara from the Islamic State on Sunday, residents said.",
     [{"place": "Umm Hajara", "place_pcode": None, "new_controller": "kurdish-led",
       "previous_controller": "islamic-state", "verified": True}]),
    ("12", "Islamic State fighters attacked the village of Tell Sha'ir but were repelled, residents said.", []),
]


def write_set(root: Path, name: str, items: list[tuple[str, str, list[dict]]]) -> Path:
    d = root / name
    d.mkdir()
    for rid, body, changes in items:
        (d / f"{rid}.txt").write_text(f"DATE: 2016-03-01\nSOURCE: test desk\n\n{body}\n", encoding="utf-8")
        (d / f"{rid}.gold.json").write_bytes(orjson.dumps({"id": rid, "control_changes": changes}))
    return d


@pytest.fixture
def two_sets(tmp_path: Path) -> tuple[Path, Path]:
    return write_set(tmp_path, "north", NORTH), write_set(tmp_path, "south", SOUTH)


def n_changes(items: list[tuple[str, str, list[dict]]]) -> int:
    return sum(len(changes) for _, _, changes in items)


def counts(summary: dict) -> dict[str, int]:
    c = summary["control_changes"]
    return {"reports": summary["reports"], "tp": c["tp"], "fp": c["fp"], "fn": c["fn"],
            "without": summary["reports_without_change"],
            "false_on_them": summary["false_changes_on_reports_without_change"]}


def test_json_has_one_summary_per_set_and_a_total_of_the_counts(two_sets, capsys) -> None:
    north, south = two_sets
    assert main(["eval", str(north), str(south), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"sets", "total"}
    assert list(out["sets"]) == ["north", "south"]
    for name, items in (("north", NORTH), ("south", SOUTH)):
        s = counts(out["sets"][name])
        assert s["reports"] == len(items)
        assert s["tp"] + s["fn"] == n_changes(items)
        assert s["without"] == sum(1 for _, _, changes in items if not changes)
    t, parts = counts(out["total"]), [counts(s) for s in out["sets"].values()]
    assert t == {k: sum(p[k] for p in parts) for k in t}
    tp, fp = t["tp"], t["fp"]
    assert out["total"]["control_changes"]["precision"] == round(tp / (tp + fp) if tp + fp else 1.0, 4)


def test_details_come_with_json_only_on_request(two_sets, capsys) -> None:
    north, south = two_sets
    assert main(["eval", str(north), str(south), "--json", "--details"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out["details"]) == ["north", "south"]
    for name in ("north", "south"):
        c = out["sets"][name]["control_changes"]
        assert len(out["details"][name]) == c["fp"] + c["fn"]


def test_table_has_a_row_per_set_and_a_total_row(two_sets, capsys) -> None:
    north, south = two_sets
    assert main(["eval", str(north), str(south)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["set", "north", "south", "total"]
    header = lines[0]
    for column in ("reports", "tp", "fp", "fn", "precision", "recall", "F1", "prev-controller acc",
                   "verified acc", "no-change reports", "false changes on them"):
        assert column in header
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:]}
    for i in (0, 1, 2, 3, 9, 10):  # reports, tp, fp, fn, no-change reports, false changes on them
        assert int(rows["total"][i]) == int(rows["north"][i]) + int(rows["south"][i])


def test_one_set_has_no_total_row_and_details_list_each_error(two_sets, capsys) -> None:
    north, _ = two_sets
    assert main(["eval", str(north), "--details"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[:2]] == ["set", "north"]
    assert all(line.startswith("north 0") and (": missed: " in line or ": false positive: " in line)
               for line in lines[2:])
    score = evaluate(north)
    assert len(lines) - 2 == score.fp + score.fn


def test_check_passes_at_zero_and_fails_above_one(two_sets, capsys) -> None:
    north, south = two_sets
    assert main(["eval", str(north), str(south), "--check", "north:0:0", "--check", "total:0:0"]) == 0
    capsys.readouterr()
    assert main(["eval", str(north), str(south), "--check", "south:1.01:0", "--check", "total:0:1.01"]) == 1
    err = capsys.readouterr().err
    assert "south: precision" in err and "below the minimum 1.01" in err
    assert "total: recall" in err


def test_check_naming_no_set_or_malformed_is_a_usage_error(two_sets, capsys) -> None:
    north, _ = two_sets
    assert main(["eval", str(north), "--check", "train:0.9:0.5"]) == 2
    assert "no such set" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["eval", str(north), "--check", "north:0.9"])
    assert exc.value.code == 2
    assert Check.parse("a:b:0.5:0.25") == Check("a:b", 0.5, 0.25)


def test_missing_or_unlabelled_directory_is_exit_2(tmp_path: Path, two_sets, capsys) -> None:
    north, _ = two_sets
    assert main(["eval", str(north), str(tmp_path / "absent")]) == 2
    assert "absent is not a directory" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "01.txt").write_text("Government forces took the village of Kafr Nabl.\n")
    assert main(["eval", str(tmp_path / "empty")]) == 2
    assert "holds no *.gold.json" in capsys.readouterr().err


def test_two_sets_of_one_name_are_refused(tmp_path: Path, capsys) -> None:
    a = write_set(tmp_path, "a", SOUTH)
    b = tmp_path / "b"
    b.mkdir()
    write_set(b, "a", SOUTH)
    assert main(["eval", str(a), str(b / "a")]) == 2
    assert "two sets are named 'a'" in capsys.readouterr().err


def test_total_sums_counts_rather_than_averaging_ratios() -> None:
    big, small = Score(), Score()
    gold = [{"place": f"Village {i}", "new_controller": "government"} for i in range(9)]
    score_one(gold, gold, big, "big")  # 9 of 9
    score_one([{"place": "Elsewhere", "new_controller": "opposition"}],
              [{"place": "Somewhere", "new_controller": "government"}], small, "small")  # 0 of 1, one false
    t = total([big, small])
    assert (t.tp, t.fp, t.fn, t.reports) == (9, 1, 1, 2)
    assert t.precision == 0.9 and t.recall == 0.9  # not (1.0 + 0.0) / 2
    assert len(t.details) == 2
    assert table({"big": big, "small": small}).splitlines()[-1].split()[:8] == [
        "total", "2", "9", "1", "1", "0.900", "0.900", "0.900"]


@pytest.fixture
def train_reports() -> Path:
    path = SHARED_REPORTS / "train"
    if not path.is_dir():
        pytest.skip(f"labelled reports not found at {path} (they live in ../shared/data, outside the repo)")
    return path


def test_train_set_meets_the_current_floor(train_reports: Path) -> None:
    """Issue 11's train figures (precision 0.95, recall 0.90; it reads 0.955 / 0.955 today). The validation row
    is printed only: it must stay a measure."""
    dirs = [train_reports] + [d for d in [SHARED_REPORTS / "validation"] if d.is_dir()]
    scores = evaluate_sets(dirs)
    print("\n" + table(scores))
    train = scores["train"]
    assert train.reports >= 10
    assert train.precision >= 0.95, train.details
    assert train.recall >= 0.90, train.details


def test_the_seed_report_gives_its_seven_unverified_government_takeovers_and_nothing_else(
        train_reports: Path) -> None:
    report = build_report(parse_text((train_reports / "seed.txt").read_text(encoding="utf-8")))
    changes = extract(report).to_contract()["control_changes"]
    assert len(changes) == 7
    assert {(c["new_controller"], c["verified"], c["background"]) for c in changes} == {("government", False, False)}
