"""Scoring `extract` against hand-labelled reports (NN.txt beside NN.gold.json), one or several sets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import orjson

from villagewatch.ingest.parse import build_report, parse_text
from villagewatch.understanding.extract import extract
from villagewatch.understanding.text import name_key, skeleton


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    prev_right: int = 0
    prev_total: int = 0
    verified_right: int = 0
    verified_total: int = 0
    false_on_empty: int = 0
    empty_reports: int = 0
    reports: int = 0
    details: list[dict[str, Any]] = field(default_factory=list)

    def __add__(self, other: Score) -> Score:
        """Counts summed (so a total's ratios are over all changes, not a mean of the sets' ratios)."""
        return Score(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "reports": self.reports,
            "control_changes": {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                                "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                                "f1": round(self.f1, 4)},
            "previous_controller_accuracy": round(self.prev_right / self.prev_total, 4) if self.prev_total else None,
            "verified_accuracy": round(self.verified_right / self.verified_total, 4) if self.verified_total else None,
            "reports_without_change": self.empty_reports,
            "false_changes_on_reports_without_change": self.false_on_empty,
        }


def same_place(pred: dict[str, Any], gold: dict[str, Any]) -> bool:
    """Matched on P-code when both have one, else on the normalised (or spelling-insensitive) name."""
    if pred.get("place_pcode") and gold.get("place_pcode") and pred["place_pcode"] == gold["place_pcode"]:
        return True
    a, b = pred.get("place") or "", gold.get("place") or ""
    return name_key(a) == name_key(b) or skeleton(a) == skeleton(b)


def score_one(pred: list[dict[str, Any]], gold: list[dict[str, Any]], score: Score, rid: str) -> None:
    main = [g for g in gold if not g.get("background")]
    background = [g for g in gold if g.get("background")]
    unmatched = list(main)
    score.reports += 1
    if not main:
        score.empty_reports += 1
    false_here = 0
    for p in pred:
        hit = next((g for g in unmatched if same_place(p, g) and p["new_controller"] == g["new_controller"]), None)
        if hit is not None:
            unmatched.remove(hit)
            score.tp += 1
            score.prev_total += 1
            if p.get("previous_controller") == hit.get("previous_controller"):
                score.prev_right += 1
            else:
                score.details.append({"report": rid, "previous_wrong": p,
                                      "gold_previous": hit.get("previous_controller")})
            score.verified_total += 1
            if bool(p.get("verified")) == bool(hit.get("verified")):
                score.verified_right += 1
            else:
                score.details.append({"report": rid, "verified_wrong": p})
            continue
        if any(same_place(p, g) and p["new_controller"] == g["new_controller"] for g in background + main):
            continue
        score.fp += 1
        false_here += 1
        score.details.append({"report": rid, "false_positive": p})
    score.fn += len(unmatched)
    score.details.extend({"report": rid, "missed": g} for g in unmatched)
    if not main and false_here:
        score.false_on_empty += false_here


class EvalError(ValueError):
    """A set that cannot be scored: a missing directory, one without labels, two sets of one name."""


TOTAL = "total"


def evaluate(directory: Path) -> Score:
    if not directory.is_dir():
        raise EvalError(f"{directory} is not a directory (the labelled reports live in ../shared/data/reports)")
    gold_paths = sorted(directory.glob("*.gold.json"))
    if not gold_paths:
        raise EvalError(f"{directory} holds no *.gold.json labels (expected NN.txt beside NN.gold.json)")
    score = Score()
    for gold_path in gold_paths:
        rid = gold_path.name.removesuffix(".gold.json")
        text_path = directory / f"{rid}.txt"
        if not text_path.exists():
            continue
        gold = orjson.loads(gold_path.read_bytes())
        report = build_report(parse_text(text_path.read_text(encoding="utf-8")))
        pred = extract(report).to_contract()["control_changes"]
        score_one(pred, gold.get("control_changes", []), score, rid)
    return score


def set_name(directory: Path) -> str:
    return directory.name or directory.resolve().name


def evaluate_sets(directories: Iterable[Path]) -> dict[str, Score]:
    """One score per directory, keyed by its basename. Every directory is checked before any is scored."""
    dirs = list(directories)
    names: dict[str, Path] = {}
    for d in dirs:
        if not d.is_dir():
            raise EvalError(f"{d} is not a directory (the labelled reports live in ../shared/data/reports)")
        if not any(d.glob("*.gold.json")):
            raise EvalError(f"{d} holds no *.gold.json labels (expected NN.txt beside NN.gold.json)")
        name = set_name(d)
        if name in names:
            raise EvalError(f"two sets are named {name!r} ({names[name]} and {d}); a set is named by its directory")
        if name == TOTAL and len(dirs) > 1:
            raise EvalError(f"a set cannot be named {TOTAL!r} ({d}) beside others: that is the total row's name")
        names[name] = d
    return {name: evaluate(d) for name, d in names.items()}


def total(scores: Iterable[Score]) -> Score:
    return sum(scores, Score())


def report(scores: dict[str, Score], details: bool = False) -> dict[str, Any]:
    """What `eval --json` prints: {"sets": {name: summary}, "total": summary} (+ "details" on request)."""
    out: dict[str, Any] = {"sets": {name: s.summary() for name, s in scores.items()},
                           "total": total(scores.values()).summary()}
    if details:
        out["details"] = {name: s.details for name, s in scores.items()}
    return out


COLUMNS = ("set", "reports", "tp", "fp", "fn", "precision", "recall", "F1", "prev-controller acc",
           "verified acc", "no-change reports", "false changes on them")


def _row(name: str, score: Score) -> list[str]:
    s = score.summary()
    c = s["control_changes"]

    def acc(v: float | None) -> str:
        return "-" if v is None else f"{v:.3f}"

    return [name, str(s["reports"]), str(c["tp"]), str(c["fp"]), str(c["fn"]), f"{c['precision']:.3f}",
            f"{c['recall']:.3f}", f"{c['f1']:.3f}", acc(s["previous_controller_accuracy"]),
            acc(s["verified_accuracy"]), str(s["reports_without_change"]),
            str(s["false_changes_on_reports_without_change"])]


def table(scores: dict[str, Score]) -> str:
    """One row per set, plus a total row when there are two or more sets."""
    rows = [list(COLUMNS)] + [_row(name, s) for name, s in scores.items()]
    if len(scores) > 1:
        rows.append(_row(TOTAL, total(scores.values())))
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    return "\n".join(
        "  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths, strict=True))).rstrip()
        for r in rows
    )


def detail_lines(scores: dict[str, Score]) -> list[str]:
    """Each miss, false positive, wrong previous controller and wrong `verified`, by set and report."""
    lines = []
    for name, score in scores.items():
        for d in score.details:
            if "verified_wrong" in d:
                item = d["verified_wrong"]
                lines.append(f"{name} {d['report']}: verified wrong: {item.get('place')} -> "
                             f"{item.get('new_controller')} read as verified={bool(item.get('verified'))}")
                continue
            if "previous_wrong" in d:
                item = d["previous_wrong"]
                lines.append(f"{name} {d['report']}: previous wrong: {item.get('place')} -> "
                             f"{item.get('new_controller')} read as from {item.get('previous_controller')}, "
                             f"labelled from {d['gold_previous']}")
                continue
            kind = "missed" if "missed" in d else "false positive"
            item = d.get("missed") or d.get("false_positive") or {}
            lines.append(f"{name} {d['report']}: {kind}: {item.get('place')} -> {item.get('new_controller')}")
    return lines


@dataclass(frozen=True)
class Check:
    """`NAME:P:R`: the set NAME (or `total`) must reach precision P and recall R."""

    name: str
    min_precision: float
    min_recall: float

    @classmethod
    def parse(cls, text: str) -> Check:
        parts = text.rsplit(":", 2)
        if len(parts) != 3 or not parts[0]:
            raise ValueError(f"{text!r}: expected NAME:MIN_PRECISION:MIN_RECALL, e.g. train:0.95:0.90")
        try:
            p, r = float(parts[1]), float(parts[2])
        except ValueError:
            raise ValueError(f"{text!r}: precision and recall must be numbers, e.g. train:0.95:0.90") from None
        return cls(parts[0], p, r)


def check_failures(scores: dict[str, Score], checks: Sequence[Check]) -> list[str]:
    """One message for each threshold not met; a check naming no set raises EvalError."""
    known = {**scores, TOTAL: total(scores.values())}
    failures = []
    for c in checks:
        if c.name not in known:
            raise EvalError(f"--check {c.name}: no such set (sets: {', '.join([*scores, TOTAL])})")
        s = known[c.name]
        if s.precision < c.min_precision:
            failures.append(f"{c.name}: precision {s.precision:.4f} ({s.tp}/{s.tp + s.fp}) "
                            f"is below the minimum {c.min_precision}")
        if s.recall < c.min_recall:
            failures.append(f"{c.name}: recall {s.recall:.4f} ({s.tp}/{s.tp + s.fn}) "
                            f"is below the minimum {c.min_recall}")
    return failures
