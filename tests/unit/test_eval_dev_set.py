"""The dev-set targets of the understanding logic (real reports, read from ../shared/data)."""

from __future__ import annotations

from pathlib import Path

from villagewatch.evaluation import evaluate


def test_dev_set_meets_targets(dev_reports: Path) -> None:
    score = evaluate(dev_reports)
    assert score.reports >= 10
    assert score.precision >= 0.95, score.details
    assert score.recall >= 0.90, score.details
    assert score.false_on_empty == 0, score.details
