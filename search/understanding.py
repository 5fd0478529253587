"""Simple query understanding: a department asked for its data, or an update frequency, becomes a filter.

``绿容局 的数据`` names a department (by a short form the catalogue knows, or one the official
abbreviation table derives from its full name) and asks for data, so the query becomes "entries
published by 上海市徐汇区绿化和市容管理局" with what is left of the words (here nothing) as the
ranking text. ``每天 更新 的 交通 数据`` asks for a frequency. A query that only names a
department (``卫健委``) is left alone: the citizen is looking for the department itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from graph.extraction.abbreviations import short_forms
from graph.extraction.lexicon import load_lexicon
from ontology import SCHEME_UPDATE_FREQUENCY, concept_lookup
from search.entities import EntityCard
from search.places import district_names
from search.tokens import normalise

_FILLER = r"(?:发布|公开|开放|提供|共享|更新|登记|有|哪些|什么|所有|全部|的|了|吗)*"
_DATA = r"(?:数据资源|数据集|数据|资料|信息表|信息|目录|资源|清单)?"
ASKS_FOR_DATA = re.compile(rf"^{_FILLER}{_DATA}{_FILLER}$")
"""What may surround a department's name when the query asks for what it publishes."""
_TRAILING = re.compile(rf"{_FILLER}{_DATA}{_FILLER}$")

_FREQUENCY = re.compile(r"(每天|每日|实时|即时|每周|每月|每季度|每半年|每年|不定期)\s*(?:更新|发布)?")

_GENERIC = frozenset({"人民政府", "政府", "办公室", "人民政府办公室", "委员会", "管理局"})
"""What is left of some names without their region: too generic to name one body."""

_PLACE = r"[^\W\d_和与及市区县]"
_REGION_PREFIX = re.compile(rf"^(?P<city>上海市|{_PLACE}{{2,3}}?市)?(?P<district>{_PLACE}{{1,3}}?(?:新区|区|县))?")
"""A city and a district a body's name may start with; no place name holds 和, 与 or 及, nor 市, 区, 县 before
its end, so 上海市绿化和市容管理局 keeps 绿化和市容管理局 (not 容管理局, as if 绿化和市 were a city)."""


@dataclass(frozen=True)
class UnderstoodQuery:
    text: str
    """What is left to rank by, once recognised filters are taken out (may be empty)."""
    publishers: tuple[str, ...] = ()
    """IRIs of the departments the query names (a short name like 人社局 may fit several districts)."""
    publisher_label: str | None = None
    frequency: str | None = None


_PARENTHESISED = re.compile(r"[（(][^）)]*[）)]$")
_LONGEST_SHORT_FORM = 5


@cache
def official_abbreviations() -> Mapping[str, tuple[str, ...]]:
    """A body's name without its region → the short forms the extraction tables list for it, at any level
    (graph/data/extraction/departments.tsv: 规划和自然资源局 → 规划资源局, 科学技术委员会 → 科委, 科技委): the
    irregular ones the regular moves cannot derive hold for the same body of any city or district."""
    table: dict[str, list[str]] = {}
    for (level, short), full in load_lexicon().departments.items():
        if level != "party" and "{" not in full and short != full:
            table.setdefault(full, []).append(short)
    return {full: tuple(dict.fromkeys(shorts)) for full, shorts in table.items()}


def derived_abbreviations(name: str) -> set[str]:
    """Short forms of a body's name without its region, by the regular moves of Chinese usage
    (graph.extraction.abbreviations, which extraction uses too): 发展和改革委员会 → 发改委,
    人力资源和社会保障局 → 人社局, 农业农村委员会 → 农委. Irregular forms (绿容局) are not derivable;
    a wrong guess costs nothing unless a query contains it."""
    return {form for form in short_forms(name) if form != name and 2 <= len(form) <= _LONGEST_SHORT_FORM}


def _variants(card: EntityCard, abbreviations: Mapping[str, tuple[str, ...]]) -> Iterable[str]:
    """Names a department goes by: full and short names, without 区/市 or the region (also as 市X / 区X),
    official abbreviations from the table and the ones the usual rule derives."""
    for name in (card.label, *card.alt_labels):
        name = normalise(name)
        yield name
        for prefix in ("区", "市"):
            if name.startswith(prefix) and len(name) > 3:
                yield name[1:]
        match = _REGION_PREFIX.match(name)
        stripped = _REGION_PREFIX.sub("", name)
        if stripped == name:
            continue
        district = match.group("district") if match else None
        # 普陀区人民政府, 普陀区政府, 普陀政府: a district's own bodies by the district's names
        places = (district, *district_names().spoken_forms(district)) if district else ()
        if stripped in _GENERIC:
            for place in places:
                yield place + stripped
                yield place + stripped.replace("人民政府", "政府")
            continue
        level = "区" if district else "市"
        official = _PARENTHESISED.sub("", stripped)  # 卫生健康委员会（上海市中医药管理局） → 卫生健康委员会
        derived = derived_abbreviations(official)
        for short in {stripped, official, *abbreviations.get(stripped, ()), *derived}:
            if len(short) >= 3 or short in derived or short in abbreviations.get(stripped, ()):
                yield short
            yield level + short
            for place in places:  # 徐汇区绿容局, 徐汇绿容局
                yield place + short


class QueryUnderstanding:
    """Finds department names and update frequencies in queries (longest name wins; shared names are ignored)."""

    def __init__(
        self,
        cards: Iterable[EntityCard],
        publishers: set[str],
        abbreviations: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        owners: dict[str, set[str]] = {}
        labels: dict[str, str] = {}
        for card in cards:
            if card.type != "Department" or card.iri not in publishers:
                continue
            labels[card.iri] = card.label
            for variant in _variants(card, abbreviations or {}):
                if len(variant) >= 2:
                    owners.setdefault(variant, set()).add(card.iri)
        ordered = sorted(((name, tuple(sorted(iris))) for name, iris in owners.items()), key=lambda p: -len(p[0]))
        self._rank = {name: (rank, iris) for rank, (name, iris) in enumerate(ordered)}
        """Each name's place in the search order (longest first) and its departments."""
        self._lengths = sorted({len(name) for name in self._rank}, reverse=True)
        self._labels = labels

    def _first_name_in(self, text: str) -> tuple[str, tuple[str, ...]] | None:
        """The longest department name in ``text`` (ties: the first in card order), by substring lookup."""
        best: tuple[int, str, tuple[str, ...]] | None = None
        for length in self._lengths:
            for start in range(len(text) - length + 1):
                found = self._rank.get(text[start : start + length])
                if found is not None and (best is None or found[0] < best[0]):
                    best = (found[0], text[start : start + length], found[1])
            if best is not None:
                return best[1], best[2]
        return None

    def departments_named(self, query: str) -> tuple[str, ...]:
        """The departments whose name, short form or derived short form the whole query is (``发改委``)."""
        found = self._rank.get("".join(normalise(query).split()))
        return found[1] if found is not None else ()

    def understand(self, query: str) -> UnderstoodQuery:
        text = normalise(query).strip()
        frequency = None
        if match := _FREQUENCY.search(text):
            frequency = _frequency_label(match.group(1))
            if frequency:
                text = (text[: match.start()] + " " + text[match.end() :]).strip()
        # names are looked up with the spaces taken out: citizens type 市 应急 管理局 for 市应急管理局
        compact = re.sub(r"\s+", "", text)
        if (named := self._first_name_in(compact)) is not None:
            name, iris = named
            position = compact.find(name)
            rest = compact[:position] + compact[position + len(name) :]
            # nothing else asked: the department itself is what the citizen looks for
            if rest or frequency is not None:
                label = "、".join(self._labels[iri] for iri in iris)
                if ASKS_FOR_DATA.match(rest):
                    return UnderstoodQuery("", iris, label, frequency)
                trailing = _TRAILING.search(rest)
                if trailing is not None and trailing.group(0):
                    return UnderstoodQuery(rest[: trailing.start()], iris, label, frequency)
                # else the department is part of a question about something else
        if frequency is not None:
            return UnderstoodQuery(_TRAILING.sub("", re.sub(r"\s+", " ", text)).strip(), (), None, frequency)
        return UnderstoodQuery(query)


def _frequency_label(word: str) -> str | None:
    lookup = concept_lookup(SCHEME_UPDATE_FREQUENCY)
    concept = lookup.find(word)
    return lookup.pref_label(concept) if concept is not None else None
