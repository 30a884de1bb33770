"""Turning submitted input into a validated Report, with a clear error for anything unusable."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from villagewatch.models import Report
from villagewatch.understanding.dates import parse_date
from villagewatch.understanding.text import strip_boilerplate

HEADERS = {"url": "url", "title": "title", "date": "published", "source": "source"}
MAX_TEXT = 200_000


class BadReport(ValueError):
    """Input that cannot become a report; the message says why, for the submitter."""


def report_id(text: str, origin: str | None = None) -> str:
    """Content-addressed id: the same text from the same origin (URL, else source) always gets the same id,
    so resubmission is harmless; the same text from another outlet is another report (a reprint, which the
    alert service records as a source that does not count as independent)."""
    norm = " ".join(text.lower().split()) + "|" + (origin or "").strip().lower()
    return "r-" + hashlib.sha256(norm.encode()).hexdigest()[:24]


def _clean_optional(value: Any, field: str, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadReport(f"'{field}' must be a string, got {type(value).__name__}")
    value = value.strip()
    if value.lower() in {"", "unknown", "n/a", "none"}:
        return None
    if len(value) > limit:
        raise BadReport(f"'{field}' is longer than {limit} characters")
    return value


def build_report(fields: dict[str, Any], received: datetime | None = None) -> Report:
    """Validate submitted fields and build the Report ingest publishes."""
    if not isinstance(fields, dict):
        raise BadReport("a report must be a JSON object with at least a 'text' field")
    unknown = set(fields) - {"text", "title", "url", "source", "published", "report_id", "received"}
    if unknown:
        raise BadReport(f"unknown field(s): {', '.join(sorted(unknown))}")
    text = fields.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadReport("'text' is required and must be a non-empty string")
    if len(text) > MAX_TEXT:
        raise BadReport(f"'text' is longer than {MAX_TEXT} characters")
    body = strip_boilerplate(text)
    if len(re.findall(r"[A-Za-z\u0600-\u06ff]{2,}", body)) < 3:
        raise BadReport("'text' has no readable sentences (fewer than three words)")
    published_raw = _clean_optional(fields.get("published"), "published", 100)
    published = None
    if published_raw is not None:
        day = parse_date(published_raw)
        if day is None:
            raise BadReport(f"'published' must start with a date YYYY-MM-DD, got {published_raw!r}")
        published = day.isoformat()
    url = _clean_optional(fields.get("url"), "url", 4000)
    if url is not None and not re.match(r"^[a-z][a-z0-9+.-]*://\S+$", url, re.I):
        raise BadReport(f"'url' is not an absolute URL: {url!r}")
    source = _clean_optional(fields.get("source"), "source", 500)
    return Report(
        report_id=report_id(body, url or source),
        text=body,
        title=_clean_optional(fields.get("title"), "title", 2000),
        url=url,
        source=source,
        published=published,
        received=(received or datetime.now(UTC)).isoformat(timespec="seconds"),
    )


def parse_text(content: str) -> dict[str, Any]:
    """Plain text, optionally with 'URL:', 'TITLE:', 'DATE:', 'SOURCE:' header lines, a blank line, the body."""
    lines = content.replace("\r\n", "\n").split("\n")
    fields: dict[str, Any] = {}
    i = 0
    while i < len(lines):
        m = re.match(r"^(URL|TITLE|DATE|SOURCE)\s*:\s*(.*)$", lines[i], re.I)
        if not m:
            break
        fields[HEADERS[m.group(1).lower()]] = m.group(2).strip()
        i += 1
    if fields:
        if i < len(lines) and lines[i].strip():
            raise BadReport("header lines must be followed by a blank line before the body")
        lines = lines[i:]
    fields["text"] = "\n".join(lines).strip()
    return fields


def read_file(path: Path) -> list[dict[str, Any] | BadReport]:
    """Fields of every report in a file: one per .txt file, one per line of a .jsonl file.

    A bad line of a .jsonl file comes back as its BadReport, in place, so the other lines still count.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BadReport(f"{path}: cannot read: {exc.strerror}") from exc
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadReport(f"{path}: not UTF-8 text") from exc
    if path.suffix != ".jsonl":
        try:
            return [parse_text(content)]
        except BadReport as exc:
            raise BadReport(f"{path}: {exc}") from exc
    out: list[dict[str, Any] | BadReport] = []
    for n, line in enumerate(content.splitlines(), 1):
        if line.strip():
            try:
                out.append(orjson.loads(line))
            except orjson.JSONDecodeError as exc:
                out.append(BadReport(f"{path}:{n}: not JSON: {exc}"))
    return out


def reports_in(paths: list[str], default_date: str | None = None) -> Iterator[tuple[str, Report | BadReport]]:
    """(label, report or the reason it was refused) for every report in the given files."""
    for name in paths:
        try:
            items = read_file(Path(name))
        except BadReport as exc:
            yield name, exc
            continue
        for n, fields in enumerate(items, 1):
            label = f"{name}#{n}"
            if isinstance(fields, BadReport):
                yield label, fields
                continue
            if default_date and isinstance(fields, dict) and not fields.get("published"):
                fields = {**fields, "published": default_date}
            try:
                yield label, build_report(fields)
            except BadReport as exc:
                yield label, BadReport(f"{label}: {exc}")
