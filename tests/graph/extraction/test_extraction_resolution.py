"""Entity resolution within a document and across the corpus."""

from __future__ import annotations

from collections.abc import Callable

from graph.extraction import CorpusExtraction, DocumentExtraction, EntityType


def canonicals(extraction: DocumentExtraction, entity_type: EntityType) -> dict[str, str]:
    return {m.text: m.canonical for m in extraction.mentions if m.type is entity_type}


def test_short_and_full_university_names_resolve_together(extracted: Callable[[str], DocumentExtraction]) -> None:
    text = "香港科技大学(以下简称“港科大”)首个产学研基地。二十多家企业与港科大签署合作协议,港科大校友出席。"
    names = canonicals(extracted(text), EntityType.ORGANIZATION)
    assert names == {"香港科技大学": "香港科技大学", "港科大": "香港科技大学"}
    entity = next(e for e in extracted(text).entities if e.canonical == "香港科技大学")
    assert entity.surface_forms == ("香港科技大学", "港科大") and entity.mention_count == 4


def test_page_break_split_name_resolves_with_the_whole_name(extracted: Callable[[str], DocumentExtraction]) -> None:
    text = "港科大上海中心是香港科\n\n技大学首个位于长三角的产学研基地,与港科大在大湾区的多个基地互补,完善战略布局。"
    extraction = extracted(text)
    mention = next(m for m in extraction.mentions if m.text == "香港科技大学")
    assert mention.canonical == "香港科技大学"
    assert text[mention.raw_start : mention.raw_end] == "香港科\n\n技大学"


def test_defined_alias_is_the_same_department(extracted: Callable[[str], DocumentExtraction]) -> None:
    text = (
        "徐汇区城市数字化转型工作领导小组（以下简称“领导小组”）完善机制。"
        "充分发挥领导小组统筹功能。明确领导小组办公室职能。徐汇区。"
    )
    names = canonicals(extracted(text), EntityType.DEPARTMENT)
    assert names["领导小组"] == names["徐汇区城市数字化转型工作领导小组"] == "上海市徐汇区城市数字化转型工作领导小组"
    assert names["领导小组办公室"] == "上海市徐汇区城市数字化转型工作领导小组办公室"


def test_tail_of_a_long_name_is_the_same_project(extracted: Callable[[str], DocumentExtraction]) -> None:
    text = "现场发布方案,正式启动“上海自贸试验区徐汇联动创新区”建设。未来将充分发挥联动创新区的优势。"
    names = canonicals(extracted(text), EntityType.PROJECT)
    assert names["联动创新区"] == "上海自贸试验区徐汇联动创新区"


def test_corpus_resolution_merges_entities_across_documents(corpus: CorpusExtraction) -> None:
    by_name = {(e.type, e.canonical): e for e in corpus.entities}
    hkust = by_name[(EntityType.ORGANIZATION, "香港科技大学")]
    assert {"港科大", "香港科技大学"} <= set(hkust.surface_forms)
    greening = by_name[(EntityType.DEPARTMENT, "上海市徐汇区绿化和市容管理局")]
    assert greening.surface_forms == ("区绿容局",) and greening.district == "徐汇"
    town = by_name[(EntityType.PROJECT, "漕河泾开发区北杨人工智能小镇")]
    assert len(town.documents) == 2 and "北杨人工智能小镇" in town.surface_forms
    government = by_name[(EntityType.DEPARTMENT, "上海市徐汇区人民政府")]
    assert len(government.documents) == 3


def test_party_committees_of_two_districts_stay_apart(corpus: CorpusExtraction) -> None:
    committees = {
        e.canonical
        for e in corpus.entities
        if e.canonical.startswith("中国共产党上海市") and e.canonical.endswith("区委员会")
    }
    assert committees == {"中国共产党上海市徐汇区委员会", "中国共产党上海市杨浦区委员会"}


def test_corpus_canonical_names_are_applied_to_documents(corpus: CorpusExtraction) -> None:
    for document in corpus.documents:
        for mention in document.mentions:
            assert mention.canonical != "北杨人工智能小镇"


def test_an_owner_written_before_a_quoted_name_joins_its_canonical(
    extracted: Callable[[str], DocumentExtraction],
) -> None:
    text = "徐汇区推广基于徐汇区中心医院“云医院”的远程会诊。徐汇区建设感知能力的徐汇区“神经元系统”。"
    names = canonicals(extracted(text), EntityType.PROJECT)
    assert names == {"云医院": "徐汇区中心医院“云医院”", "神经元系统": "徐汇区“神经元系统”"}


def test_a_leading_municipal_abbreviation_is_spelt_out(extracted: Callable[[str], DocumentExtraction]) -> None:
    names = canonicals(
        extracted("徐汇区建设统一数据共享交换平台，向上对接市大数据资源平台。徐汇区。"), EntityType.PROJECT
    )
    assert names["市大数据资源平台"] == "上海市大数据资源平台"


def test_a_company_name_one_character_off_a_known_name_is_that_company(
    extracted: Callable[[str], DocumentExtraction],
) -> None:
    text = "上海国有资产投资有限公司党委书记出席。上海国投公司与徐汇区共同揭牌。"
    names = canonicals(extracted(text), EntityType.ORGANIZATION)
    assert set(names.values()) == {"上海国有资本投资有限公司"}


def test_a_company_written_in_full_is_then_named_by_its_short_name(
    extracted: Callable[[str], DocumentExtraction],
) -> None:
    text = "中国宝武钢铁集团有限公司等企业签约。宝武相关负责人表示，将共建联合实验室。"
    names = canonicals(extracted(text), EntityType.ORGANIZATION)
    assert names == {"中国宝武钢铁集团有限公司": "中国宝武钢铁集团有限公司", "宝武": "中国宝武钢铁集团有限公司"}


def test_table_of_contents_and_body_forms_of_one_project_are_one_entity(
    extracted: Callable[[str], DocumentExtraction],
) -> None:
    text = "五、重点工程\n（六）“数字新规则”重塑工程\n\n正文。\n\n（六）“数字新规则”强化工程\n\n加快制度建设。"
    names = set(canonicals(extracted(text), EntityType.PROJECT).values())
    assert names == {"“数字新规则”强化工程"}


def test_district_bodies_take_their_official_names_also_off_the_usual_pattern(
    extracted: Callable[[str], DocumentExtraction],
) -> None:
    text = "嘉定区发布方案。区交通委会同区公安分局推进改造，嘉定工业区管委会负责配套建设。嘉定区。"
    names = canonicals(extracted(text), EntityType.DEPARTMENT)
    assert names["区交通委"] == "上海市嘉定区交通委员会"
    assert names["区公安分局"] == "上海市公安局嘉定分局"
    assert names["嘉定工业区管委会"] == "上海嘉定工业区管理委员会"


def test_a_later_leading_group_office_is_the_office_of_the_group_named_before(
    extracted: Callable[[str], DocumentExtraction],
) -> None:
    text = "嘉定区发布方案。区城市数字化转型工作领导小组统筹推进，领导小组办公室设在区数据局。嘉定区。"
    names = canonicals(extracted(text), EntityType.DEPARTMENT)
    assert names["领导小组办公室"] == "上海市嘉定区城市数字化转型工作领导小组办公室"
