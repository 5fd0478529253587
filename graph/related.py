"""What the documents that mention an entity also mention: a policy's projects, a dataset's policies.

The catalogue has few direct triples between policies, projects and data resources: documents
name them side by side. Document import records every entity a document names
(``schema:mentions``), so the entities *co-mentioned* with one are those named by the same
documents. Entity pages show them by kind, saying that this is the evidence (not a stated link).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from graph.sparql_text import is_safe_iri
from graph.store import Store
from ontology.namespaces import DCAT3, KGCAT

CO_MENTIONED_KINDS: tuple[URIRef, ...] = (KGCAT.Policy, KGCAT.Project, DCAT3.Dataset)
PER_KIND = 12


@dataclass(frozen=True)
class CoMention:
    """An entity named by ``documents`` of the documents that also name the one shown."""

    iri: URIRef
    kind: URIRef
    label: str
    documents: int


def co_mentioned(store: Store, iri: URIRef, per_kind: int = PER_KIND) -> tuple[CoMention, ...]:
    """Policies, projects and datasets named by the documents that name ``iri``, most shared documents first."""
    if not is_safe_iri(str(iri)):
        return ()
    # Two steps: the documents first (most record-imported datasets have none), then what they name.
    # As one pattern, Oxigraph starts from `?other a ?kind` and joins every dataset of the store.
    documents = [
        row["doc"] for row in store.query(f"SELECT DISTINCT ?doc WHERE {{ ?doc schema:mentions <{iri}> }}").rows
    ]
    if not documents:
        return ()
    docs = " ".join(f"<{doc}>" for doc in documents)
    kinds = " ".join(f"<{kind}>" for kind in CO_MENTIONED_KINDS)
    rows = store.query(
        "SELECT ?other ?kind (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?doc) AS ?docs) WHERE { "
        f"VALUES ?doc {{ {docs} }} ?doc schema:mentions ?other . FILTER(?other != <{iri}>) "
        f"VALUES ?kind {{ {kinds} }} ?other a ?kind . "
        'OPTIONAL { ?other skos:prefLabel|dct:title ?l FILTER(lang(?l) = "" || langMatches(lang(?l), "zh")) } '
        "} GROUP BY ?other ?kind ORDER BY DESC(?docs) ?label"
    ).rows
    found: list[CoMention] = []
    taken: dict[URIRef, int] = {}
    seen: set[URIRef] = set()
    for kind in CO_MENTIONED_KINDS:  # a dataset is also a data resource: list it once, under its first kind
        for row in rows:
            other, label = row["other"], row.get("label")
            if row["kind"] != kind or not isinstance(other, URIRef) or other in seen or label is None:
                continue
            if taken.get(kind, 0) >= per_kind:
                break
            taken[kind] = taken.get(kind, 0) + 1
            seen.add(other)
            found.append(CoMention(other, kind, str(label), int(str(row["docs"]))))
    return tuple(found)
