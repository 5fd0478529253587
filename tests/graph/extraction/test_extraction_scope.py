"""Generic project names are scoped by district (IRI clash rule, graph/extraction/scope.py)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from graph.document_mapping import DocumentMapper
from graph.extraction import CorpusExtraction, EntityType, extract_corpus, load_lexicon
from graph.extraction.context import DocumentContext
from graph.extraction.pipeline import segmenter_for
from graph.extraction.scope import is_generic_name
from graph.extraction.sentences import SentenceIndex
from graph.iris import IriMinter
from ontology.namespaces import KGCAT

PAGES = {
    "xuhui_a": "徐汇报\n\n徐汇区推进规划“一张图”建设,徐汇区依托“汇治理”入驻“模速空间”。\n",
    "xuhui_b": "徐汇报\n\n徐汇区完善规划“一张图”,推动“汇治理”升级。\n",
    "yangpu": "杨浦时报\n\n杨浦区推进规划“一张图”建设,杨浦区企业入驻“模速空间”。\n",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> CorpusExtraction:
    logging.getLogger("jieba").setLevel(logging.WARNING)
    directory = tmp_path_factory.mktemp("pages")
    paths = []
    for name, text in PAGES.items():
        path = directory / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return extract_corpus(paths)


def project_iris(corpus: CorpusExtraction, name: str) -> dict[str, str]:
    mapper = DocumentMapper(IriMinter())
    iris = {}
    for document in corpus.documents:
        graph = mapper.map(document, document.doc_id, f"{document.doc_id}.txt", document.doc_id)
        iri = graph.entities.get((EntityType.PROJECT, name))
        if iri is not None:
            iris[document.doc_id] = str(iri)
    return iris


@pytest.mark.parametrize(
    ("name", "generic"),
    [
        ("一张图", True),
        ("规划一张图", True),
        ("大数据资源管理服务平台", True),
        ("模速空间", False),  # a coined word
        ("汇治理", False),
        ("鑫耀中心", False),
        ("桃浦智创城", False),
        ("上海市大数据资源平台", False),  # a place
        ("“数字新要素”流通工程", False),  # a quoted name
        ("5G+智慧城管", False),
        ("华为鲲鹏中心", False),  # an organization
        ("一网通办", False),  # a known platform
    ],
)
def test_a_project_name_of_common_words_only_is_generic(name: str, generic: bool) -> None:
    lexicon = load_lexicon()
    ctx = DocumentContext.build(name, lexicon, segmenter_for(lexicon), SentenceIndex.of(()))
    assert is_generic_name(ctx, name) is generic


def test_a_generic_project_name_gets_one_iri_per_district(corpus: CorpusExtraction) -> None:
    iris = project_iris(corpus, "一张图")
    assert set(iris) == set(PAGES)
    assert iris["xuhui_a"] == iris["xuhui_b"] != iris["yangpu"]


def test_a_distinctive_project_name_gets_one_iri_everywhere(corpus: CorpusExtraction) -> None:
    iris = project_iris(corpus, "模速空间")
    assert set(iris) == {"xuhui_a", "yangpu"}
    assert len(set(iris.values())) == 1


def test_corpus_resolution_keeps_generic_projects_of_two_districts_apart(corpus: CorpusExtraction) -> None:
    maps = [e for e in corpus.entities if e.type is EntityType.PROJECT and e.canonical == "一张图"]
    assert sorted(e.documents for e in maps) == [("xuhui_a", "xuhui_b"), ("yangpu",)]
    assert all(e.generic for e in maps)


def test_a_generic_project_of_a_document_without_district_is_scoped_by_the_document(tmp_path: Path) -> None:
    paths = []
    for name in ("note_a", "note_b"):
        path = tmp_path / f"{name}.txt"
        path.write_text("会议纪要\n\n推进规划“一张图”建设。\n", encoding="utf-8")
        paths.append(path)
    iris = project_iris(extract_corpus(paths), "一张图")
    assert len(set(iris.values())) == 2


def test_a_generic_project_names_its_district_in_the_graph(corpus: CorpusExtraction) -> None:
    mapper = DocumentMapper(IriMinter())
    yangpu = next(d for d in corpus.documents if d.doc_id == "yangpu")
    graph = mapper.map(yangpu, "yangpu", "yangpu.txt", "yangpu")
    iri = graph.entities[(EntityType.PROJECT, "一张图")]
    assert [o for s, p, o in graph.triples if s == iri and p == KGCAT.district] == [
        IriMinter().location("上海市杨浦区")
    ]
