"""Each extractor on small sentences."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from graph.extraction import DocumentExtraction
from graph.extraction.abbreviations import short_forms

Found = Callable[[str], set[tuple[str, str]]]
XUHUI = "徐汇报讯 徐汇区召开会议。"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("涉及区消防支队、区人社局、区绿容局等单位。", {"区消防支队", "区人社局", "区绿容局"}),
        ("在上海市数据局统筹指导下,市经济信息化委副主任出席。", {"上海市数据局", "市经济信息化委"}),
        ("市委、市政府关于城市数字化转型的决策部署。", {"市委", "市政府"}),
        ("坚持区委统一领导,区委党建办统筹协调,社会工作部归口指导。", {"区委", "区委党建办", "社会工作部"}),
        ("中联办教育科技部部长王伟明出席。", {"中联办教育科技部"}),
        ("国家三部委（卫健委、工信部、民政局）联合组织。", {"卫健委", "工信部", "民政局"}),
        ("体验周由上海市城市数字化转型工作领导小组办公室指导。", {"上海市城市数字化转型工作领导小组办公室"}),
    ],
)
def test_departments(found: Found, text: str, expected: set[str]) -> None:
    assert {s for t, s in found(XUHUI + text) if t == "Department"} == expected


@pytest.mark.parametrize(
    "title",
    ["区委书记曹立强", "区委常委、副区长俞林伟", "区政协主席黄冲", "市政府副秘书长庄木弟", "区委常委、统战部长诸旖"],
)
def test_leadership_titles_are_not_departments(found: Found, title: str) -> None:
    assert not {s for t, s in found(f"{title}出席会议。") if t == "Department"}


def test_district_short_forms_resolve_to_official_names(extracted: Callable[[str], DocumentExtraction]) -> None:
    extraction = extracted("徐汇报 徐汇区新闻。涉及区绿容局、区房管局、区委统战部等单位。")
    names = {m.text: m.canonical for m in extraction.mentions}
    assert names["区绿容局"] == "上海市徐汇区绿化和市容管理局"
    assert names["区房管局"] == "上海市徐汇区住房保障和房屋管理局"
    assert names["区委统战部"] == "中国共产党上海市徐汇区委员会统一战线工作部"
    assert extraction.district == "徐汇"
    entity = next(e for e in extraction.entities if e.canonical == "上海市徐汇区绿化和市容管理局")
    assert entity.district == "徐汇"


def test_regular_short_forms_of_district_bodies_resolve_to_official_names(
    extracted: Callable[[str], DocumentExtraction],
) -> None:
    extraction = extracted("黄浦报 黄浦区新闻。区发展改革委、区民防办、区卫生健康委和区文化旅游局联合发文。")
    names = {m.text: m.canonical for m in extraction.mentions}
    assert names["区发展改革委"] == "上海市黄浦区发展和改革委员会"
    assert names["区民防办"] == "上海市黄浦区民防办公室"
    assert names["区卫生健康委"] == "上海市黄浦区卫生健康委员会"
    assert names["区文化旅游局"] == "上海市黄浦区文化和旅游局"
    extraction = extracted("黄浦报 黄浦区新闻。区府办、区建交委联合发文。")
    names = {m.text: m.canonical for m in extraction.mentions}
    assert names == {"区府办": "上海市黄浦区人民政府办公室", "区建交委": "上海市黄浦区建设和交通委员会"}


def test_regular_short_forms_of_municipal_bodies_resolve_to_official_names(
    extracted: Callable[[str], DocumentExtraction],
) -> None:
    names = {m.text: m.canonical for m in extracted("市卫生健康委、市文化旅游局联合发文。").mentions}
    assert names == {"市卫生健康委": "上海市卫生健康委员会", "市文化旅游局": "上海市文化和旅游局"}


def test_short_forms_follow_the_structure_of_the_official_name() -> None:
    assert {"发改委", "发展改革委", "发展和改革委"} <= short_forms("发展和改革委员会")
    assert {"医保局", "应急局"} <= short_forms("医疗保障局") | short_forms("应急管理局")
    assert "市场监管局" in short_forms("市场监督管理局")
    assert {"政府办", "政府办公室"} <= short_forms("人民政府办公室")
    assert "发改革委" not in short_forms("发展和改革委员会")
    assert {"人社局", "农委"} <= short_forms("人力资源和社会保障局") | short_forms("农业农村委员会")
    assert "农农委" not in short_forms("农业农村委员会")


def test_district_is_read_from_the_document(extracted: Callable[[str], DocumentExtraction]) -> None:
    extraction = extracted("楊浦時報\n\n杨浦区召开会议,区委、区政府负责人出席。杨浦区救助管理站开展救助。")
    assert extraction.district == "杨浦"
    assert {m.canonical for m in extraction.mentions} >= {"中国共产党上海市杨浦区委员会", "上海市杨浦区救助管理站"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "包括行道树信息表、“汇健康”医院信息表、消防站资源管理表等数据资源。",
            {"行道树信息表", "“汇健康”医院信息表", "消防站资源管理表"},
        ),
        ("目前市级法人库、人口库数据已全量落地,并建立精准救助数据库。", {"法人库", "人口库", "精准救助数据库"}),
        ("通过构建管理机制(数据目录清单、权责清单、安全清单)。", {"数据目录清单"}),
        ("已向社会归集共享50余项开放数据（集）。", {"开放数据（集）"}),
    ],
)
def test_datasets(found: Found, text: str, expected: set[str]) -> None:
    assert {s for t, s in found(text) if t == "Dataset"} == expected


def test_words_ending_in_table_characters_are_not_datasets(found: Found) -> None:
    text = "加强水管、水箱、水表等设施巡查,居民代表表示满意,发挥智库作用。"
    assert not {s for t, s in found(text) if t == "Dataset"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("现场发布《上海自贸试验区徐汇联动创新区建设方案》。", {"上海自贸试验区徐汇联动创新区建设方案"}),
        ("于2021年发布《关于全面推进上海城市数字化转型的意见》。", {"关于全面推进上海城市数字化转型的意见"}),
        (
            "将紧缺人才纳入“光启人才”计划,按照“123X”城市数字化转型发展策略要求。",
            {"“光启人才”计划", "“123X”城市数字化转型发展策略"},
        ),
        ("2025年是“十四五”规划实施收官之年。", {"“十四五”规划"}),
        ("区政府印发《2025年城市数字化转型工作要点》。", {"2025年城市数字化转型工作要点"}),
        (
            "上海先后出台《上海市数字经济发展“十四五”规划》,元宇宙、智能终端、智能网联汽车行动方案。",
            {"上海市数字经济发展“十四五”规划", "元宇宙、智能终端、智能网联汽车行动方案"},
        ),
    ],
)
def test_policies(found: Found, text: str, expected: set[str]) -> None:
    assert {s for t, s in found(text) if t == "Policy"} == expected


@pytest.mark.parametrize(
    "text",
    [
        "2月3日和2月10日的《徐汇报》合并成一期出版。",
        "在录制《2023对话区委书记》访谈中。",
        "院士分别作《数字产业新潮流——内生安全网络弹性设计》、《虚实相生RAR创新城活力》主题分享。",
        "上海广播电视台“《未来中国》大模型专题节目和赛事”启动。",
    ],
)
def test_media_titles_are_not_policies(found: Found, text: str) -> None:
    assert not {s for t, s in found(text) if t == "Policy"}


@pytest.mark.parametrize(
    "text",
    [
        "区社科院发布《黄浦区数字经济发展白皮书（2024）》。",
        "会上发布《关于城市数字化转型的研究报告》和《上海统计年鉴》。",
        "专家解读《长三角数字经济蓝皮书》。",
    ],
)
def test_publications_about_policy_are_not_policies(found: Found, text: str) -> None:
    assert not {s for t, s in found(text) if t == "Policy"}


def test_a_quoted_platform_followed_by_a_verb_of_use_is_no_programme(found: Found) -> None:
    assert not {s for t, s in found("市民可在“随申码”查询出行规划。") if t == "Policy"}
    assert ("Policy", "“浦江人才”培育计划") in found("区人社局推出“浦江人才”培育计划。")


def test_an_ordinal_count_before_a_data_resource_is_not_part_of_its_name(found: Found) -> None:
    assert ("Dataset", "公共数据资源目录") in found("区数据局发布首批公共数据资源目录。")


def test_agreements_need_a_government_party(extracted: Callable[[str], DocumentExtraction]) -> None:
    text = (
        "徐汇报 3月24日上午,上海市徐汇区人民政府与香港理工大学签署合作意向书。"
        "香港理工大学副校长与易汇资本有限公司合伙人签署合作备忘录。"
    )
    policies = [m for m in extracted(text).mentions if m.type.value == "Policy"]
    assert [(m.text, m.canonical) for m in policies] == [("合作意向书", "上海市徐汇区人民政府与香港理工大学合作意向书")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "由香港科技大学、上海市漕河泾新兴技术开发区发展总公司联合主办。",
            {"香港科技大学", "上海市漕河泾新兴技术开发区发展总公司"},
        ),
        ("上海地产(集团)有限公司党委书记出席,华为云HCS业务部总裁发言。", {"上海地产(集团)有限公司", "华为云HCS业务部"}),
        (
            "徐汇区与上海隧行、姚记科技、依视路(中国)、量羲技术等20家企业现场签约。",
            {"上海隧行", "姚记科技", "依视路(中国)", "量羲技术"},
        ),
        ("集聚了腾讯、阿里、微软等一批头部企业。", {"腾讯", "阿里", "微软"}),
        ("徐汇已经集聚了一批在线新经济企业,如在线零售的丽人丽妆,在线教育的松鼠AI等。", {"丽人丽妆", "松鼠AI"}),
        ("中国工程院院士、德国工程科学院院士出席。", {"中国工程院", "德国工程科学院"}),
    ],
)
def test_organizations(found: Found, text: str, expected: set[str]) -> None:
    assert {s for t, s in found(text) if t == "Organization"} == expected


@pytest.mark.parametrize(
    "text",
    [
        "打造3家以上的数字化转型示范医院。",
        "共建联合实验室,加强菜场、养老院、医院等应急管理。",
        "联合物业公司深入各社区。",
    ],
)
def test_category_words_are_not_organizations(found: Found, text: str) -> None:
    assert not {s for t, s in found(text) if t == "Organization"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("（一）“数字新要素”流通工程\n（二）“数字新规则”强化工程", {"“数字新要素”流通工程", "“数字新规则”强化工程"}),
        ("正式启动“上海自贸试验区徐汇联动创新区”建设。", {"上海自贸试验区徐汇联动创新区"}),
        (
            "会上,鑫耀中心、西岸金融城和北杨人工智能小镇等载体代表作分享。",
            {"鑫耀中心", "西岸金融城", "北杨人工智能小镇"},
        ),
        ("揭牌仪式在徐汇滨江西岸国际人工智能中心举行。", {"西岸国际人工智能中心"}),
        ("徐汇区东安一、二村片区旧城区改建项目举行集中搬迁仪式。", {"徐汇区东安一、二村片区旧城区改建项目"}),
        ("深化“一网通办”,将移动端应用接入“汇治理”,建设徐汇区“神经元系统”。", {"一网通办", "汇治理", "神经元系统"}),
        ("近期,国家公共数据资源登记平台正式上线运行。", {"国家公共数据资源登记平台"}),
    ],
)
def test_projects(found: Found, text: str, expected: set[str]) -> None:
    assert {s for t, s in found(text) if t == "Project"} == expected


@pytest.mark.parametrize(
    "text",
    [
        "完善数据治理平台,强化技术支撑平台。",
        "通过建设人工智能教育基地和孵化器两大功能,打造产学研基地。",
        "新春团拜会在漕河泾会议中心举行,签约仪式在华为坂田基地举行。",
        "徐汇区正在加快建设上海科创中心重要承载区。",
        "实施 7 项“数字”重点工程,深化“两网”建设。",
        "上海史上最大单地块一次性征收项目生效。",
    ],
)
def test_generic_and_descriptive_names_are_not_projects(found: Found, text: str) -> None:
    assert not {s for t, s in found(text) if t == "Project"}


def test_a_place_slogan_in_quotes_is_not_a_project(found: Callable[[str], set[tuple[str, str]]]) -> None:
    mentions = found("嘉定区加快建设“智慧嘉定”，依托“嘉定智联”平台提升服务。")
    assert ("Project", "智慧嘉定") not in mentions
    assert ("Project", "“嘉定智联”平台") in mentions


def test_a_quoted_system_is_a_project_but_a_described_one_is_not(found: Callable[[str], set[tuple[str, str]]]) -> None:
    mentions = found("宝山区中心医院上线“智慧急救”系统。区城运中心建成城市运行数字体征系统。")
    assert ("Project", "“智慧急救”系统") in mentions
    assert not any(text.endswith("体征系统") for _, text in mentions)


def test_a_centre_being_built_is_a_project_not_a_department(found: Callable[[str], set[tuple[str, str]]]) -> None:
    mentions = found("嘉定区发布方案。由区科委牵头，建设嘉定区算力调度中心。嘉定区。")
    assert ("Department", "区科委") in mentions
    assert ("Department", "嘉定区算力调度中心") not in mentions


def test_a_district_level_association_keeps_its_district(found: Callable[[str], set[tuple[str, str]]]) -> None:
    assert ("Organization", "嘉定区工商联") in found("嘉定区工商联组织企业参与转型诊断。嘉定区。")


def test_a_bilateral_name_keeps_the_countries_before_its_bracketed_place(found: Found) -> None:
    mentions = found("双方将在中德(太仓)智能制造创新园共建实验室。")
    assert ("Project", "中德(太仓)智能制造创新园") in mentions or ("Project", "中德（太仓）智能制造创新园") in mentions


def test_a_development_town_or_port_needs_a_place_or_a_specific_name(found: Found) -> None:
    mentions = found("松江区加快建设松江智创城和松江新材料港,临港和洋山港的企业也来参会。")
    projects = {s for t, s in mentions if t == "Project"}
    assert {"松江智创城", "松江新材料港"} <= projects
    assert not projects & {"临港", "洋山港"}


def test_a_launched_node_or_hall_is_a_project_but_an_unlaunched_one_is_not(found: Found) -> None:
    launched = found("会上,长三角算力调度协作节点正式启动,金融风险联合研判厅揭牌。")
    assert {("Project", "长三角算力调度协作节点"), ("Project", "金融风险联合研判厅")} <= launched
    assert not {s for t, s in found("部署边缘计算节点,参观冯·诺依曼展厅。") if t == "Project"}


def test_one_unified_platform_in_quotes_is_a_project_but_a_counted_slogan_is_not(found: Found) -> None:
    mentions = found("推进生态环境“一张网”建设,开展“一件事”服务,下好“一盘棋”。")
    assert {s for t, s in mentions if t == "Project"} == {"一张网"}


def test_a_demonstration_block_is_a_project_but_a_short_park_reference_is_not(found: Found) -> None:
    names = {s for t, s in found("淮海路数字生活示范街区启用,企业将在张江园区试点。") if t == "Project"}
    assert names == {"淮海路数字生活示范街区"}


def test_a_generic_head_without_a_qualifier_is_not_a_project(found: Found) -> None:
    assert not {s for t, s in found("双方将设立成果转化基地和技术转移中心。") if t == "Project"}


def test_words_of_a_talk_title_are_not_projects(found: Found) -> None:
    assert not {s for t, s in found("专家作《数据要素AI创新城发展》主题分享。") if t == "Project"}


def test_an_ocr_dash_next_to_a_district_in_a_consortium_name_is_a_dash(
    extracted: Callable[[str], DocumentExtraction],
) -> None:
    extraction = extracted("闵行区新闻。依托闵行一仁济医院、华山一闵行等医联体,推进分级诊疗。")
    canonicals = {m.canonical for m in extraction.mentions if m.type.value == "Organization"}
    assert {"闵行-仁济医院", "华山-闵行"} <= canonicals


def test_a_quoted_name_keeps_a_tail_whose_function_character_is_inside_a_word(found: Found) -> None:
    # 据 is a function character, but not inside 数据
    assert ("Project", "“松数通”数据共享平台") in found("松江区依托“松数通”数据共享平台推进共享。")


def test_a_venue_like_facility_being_built_is_a_project(found: Found) -> None:
    assert ("Project", "松江区智能算力调度中心") in found("松江区发布方案。建设松江区智能算力调度中心。")
    assert not {s for t, s in found("松江区发布方案。建设数据中心。") if t == "Project"}


def test_a_quoted_internet_hospital_is_a_service_but_a_named_one_is_an_institution(found: Found) -> None:
    assert ("Project", "“松医在线”互联网医院") in found("依托区中心医院建设“松医在线”互联网医院。")
    assert ("Organization", "仁心互联网医院") in found("区中心医院(仁心互联网医院)获得牌照。")


def test_a_boundary_word_ending_a_domain_term_stays_in_the_name(found: Found) -> None:
    assert ("Organization", "松江区中西医结合医院") in found("松江区中西医结合医院上线系统。")
    assert ("Organization", "香港理工大学") in found("区政府将积极支持香港理工大学发展。")


def test_a_quoted_role_label_is_not_a_project(found: Found) -> None:
    assert not {s for t, s in found("双方签署“智慧韧性城区”建设合作备忘录。") if t == "Project"}


def test_a_brand_and_a_place_in_a_list_name_a_unit_of_the_company(found: Found) -> None:
    assert ("Organization", "腾讯上海") in found("会上,腾讯上海、商汤科技代表作主题分享。")


def test_an_institute_is_named_by_characters_picked_from_its_full_name(
    extracted: Callable[[str], DocumentExtraction],
) -> None:
    extraction = extracted("支持中国科学院上海药物研究所与企业合作,上海药物所牵头建设平台。上海所里很忙。")
    short = [m for m in extraction.mentions if m.text == "上海药物所"]
    assert [m.canonical for m in short] == ["中国科学院上海药物研究所"]
    assert not any(m.text == "上海所" for m in extraction.mentions)


def test_a_title_with_a_status_after_its_head_is_a_policy(found: Found) -> None:
    assert ("Policy", "黄浦区数据资产登记管理办法（暂行）") in found(
        "区数据局印发《黄浦区数据资产登记管理办法（暂行）》。"
    )


def test_a_plan_heading_keeps_its_period_and_drops_the_editors_note(found: Found) -> None:
    text = "黄浦报\n\n黄浦区智慧城市建设三年行动方案(2026—2028年)(节选)\n\n一、总体要求"
    assert ("Policy", "黄浦区智慧城市建设三年行动方案(2026—2028年)") in found(text)


def test_a_joint_construction_agreement_signed_by_a_district_is_a_policy(
    extracted: Callable[[str], DocumentExtraction],
) -> None:
    policies = [
        m for m in extracted("黄浦报 黄浦区人民政府与复旦大学签署合作共建协议。").mentions if m.type.value == "Policy"
    ]
    assert [(m.text, m.canonical) for m in policies] == [("合作共建协议", "上海市黄浦区人民政府与复旦大学合作共建协议")]


def test_a_verb_inside_a_table_name_stays_in_it(found: Found) -> None:
    datasets = {s for t, s in found("区住房局梳理的老旧小区改造资源表已完成登记。") if t == "Dataset"}
    assert datasets == {"老旧小区改造资源表"}


def test_a_brand_with_its_branch_is_one_organization(found: Found) -> None:
    assert {s for t, s in found("中国电信上海分公司、中国移动上海分公司参加。") if t == "Organization"} >= {
        "中国移动上海分公司"
    }


def test_a_short_coined_company_core_is_the_brand(extracted: Callable[[str], DocumentExtraction]) -> None:
    extraction = extracted("鑫宏泰集团有限公司与区经委签约。鑫宏泰相关负责人表示将扩大投资。")
    assert [m.canonical for m in extraction.mentions if m.text == "鑫宏泰"] == ["鑫宏泰集团有限公司"]
    extraction = extracted("上海电气集团股份有限公司与区经委签约。电气设备更新。")
    assert not any(m.text == "电气" for m in extraction.mentions)  # a common word, not a brand


def test_a_development_zone_committee_with_an_abbreviated_head(extracted: Callable[[str], DocumentExtraction]) -> None:
    names = {m.text: m.canonical for m in extracted("闵行经开区管委会牵头落实。").mentions}
    assert names["闵行经开区管委会"] == "上海闵行经济技术开发区管理委员会"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("依托沪宁产业创新走廊推动成果转化。", "沪宁产业创新走廊"),
        ("在田子坊创意园举办展览。", "田子坊创意园"),
        ("在张江人工智能实验园布局。", "张江人工智能实验园"),
        ("整合车墩影视基地和上海国际影都资源。", "上海国际影都"),
    ],
)
def test_corridors_and_parks_are_projects(found: Found, text: str, expected: str) -> None:
    assert ("Project", expected) in found(text)


@pytest.mark.parametrize(
    "name",
    ["中国科学院地理科学与资源研究所", "上海交通大学电子信息与电气工程学院", "工业和信息化部电信研究院"],
)
def test_a_conjunction_joining_two_fields_stays_inside_an_institute_name(found: Found, name: str) -> None:
    organizations = {s for t, s in found(f"签约仪式上,{name}有关负责人作交流发言。") if t == "Organization"}
    assert organizations == {name}


def test_a_conjunction_between_two_parties_still_ends_a_name(found: Found) -> None:
    text = "区政府与上海大学研究院签约,复旦大学副校长张明与锦江科技有限公司签约。"
    organizations = {s for t, s in found(text) if t == "Organization"}
    assert organizations == {"上海大学研究院", "复旦大学", "锦江科技有限公司"}


def test_a_group_brand_before_its_regional_company_belongs_to_the_name(
    extracted: Callable[[str], DocumentExtraction],
) -> None:
    text = "国网上海市电力公司浦东供电公司、中国铁塔上海市分公司代表发言。中国铁塔相关负责人表示。"
    names = [(m.text, m.canonical) for m in extracted(text).mentions if m.type.value == "Organization"]
    assert names == [
        ("国网上海市电力公司浦东供电公司", "国网上海市电力公司浦东供电公司"),
        ("中国铁塔上海市分公司", "中国铁塔上海市分公司"),
        ("中国铁塔", "中国铁塔股份有限公司"),
    ]


def test_a_venue_built_in_phases_is_a_project(found: Found) -> None:
    assert ("Project", "商汤科技临港研发中心") in found("商汤科技临港研发中心二期开工。")
    assert not {s for t, s in found("商汤科技临港研发中心投入使用。") if t == "Project"}


def test_trunk_lines_and_digital_bases_of_a_place_and_information_parks_are_projects(found: Found) -> None:
    projects = {s for t, s in found("依托长三角算力干线,在漕河泾软件信息园建设黄浦区城市数字底座。") if t == "Project"}
    assert projects == {"长三角算力干线", "漕河泾软件信息园", "黄浦区城市数字底座"}
    assert not {s for t, s in found("建设城市数字底座和数字干线。") if t == "Project"}


def test_an_adverb_before_the_joiner_keeps_the_chain_of_parties(extracted: Callable[[str], DocumentExtraction]) -> None:
    extraction = extracted("黄浦报 区政府也与上海电气集团股份有限公司签署战略合作协议。")
    policies = [(m.text, m.canonical) for m in extraction.mentions if m.type.value == "Policy"]
    assert policies == [("战略合作协议", "上海市黄浦区人民政府与上海电气集团股份有限公司战略合作协议")]


def test_a_verb_before_a_one_word_head_of_a_table_name_stays_in_it(found: Found) -> None:
    datasets = {s for t, s in found("区规划资源局梳理的产业用地布局规划表已完成登记。") if t == "Dataset"}
    assert datasets == {"产业用地布局规划表"}


def test_a_compass_point_after_shi_is_a_quarter_not_the_city_abbreviation(
    extracted: Callable[[str], DocumentExtraction],
) -> None:
    names = {m.text: m.canonical for m in extracted("在市西科技园和市东创新园,依托市大数据资源平台。").mentions}
    assert names == {"市西科技园": "市西科技园", "市东创新园": "市东创新园", "市大数据资源平台": "上海市大数据资源平台"}
