"""Event dates from the report's own date plus what the text says ('on Sunday', 'yesterday')."""

from __future__ import annotations

import re
from datetime import date, timedelta

from villagewatch.understanding.text import Caseless, has_any, lowered

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_WEEKDAY = Caseless(r"\b(?:on|last|this|early\s+on|late\s+on)\s+(" + "|".join(WEEKDAYS) + r")\b")
_MONTH_DAY = Caseless(r"\b(" + "|".join(MONTHS) + r")\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b")
_DAY_MONTH = Caseless(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + "|".join(MONTHS) + r")(?:,?\s+(\d{4}))?\b")
_ISO_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")
_RELATIVE = {
    "yesterday": 1, "today": 0, "tonight": 0, "this morning": 0, "last night": 1, "last week": 7,
    "two days ago": 2, "three days ago": 3, "the day before yesterday": 2,
}
_RELATIVE_WORDS = ("yesterday", "today", "tonight", "morning", "night", "week", "ago")  # one in each of those
_REL = Caseless(r"\b(" + "|".join(sorted(_RELATIVE, key=len, reverse=True)) + r")\b")


def parse_date(value: str | None) -> date | None:
    """The YYYY-MM-DD at the start of a header value, else None."""
    if not value:
        return None
    m = _ISO_DATE.match(value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def event_date(sentence: str, published: date | None) -> date | None:
    """The date the sentence's event happened, resolved against the report date."""
    low = lowered(sentence)  # each pattern below needs one of its words: most sentences have none
    m = (_MONTH_DAY.search(sentence) or _DAY_MONTH.search(sentence)) if has_any(low, MONTHS) else None
    if published is None:
        return _explicit(m, None) if m and m.group(3) else None
    if m:
        return _explicit(m, published)
    m = _WEEKDAY.search(sentence) if has_any(low, WEEKDAYS) else None
    if m:
        return _days_before(published, (published.weekday() - WEEKDAYS.index(m.group(1).lower())) % 7)
    m = _REL.search(sentence) if has_any(low, _RELATIVE_WORDS) else None
    if m:
        return _days_before(published, _RELATIVE[m.group(1).lower()])
    return published


def _days_before(published: date, days: int) -> date:
    """The report date moved back; a date at the start of the calendar stays as it is."""
    try:
        return published - timedelta(days=days)
    except OverflowError:
        return published


def _explicit(m: re.Match[str], published: date | None) -> date | None:
    groups = m.groups()
    if groups[0].isdigit():
        day, month_name, year = int(groups[0]), groups[1], groups[2]
    else:
        month_name, day, year = groups[0], int(groups[1]), groups[2]
    month = MONTHS.index(month_name.lower()) + 1
    y = int(year) if year else (published.year if published else None)
    if y is None:
        return None
    try:
        found = date(y, month, day)
    except ValueError:
        return published
    if not year and published and published < date.max - timedelta(days=1) and found > published + timedelta(days=1):
        found = found.replace(year=y - 1) if y > 1 else found
    return found
