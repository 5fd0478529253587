"""The profile's ontology and concept schemes as shipped data, and label look-ups into them.

The schemes (ontology/data/schemes/*.ttl) are loaded into the store as their own named
graph, and the importer uses :class:`ConceptLookup` to turn values such as ``有条件开放`` or
``每年`` into concept IRIs.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from rdflib import Graph, Literal, URIRef

from ontology.errors import VocabularyError
from ontology.namespaces import SKOS

VOCABULARY_BASE = "https://kgcat.example.org/def/"
"""Where the profile's own vocabulary, schemes and shapes live (see docs/decisions/iri-scheme.md)."""

SCHEME_ACCESS_RIGHT = URIRef(VOCABULARY_BASE + "scheme/access-right")
SCHEME_SHARE_ATTRIBUTE = URIRef(VOCABULARY_BASE + "scheme/share-attribute")
SCHEME_UPDATE_FREQUENCY = URIRef(VOCABULARY_BASE + "scheme/update-frequency")
SCHEME_DATA_DOMAIN = URIRef(VOCABULARY_BASE + "scheme/data-domain")
SCHEME_NATIONAL_THEME = URIRef(VOCABULARY_BASE + "scheme/national-theme")

_SCHEME_FILES = (
    "access-rights.ttl",
    "share-attribute.ttl",
    "update-frequency.ttl",
    "data-domain.ttl",
    "national-theme.ttl",
)


def _data_files() -> Iterator[tuple[str, str]]:
    base = files("ontology").joinpath("data")
    yield "kgcat.ttl", base.joinpath("kgcat.ttl").read_text(encoding="utf-8")
    for name in _SCHEME_FILES:
        yield name, base.joinpath("schemes", name).read_text(encoding="utf-8")


@cache
def profile_graph() -> Graph:
    """The project ontology plus every shipped concept scheme (cached; do not modify)."""
    graph = Graph()
    for name, text in _data_files():
        try:
            graph.parse(data=text, format="turtle")
        except SyntaxError as error:  # rdflib raises subclasses of SyntaxError for bad Turtle
            raise VocabularyError(f"shipped vocabulary file {name} does not parse: {error}") from error
    return graph


def normalise_label(text: str) -> str:
    """Fold a label for matching: NFKC (full-width → half-width), no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


@dataclass(frozen=True)
class ConceptLookup:
    """Finds the concept of one scheme whose prefLabel or altLabel matches a value."""

    scheme: URIRef
    by_label: dict[str, URIRef]
    pref_labels: dict[URIRef, str]

    @classmethod
    def for_scheme(cls, scheme: URIRef) -> ConceptLookup:
        graph = profile_graph()
        by_label: dict[str, URIRef] = {}
        pref_labels: dict[URIRef, str] = {}
        for concept in graph.subjects(SKOS.inScheme, scheme):
            if not isinstance(concept, URIRef):
                continue
            for label in graph.objects(concept, SKOS.prefLabel):
                if isinstance(label, Literal) and label.language == "zh":
                    pref_labels[concept] = str(label)
            for predicate in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):  # hidden: known misspellings
                for label in graph.objects(concept, predicate):
                    if isinstance(label, Literal):
                        by_label[normalise_label(str(label))] = concept
        if not by_label:
            raise VocabularyError(f"concept scheme {scheme} has no labelled concepts; the package data is incomplete")
        return cls(scheme, by_label, pref_labels)

    def find(self, value: str) -> URIRef | None:
        """The concept labelled ``value`` (ignoring width, spaces and case), or None."""
        return self.by_label.get(normalise_label(value))

    def pref_label(self, concept: URIRef) -> str:
        """The Chinese preferred label of one of this scheme's concepts."""
        return self.pref_labels[concept]


@cache
def concept_lookup(scheme: URIRef) -> ConceptLookup:
    """The (cached) look-up for one shipped scheme."""
    return ConceptLookup.for_scheme(scheme)
