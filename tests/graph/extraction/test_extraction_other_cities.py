"""Pages of districts outside Shanghai and the eleventh round's rules (issue 3): each rule on fresh
sentences, none of them from an imitation page."""

from __future__ import annotations

from extraction_lookups import Extracted, Found, canonicals, of_type


def test_a_district_of_another_city_spells_short_forms_out_with_its_city_and_province(extracted: Extracted) -> None:
    text = (
        "拱墅报 拱墅区新闻。杭州市拱墅区召开数字经济大会。区委、区发改局、区经信局负责人,"
        "市经信局、省经信厅相关处室负责人参加。数据资源统一纳入区级法人库。"
    )
    extraction = extracted(text)
    assert extraction.district == "拱墅"
    names = canonicals(extraction, "Department")
    assert names["区委"] == "中国共产党杭州市拱墅区委员会"
    assert names["区发改局"] == "杭州市拱墅区发展和改革局"
    assert names["区经信局"] == "杭州市拱墅区经济和信息化局"
    assert names["市经信局"] == "杭州市经济和信息化局"
    assert names["省经信厅"] == "浙江省经济和信息化厅"
    assert canonicals(extraction, "Dataset")["法人库"] == "杭州市拱墅区法人库"


def test_a_district_of_another_city_counts_only_when_the_city_is_named(extracted: Extracted) -> None:
    assert extracted("鼓楼区新闻。鼓楼区召开大会,区委负责人出席。").district is None
    assert extracted("鼓楼区新闻。南京市鼓楼区召开大会,区委负责人出席。").district == "鼓楼"


def test_a_body_off_the_usual_pattern_takes_its_city_and_district(extracted: Extracted) -> None:
    text = "上城报 上城区新闻。杭州市上城区召开会议,区规划资源分局、区公安分局负责人参加。"
    names = canonicals(extracted(text), "Department")
    assert names["区规划资源分局"] == "杭州市规划和自然资源局上城分局"
    assert names["区公安分局"] == "杭州市公安局上城区分局"


def test_a_place_without_tables_borrows_the_names_the_listed_places_agree_on(extracted: Extracted) -> None:
    text = "江汉报 江汉区新闻。武汉市江汉区召开会议,区住建局、区城管局负责人参加。"
    names = canonicals(extracted(text), "Department")
    assert names["区住建局"] == "武汉市江汉区住房和城乡建设局"
    assert names["区城管局"] == "武汉市江汉区城市管理局"


def test_a_place_without_tables_takes_the_names_used_across_china(extracted: Extracted) -> None:
    text = "海珠报 海珠区新闻。广州市海珠区召开会议,区工信局、区文旅局负责人和省工信厅相关处室负责人参加。"
    names = canonicals(extracted(text), "Department")
    assert names["区工信局"] == "广州市海珠区工业和信息化局"
    assert names["区文旅局"] == "广州市海珠区文化和旅游局"
    assert names["省工信厅"] == "广东省工业和信息化厅"


def test_a_zone_committee_takes_the_document_city(extracted: Extracted) -> None:
    text = "萧山报 萧山区新闻。杭州市萧山区召开会议,湘湖国家旅游度假区管委会负责人参加。"
    names = canonicals(extracted(text), "Department")
    assert names["湘湖国家旅游度假区管委会"] == "杭州湘湖国家旅游度假区管理委员会"


def test_a_shanghai_page_reads_as_before(extracted: Extracted) -> None:
    names = canonicals(extracted("闵行报 闵行区新闻。区发改委、市经信委负责人参加。"), "Department")
    assert names == {"区发改委": "上海市闵行区发展和改革委员会", "市经信委": "上海市经济和信息化委员会"}


def test_a_stop_word_ends_a_body_whatever_the_segmenter_reads(extracted: Extracted) -> None:
    names = canonicals(extracted("闵行报 闵行区新闻。由区商务委会同区科委牵头推进。"), "Department")
    assert names == {"区商务委": "上海市闵行区商务委员会", "区科委": "上海市闵行区科学技术委员会"}


def test_offices_of_the_party_committee_are_its_units(extracted: Extracted) -> None:
    names = canonicals(extracted("闵行报 闵行区新闻。区委改革办、区委财经办负责人参加。"), "Department")
    assert names == {
        "区委改革办": "中国共产党上海市闵行区委员会全面深化改革委员会办公室",
        "区委财经办": "中国共产党上海市闵行区委员会财经委员会办公室",
    }


def test_lianhe_before_a_university_is_the_verb(found: Found) -> None:
    text = "该中心将联合复旦大学附属华山医院开展临床研究。"
    assert of_type(found, text, "Organization") == {"复旦大学附属华山医院"}


def test_an_ordinal_before_the_head_is_part_of_a_hospital_name(found: Found) -> None:
    text = "南京医科大学附属第二医院、上海市第十人民医院派出专家。"
    assert of_type(found, text, "Organization") == {"南京医科大学附属第二医院", "上海市第十人民医院"}


def test_farmers_cooperatives_are_organizations(found: Found) -> None:
    text = "上海松江浦南蔬果专业合作社等单位代表参加。"
    assert of_type(found, text, "Organization") == {"上海松江浦南蔬果专业合作社"}


def test_a_central_group_is_named_by_its_brand(extracted: Extracted) -> None:
    names = canonicals(extracted("中国商飞、航天科工代表参加签约。"), "Organization")
    assert names == {"中国商飞": "中国商用飞机有限责任公司", "航天科工": "中国航天科工集团有限公司"}


def test_a_group_named_by_brand_and_jituan_skips_a_business_word(extracted: Extracted) -> None:
    text = "星澜科技集团股份有限公司参加签约。星澜集团将建设研发中心。"
    names = canonicals(extracted(text), "Organization")
    assert names["星澜集团"] == "星澜科技集团股份有限公司"


def test_a_place_and_a_word_of_extent_make_a_kind_of_consortium(found: Found) -> None:
    assert not of_type(found, "积极参与华东区域医联体建设。", "Organization")


def test_a_project_name_does_not_run_across_a_joiner_after_a_head(found: Found) -> None:
    text = "推进滨河生态修复工程和龙华老街更新项目。"
    assert of_type(found, text, "Project") == {"滨河生态修复工程", "龙华老街更新项目"}


def test_projects_signed_in_a_batch_belong_to_the_park(found: Found) -> None:
    assert of_type(found, "宝山区智能制造产业园项目集中签约仪式举行。", "Project") == {"宝山区智能制造产业园"}


def test_a_paired_number_slogan_is_no_project(found: Found) -> None:
    assert not of_type(found, "积极融入“双万兆”建设布局。", "Project")


def test_province_service_apps_are_projects(found: Found) -> None:
    assert of_type(found, "群众还可通过“苏服办”预约挂号。", "Project") == {"苏服办"}
