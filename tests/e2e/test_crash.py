"""kill -9 a service in the middle of a stream and restart it: no accepted report lost, no alert twice."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from tests.conftest import wait_until
from villagewatch.alert.tracking import Tracking
from villagewatch.pipeline import replay
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


def villages(n: int) -> list[str]:
    """Hasakah communities with plain one- or two-word names that no other community shares."""
    gaz = get_gazetteer()
    out = []
    for c in gaz.communities:
        if c.admin1 == "SY08" and re.fullmatch(r"[A-Z][a-z]{3,}(?: [A-Z][a-z]{3,})?", c.name_en) \
                and len(gaz.index[lookup_key(c.name_en)]) == 1:
            out.append(c.name_en)
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


@pytest.mark.parametrize("victim", ["alert", "enrich"])
def test_kill_9_mid_stream(victim: str, settings: Settings, system, topic, tmp_path: Path) -> None:
    files = write_reports(tmp_path, villages(12))
    expected = {a.alert_id: a.version for a in replay([str(f) for f in files], Tracking(everything=True))}
    assert len(expected) == 12 and sorted(set(expected.values())) == [1, 2]

    running = system()
    alerts = topic("alerts")
    env = {**os.environ, **settings.env()}

    def submit(batch: list[Path]) -> None:
        done = subprocess.run([sys.executable, "-m", "villagewatch.cli", "submit", *map(str, batch)], env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr

    half = len(files) // 2
    submit(files[:half])
    alerts.wait_for(2)
    running.crash_and_restart(victim)
    submit(files[half:])

    wait_until(lambda: final([orjson.loads(v) for _, v in alerts.poll()]) == expected, 150,
               what="every alert at its final version")
    published = [(a["alert_id"], a["version"]) for a in (orjson.loads(v) for _, v in alerts.poll())]
    twice = sorted(p for p in set(published) if published.count(p) > 1)
    assert not twice, f"published twice: {twice}; all: {published}"
