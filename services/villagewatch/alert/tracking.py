"""Which villages raise alerts: names, place ids or admin areas from a config file ('*' tracks all)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from villagewatch.models import Place
from villagewatch.understanding.gazetteer import get_gazetteer, lookup_key
from villagewatch.understanding.text import skeleton


@dataclass(frozen=True)
class Tracking:
    """Tracked entries, matched by place id, spelling-insensitive name, or admin area."""

    everything: bool = False
    place_ids: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    areas: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, lines: list[str]) -> Tracking:
        gaz = get_gazetteer()
        ids, names, areas = set(), set(), set()
        everything = False
        for raw in lines:
            entry = raw.split("#", 1)[0].strip()
            if not entry:
                continue
            if entry == "*":
                everything = True
            elif entry.startswith("area:"):
                areas.add(skeleton(entry[5:]))
            elif entry.startswith(("C", "x-")) and (entry in gaz.by_pcode or entry.startswith("x-")):
                ids.add(entry)
            else:
                names.add(skeleton(entry))
                ids.update(c.pcode for c in gaz.index.get(lookup_key(entry), ()))
        return cls(everything, frozenset(ids), frozenset(names), frozenset(areas))

    @classmethod
    def from_file(cls, path: str | Path | None) -> Tracking:
        if not path:
            return cls(everything=True)
        return cls.parse(file_entries(path))

    @classmethod
    def combine(cls, path: str | Path | None, runtime: dict[str, tuple[str, bool]]) -> Tracking:
        """The file's entries, then what `villagewatch track add|remove` said (by entry key, latest wins).
        With no file and nothing said at runtime, everything is tracked."""
        if not path and not runtime:
            return cls(everything=True)
        entries = {entry_key(e): e for e in (file_entries(path) if path else [])}
        for key, (entry, tracked) in runtime.items():
            if tracked:
                entries[key] = entry
            else:
                entries.pop(key, None)
        return cls.parse(list(entries.values()))

    def tracks(self, place: Place) -> bool:
        """A name tracks every gazetteer entry spelled like it, so 'Tal Hermez' tracks 'Tel Hormuz'."""
        if self.everything or place.place_id in self.place_ids or skeleton(place.name) in self.names:
            return True
        return any(a and skeleton(a) in self.areas for a in (place.admin1, place.admin2, place.admin3))


def file_entries(path: str | Path) -> list[str]:
    """Entries of a tracking file: one per line, '#' starts a comment."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [e for e in (line.split("#", 1)[0].strip() for line in lines) if e]


def entry_key(entry: str) -> str:
    """One key per tracked thing, whatever the spelling: the tracking topic is compacted on it."""
    entry = entry.strip()
    if entry.startswith("area:"):
        return "area:" + skeleton(entry[5:])
    if entry == "*" or entry.startswith("x-") or entry in get_gazetteer().by_pcode:
        return "id:" + entry
    return "name:" + skeleton(entry)


@dataclass(frozen=True)
class Resolution:
    """What `track add NAME` makes of a name: the entry to track, or why it is refused."""

    entry: str | None
    message: str


def resolve_entry(text: str) -> Resolution:
    """Resolve a name through the gazetteer; refuse an ambiguous one, warn for one it lacks."""
    gaz = get_gazetteer()
    text = text.strip()
    if not text:
        return Resolution(None, "nothing to track: give a place name, a P-code, an x- id or area:NAME")
    if text == "*" or text.startswith(("area:", "x-")):
        return Resolution(text, f"tracking {text}")
    if text in gaz.by_pcode:
        c = gaz.by_pcode[text]
        return Resolution(text, f"tracking {c.pcode} {c.name_en} ({c.admin2_en}, {c.admin1_en})")
    found = gaz.index.get(lookup_key(text), [])
    if len(found) == 1:
        c = found[0]
        return Resolution(c.pcode, f"tracking {c.pcode} {c.name_en} ({c.admin2_en}, {c.admin1_en})")
    if len(found) > 1:
        listed = "\n".join(f"  {c.pcode} {c.name_en} ({c.admin3_en}, {c.admin2_en}, {c.admin1_en})" for c in found)
        return Resolution(None, f"'{text}' is ambiguous; track one of these P-codes instead:\n{listed}")
    return Resolution(
        text,
        f"warning: '{text}' is not in the gazetteer; tracking it by name (any spelling), which matches its "
        f"stable id x-<governorate>-{lookup_key(text).replace(' ', '_')}",
    )
