"""Offline `extract` throughput on ~2 KB reports, one core, written by `villagewatch bench`."""

from __future__ import annotations

import random
import resource
import time
from pathlib import Path

from villagewatch.ingest.parse import build_report, parse_text
from villagewatch.models import Report
from villagewatch.understanding.extract import extract

SAMPLE = Path(__file__).resolve().parent / "samples" / "hasakah-sample.txt"
FILLER = [
    "Residents of the village of {v} said the road to Tal Tamr was closed for a second day.",
    "Clashes went on near the town of {v} between the YPG and Islamic State militants on Tuesday.",
    "Regime artillery shelled the village of {v} overnight, according to local activists.",
    "The SDF took control of the village of {v} from IS on Monday, local sources said.",
    "Humanitarian workers reported that families from {v} had moved towards Hasakah city.",
    "Turkish-backed factions captured the village of {v} north of Tal Tamr, a monitor said.",
]
VILLAGES = ["Kharrata", "Tal Nasri", "Tal Baydar", "Abu Qasayeb", "Tal Shamiran", "Umm Kheir", "Safiya", "Hanash"]


def synthetic_reports(n: int, size: int = 2048, seed: int = 7) -> list[Report]:
    """n reports of about `size` characters, built from our own sample text and template sentences."""
    rng = random.Random(seed)
    base = parse_text(SAMPLE.read_text())
    out = []
    for i in range(n):
        text = base["text"]
        while len(text) < size:
            text += "\n\n" + rng.choice(FILLER).format(v=rng.choice(VILLAGES))
        out.append(build_report({**base, "text": f"Report {i}. {text[:size]}"}))
    return out


def run(n: int = 2000) -> dict[str, float]:
    reports = synthetic_reports(n)
    extract(reports[0])  # load the gazetteer before timing
    started = time.process_time()
    wall = time.perf_counter()
    events = sum(len(extract(r).events) for r in reports)
    cpu = time.process_time() - started
    elapsed = time.perf_counter() - wall
    return {
        "reports": n,
        "avg_chars": sum(len(r.text) for r in reports) / n,
        "cpu_seconds": round(cpu, 3),
        "reports_per_cpu_second": round(n / cpu, 1),
        "reports_per_wall_second": round(n / elapsed, 1),
        "events": events,
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
