"""The installed build: its understanding modules are compiled (setup.py) and read reports exactly as the
same source interpreted does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

import villagewatch
from villagewatch.bench import synthetic_reports
from villagewatch.understanding import extract as extract_module
from villagewatch.understanding.extract import extract

SOURCE = Path(__file__).resolve().parents[2] / "services"
DUMP = """
import dataclasses, orjson, sys
from villagewatch.bench import synthetic_reports
from villagewatch.understanding.extract import extract
reports = synthetic_reports(150, seed=21) + synthetic_reports(50, seed=4, size=4000)
sys.stdout.buffer.write(orjson.dumps([dataclasses.asdict(extract(r)) for r in reports]))
"""


def installed_from_source() -> bool:
    return Path(villagewatch.__file__).resolve().parent == SOURCE / "villagewatch"


@pytest.mark.skipif(installed_from_source(), reason="running the source tree, not an installed build")
def test_understanding_modules_are_compiled_unless_asked_not_to() -> None:
    compiled = Path(extract_module.__file__).suffix == ".so"
    assert compiled == (os.environ.get("VILLAGEWATCH_COMPILE", "1") != "0"), extract_module.__file__


def test_installed_build_extracts_what_the_interpreted_source_extracts() -> None:
    import dataclasses

    interpreted = subprocess.run([sys.executable, "-c", DUMP], env={**os.environ, "PYTHONPATH": str(SOURCE)},
                                 capture_output=True, check=True).stdout
    reports = synthetic_reports(150, seed=21) + synthetic_reports(50, seed=4, size=4000)
    assert orjson.loads(interpreted) == orjson.loads(orjson.dumps([dataclasses.asdict(extract(r)) for r in reports]))


def test_bench_on_a_folder_of_reports_and_a_clear_error_without_one(tmp_path: Path) -> None:
    from villagewatch.bench import SAMPLE, run_on

    (tmp_path / "01.txt").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "02.txt").write_text("The YPG took control of the village of Kharrata on Sunday.", encoding="utf-8")
    result = run_on(tmp_path)
    assert result["reports"] == 2 and result["events"] >= 8 and result["ms_per_report"] > 0
    done = subprocess.run([sys.executable, "-m", "villagewatch.cli", "bench", "--dir", str(tmp_path / "none")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "is not a folder of reports" in done.stderr
