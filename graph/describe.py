"""What the catalogue says about one IRI: its bounded description, for dereferencing.

The description of an entity is every triple with it as subject (across all named graphs),
the triples of its own sub-nodes (IRIs minted under it, such as ``…/identifier`` and
``…/distribution/csv``, and skolemised blank nodes under ``/.well-known/genid/``), and the
labels of the resources it points to, so a client can show names without a second request
(a concise bounded description, https://www.w3.org/submission/CBD/, over skolem IRIs). Pages
for people also show a bounded list of the entities that point to it.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from graph.store import Store, Triple
from ontology.namespaces import DCTERMS, FOAF, PREFIXES, RDF, RDFS, SKOS

LABEL_PREDICATES: tuple[URIRef, ...] = (SKOS.prefLabel, DCTERMS.title, FOAF.name, RDFS.label)
GENID_PATH = "/.well-known/genid/"
MAX_DEPTH = 3
MAX_NODES = 200
MAX_REFERRERS = 50
LABELS_KEPT = 50_000
"""Nodes whose labels a :class:`LabelCache` keeps (then it starts again): a few MB."""


@dataclass(frozen=True)
class Description:
    """The bounded description of ``iri`` and what a page needs to show it."""

    iri: URIRef
    triples: tuple[Triple, ...]
    labels: dict[Node, str] = field(default_factory=dict)
    referrers: tuple[tuple[URIRef, URIRef], ...] = ()
    """(subject, predicate) of triples pointing at ``iri``, at most MAX_REFERRERS."""
    more_referrers: bool = False

    @property
    def found(self) -> bool:
        return any(subject == self.iri for subject, _, _ in self.triples)

    def graph(self) -> Graph:
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for triple in self.triples:
            graph.add(triple)
        return graph

    def types(self) -> list[URIRef]:
        return [o for s, p, o in self.triples if s == self.iri and p == RDF.type and isinstance(o, URIRef)]

    def label(self, node: Node) -> str | None:
        return self.labels.get(node)


def is_sub_node(parent: URIRef, node: Node) -> bool:
    """True for IRIs minted under ``parent`` (``…/identifier``, ``…#term``) and skolem IRIs."""
    if not isinstance(node, URIRef) or node == parent:
        return False
    text = str(node)
    return text.startswith((f"{parent}/", f"{parent}#")) or GENID_PATH in text


class LabelCache:
    """The label triples of nodes, kept across descriptions until the store is written (:meth:`clear`).

    Descriptions name the same few nodes again and again (departments, concepts, formats, licences,
    predicates): looking their labels up by index costs as much as the entity's own triples (a
    dereference at 90k: 12 % of the server's CPU, bench/RESULTS.md). Safe across threads: a lookup
    that overlapped a :meth:`clear` keeps nothing.
    """

    def __init__(self, capacity: int = LABELS_KEPT) -> None:
        self.capacity = capacity
        self._known: dict[Node, tuple[Triple, ...]] = {}
        self._generation = 0
        self._lock = threading.Lock()

    def clear(self) -> None:
        """Forget every label: call after every write to the store."""
        with self._lock:
            self._generation += 1
            self._known = {}

    def label_triples(self, store: Store, nodes: Sequence[Node]) -> list[Triple]:
        """The LABEL_PREDICATES triples of ``nodes``, looked up in ``store`` only for nodes not kept yet."""
        generation, known = self._generation, self._known
        missing = [node for node in nodes if node not in known]
        if missing:
            found: dict[Node, list[Triple]] = defaultdict(list)
            for triple in store.triples_about(missing, LABEL_PREDICATES):
                found[triple[0]].append(triple)
            fresh = {node: tuple(found.get(node, ())) for node in missing}
            with self._lock:
                if generation == self._generation:  # no write since the lookup began
                    if len(self._known) + len(fresh) > self.capacity:
                        self._known = {}
                    self._known.update(fresh)
            known = {**known, **fresh}
        return [triple for node in nodes for triple in known.get(node, ())]


def _labels(store: Store, nodes: Sequence[Node], cache: LabelCache | None) -> tuple[list[Triple], dict[Node, str]]:
    if not nodes:
        return [], {}
    triples = cache.label_triples(store, nodes) if cache is not None else store.triples_about(nodes, LABEL_PREDICATES)
    return triples, _best_labels(triples)


def _best_labels(triples: Iterable[Triple]) -> dict[Node, str]:
    """One label per node: Chinese first, then untagged, then any; in LABEL_PREDICATES order."""

    def rank(triple: Triple) -> tuple[int, int]:
        _, predicate, label = triple
        language = label.language if isinstance(label, Literal) else None
        order = {"zh": 0, None: 1}.get(language.split("-")[0] if language else None, 2)
        return order, LABEL_PREDICATES.index(predicate) if predicate in LABEL_PREDICATES else 9

    best: dict[Node, str] = {}
    for subject, predicate, label in sorted(triples, key=rank):
        if isinstance(label, Literal) and predicate in LABEL_PREDICATES:
            best.setdefault(subject, str(label))
    return best


def _referrers(store: Store, iri: URIRef) -> list[tuple[URIRef, URIRef]]:
    rows = store.query(f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p <{iri}> }} LIMIT {MAX_REFERRERS + 1}").rows
    return [(row["s"], row["p"]) for row in rows if isinstance(row["s"], URIRef) and isinstance(row["p"], URIRef)]


def describe(
    store: Store,
    iri: URIRef,
    *,
    members_of: URIRef | None = None,
    referrers: bool = True,
    labels: LabelCache | None = None,
) -> Description:
    """The bounded description of ``iri``; ``members_of`` (a vocabulary graph) adds its ``iri#…`` terms;
    ``labels`` keeps the labels of the nodes it points to for the next descriptions."""
    triples: list[Triple] = []
    seen: set[Node] = {iri}
    level: list[Node] = [iri]
    if members_of is not None:
        level += _hash_members(store, iri, members_of)
        seen.update(level)
    for _ in range(MAX_DEPTH):
        found = store.triples_about(level)
        triples += found
        level = [o for _, _, o in found if is_sub_node(iri, o) and o not in seen][: MAX_NODES - len(seen)]
        seen.update(level)
        if not level:
            break
    pointed = list(dict.fromkeys(o for _, _, o in triples if isinstance(o, URIRef) and o not in seen))
    pointing = _referrers(store, iri) if referrers else []
    predicates = {p for _, p, _ in triples} | {p for _, p in pointing} if referrers else set()
    named = [*pointed, *(s for s, _ in pointing if s not in seen), *predicates]
    label_triples, named_labels = _labels(store, list(dict.fromkeys(named)), labels)
    pointed_set = set(pointed)
    shown = [t for t in label_triples if t[0] in pointed_set]
    return Description(
        iri,
        tuple(dict.fromkeys([*triples, *shown])),
        {**named_labels, **_best_labels(triples)},
        tuple(pointing[:MAX_REFERRERS]),
        len(pointing) > MAX_REFERRERS,
    )


def _hash_members(store: Store, iri: URIRef, graph: URIRef) -> list[Node]:
    rows = store.query(
        f'SELECT DISTINCT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{iri}#")) }} }}'
    ).rows
    return sorted((row["s"] for row in rows), key=str)
