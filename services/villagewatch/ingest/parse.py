"""Turning submitted input into a validated Report, with a clear error for anything unusable."""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from villagewatch.models import Report
from villagewatch.understanding.dates import parse_date
from villagewatch.understanding.text import strip_boilerplate

HEADERS = {"url": "url", "title": "title", "date": "published", "source": "source"}
MAX_TEXT = 200_000
# A page rather than its text: a document tag, a script or style block, or several common tags.
_HTML_STRONG = re.compile(r"<\s*(?:!doctype\b|html\b|head\b|body\b|script\b|style\b|iframe\b)", re.I)
_HTML_TAG = re.compile(r"</?\s*(?:div|p|span|a|br|table|tr|td|ul|li|img|meta|link|h[1-6])\b[^<>]{0,500}>", re.I)


class BadReport(ValueError):
    """Input that cannot become a report; the message says why, for the submitter."""


def report_id(text: str, origin: str | None = None) -> str:
    """Content-addressed id: the same text from the same origin (URL, else source) always gets the same id,
    so resubmission is harmless; the same text from another outlet is another report (a reprint, which the
    alert service records as a source that does not count as independent)."""
    norm = " ".join(text.lower().split()) + "|" + (origin or "").strip().lower()
    return "r-" + hashlib.sha256(norm.encode()).hexdigest()[:24]


def _optional_text(value: Any, field: str) -> str | None:
    """A given optional string, stripped; None when absent or a placeholder ("unknown", "n/a")."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadReport(f"'{field}' must be a string, got {type(value).__name__}")
    value = value.strip()
    return None if value.lower() in {"", "unknown", "n/a", "none"} else value


def _clean_optional(value: Any, field: str, limit: int) -> str | None:
    value = _optional_text(value, field)
    if value is None:
        return None
    if len(value) > limit:
        raise BadReport(f"'{field}' is longer than {limit} characters")
    return value


def looks_like_html(text: str) -> bool:
    """True for a web page or HTML fragment: a document-level tag, or three or more common tags."""
    return bool(_HTML_STRONG.search(text)) or len(_HTML_TAG.findall(text, 0, 200_000)) >= 3


def _published(value: Any, received: datetime, warnings: list[str]) -> str | None:
    """The report date: the YYYY-MM-DD a 'published' value starts with (a note after it is dropped).

    One rule for HTTP, files and JSONL: a value that starts with no valid date, or a date after the day
    after the report was received (UTC), is not refused: the report is kept without a date, and a warning
    says so (the 202 answer's `warnings`, a `warning:` line from the CLI)."""
    value = _optional_text(value, "published")
    if value is None:
        return None
    shown = value if len(value) <= 60 else value[:57] + "..."
    day = parse_date(value)
    if day is None:
        warnings.append(f"'published' does not start with a date YYYY-MM-DD ({shown!r}): kept without a date")
        return None
    if day > received.astimezone(UTC).date() + timedelta(days=1):
        warnings.append(f"'published' {day.isoformat()} is in the future: kept without a date")
        return None
    return day.isoformat()


def build_report(fields: dict[str, Any], received: datetime | None = None,
                 warnings: list[str] | None = None) -> Report:
    """Validate submitted fields and build the Report ingest publishes.

    Refuses (BadReport) what cannot be a report; what it keeps but changes (a date dropped) is appended
    to `warnings` when given.
    """
    warnings = [] if warnings is None else warnings
    received = received or datetime.now(UTC)
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
    if looks_like_html(text):
        raise BadReport("'text' is HTML markup, not a report's text: send the article's text (as text/plain or "
                        "the JSON 'text' field), without the page around it")
    body = strip_boilerplate(text)
    if len(re.findall(r"[A-Za-z\u0600-\u06ff]{2,}", body)) < 3:
        raise BadReport("'text' has no readable sentences (fewer than three words)")
    title = _clean_optional(fields.get("title"), "title", 2000)
    published = _published(fields.get("published"), received, warnings)
    url = _clean_optional(fields.get("url"), "url", 4000)
    if url is not None and not re.match(r"^[a-z][a-z0-9+.-]*://\S+$", url, re.I):
        raise BadReport(f"'url' is not an absolute URL: {url!r}")
    source = _clean_optional(fields.get("source"), "source", 500)
    return Report(
        report_id=report_id(body, url or source),
        text=body,
        title=title,
        url=url,
        source=source,
        published=published,
        received=received.isoformat(timespec="seconds"),
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
    if fields.keys() != {"text"} and not fields["text"]:
        raise BadReport("header lines but no report text after them (headers, a blank line, then the body)")
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
    # JSON Lines end at "\n" only: str.splitlines would also break at U+2028, U+0085 or \x1e, which a JSON
    # string may hold as they are, and so refuse a valid line.
    for n, line in enumerate(content.split("\n"), 1):
        if line.strip():
            try:
                out.append(orjson.loads(line))
            except orjson.JSONDecodeError as exc:
                out.append(BadReport(f"{path}:{n}: not JSON: {exc}"))
    return out


def _warn_on_stderr(label: str, warning: str) -> None:
    print(f"warning: {label}: {warning}", file=sys.stderr)


def reports_in(paths: list[str], default_date: str | None = None,
               warn: Callable[[str, str], None] = _warn_on_stderr) -> Iterator[tuple[str, Report | BadReport]]:
    """(label, report or the reason it was refused) for every report in the given files.

    What a kept report lost (a date not understood or in the future) goes to `warn(label, warning)`,
    by default a `warning: LABEL: ...` line on stderr.
    """
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
            warnings: list[str] = []
            try:
                report = build_report(fields, warnings=warnings)
            except BadReport as exc:
                yield label, BadReport(f"{label}: {exc}")
                continue
            for warning in warnings:
                warn(label, warning)
            yield label, report
