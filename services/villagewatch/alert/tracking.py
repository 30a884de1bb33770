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
            elif entry.startswith(("C", "N", "x-")) and (entry in gaz.by_pcode or entry.startswith("x-")):
                ids.add(entry)
            else:
                names.add(skeleton(entry))
                ids.update(c.pcode for c in gaz.index.get(lookup_key(entry), ()))
        return cls(everything, frozenset(ids), frozenset(names), frozenset(areas))

    @classmethod
    def from_file(cls, path: str | Path | None) -> Tracking:
        if not path:
            return cls(everything=True)
        return cls.parse(Path(path).read_text(encoding="utf-8").splitlines())

    def tracks(self, place: Place) -> bool:
        """A name tracks every gazetteer entry spelled like it, so 'Tal Hermez' tracks 'Tel Hormuz'."""
        if self.everything or place.place_id in self.place_ids or skeleton(place.name) in self.names:
            return True
        return any(a and skeleton(a) in self.areas for a in (place.admin1, place.admin2, place.admin3))
