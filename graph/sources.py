"""Naming sources and describing them in their own named graph (hash, file, counts, time)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Literal, URIRef

from graph.iris import IriMinter, name_key
from graph.mapping import Triple
from ontology.namespaces import KGCAT, PROV, RDF, XSD


def source_key(path: Path) -> str:
    """A graph key from a file name: its ASCII stem (``xuhui-records``), else a hash of the name."""
    stem = path.name
    for suffix in reversed(path.suffixes):
        stem = stem.removesuffix(suffix)
    key = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-").lower()
    return key if key and stem.isascii() else f"source-{name_key(path.name)}"


def source_graph_triples(
    graph: URIRef, *, content_hash: str, file_name: str, counts: Callable[[], tuple[int, int]]
) -> Iterator[Triple]:
    """The description a source graph carries of itself (read back by ``Store.source_hash``).

    ``counts`` gives (written, rejected) and is called lazily, after the records were streamed.
    """
    written, rejected = counts()
    yield graph, RDF.type, KGCAT.SourceGraph
    yield graph, RDF.type, PROV.Entity
    yield graph, KGCAT.contentHash, Literal(content_hash)
    yield graph, KGCAT.sourceFile, Literal(file_name)
    yield graph, KGCAT.recordCount, Literal(written)
    yield graph, KGCAT.rejectedCount, Literal(rejected)
    yield graph, PROV.generatedAtTime, Literal(datetime.now(UTC).isoformat(timespec="seconds"), datatype=XSD.dateTime)


def vocabulary_graph(minter: IriMinter) -> URIRef:
    """The named graph holding the profile's ontology and concept schemes."""
    return minter.source_graph("vocabulary")
