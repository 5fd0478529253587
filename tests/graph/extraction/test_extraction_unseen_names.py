"""Names as unseen district pages write them (issue 3, eighth to tenth rounds): each rule on fresh
sentences."""

from __future__ import annotations

from collections.abc import Callable

from graph.extraction import DocumentExtraction

Found = Callable[[str], set[tuple[str, str]]]


def _of(found: Found, text: str, entity_type: str) -> set[str]:
    return {s for t, s in found(text) if t == entity_type}


def test_disciplines_ending_in_gongcheng_are_not_projects(found: Found) -> None:
    assert not _of(found, "发挥该校在机械工程、土木工程等学科的优势。", "Project")
    assert not _of(found, "学校开设环境科学与工程、生物医学工程与技术等专业。", "Project")
    assert _of(found, "区水务局推进张泾河综合整治工程。", "Project") == {"张泾河综合整治工程"}


def test_a_district_and_a_period_do_not_make_major_projects_a_name(found: Found) -> None:
    assert not _of(found, "黄浦区三季度重点项目集中开工。", "Project")
    assert not _of(found, "虹口区重大产业项目签约活动举行。", "Project")
    assert _of(found, "实施虹口港沿线城市更新项目。", "Project") == {"虹口港沿线城市更新项目"}


def test_arts_venues_and_a_city_centre_are_not_projects(found: Found) -> None:
    assert not _of(found, "音乐会在东方(上海)文化艺术中心上演。", "Project")
    assert not _of(found, "打造“北上海城市中心、科创新城”。", "Project")


def test_the_district_abbreviation_belongs_to_a_district_association(
    extracted: Callable[[str], DocumentExtraction],
) -> None:
    names = {m.text: m.canonical for m in extracted("虹口报 虹口区新闻。区侨联、区红十字会走进社区。").mentions}
    assert names == {"区侨联": "上海市虹口区归国华侨联合会", "区红十字会": "上海市虹口区红十字会"}
    assert [m.text for m in extracted("虹口报 社区侨联开展活动。").mentions] == ["侨联"]


def test_a_bank_with_its_branch_is_one_organization(found: Found) -> None:
    text = "工商银行虹口支行、招商银行上海黄浦支行代表参加。"
    assert _of(found, text, "Organization") == {"工商银行虹口支行", "招商银行上海黄浦支行"}


def test_a_short_name_keeps_the_region_of_its_full_name(extracted: Callable[[str], DocumentExtraction]) -> None:
    extraction = extracted("上海振华重工机械股份有限公司参加签约。上海振华将建设智能码头。")
    names = {m.text: m.canonical for m in extraction.mentions if m.type.value == "Organization"}
    assert names["上海振华"] == "上海振华重工机械股份有限公司"
    assert "振华" not in names


def test_a_short_name_is_no_mention_inside_a_longer_word_or_a_place(found: Found) -> None:
    text = "东方明珠新媒体股份有限公司发布报告。东方明珠塔夜景和东方路街道。"
    assert _of(found, text, "Organization") == {"东方明珠新媒体股份有限公司"}
    text = "上海建筑科学研究院有限公司代表发言,建筑行业代表参加。"
    assert _of(found, text, "Organization") == {"上海建筑科学研究院有限公司"}


def test_a_group_named_by_its_brand_is_the_company_with_that_legal_name(
    extracted: Callable[[str], DocumentExtraction],
) -> None:
    extraction = extracted("上海华虹(集团)有限公司代表发言。华虹集团将扩建产线。")
    canonicals = {m.canonical for m in extraction.mentions if m.type.value == "Organization"}
    assert canonicals == {"上海华虹（集团）有限公司"}


def test_a_mental_health_centre_is_a_hospital_not_a_district_body(found: Found) -> None:
    text = "黄浦报 上海市黄浦区精神卫生中心、上海市黄浦区中心医院等医疗机构参加。"
    assert _of(found, text, "Organization") == {"上海市黄浦区精神卫生中心", "上海市黄浦区中心医院"}
    assert not _of(found, text, "Department")


def test_a_district_word_ending_in_qu_does_not_open_a_body_name(found: Found) -> None:
    text = "推进园区扩区和华为虹口人工智能创新中心建设。"
    assert not _of(found, text, "Department")


def test_a_high_tech_zone_committee_takes_the_zones_official_name(
    extracted: Callable[[str], DocumentExtraction],
) -> None:
    names = {m.text: m.canonical for m in extracted("虹口报 张江高新区管委会负责人介绍。").mentions}
    assert names["张江高新区管委会"] == "上海张江高新技术产业开发区管理委员会"


def test_a_verb_of_what_is_undertaken_stays_in_a_project_name(found: Found) -> None:
    assert _of(found, "朱家角镇将实施古镇水系生态修复项目。", "Project") == {"古镇水系生态修复项目"}
    assert not _of(found, "区里定期召开项目推进会。", "Project")


def test_quoted_names_joined_share_what_follows_the_last(found: Found) -> None:
    assert _of(found, "以“长阳秀带”和“创智天地”为载体集聚企业。", "Project") == {"长阳秀带", "创智天地"}


def test_a_quoted_name_qualifying_a_list_or_a_plan_is_no_project(found: Found) -> None:
    assert not _of(found, "各镇发布“美丽庭院”建设清单和“智慧社区”建设方案。", "Project")
    assert _of(found, "推进“美丽庭院”建设。", "Project") == {"美丽庭院"}


def test_valleys_of_a_place_are_projects(found: Found) -> None:
    assert _of(found, "推进张江人工智能创新谷和虹口智谷建设。", "Project") == {"张江人工智能创新谷", "虹口智谷"}
    assert not _of(found, "产业发展走出低谷。", "Project")


def test_a_system_owned_by_a_district_is_a_project(found: Found) -> None:
    assert _of(found, "建设虹口区城市运行生命体征系统。", "Project") == {"虹口区城市运行生命体征系统"}
    assert not _of(found, "完善区信息化管理系统。", "Project")


def test_an_agreement_qualified_by_the_kinds_of_parties_is_a_policy(
    extracted: Callable[[str], DocumentExtraction],
) -> None:
    extraction = extracted("虹口报 区政府与上海财经大学签署校地合作协议。两家企业签订合作协议。")
    policies = [(m.text, m.canonical) for m in extraction.mentions if m.type.value == "Policy"]
    assert policies == [("校地合作协议", "上海市虹口区人民政府与上海财经大学校地合作协议")]


def test_a_table_of_records_is_a_dataset_and_the_verb_before_it_is_not(found: Found) -> None:
    assert _of(found, "区水务局负责维护泵站运行巡检记录表。", "Dataset") == {"泵站运行巡检记录表"}


def test_a_branch_written_with_the_city_and_its_district_stays_whole(found: Found) -> None:
    text = "农业银行上海市普陀支行、交通银行上海市长宁支行代表发言。"
    assert _of(found, text, "Organization") == {"农业银行上海市普陀支行", "交通银行上海市长宁支行"}


def test_an_area_and_a_period_do_not_make_major_projects_a_name(found: Found) -> None:
    assert not _of(found, "陆家嘴重点项目推进会召开。", "Project")
    assert not _of(found, "张江二季度重大项目集中签约。", "Project")
    assert _of(found, "推进张江细胞治疗产业化项目。", "Project") == {"张江细胞治疗产业化项目"}


def test_the_city_itself_can_open_a_valley_name(found: Found) -> None:
    assert _of(found, "加快建设上海化妆品谷。", "Project") == {"上海化妆品谷"}
    assert not _of(found, "走进上海谷。", "Project")


def test_a_lab_or_base_named_only_by_its_field_is_no_entity(found: Found) -> None:
    assert not _of(found, "集团将在园区设立化工新材料联合实验室。", "Organization")
    assert not _of(found, "共建航运金融实验室。", "Organization")
    assert not _of(found, "布局化工新材料中试基地。", "Project")
    assert _of(found, "发挥张江实验室作用。", "Organization") == {"张江实验室"}


def test_a_state_owned_group_by_its_press_short_form(extracted: Callable[[str], DocumentExtraction]) -> None:
    extraction = extracted("中远海运与上港集团签署合作协议。")
    names = {m.text: m.canonical for m in extraction.mentions if m.type.value == "Organization"}
    assert names["中远海运"] == "中国远洋海运集团有限公司"


def test_a_quoted_brand_read_from_its_context_is_found_bare_later(
    extracted: Callable[[str], DocumentExtraction],
) -> None:
    text = "园区以“海上智港”为载体集聚企业。下一步在海上智港布局算力设施。"
    spans = [text[m.raw_start : m.raw_end] for m in extracted(text).mentions if m.type.value == "Project"]
    assert spans == ["海上智港", "海上智港"]


def test_a_joint_lab_named_only_by_its_field_is_no_organization(found: Found) -> None:
    assert not _of(found, "学院将与医院共建临床影像联合实验室。", "Organization")
    assert not _of(found, "双方设立碳捕集联合实验室。", "Organization")
    assert _of(found, "华为联合实验室揭牌。", "Organization") == {"华为联合实验室"}
    assert _of(found, "成立金桥联合实验室。", "Organization") == {"金桥联合实验室"}


def test_lianhe_before_a_place_is_the_verb_not_part_of_the_name(found: Found) -> None:
    text = "学校联合上海交通大学开展攻关,长三角联合创新中心同步启用。"
    assert _of(found, text, "Organization") == {"上海交通大学"}


def test_a_company_by_its_whole_core_or_without_its_industry_word(
    extracted: Callable[[str], DocumentExtraction],
) -> None:
    text = "海通证券股份有限公司、华安基金管理有限公司参加。海通证券与华安基金签约,中信建投与海通合作。"
    found = {m.text: m.canonical for m in extracted("中信建投证券股份有限公司出席。" + text).mentions}
    assert found["海通证券"] == "海通证券股份有限公司"
    assert found["中信建投"] == "中信建投证券股份有限公司"


def test_a_listed_company_by_its_short_name_and_gufen(extracted: Callable[[str], DocumentExtraction]) -> None:
    text = "上海新华传媒股份有限公司发布公告。新华股份将在新华广场举办展会。"
    spans = {m.text: m.canonical for m in extracted(text).mentions if m.type.value == "Organization"}
    assert spans == {"上海新华传媒股份有限公司": "上海新华传媒股份有限公司", "新华股份": "上海新华传媒股份有限公司"}


def test_a_bank_by_its_two_character_press_form(extracted: Callable[[str], DocumentExtraction]) -> None:
    names = {m.text: m.canonical for m in extracted("建行与招行签署协议,集中行动其中行业。").mentions}
    assert names == {"建行": "中国建设银行股份有限公司", "招行": "招商银行股份有限公司"}


def test_a_group_brand_leaves_out_a_business_word_of_its_legal_name(
    extracted: Callable[[str], DocumentExtraction],
) -> None:
    text = "上海临空投资开发(集团)有限公司参加。临空投资集团负责运营。"
    names = {m.text: m.canonical for m in extracted(text).mentions if m.type.value == "Organization"}
    assert names["临空投资集团"] == "上海临空投资开发（集团）有限公司"


def test_national_administrations_are_departments(extracted: Callable[[str], DocumentExtraction]) -> None:
    names = {m.text: m.canonical for m in extracted("在国家能源局、国家医保局指导下推进。").mentions}
    assert names == {"国家能源局": "国家能源局", "国家医保局": "国家医疗保障局"}


def test_a_zone_committee_takes_the_official_name_of_its_zone(extracted: Callable[[str], DocumentExtraction]) -> None:
    names = {m.text: m.canonical for m in extracted("崇明报 由自贸试验区管委会牵头。").mentions}
    assert names["自贸试验区管委会"] == "中国（上海）自由贸易试验区管理委员会"


def test_the_science_and_economy_commission_of_a_district(extracted: Callable[[str], DocumentExtraction]) -> None:
    names = {m.text: m.canonical for m in extracted("浦东时报 浦东新区新闻。区科经委发布通知。").mentions}
    assert names["区科经委"] == "上海市浦东新区科技和经济委员会"


def test_an_institute_short_name_may_pick_from_its_head(extracted: Callable[[str], DocumentExtraction]) -> None:
    text = "中国科学院杭州高等研究院参加签约。杭州高研院将搭建平台。"
    names = {m.text: m.canonical for m in extracted(text).mentions if m.type.value == "Organization"}
    assert names["杭州高研院"] == "中国科学院杭州高等研究院"


def test_a_verb_inside_an_item_of_a_list_of_tables_belongs_to_it(found: Found) -> None:
    text = "登记的数据资源包括企业名录信息表、科技投入产出统计表和社区养老资源表。"
    assert "科技投入产出统计表" in _of(found, text, "Dataset")


def test_a_city_brain_or_a_belt_along_a_place_is_a_project(found: Found) -> None:
    assert _of(found, "区数据局牵头升级静安城市大脑。", "Project") == {"静安城市大脑"}
    assert _of(found, "加快建设北外滩航运集聚带。", "Project") == {"北外滩航运集聚带"}
    assert not _of(found, "建设城市大脑,形成产业集聚带。", "Project")


def test_a_service_for_the_elderly_keeps_its_quoted_name(found: Found) -> None:
    text = "区民政局依托“静安乐龄”为老服务平台推进助餐服务。"
    assert _of(found, text, "Project") == {"“静安乐龄”为老服务平台"}
