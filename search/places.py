"""Districts a query names and districts an entry is about, for ranking entries of the asked place first.

A citizen who types ``闵行 体育馆`` wants 闵行区's sports halls, not 崇明区's, though both match every
word equally well. The district names come from China's administrative divisions
(graph/data/extraction/divisions.tsv: the 市辖区 of the municipalities and provincial capitals):
a query names a district by its full name (闵行区, 浦东新区) or by the short form people type
(闵行, 浦东) when that short form is a word of its own in the query (黄浦江 and 普陀山 name no
district); an entry is about the districts whose full names its title or publisher holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from graph.extraction.lexicon import load_lexicon
from search.entities import EntityCard
from search.tokens import normalise


@dataclass(frozen=True)
class DistrictNames:
    """Full district names and the short forms that stand for them."""

    by_short_form: dict[str, frozenset[str]]
    """闵行 → {闵行区}; 鼓楼 → {鼓楼区} (several cities have one: the full name is what entries carry)."""
    full_names: frozenset[str]
    longest: int
    spoken: dict[str, tuple[str, ...]]
    """闵行区 → (闵行,); 浦东新区 → (浦东, 浦东新): the inverse of ``by_short_form``, built once."""

    @classmethod
    def from_divisions(cls, shorts: Iterable[str]) -> DistrictNames:
        """From the divisions table's short names (闵行, 浦东新): single characters are too ambiguous to use."""
        shorts = tuple(shorts)
        by_short_form: dict[str, set[str]] = {}
        for short in shorts:
            full = f"{short}区"
            spoken = short.removesuffix("新") if short.endswith("新") and len(short) >= 3 else short
            for form in {short, spoken, full}:
                if len(form) >= 2:
                    by_short_form.setdefault(form, set()).add(full)
        full_names = frozenset(f"{short}区" for short in shorts if len(short) >= 2)
        longest = max((len(name) for name in full_names), default=0)
        inverse: dict[str, list[str]] = {}
        for form, names in by_short_form.items():
            for name in names - {form}:
                inverse.setdefault(name, []).append(form)
        return cls(
            {form: frozenset(names) for form, names in by_short_form.items()},
            full_names,
            longest,
            {name: tuple(sorted(forms)) for name, forms in inverse.items()},
        )

    def spoken_forms(self, full_name: str) -> tuple[str, ...]:
        """The shorter forms people type for a full district name (闵行区 → 闵行; 浦东新区 → 浦东, 浦东新)."""
        return self.spoken.get(full_name, ())

    def in_text(self, text: str) -> frozenset[str]:
        """The full district names written in ``text`` (at each 区, the longest name ending there)."""
        found: set[str] = set()
        for end, character in enumerate(text, start=1):
            if character != "区":
                continue
            for size in range(min(self.longest, end), 2, -1):
                if text[end - size : end] in self.full_names:
                    found.add(text[end - size : end])
                    break
        return frozenset(found)

    def in_query(self, segments: Iterable[str]) -> frozenset[str]:
        """The districts a query's words name: a word that is a district's name or short form, or starts
        with a full name (闵行区政府)."""
        found: set[str] = set()
        for segment in segments:
            segment = normalise(segment).strip()
            if segment in self.by_short_form:
                found |= self.by_short_form[segment]
            else:
                found |= {name for name in self.in_text(segment) if segment.startswith(name)}
        return frozenset(found)

    def of_entry(self, card: EntityCard) -> frozenset[str]:
        """The districts an entry is about: full names in its title, its publisher's name and its place."""
        return self.in_text("\n".join(part for part in (card.label, card.publisher, card.district) if part))


@cache
def district_names() -> DistrictNames:
    """The district names of the bundled divisions table (parsed once)."""
    divisions = load_lexicon().divisions
    return DistrictNames.from_divisions(
        short for prefecture in divisions.prefectures.values() for short in prefecture.districts
    )
