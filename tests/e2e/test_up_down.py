"""`villagewatch up` runs the system until `villagewatch down`; `subscribe` prints what arrived."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request

from tests.conftest import wait_until
from villagewatch.settings import Settings


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def test_up_then_down(settings: Settings) -> None:
    env = {**os.environ, **settings.env()}
    up = subprocess.Popen([sys.executable, "-m", "villagewatch.cli", "up"], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    try:
        lines: list[str] = []
        assert up.stdout is not None
        for line in up.stdout:
            lines.append(line)
            if line.startswith("running"):
                break
        assert any(f"ingest listening on http://127.0.0.1:{settings.ingest_port}/reports" in x for x in lines), lines
        assert all(answers(p) for p in (settings.ingest_port, settings.enrich_port, settings.alert_port))

        done = subprocess.run([sys.executable, "-m", "villagewatch.cli", "down"], env=env, capture_output=True,
                              text=True, timeout=90)
        assert done.stdout.strip() == "stopped"
        assert up.wait(timeout=60) == 0
        wait_until(lambda: not answers(settings.ingest_port), 30, what="ingest to stop answering")
    finally:
        if up.poll() is None:
            up.kill()
