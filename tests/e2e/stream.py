"""A stream of our own reports for the failure and scale tests: one change per village, half of them
reported by a second outlet too, so the final alert versions are known in advance (by `replay`)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import orjson

from tests.conftest import Topic, wait_until_or_false
from villagewatch.settings import Settings
from villagewatch.understanding.gazetteer import get_gazetteer, lookup_key

FIRST = """DATE: 2016-05-10
SOURCE: Desk A

Local sources said the SDF took control of the village of {v} from the Islamic State on Monday after heavy fighting.
"""
SECOND = """DATE: 2016-05-11
SOURCE: Desk B

Residents told us by phone that Kurdish-led fighters had seized {v} on Monday; the Islamic State retreated south.
"""


def villages(n: int, governorates: tuple[str, ...] = ("SY08",)) -> list[str]:
    """Communities (of Hasakah unless said) with plain one- or two-word names no other community shares, and
    no word shared with another one chosen: our templated reports of "Qutba" and "Lower Qutba" are near-
    duplicates (one story, one place more), and which is the first copy depends on arrival order, so the
    offline replay and the live pipeline could count them differently."""
    gaz = get_gazetteer()
    out: list[str] = []
    words: set[str] = set()
    for c in gaz.communities:
        if c.admin1 in governorates and re.fullmatch(r"[A-Z][a-z]{3,}(?: [A-Z][a-z]{3,})?", c.name_en) \
                and len(gaz.index[lookup_key(c.name_en)]) == 1 and not words & set(c.name_en.lower().split()):
            out.append(c.name_en)
            words.update(c.name_en.lower().split())
        if len(out) == n:
            break
    return out


def write_reports(tmp: Path, names: list[str]) -> list[Path]:
    files = []
    for i, v in enumerate(names):
        for n, template in enumerate([FIRST] + ([SECOND] if i % 2 == 0 else [])):
            f = tmp / f"{i:02d}-{n}.txt"
            f.write_text(template.format(v=v))
            files.append(f)
    return files


def final(alerts: list[dict]) -> dict[str, int]:
    latest: dict[str, int] = {}
    for a in alerts:
        latest[a["alert_id"]] = max(latest.get(a["alert_id"], 0), a["version"])
    return latest




def submit(settings: Settings, batch: list[Path]) -> None:
    """`villagewatch submit` the files, as a user would."""
    done = subprocess.run([sys.executable, "-m", "villagewatch.cli", "submit", *map(str, batch)],
                          env={**os.environ, **settings.env()}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def assert_exactly_final(alerts: Topic, expected: dict[str, int], timeout: float = 150,
                         tick: Callable[[], object] = lambda: None) -> None:
    """Every alert reaches the version `replay` predicts, and no (alert_id, version) is published twice;
    `tick` runs at every poll (the scale-out test restarts exited workers there)."""

    def settled() -> bool:
        tick()
        return final([orjson.loads(v) for _, v in alerts.poll()]) == expected

    if not wait_until_or_false(settled, timeout):
        got = final([orjson.loads(v) for _, v in alerts.messages])
        wrong = {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v}
        raise AssertionError(f"alerts not at their final versions (expected, got): {wrong}")
    published = [(a["alert_id"], a["version"]) for a in (orjson.loads(v) for _, v in alerts.poll())]
    twice = sorted(p for p, n in Counter(published).items() if n > 1)
    assert not twice, f"published twice: {twice}; all: {published}"


def post_until_accepted(url: str, body: bytes, deadline: float) -> tuple[int, int]:
    """POST a report as a careful client does: again after a refused connection or a 5xx (ingest down or
    restarting) until it answers, by the deadline. (status, attempts)."""
    answers: list[int | None] = []

    def answered() -> bool:
        answers.append(_post(url, body))
        return answers[-1] is not None

    if not wait_until_or_false(answered, max(0.0, deadline - time.monotonic()), interval=0.2):
        raise TimeoutError(f"{url} answered no POST but with refusals or 5xx by the deadline ({len(answers)} tries)")
    status = answers[-1]
    assert status is not None
    return status, len(answers)


def _post(url: str, body: bytes) -> int | None:
    """The status of one POST, or None for a refused connection, a timeout or a 5xx."""
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "text/plain"}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code if exc.code < 500 else None
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None
