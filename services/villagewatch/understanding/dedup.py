"""Near-duplicate reports: word-shingle MinHash fingerprints, compared by estimated Jaccard similarity.

The same story re-published with other boilerplate, a new headline or light edits keeps most of its
5-word shingles; two outlets writing up one event in their own words share few. A fingerprint is
32 integers, small enough to travel on every event, so the alert service can tell a reprint (not an
independent source) from a second outlet without any state beyond the village it already holds.
"""

from __future__ import annotations

import re
import zlib
from random import Random

NUM_PERM = 32
SHINGLE = 5
NEAR_DUPLICATE = 0.5  # measured: see tests/unit/test_dedup.py and the README (Deduplication)
_PRIME = (1 << 61) - 1
_rng = Random(20261125)
_PERMS = tuple((_rng.randrange(1, _PRIME), _rng.randrange(0, _PRIME)) for _ in range(NUM_PERM))
_WORD = re.compile(r"[a-z0-9\u0600-\u06ff]+")


def shingles(text: str, size: int = SHINGLE) -> set[int]:
    """Hashes of the overlapping `size`-word runs of the lowercased text (deterministic across processes)."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {zlib.crc32(" ".join(words[i : i + size]).encode()) for i in range(len(words) - size + 1)}


def fingerprint(text: str) -> tuple[int, ...]:
    """MinHash signature of the text's shingles (empty text: empty signature)."""
    hashes = shingles(text)
    if not hashes:
        return ()
    return tuple(min((a * h + b) % _PRIME for h in hashes) for a, b in _PERMS)


def similarity(a: tuple[int, ...] | list[int], b: tuple[int, ...] | list[int]) -> float:
    """Estimated Jaccard similarity of the two texts behind the signatures."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def near_duplicate(a: tuple[int, ...] | list[int], b: tuple[int, ...] | list[int]) -> bool:
    return similarity(a, b) >= NEAR_DUPLICATE
