"""Simple query understanding: a department named in the query, asked for its data, becomes a filter.

``绿容局 的数据`` names a department (by a short form the catalogue knows) and asks for data, so
the query turns into "datasets published by 上海市徐汇区绿化和市容管理局" with the rest of the words
(here none) as the ranking text. A query that only names a department (``卫健委``) is left as it
is: the citizen is looking for the department itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from search.entities import EntityCard
from search.tokens import normalise

DATA_INTENT = re.compile(r"(的)?(数据资源|数据集|数据|资料|信息表|信息|目录|资源|表)$")
"""Words that, after a department's name, ask for what it publishes."""

_REGION_PREFIX = re.compile(r"^(上海市)?([\u4e00-\u9fff]{1,4}?(区|县|市))?")


@dataclass(frozen=True)
class UnderstoodQuery:
    text: str
    """What is left to rank by, once a recognised filter is taken out (may be empty)."""
    publisher_iri: str | None = None
    publisher_label: str | None = None


def _variants(card: EntityCard) -> Iterable[str]:
    """Names a department goes by: full name, short names, and both without 区/市 or the region."""
    for name in (card.label, *card.alt_labels):
        name = normalise(name)
        yield name
        for prefix in ("区", "市"):
            if name.startswith(prefix) and len(name) > 3:
                yield name[1:]
        stripped = _REGION_PREFIX.sub("", name)
        if stripped != name and len(stripped) >= 3:
            yield stripped


class QueryUnderstanding:
    """Finds department names in queries (longest name wins; a name shared by two bodies is ignored)."""

    def __init__(self, cards: Iterable[EntityCard], publishers: set[str]) -> None:
        owners: dict[str, set[str]] = {}
        labels: dict[str, str] = {}
        for card in cards:
            if card.type != "Department" or card.iri not in publishers:
                continue
            labels[card.iri] = card.label
            for variant in _variants(card):
                if len(variant) >= 3:
                    owners.setdefault(variant, set()).add(card.iri)
        self._names = sorted(((n, next(iter(o))) for n, o in owners.items() if len(o) == 1), key=lambda p: -len(p[0]))
        self._labels = labels

    def understand(self, query: str) -> UnderstoodQuery:
        text = normalise(query).strip()
        for name, iri in self._names:
            position = text.find(name)
            if position < 0:
                continue
            rest = (text[:position] + " " + text[position + len(name) :]).strip()
            compact = re.sub(r"\s+", "", rest)
            if not compact or not DATA_INTENT.search(compact):
                return UnderstoodQuery(query)  # the department itself, or a question about something else
            remaining = DATA_INTENT.sub("", compact).strip()
            return UnderstoodQuery(remaining, iri, self._labels[iri])
        return UnderstoodQuery(query)
