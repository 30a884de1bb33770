"""Pure helpers of the pipeline benchmark (`villagewatch bench --quick|--full`): the load mix, the alerts
each report should raise, percentiles and the BENCHMARKS.md section. No Kafka, no processes here; the
adapters that start the broker and the services live in `loadbench.py`.

The realistic mix is written from our own template sentences filled with real gazetteer names (never
text from the labelled reports): about 9 events a report, a configurable share with a control change,
reprints (same text, another outlet) and near-duplicates (light edits, another outlet).
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from villagewatch.alert.control_state import VillageState, apply
from villagewatch.alert.tracking import Tracking
from villagewatch.ingest.parse import build_report
from villagewatch.models import Event, Extraction, Report
from villagewatch.pipeline import enrich, remember, routed
from villagewatch.understanding.dedup import ReportIndex

# Sides as reports name them (actor phrase, adjective before "-held").
SIDES = {
    "government": ("Syrian Arab Army", "government"),
    "kurdish-led": ("YPG", "YPG"),
    "islamic-state": ("Islamic State", "IS"),
    "opposition": ("Free Syrian Army", "rebel"),
    "turkey": ("Turkish-backed factions", "Turkish-held"),
}
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
OUTLETS = ("Khabur Valley Monitor", "Northern Plains Desk", "Euphrates Wire", "Jazira Local News", "Border Desk",
           "Steppe Observer", "Orontes Bulletin", "River Towns Radio")
CITIES = ("Hasakah", "Raqqa", "Aleppo", "Deir ez-Zor", "Idlib", "Hama")

# One control change each ({a} took it from {b}).
CHANGE = (
    "The {a} took control of the village of {v} from the {b} on {d}, local sources said.",
    "Fighters of the {a} captured the villages of {v} and {w} from the {b} on {d} after hours of fighting.",
    "The {a} seized the village of {v} on {d}, driving out the {b}, according to residents.",
    "Local activists said the {a} had taken {v} from the {b} late on {d}.",
)
# Events that change no control: clashes, shelling, strikes, attacks, casualties, arrests, holdings.
INCIDENT = (
    "Warplanes struck the outskirts of {v} on {d}; {n} civilians were killed, a local monitor said.",
    "Mortar rounds fell on the market of {v} on {d}, wounding {n} people.",
    "Clashes broke out between the {a} and the {b} near the village of {v} on {d}.",
    "The {a} repelled an attack by the {b} on its positions west of {v}.",
    "A car bomb exploded at a checkpoint in the town of {v}, residents said.",
    "The {a} arrested {n} young men in the village of {v} on {d}, activists reported.",
    "Artillery shelled the village of {v} through the night, a resident told our correspondent.",
    "Fighting went on for a third day around the {h}-held village of {v}.",
    "Drone strikes hit a convoy on the road between {v} and {w}, and {n} fighters were killed.",
)
# Context that makes the parser read the sentence (a control word) without a new change: holdings,
# history, intentions.
CONTEXT = (
    "The {a} has controlled {v} since last year, residents said.",
    "Since capturing {v} in the spring, the {a} has set up checkpoints on the roads around it.",
    "Commanders of the {a} said they would not withdraw from {v} whatever the cost.",
    "Residents fear the {b} will try to retake {w} in the coming days.",
)
# Sentences with no event, as real reports have between the news.
FILLER = (
    "Prices of bread and fuel in {v} rose sharply this month, traders said.",
    "Schools in {v} stayed closed for the {n}th day, teachers said.",
    "Families from {v} were seen moving towards {w} with their belongings.",
    "Aid workers said water supplies to {v} had been cut for {n} days.",
)
# Light edits a reprinting outlet makes.
EDITS = ((" said", " reported"), ("local sources", "sources on the ground"),
         ("residents", "people living there"), (" people", " persons"),
         ("fighting", "clashes"))


@dataclass(frozen=True)
class MixSpec:
    """Shares of each kind of report in the realistic mix (the rest are fresh reports without a change)."""

    change_share: float = 0.35
    reprint_share: float = 0.08
    near_duplicate_share: float = 0.08
    incidents: tuple[int, int] = (5, 7)  # incident sentences a fresh report holds (each gives 1-2 events)
    context: tuple[int, int] = (1, 3)
    fillers: tuple[int, int] = (2, 4)
    reports_per_day: int = 12

    def __post_init__(self) -> None:
        shares = (self.change_share, self.reprint_share, self.near_duplicate_share)
        if any(not 0.0 <= s <= 1.0 for s in shares) or self.reprint_share + self.near_duplicate_share > 1.0:
            raise ValueError(f"shares must lie in [0, 1] and copies may not exceed 1: {shares}")


@dataclass(frozen=True)
class MixReport:
    """One generated report, what kind it is, and the HTTP body that submits it."""

    report: Report
    kind: str  # fresh | change | reprint | near-duplicate | dense
    copy_of: str | None = None

    def body(self) -> dict[str, str | None]:
        r = self.report
        return {"text": r.text, "title": r.title, "url": r.url, "source": r.source, "published": r.published}


def village_names(gazetteer: object, limit: int = 3000) -> list[str]:
    """Plain, unambiguous community names (one community per name), the way reports spell villages."""
    from villagewatch.understanding.gazetteer import lookup_key

    out: list[str] = []
    for c in gazetteer.communities:  # type: ignore[attr-defined]
        if re.fullmatch(r"[A-Z][a-z]{3,}(?: [A-Z][a-z]{3,})?", c.name_en) \
                and len(gazetteer.index[lookup_key(c.name_en)]) == 1:  # type: ignore[attr-defined]
            out.append(c.name_en)
        if len(out) >= limit:
            break
    return out


def _fill(template: str, rng: random.Random, names: Sequence[str]) -> str:
    a, b = rng.sample(sorted(SIDES), 2)
    v, w = rng.sample(names, 2)
    return template.format(a=SIDES[a][0], b=SIDES[b][0], h=SIDES[rng.choice(sorted(SIDES))][1], v=v, w=w,
                           d=rng.choice(DAYS), n=rng.randint(2, 40))


def _edit(text: str, rng: random.Random) -> str:
    """A near-duplicate: a changed lead, two word edits and one sentence dropped (keeps Jaccard high)."""
    sentences = text.split("\n\n")
    if len(sentences) > 4:
        del sentences[rng.randrange(2, len(sentences))]
    out = "\n\n".join(sentences)
    for old, new in rng.sample(EDITS, 2):
        out = out.replace(old, new, 1)
    return out


def realistic_mix(n: int, spec: MixSpec | None = None, seed: int = 12, names: Sequence[str] | None = None,
                  start: date = date(2016, 3, 1)) -> list[MixReport]:
    """n reports in submission order (dates never go back): fresh ones, a `change_share` of them with a
    control change, reprints and near-duplicates of recent ones from another outlet."""
    spec = spec or MixSpec()
    if names is None:
        from villagewatch.understanding.gazetteer import get_gazetteer

        names = village_names(get_gazetteer())
    rng = random.Random(seed)
    out: list[MixReport] = []
    for i in range(n):
        day = start + timedelta(days=i // spec.reports_per_day)
        outlet = rng.choice(OUTLETS)
        roll = rng.random()
        fresh = [m for m in out[-40:] if m.kind in ("fresh", "change")]
        if fresh and roll < spec.reprint_share + spec.near_duplicate_share:
            first = rng.choice(fresh)
            kind = "reprint" if roll < spec.reprint_share else "near-duplicate"
            other = rng.choice([o for o in OUTLETS if o != first.report.source])
            text = first.report.text if kind == "reprint" else _edit(first.report.text, rng)
            fields = {"text": text, "title": f"{first.report.title} ({other})", "source": other,
                      "url": f"https://example.org/{other.split()[0].lower()}/{i}", "published": day.isoformat()}
            out.append(MixReport(build_report(fields), kind, first.report.report_id))
            continue
        kind = "change" if rng.random() < spec.change_share else "fresh"
        city = rng.choice(CITIES)
        sentences = [_fill(rng.choice(INCIDENT), rng, names) for _ in range(rng.randint(*spec.incidents))]
        sentences += [_fill(rng.choice(CONTEXT), rng, names) for _ in range(rng.randint(*spec.context))]
        sentences += [_fill(rng.choice(FILLER), rng, names) for _ in range(rng.randint(*spec.fillers))]
        rng.shuffle(sentences)
        if kind == "change":
            sentences.insert(0, _fill(rng.choice(CHANGE), rng, names))
        sentences[0] = f"{city}, Syria - {sentences[0]}"
        fields = {"text": "\n\n".join(sentences), "title": f"{city} countryside, report {i}", "source": outlet,
                  "url": f"https://example.org/{outlet.split()[0].lower()}/{i}", "published": day.isoformat()}
        out.append(MixReport(build_report(fields), kind))
    return out


def dense_mix(n: int, seed: int = 7) -> list[MixReport]:
    """The event-dense mode of the issue's first measurement: ~2 KB reports of about 22 events each."""
    from villagewatch.bench import synthetic_reports

    return [MixReport(r, "dense") for r in synthetic_reports(n, seed=seed)]


@dataclass
class Expected:
    """What the pipeline should publish for a mix, computed offline with the services' own functions."""

    alerts: dict[str, set[str]] = field(default_factory=dict)  # report id -> alert ids it raises or upgrades
    events: dict[str, int] = field(default_factory=dict)  # report id -> events enrich publishes for it
    duplicates: int = 0  # reports dedup routes as near-duplicates

    @property
    def alerting(self) -> list[str]:
        return [r for r, a in self.alerts.items() if a]


def expected(mix: Sequence[MixReport], extracted: dict[str, Extraction], tracking: Tracking | None = None,
             window_hours: float = 72.0, dedup_days: float = 30.0) -> Expected:
    """Like `pipeline.replay` in submission order, but with extractions already made (`extracted`, by
    report id), so the benchmark reads every report once."""
    tracking = tracking or Tracking(everything=True)
    index = ReportIndex(dedup_days)
    stored: dict[bytes, bytes] = {}
    states: dict[str, VillageState] = {}
    out = Expected()
    for m in mix:
        report = m.report
        if report.report_id in out.alerts:  # resubmitted: same id, nothing new
            continue
        events: list[Event] = []
        for message in routed(index.route(report), report):
            if message.action == "duplicate":
                out.duplicates += 1
            if message.action == "extract" and stored.get(message.report_id.encode()) is None:
                found = [replace(e, fingerprint=message.fingerprint) for e in extracted[report.report_id].events]
            else:
                found = enrich(message, stored)
            remember(message, found, stored)
            events += found
        raised: set[str] = set()
        for event in events:
            if event.place is None:
                continue
            pid = event.place.place_id
            states[pid], alert = apply(states.get(pid), event, tracking.tracks(event.place), report.published or "",
                                       window_hours)
            if alert is not None:
                raised.add(alert.alert_id)
        out.alerts[report.report_id] = raised
        out.events[report.report_id] = len(events)
    return out


def percentile(values: Iterable[float], p: float) -> float | None:
    """The p-th percentile (0-100) with linear interpolation between ranks (numpy's default); None if empty."""
    xs = sorted(values)
    if not xs:
        return None
    if not 0 <= p <= 100:
        raise ValueError(f"percentile {p} outside 0-100")
    rank = (len(xs) - 1) * p / 100
    lo, hi = math.floor(rank), math.ceil(rank)
    return xs[lo] + (xs[hi] - xs[lo]) * (rank - lo)


def latency_summary(latencies_s: Iterable[float]) -> dict[str, float | int | None]:
    xs = list(latencies_s)

    def ms(p: float) -> float | None:
        v = percentile(xs, p)
        return None if v is None else round(v * 1000, 1)

    return {"p50": ms(50), "p95": ms(95), "p99": ms(99), "max": ms(100), "samples": len(xs)}


def last_processed(metrics_text: str) -> float | None:
    """The newest `villagewatch_last_processed_timestamp_seconds` in a service's /metrics page (epoch s)."""
    found = [float(line.rsplit(" ", 1)[1]) for line in metrics_text.splitlines()
             if line.startswith("villagewatch_last_processed_timestamp_seconds")]
    return max(found, default=None)


def ratio(a: float | None, b: float | None) -> float | None:
    return None if not a or not b else round(a / b, 4)


SECTION_START = "<!-- bench:{mix} start -->"
SECTION_END = "<!-- bench:{mix} end -->"


def replace_section(document: str, mix: str, body: str) -> str:
    """`document` with the generated section of `mix` replaced by `body` (appended if it has none); the
    hand-written text around the markers stays."""
    start, end = SECTION_START.format(mix=mix), SECTION_END.format(mix=mix)
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in document and end in document:
        head, rest = document.split(start, 1)
        return head + block + rest.split(end, 1)[1]
    return document.rstrip() + ("\n\n" if document.strip() else "") + block + "\n"


def markdown_section(result: dict, command: str, machine: str, when: str) -> str:
    """The measured figures of one run as a BENCHMARKS.md section."""
    lat = result.get("latency_ms") or {}
    rss = result.get("rss_mb") or {}
    rows = "\n".join(f"| {name} | {v.get('start')} | {v.get('end')} |" for name, v in rss.items())
    return f"""### Mix `{result['mix']}`: {result['reports']['sustained']} reports sustained, \
{result['reports']['latency']} at half rate

- command: `{command}`
- machine: {machine}
- date: {when}

| figure | value |
| --- | --- |
| ceiling (plain kafka-python produce -> consume, {result['ceiling']['messages']} messages, \
{result['ceiling']['partitions']} partitions) | {result['ceiling_reports_per_s']} reports/s |
| extract (offline, one core, this mix) | {result['extract_reports_per_s']} reports/s |
| pipeline (HTTP POST -> last alert, 3 services) | {result['pipeline_reports_per_s']} reports/s |
| events through alert | {result.get('pipeline_events_per_s')} events/s |
| events per report | {result['events_per_report']} |
| pipeline / ceiling | {result['ratios']['pipeline_over_ceiling']} |
| pipeline / extract | {result['ratios']['pipeline_over_extract']} |
| latency POST -> alerts at {result['latency_rate_per_s']} reports/s (p50 / p95 / p99 / max, ms) | \
{lat.get('p50')} / {lat.get('p95')} / {lat.get('p99')} / {lat.get('max')} ({lat.get('samples')} reports) |
| every alert the offline run predicts seen (else: partition order differed, end = last alert) | \
sustained {str(result['complete']['sustained']).lower()}, latency {str(result['complete']['latency']).lower()} |
| wall time of the whole run, start-up included | {result['wall_s']} s |

| service | RSS at start (MB) | RSS at end (MB) |
| --- | --- | --- |
{rows}
"""
