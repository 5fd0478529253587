"""The closed namespaces agree with the Turtle they are generated from, and refuse unknown terms."""

from __future__ import annotations

from importlib.resources import files

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DefinedNamespace

from ontology.namespaces import ADMS, DCAT3, DQV, KGCAT, OA, PREFIXES, RDFS


def _vocabulary(file_name: str) -> Graph:
    return Graph().parse(
        data=files("ontology").joinpath("data", file_name).read_text(encoding="utf-8"), format="turtle"
    )


def _terms_in(graph: Graph, namespace: str) -> set[str]:
    return {
        str(s).removeprefix(namespace)
        for s in graph.subjects()
        if isinstance(s, URIRef) and str(s).startswith(namespace)
    }


def _members(namespace: type[DefinedNamespace]) -> set[str]:
    return set(namespace.__annotations__)


def test_kgcat_class_has_exactly_the_terms_of_kgcat_ttl() -> None:
    assert _members(KGCAT) == _terms_in(_vocabulary("kgcat.ttl"), str(KGCAT))


def test_dcat3_class_has_exactly_the_terms_of_dcat3_ttl() -> None:
    assert _members(DCAT3) == _terms_in(_vocabulary("dcat3.ttl"), "http://www.w3.org/ns/dcat#")


def test_dcat3_class_has_the_dcat_3_terms_rdflib_dcat_2_lacks() -> None:
    assert DCAT3.DatasetSeries == URIRef("http://www.w3.org/ns/dcat#DatasetSeries")
    assert DCAT3.inSeries == URIRef("http://www.w3.org/ns/dcat#inSeries")


def test_every_kgcat_term_has_a_label_and_comment_in_chinese_and_english() -> None:
    graph = _vocabulary("kgcat.ttl")
    missing = []
    for term in sorted(_members(KGCAT)):
        for predicate in (RDFS.label, RDFS.comment):
            languages = {o.language for o in graph.objects(KGCAT[term], predicate) if isinstance(o, Literal)}
            missing.extend(f"{term} {predicate} @{lang}" for lang in ("zh", "en") if lang not in languages)
    assert missing == []


@pytest.mark.parametrize("namespace", [KGCAT, DCAT3, ADMS, DQV, OA], ids=lambda ns: ns.__name__)
def test_closed_namespace_raises_on_an_unknown_term(namespace: type[DefinedNamespace]) -> None:
    with pytest.raises(AttributeError):
        _ = namespace.noSuchTerm
    with pytest.raises(AttributeError):
        _ = namespace["noSuchTerm"]


def test_closed_namespace_gives_its_known_terms_as_iris() -> None:
    assert KGCAT.additionalField == URIRef("https://kgcat.example.org/def/kgcat#additionalField")
    assert KGCAT["fieldName"] == URIRef("https://kgcat.example.org/def/kgcat#fieldName")


def test_bound_prefixes_name_the_closed_namespaces() -> None:
    assert PREFIXES["dcat"] == str(DCAT3)
    assert PREFIXES["kgcat"] == str(KGCAT)
    assert all(namespace.endswith(("#", "/")) for namespace in PREFIXES.values())
