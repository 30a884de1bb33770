"""Near-duplicate reports: word-shingle MinHash fingerprints, and an index that finds a report's first copy.

The same story re-published with other boilerplate, a new headline or light edits keeps most of its
5-word shingles; two outlets writing up one event in their own words share few. A fingerprint is
32 integers, small enough to travel on every event, so the alert service can also tell a reprint
(not an independent source) from a second outlet.

`ReportIndex` holds the fingerprints of the last `window_days` of reports and finds, by locality-sensitive
hashing over bands of the signature, the earlier report a new one copies. It is plain Python: the enrich
service mirrors it into a Faust table (so a restarted worker rebuilds it), `replay` uses it as it is.
"""

from __future__ import annotations

import heapq
import re
import zlib
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from villagewatch.models import Report
from villagewatch.understanding.dates import parse_date
from villagewatch.understanding.gazetteer import get_gazetteer, lookup_key

NUM_PERM = 32
SHINGLE = 5
NEAR_DUPLICATE = 0.5  # measured: see tests/unit/test_dedup.py and the README (Deduplication)
# 16 bands of 2 values: a pair at similarity 0.5 shares a band with p = 1 - 0.75**16 = 0.99; candidates
# are then checked on the whole signature, so a band shared by chance costs a comparison, not an error.
BANDS = 16
ROWS = NUM_PERM // BANDS
# Multiply-shift hashing on 64-bit words (wrapping arithmetic): one odd multiplier and an offset per value.
# Written out (drawn once from NumPy's generator, seed 20261125): fingerprints are stored in tables and on
# events, so these must never change with a NumPy upgrade; a test pins them.
_A = np.array([
    0x2D7133FB369FF5ED, 0x04C261F9108CEBAB, 0x279D5BC1EF12376F, 0x57C41FB122056663,
    0x1D74FE2415AF7DC5, 0x017F45A799AE3085, 0x4006B91EB14C9BF1, 0x6484369D42764105,
    0x63E341F9B07BA25D, 0x15D4E2914FD206DF, 0x034F8873B872103D, 0x655D020F3DFF7499,
    0x646A190808D93181, 0x0A35A7E76D42B649, 0x47B028A3A825188B, 0x011C4DBBA41415B5,
    0x6120340025C09501, 0x0E1121FBA490150D, 0x05F77A9E8760DD33, 0x2A67FC6B6866C90D,
    0x7E34F83001DF6D13, 0x67D5BE008C498961, 0x2AA82BC3F0CF9FC5, 0x39B4B2F8CE8311E9,
    0x3227A0ADA9ABDA2D, 0x51FC46F76905485F, 0x2F3958B4D12CEA09, 0x681552E956A3BA41,
    0x243D52924C8D49E7, 0x6B34E565AE3243BD, 0x3D1DE4F27BA6D397, 0x0AD7D492BFBBE327,
], dtype=np.uint64)
_B = np.array([
    0x55D6CE5E74ECF7C9, 0x21FEDA42B101B48C, 0x29541C87C6F39E21, 0x3BCBA6B3F233EADD,
    0x4A9D1324C58F5310, 0x7A883161139C7237, 0x4B5F366107460C6F, 0x6A5D0CA4365FE29A,
    0x736841E238FD885F, 0x1A94F7B3ACE97F6F, 0x1DA6D9135819ED5D, 0x5F96D746117F5B3D,
    0x3F29EA94E3AB6D45, 0x44E5B6A9DD4A83B1, 0x330033068516FD94, 0x6CB4ABE197E35B7F,
    0x4C99680ED63BB346, 0x10A361D400634DD9, 0x1F811EB516359688, 0x4D348758DEC3AB44,
    0x78A0C5BEA37A14CC, 0x435CB3ECAF9E9188, 0x4ACFFD799F6F070C, 0x34EB7AC40F7AFCB9,
    0x019D3FB7EC8024E4, 0x32FF745698158FEA, 0x63FB2734C3DEA230, 0x1ED3BF6FA2A77428,
    0x57C0AD3311A1E11B, 0x3F6959CA057C86F9, 0x5CF4DFE922696F30, 0x4BC29F1751C8CE70,
], dtype=np.uint64)
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
                 0xFF51AFD7ED558CCD], dtype=np.uint64)
_WORD = re.compile(r"[a-z0-9\u0600-\u06ff]+")
_NAME = re.compile(r"\b[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?")
SAME_NAMES = 0.9  # a copy shares this share of the shorter text's capitalised words (see `same_story`)


def shingles(text: str, size: int = SHINGLE) -> np.ndarray:
    """64-bit hashes of the distinct overlapping `size`-word runs of the lowercased text (deterministic)."""
    words = _WORD.findall(text.lower())
    if not words:
        return np.empty(0, dtype=np.uint64)
    hashes = np.fromiter((zlib.crc32(w.encode()) for w in words), dtype=np.uint64, count=len(words))
    width = min(size, len(hashes))
    count = len(hashes) - width + 1
    runs = np.zeros(count, dtype=np.uint64)
    for i in range(width):
        runs ^= hashes[i : i + count] * _MIX[i]
    return np.unique(runs)


def fingerprint(text: str) -> tuple[int, ...]:
    """MinHash signature of the text's shingles (empty text: empty signature)."""
    runs = shingles(text)
    if not runs.size:
        return ()
    values = (_A[:, None] * runs[None, :] + _B[:, None]) >> np.uint64(32)
    return tuple(int(v) for v in values.min(axis=1))


def similarity(a: tuple[int, ...] | list[int], b: tuple[int, ...] | list[int]) -> float:
    """Estimated Jaccard similarity of the two texts behind the signatures."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def near_duplicate(a: tuple[int, ...] | list[int], b: tuple[int, ...] | list[int]) -> bool:
    return similarity(a, b) >= NEAR_DUPLICATE


def names(text: str) -> tuple[frozenset[int], frozenset[int]]:
    """Hashes of the text's capitalised words and two-word runs, and of those that name a gazetteer place.

    Shingles weigh every word alike, but in a short templated report ("X took the village of V") the one
    word that differs is the one that matters; these sets let `same_story` see it.
    """
    index = get_gazetteer().index
    words: set[int] = set()
    places: set[int] = set()
    for m in _NAME.finditer(text):
        run = m.group(0).split()
        whole = " ".join(run)
        for piece in (*run, whole) if len(run) > 1 else run:
            h = zlib.crc32(piece.lower().encode())
            words.add(h)
            if lookup_key(piece) in index and (piece == whole or lookup_key(whole) not in index):
                places.add(h)  # "Qutba" inside "Lower Qutba" names no place of its own
    return frozenset(words), frozenset(places)


def same_story(copy: Seen, first: Seen) -> bool:
    """A near-duplicate of the same story: similar shingles, nearly the same capitalised words (measured
    against the shorter text, so a truncated or headlined reprint still counts), and no place the
    first copy does not name."""
    if not near_duplicate(copy.fingerprint, first.fingerprint):
        return False
    a, b = set(copy.names), set(first.names)
    if a and b and len(a & b) / min(len(a), len(b)) < SAME_NAMES:
        return False
    return set(copy.places) <= set(first.places)


def report_day(report: Report) -> int:
    """The day a report speaks for (published, else received), as an ordinal; 0 when it gives none."""
    day = parse_date(report.published) or parse_date(report.received)
    return day.toordinal() if day else 0


@dataclass(frozen=True)
class Seen:
    """One report in the index: its signature, its day, and the report it copies (None: it is a first copy)."""

    report_id: str
    fingerprint: tuple[int, ...]
    day: int
    first: str | None = None
    names: tuple[int, ...] = ()
    places: tuple[int, ...] = ()

    @classmethod
    def of(cls, report: Report, print_: tuple[int, ...] | None = None) -> Seen:
        words, places = names(report.text)
        return cls(report.report_id, fingerprint(report.text) if print_ is None else print_, report_day(report),
                   None, tuple(sorted(words)), tuple(sorted(places)))

    def to_dict(self) -> dict[str, object]:
        return {"fingerprint": list(self.fingerprint), "day": self.day, "first": self.first,
                "names": list(self.names), "places": list(self.places)}

    @classmethod
    def from_dict(cls, report_id: str, d: dict[str, object]) -> Seen:
        return cls(report_id, tuple(d["fingerprint"]), int(d["day"]), d.get("first"),  # type: ignore[arg-type]
                   tuple(d.get("names") or ()), tuple(d.get("places") or ()))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Routing:
    """What enrich does with a report: extract it, or record it as another source of `first`."""

    action: Literal["extract", "duplicate"]
    seen: Seen
    again: bool = False  # the same report (same id) came before; downstream steps ignore a repeat
    expired: tuple[Seen, ...] = ()

    @property
    def first(self) -> str | None:
        return self.seen.first


@dataclass
class ReportIndex:
    """Reports of the last `window_days` (by report day), findable by near-duplicate fingerprint."""

    window_days: float = 30.0
    entries: dict[str, Seen] = field(default_factory=dict)
    _bands: dict[tuple[int, ...], set[str]] = field(default_factory=dict)
    _by_day: list[tuple[int, str]] = field(default_factory=list)
    today: int = 0

    def __len__(self) -> int:
        return len(self.entries)

    @staticmethod
    def _band_keys(print_: tuple[int, ...]) -> list[tuple[int, ...]]:
        return [(b, *print_[b * ROWS : (b + 1) * ROWS]) for b in range(BANDS)] if len(print_) == NUM_PERM else []

    def add(self, seen: Seen) -> None:
        self.entries[seen.report_id] = seen
        heapq.heappush(self._by_day, (seen.day, seen.report_id))
        if seen.first is None:
            for key in self._band_keys(seen.fingerprint):
                self._bands.setdefault(key, set()).add(seen.report_id)

    def remove(self, report_id: str) -> Seen | None:
        seen = self.entries.pop(report_id, None)
        if seen is not None and seen.first is None:
            for key in self._band_keys(seen.fingerprint):
                ids = self._bands.get(key)
                if ids is not None:
                    ids.discard(report_id)
                    if not ids:
                        del self._bands[key]
        return seen

    def first_copy(self, copy: Seen) -> str | None:
        """The most similar first copy of the same story (ties: the earliest day, then id)."""
        candidates = {rid for key in self._band_keys(copy.fingerprint) for rid in self._bands.get(key, ())}
        best = [(-similarity(copy.fingerprint, self.entries[rid].fingerprint), self.entries[rid].day, rid)
                for rid in candidates if same_story(copy, self.entries[rid])]
        return min(best)[2] if best else None

    def expire(self, day: int) -> list[Seen]:
        """Advance the index's clock to `day` (it never goes back) and drop what fell out of the window."""
        self.today = max(self.today, day)
        gone: list[Seen] = []
        while self._by_day and self._by_day[0][0] < self.today - self.window_days:
            _, rid = heapq.heappop(self._by_day)
            seen = self.remove(rid)
            if seen is not None:
                gone.append(seen)
        return gone

    def route(self, report: Report, print_: tuple[int, ...] | None = None) -> Routing:
        """Decide, record and expire in one step: the routing of one report, in stream order."""
        known = self.entries.get(report.report_id)
        if known is not None:
            return Routing("extract" if known.first is None else "duplicate", known, again=True)
        seen = Seen.of(report, print_)
        expired = tuple(self.expire(seen.day))
        seen = replace(seen, first=self.first_copy(seen))
        self.add(seen)
        return Routing("extract" if seen.first is None else "duplicate", seen, expired=expired)
