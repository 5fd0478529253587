"""Relations supported by the text."""

from __future__ import annotations

from collections.abc import Callable

from graph.extraction import CorpusExtraction, DocumentExtraction, RelationKind


def relations(extraction: DocumentExtraction, kind: RelationKind) -> set[tuple[str, str]]:
    return {(r.subject, r.object) for r in extraction.relations if r.kind is kind}


def test_agreement_signers(extracted: Callable[[str], DocumentExtraction]) -> None:
    extraction = extracted("徐汇报 3月20日下午,徐汇区与上汽集团签订战略合作框架协议。")
    name = "上海市徐汇区人民政府与上海汽车集团股份有限公司战略合作框架协议"
    assert relations(extraction, RelationKind.SIGNED_BY) == {
        (name, "上海市徐汇区人民政府"),
        (name, "上海汽车集团股份有限公司"),
    }


def test_event_date_takes_the_document_year(extracted: Callable[[str], DocumentExtraction]) -> None:
    extraction = extracted("2024年10月18日 星期五\n\n10月15日上午,徐汇区重大项目集中签约仪式举行。")
    dates = {r.object for r in extraction.relations if r.kind is RelationKind.EVENT_DATE}
    assert "2024-10-15" in dates


def test_event_date_without_a_known_year(extracted: Callable[[str], DocumentExtraction]) -> None:
    extraction = extracted("3月24日上午,双方签署合作意向书。")
    assert {r.object for r in extraction.relations if r.kind is RelationKind.EVENT_DATE} == {"--03-24"}


def test_policy_issuers(extracted: Callable[[str], DocumentExtraction]) -> None:
    extraction = extracted("上海市委、市政府于2021年年初发布《关于全面推进上海城市数字化转型的意见》。")
    assert relations(extraction, RelationKind.ISSUED_BY) == {
        ("关于全面推进上海城市数字化转型的意见", "中国共产党上海市委员会"),
        ("关于全面推进上海城市数字化转型的意见", "上海市人民政府"),
    }


def test_project_hosts_and_location(extracted: Callable[[str], DocumentExtraction]) -> None:
    text = (
        "港科大上海产教融合中心落户徐汇\n\n"
        "1月22日,由上海市徐汇区人民政府、香港科技大学联合主办的香港科技大学上海产教融合中心揭牌仪式举行。"
    )
    extraction = extracted(text)
    project = "香港科技大学上海产教融合中心"
    assert relations(extraction, RelationKind.PARTICIPANT) == {
        (project, "上海市徐汇区人民政府"),
        (project, "香港科技大学"),
    }
    assert (project, "徐汇") in relations(extraction, RelationKind.LOCATED_IN)


def test_dataset_publishers_by_documented_remit_rule(corpus: CorpusExtraction) -> None:
    document = next(d for d in corpus.documents if d.doc_id.startswith("000"))
    published = relations(document, RelationKind.PUBLISHES)
    assert ("上海市徐汇区绿化和市容管理局", "古树名木保护表") in published
    assert ("上海市徐汇区交通管理中心", "新能源汽车充电场表") in published
    rules = {r.rule for r in document.relations if r.kind is RelationKind.PUBLISHES}
    assert "publishes.remit" in rules


def test_every_entity_is_mentioned_by_its_document(corpus: CorpusExtraction) -> None:
    for document in corpus.documents:
        mentioned = {r.object for r in document.relations if r.kind is RelationKind.MENTIONS}
        assert mentioned == {e.canonical for e in document.entities}
