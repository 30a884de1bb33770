"""Offline `extract` throughput on ~2 KB reports, one core, written by `villagewatch bench`."""

from __future__ import annotations

import random
import resource
import time
from pathlib import Path

from villagewatch.ingest.parse import build_report, parse_text
from villagewatch.models import Extraction, Report
from villagewatch.understanding.extract import extract
from villagewatch.understanding.gazetteer import get_gazetteer
from villagewatch.understanding.parsing import load_parser

SAMPLE = Path(__file__).resolve().parent / "samples" / "hasakah-sample.txt"
FILLER = [
    "Residents of the village of {v} said the road to {w} was closed for the {n}th day.",
    "Clashes went on near the town of {v} between the {a} and the {b} on {d}.",
    "Artillery shelled the village of {v} overnight, killing {n} people, according to local activists.",
    "The {a} took control of the village of {v} from the {b} on {d}, local sources said.",
    "Humanitarian workers reported that {n} families from {v} had moved towards {w}.",
    "The {a} captured the villages of {v} and {w} after {n} hours of fighting, a monitor said.",
    "Prices of bread in {v} rose by {n} percent this month, traders told our correspondent.",
    "Schools in {w} reopened on {d} after a break of {n} weeks, teachers said.",
]
ACTORS = ["YPG", "SDF", "Syrian Arab Army", "Islamic State", "Turkish-backed factions", "National Defence Forces"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def synthetic_reports(n: int, size: int = 2048, seed: int = 7) -> list[Report]:
    """n reports of about `size` characters: our sample's opening, then template sentences filled with
    random Hasakah villages, sides, days and numbers, so that sentences rarely repeat (no cache helps)."""
    rng = random.Random(seed)
    base = parse_text(SAMPLE.read_text())
    villages = [c.name_en for c in get_gazetteer().communities if c.admin1 == "SY08" and "(" not in c.name_en]
    out = []
    for i in range(n):
        text = base["text"]
        while len(text) < size:
            a, b = rng.sample(ACTORS, 2)
            text += "\n\n" + rng.choice(FILLER).format(
                v=rng.choice(villages), w=rng.choice(villages), a=a, b=b, d=rng.choice(DAYS), n=rng.randint(2, 99)
            )
        out.append(build_report({**base, "text": f"Report {i}. {text[:size]}"}))
    return out


def run_on(directory: Path) -> dict[str, float]:
    """Real reports (every *.txt in `directory`, read where they are), each extracted once right after the
    gazetteer is loaded: cold caches, as a worker meets them just after it starts."""
    files = sorted(directory.glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"no *.txt reports in {directory}")
    reports = [build_report(parse_text(f.read_text(encoding="utf-8"))) for f in files]
    get_gazetteer()
    load_parser()  # as a worker does at start: the model loads once, not per report
    started = time.process_time()
    events = sum(len(extract(r).events) for r in reports)
    cpu = time.process_time() - started
    return {
        "reports": len(reports),
        "avg_chars": round(sum(len(r.text) for r in reports) / len(reports), 1),
        "cpu_seconds": round(cpu, 4),
        "ms_per_report": round(cpu / len(reports) * 1000, 3),
        "reports_per_cpu_second": round(len(reports) / cpu, 1),
        "events": events,
    }


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


def extract_all(reports: list[Report]) -> tuple[dict[str, float], dict[str, Extraction]]:
    """`extract` over given reports (the pipeline benchmark's mix) on one core, the model loaded first:
    the figures and each report's extraction, by report id."""
    get_gazetteer()
    load_parser()
    started = time.process_time()
    wall = time.perf_counter()
    found = {r.report_id: extract(r) for r in reports}
    cpu = time.process_time() - started
    elapsed = time.perf_counter() - wall
    return {
        "reports": len(reports),
        "avg_chars": round(sum(len(r.text) for r in reports) / max(len(reports), 1), 1),
        "cpu_seconds": round(cpu, 3),
        "reports_per_cpu_second": round(len(reports) / cpu, 1) if cpu else 0.0,
        "reports_per_wall_second": round(len(reports) / elapsed, 1) if elapsed else 0.0,
        "events": sum(len(x.events) for x in found.values()),
    }, found
