"""Scoring `extract` against hand-labelled reports (NN.txt beside NN.gold.json)."""

from __future__ import annotations

from dataclasses import dataclass, field
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
            score.prev_right += p.get("previous_controller") == hit.get("previous_controller")
            score.verified_total += 1
            score.verified_right += bool(p.get("verified")) == bool(hit.get("verified"))
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


def evaluate(directory: Path) -> Score:
    score = Score()
    for gold_path in sorted(directory.glob("*.gold.json")):
        rid = gold_path.name.removesuffix(".gold.json")
        text_path = directory / f"{rid}.txt"
        if not text_path.exists():
            continue
        gold = orjson.loads(gold_path.read_bytes())
        report = build_report(parse_text(text_path.read_text(encoding="utf-8")))
        pred = extract(report).to_contract()["control_changes"]
        score_one(pred, gold.get("control_changes", []), score, rid)
    return score


def table(score: Score) -> str:
    s = score.summary()
    c = s["control_changes"]
    rows = [
        ("reports", s["reports"]),
        ("control changes tp / fp / fn", f"{c['tp']} / {c['fp']} / {c['fn']}"),
        ("precision", f"{c['precision']:.3f}"),
        ("recall", f"{c['recall']:.3f}"),
        ("F1", f"{c['f1']:.3f}"),
        ("previous_controller accuracy", s["previous_controller_accuracy"]),
        ("verified accuracy", s["verified_accuracy"]),
        ("reports without a change", s["reports_without_change"]),
        ("false changes on those", s["false_changes_on_reports_without_change"]),
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)
