"""Place resolution against the OCHA community gazetteer (its own step, as in Mordecai).

The gazetteer is loaded once and indexed by a spelling-insensitive skeleton key, so a lookup is
a dict hit, not a regex loop over thousands of names. Ambiguity is settled by the admin areas the
report mentions and by the other places it names; what stays ambiguous is reported with its
candidates, never guessed. A place the gazetteer lacks still gets a stable id.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from villagewatch.models import Place
from villagewatch.understanding.mentions import NAME, STOP
from villagewatch.understanding.text import TEL, name_key, skeleton, skeleton_of_tokens, word_tokens

DATA = Path(__file__).resolve().parent.parent / "data" / "gazetteer"


@dataclass(frozen=True, slots=True)
class Community:
    pcode: str
    name_en: str
    name_ar: str
    admin3: str
    admin3_en: str
    admin2: str
    admin2_en: str
    admin1: str
    admin1_en: str


@dataclass(frozen=True, slots=True)
class AdminUnit:
    pcode: str
    level: str
    name_en: str


def _variants(name: str) -> set[str]:
    """A gazetteer name and its base without '(disambiguator)' or ' - District' suffixes."""
    out = {name}
    out.add(re.sub(r"\s*\(.*?\)\s*", " ", name).strip())
    out.add(re.split(r"\s+-\s+|_", name)[0].strip())
    return {v for v in out if v}


@dataclass(frozen=True, slots=True)
class Context:
    """Admin P-codes a report names, plus the governorate it names most (for stable ids)."""

    codes: frozenset[str] = frozenset()
    primary: str | None = None
    admin1s: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "admin1s", frozenset(c for c in self.codes if len(c) == 4))

    def __contains__(self, code: object) -> bool:
        return code in self.codes


class Gazetteer:
    """Indexed communities and admin units; `resolve` turns a name in context into a Place."""

    def __init__(self, communities: list[Community], admins: list[AdminUnit], aliases: dict[str, str],
                 local_names: dict[str, str] | None = None):
        self.communities = communities
        self.by_pcode = {c.pcode: c for c in communities}
        self.index: dict[str, list[Community]] = defaultdict(list)
        names = [(v, c) for c in communities for v in _variants(c.name_en) | {c.name_ar}]
        names += [(name, self.by_pcode[pcode]) for name, pcode in (local_names or {}).items()]
        for v, c in names:
            for key in (lookup_key(v), name_key(v)):
                if key and c not in self.index[key]:
                    self.index[key].append(c)
        self.by_admin1: dict[str, list[str]] = defaultdict(list)
        for key, cs in self.index.items():
            for a1 in {c.admin1 for c in cs}:
                self.by_admin1[a1].append(key)
        # Each key, and each way to delete one letter of it, to the key's position in its governorate's
        # list: two strings one edit apart share one of these variants (a symmetric-delete index).
        self.one_deletion: dict[str, dict[str, list[int]]] = {}
        for a1, keys in self.by_admin1.items():
            variants: dict[str, list[int]] = defaultdict(list)
            for i, key in enumerate(keys):
                for v in _deletions(key):
                    variants[v].append(i)
            self.one_deletion[a1] = dict(variants)
        self.admin_names: dict[str, set[str]] = defaultdict(set)
        for a in admins:
            for v in _variants(a.name_en):
                self.admin_names[skeleton(v)].add(a.pcode)
        for alias, pcode in aliases.items():
            self.admin_names[skeleton(alias)].add(pcode)
        self.admin_names.pop("", None)
        self.admin_label = {a.pcode: a.name_en for a in admins}
        self._max_admin_words = max(len(k.split()) for k in self.admin_names)

    def admin_context(self, text: str) -> Context:
        """Admin P-codes (governorate, district, sub-district) the text names.

        A governorate counts when it or one of its districts is named, or two of its sub-districts
        are: one sub-district whose name happens to equal a village's does not pull in its governorate.
        """
        found: set[str] = set()
        weight: Counter[str] = Counter()
        for phrase, times in Counter(NAME.findall(text)).items():
            for code in self._admin_codes(phrase):
                found.add(code)
                weight[code[:4]] += times * (3 if len(code) <= 6 else 1)
        kept = {a1 for a1, w in weight.items() if w >= 2}
        expanded = {c for c in found if c[:4] in kept} | kept
        expanded |= {c[:6] for c in found if c[:4] in kept and len(c) >= 6}
        primary = max(sorted(kept), key=lambda a1: weight[a1]) if kept else None  # sorted: ties alike everywhere
        return Context(frozenset(expanded), primary)

    @lru_cache(maxsize=65536)  # noqa: B019 - one gazetteer per process; names recur across reports
    def _admin_codes(self, phrase: str) -> tuple[str, ...]:
        """Admin P-codes named by the word runs of one capitalised phrase, once per occurrence."""
        toks = phrase.split()
        per_word = [word_tokens(t) for t in toks]
        out: list[str] = []
        for n in range(1, min(len(toks), self._max_admin_words) + 1):
            for i in range(len(toks) - n + 1):
                piece = " ".join(toks[i : i + n])
                if n == 1 and (piece.lower() in STOP or piece.lower() in TEL or len(piece) < 4):
                    continue
                parts = per_word[i : i + n]
                if any(p is None for p in parts):
                    key = skeleton(piece)
                else:
                    key = skeleton_of_tokens([t for p in parts if p is not None for t in p])
                out.extend(self.admin_names.get(key, ()))
        return tuple(out)

    def candidates(self, name: str, context: Context) -> list[Community]:
        """Entries spelled like `name`; failing that, one edit away within the report's governorates."""
        key = lookup_key(name)
        found = self.index.get(key)
        if found:
            return list(found)
        if len(key.replace(" ", "")) < 5:
            return []
        return list(self._near(key, context.admin1s))

    @lru_cache(maxsize=16384)  # noqa: B019 - one gazetteer per process, the cache lives as long
    def _near(self, key: str, admin1s: frozenset[str]) -> tuple[Community, ...]:
        """Entries of these governorates one edit from `key`, nearest first, ties in governorate then index
        order (as a scan of the governorates' keys would give them, so every process picks alike)."""
        hits: list[tuple[int, int, int, str]] = []
        for rank, a1 in enumerate(sorted(admin1s)):
            keys, by_variant = self.by_admin1.get(a1, []), self.one_deletion.get(a1, {})
            for i in {i for v in _deletions(key) for i in by_variant.get(v, ())}:
                distance = Levenshtein.distance(key, keys[i], score_cutoff=1)
                if distance <= 1:
                    hits.append((distance, rank, i, keys[i]))
        return tuple(c for *_, k in sorted(hits) for c in self.index[k] if c.admin1 in admin1s)

    def resolve(self, name: str, context: Context, nearby: AbstractSet[str] = frozenset()) -> Place:
        """A Place for `name`: a P-code when one candidate wins, else candidates or a stable id."""
        found = self.candidates(name, context)
        area = context.primary or "SY"
        if context.admin1s:
            outside = [c for c in found if c.admin1 not in context]
            found = [c for c in found if c.admin1 in context]
            if not found:
                return unknown_place(name, area, outside)
        if not found:
            return unknown_place(name, area)

        def score(c: Community) -> float:
            s = 0.0
            s += 3.0 if c.admin1 in context else 0.0
            s += 2.0 if c.admin2 in context else 0.0
            s += 2.0 if c.admin3 in context else 0.0
            s += 1.0 if c.admin3 in nearby else 0.0
            return s + fuzz.ratio(name_key(name), name_key(c.name_en)) / 100.0

        if len(found) == 1:
            best = found[0]
        else:
            scored = sorted(((score(c), c) for c in found), key=lambda sc: -sc[0])  # stable: ties keep order
            best_score, best = scored[0]
            ties = [c for s, c in scored if best_score - s < 0.5]
            if len(ties) > 1 or best_score < 3.0:
                ranked = [c for _, c in scored]
                if context.primary is None and all(c.admin1 == best.admin1 for c in ranked):
                    area = best.admin1
                return unknown_place(name, area, ties or ranked)
        return Place(
            name=name,
            place_id=best.pcode,
            pcode=best.pcode,
            admin1=best.admin1_en,
            admin2=best.admin2_en,
            admin3=best.admin3_en,
        )


def _deletions(key: str) -> set[str]:
    return {key} | {key[:i] + key[i + 1 :] for i in range(len(key))}


def lookup_key(name: str) -> str:
    """The skeleton, unless it is too short to tell names apart; then the readable key."""
    key = skeleton(name)
    return key if len(key.replace(" ", "")) >= 3 else name_key(name)


def unknown_place(name: str, area: str, candidates: Sequence[Community] = ()) -> Place:
    """A place not (or not surely) in the gazetteer: id from its skeleton and the governorate (`SY`: unknown)."""
    slug = lookup_key(name).replace(" ", "_")
    return Place(
        name=name,
        place_id=f"x-{area}-{slug}",
        pcode=None,
        admin1=get_gazetteer().admin_label.get(area) if area != "SY" else None,
        candidates=tuple(f"{c.pcode} {c.name_en} ({c.admin2_en}, {c.admin1_en})" for c in candidates),
    )


@cache
def get_gazetteer() -> Gazetteer:
    """The project's gazetteer, loaded once per process."""
    with (DATA / "syria_communities.csv").open(encoding="utf-8") as f:
        communities = [
            Community(
                r["pcode"], r["name_en"], r["name_ar"], r["admin3_pcode"], r["admin3_en"],
                r["admin2_pcode"], r["admin2_en"], r["admin1_pcode"], r["admin1_en"],
            )
            for r in csv.DictReader(f)
        ]
    with (DATA / "syria_admin_units.csv").open(encoding="utf-8") as f:
        admins = [AdminUnit(r["pcode"], r["level"], r["name_en"]) for r in csv.DictReader(f)]
    aliases: dict[str, str] = {}
    with (DATA / "syria_admin3_centroids.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            for alias in [r["name_en"], *r["aliases"].split("|")]:
                if alias and not re.search(r"[\u0600-\u06ff]", alias) and "Subdistrict" not in alias:
                    aliases[alias] = r["pcode"]
    with (DATA / "local_names.csv").open(encoding="utf-8") as f:  # ours: Kurdish and Turkish names of towns
        local_names = {r["name"]: r["pcode"] for r in csv.DictReader(f)}
    return Gazetteer(communities, admins, aliases, local_names)
