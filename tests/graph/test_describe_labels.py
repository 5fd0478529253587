"""The label cache of descriptions: labels of pointed-to nodes are looked up once until the store is written."""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import URIRef
from rdflib.term import Node

from graph.describe import LabelCache, describe
from graph.store import OxigraphStore, Triple

EX = "https://kgcat.example.org/id/"
PUBLISHER = URIRef(f"{EX}department/greening")
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
DCT = "http://purl.org/dc/terms/"


class CountingStore:
    """A store that counts the nodes whose labels are looked up."""

    def __init__(self, store: OxigraphStore) -> None:
        self.store = store
        self.label_lookups: list[Node] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self.store, name)

    def triples_about(self, subjects: Sequence[Node], predicates: Sequence[URIRef] | None = None) -> list[Triple]:
        if predicates is not None:
            self.label_lookups.extend(subjects)
        return self.store.triples_about(subjects, predicates)


def fill(store: OxigraphStore, datasets: int = 3) -> list[URIRef]:
    lines = [f'<{PUBLISHER}> <{SKOS_PREF}> "区绿容局"@zh .']
    for number in range(datasets):
        lines += [
            f'<{EX}dataset/{number}> <{DCT}title> "表{number}"@zh .',
            f"<{EX}dataset/{number}> <{DCT}publisher> <{PUBLISHER}> .",
        ]
    store.update("INSERT DATA { GRAPH <urn:test:g> { " + " ".join(lines) + " } }")
    return [URIRef(f"{EX}dataset/{number}") for number in range(datasets)]


def publisher_label(store: object, dataset: URIRef, cache: LabelCache) -> str | None:
    return describe(store, dataset, referrers=False, labels=cache).label(PUBLISHER)  # type: ignore[arg-type]


def test_a_pointed_node_is_looked_up_once_for_many_descriptions(store: OxigraphStore) -> None:
    datasets = fill(store)
    counting, cache = CountingStore(store), LabelCache()

    labels = [publisher_label(counting, dataset, cache) for dataset in datasets]

    assert labels == ["区绿容局"] * 3
    assert counting.label_lookups.count(PUBLISHER) == 1


def test_the_labels_equal_those_without_the_cache(store: OxigraphStore) -> None:
    dataset = fill(store, datasets=1)[0]
    cache = LabelCache()
    describe(store, dataset, labels=cache)  # fills it

    assert describe(store, dataset, labels=cache) == describe(store, dataset)


def test_after_clear_a_changed_label_is_seen(store: OxigraphStore) -> None:
    dataset = fill(store, datasets=1)[0]
    cache = LabelCache()
    assert publisher_label(store, dataset, cache) == "区绿容局"
    store.update(f'DELETE DATA {{ GRAPH <urn:test:g> {{ <{PUBLISHER}> <{SKOS_PREF}> "区绿容局"@zh }} }}')
    store.update(f'INSERT DATA {{ GRAPH <urn:test:g> {{ <{PUBLISHER}> <{SKOS_PREF}> "绿化和市容管理局"@zh }} }}')

    stale = publisher_label(store, dataset, cache)
    cache.clear()

    assert stale == "区绿容局"  # until told of the write
    assert publisher_label(store, dataset, cache) == "绿化和市容管理局"


def test_a_lookup_that_overlapped_a_clear_keeps_nothing(store: OxigraphStore) -> None:
    dataset = fill(store, datasets=1)[0]
    cache = LabelCache()

    class ClearingStore(CountingStore):
        def triples_about(self, subjects: Sequence[Node], predicates: Sequence[URIRef] | None = None) -> list[Triple]:
            found = super().triples_about(subjects, predicates)
            if predicates is not None:
                cache.clear()  # a write lands while this lookup runs
            return found

    clearing = ClearingStore(store)
    publisher_label(clearing, dataset, cache)
    publisher_label(clearing, dataset, cache)

    assert clearing.label_lookups.count(PUBLISHER) == 2  # the first lookup's answer was not kept


def test_a_full_cache_starts_again(store: OxigraphStore) -> None:
    other = URIRef(f"{EX}department/transport")
    first = fill(store, datasets=1)[0]
    second = URIRef(f"{EX}dataset/other")
    store.update(
        f'INSERT DATA {{ GRAPH <urn:test:g> {{ <{other}> <{SKOS_PREF}> "区交通管理中心"@zh . '
        f"<{second}> <{DCT}publisher> <{other}> }} }}"
    )
    counting, cache = CountingStore(store), LabelCache(capacity=1)

    labels = [
        describe(counting, dataset, referrers=False, labels=cache).label(publisher)  # type: ignore[arg-type]
        for dataset, publisher in ((first, PUBLISHER), (second, other), (first, PUBLISHER))
    ]

    assert labels == ["区绿容局", "区交通管理中心", "区绿容局"]
    assert counting.label_lookups.count(PUBLISHER) == 2  # dropped when the second publisher came in
