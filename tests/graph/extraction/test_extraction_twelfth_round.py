"""Cities the word lists do not hold, plan documents and the twelfth round's rules (issue 3): each
rule on fresh sentences, none of them from an imitation page."""

from __future__ import annotations

from extraction_lookups import Extracted, Found, canonicals, of_type


def test_a_city_the_lists_do_not_hold_is_read_from_city_and_district_written_together(extracted: Extracted) -> None:
    text = (
        "五华报 五华区新闻。五华区召开数字经济大会,昆明市五华区区委、区发改局负责人,"
        "市科技局、省工信厅和云南省数据局相关处室负责人参加。数据资源纳入区级法人库。"
    )
    extraction = extracted(text)
    assert extraction.district == "五华"
    names = canonicals(extraction, "Department")
    assert names["区委"] == "中国共产党昆明市五华区委员会"
    assert names["区发改局"] == "昆明市五华区发展和改革局"
    assert names["市科技局"] == "昆明市科学技术局"
    assert names["省工信厅"] == "云南省工业和信息化厅"
    assert names["云南省数据局"] == "云南省数据局"
    assert canonicals(extraction, "Dataset")["法人库"] == "昆明市五华区法人库"


def test_a_city_name_longer_than_two_characters_is_taken_whole(extracted: Extracted) -> None:
    text = "南岗报 南岗区新闻。哈尔滨市南岗区召开会议,区财政局负责人参加。哈尔滨日报记者报道。"
    names = canonicals(extracted(text), "Department")
    assert names["区财政局"] == "哈尔滨市南岗区财政局"


def test_a_zone_before_qu_is_no_district_of_an_unlisted_city(extracted: Extracted) -> None:
    text = "昆明市高新区、高新区管委会和高新区企业代表参加会议,区财政局负责人出席。"
    assert extracted(text).district is None


def test_a_place_without_tables_takes_the_names_used_across_china_before_shanghais(extracted: Extracted) -> None:
    text = "五华报 五华区新闻。昆明市五华区召开会议,区城管执法局、区综合执法局、区政务办、区文旅体局负责人参加。"
    names = canonicals(extracted(text), "Department")
    assert names["区城管执法局"] == "昆明市五华区城市管理和综合执法局"
    assert names["区综合执法局"] == "昆明市五华区综合行政执法局"
    assert names["区政务办"] == "昆明市五华区政务服务管理办公室"
    assert names["区文旅体局"] == "昆明市五华区文化旅游体育局"


def test_shanghai_keeps_its_own_name_for_the_city_management_bureau(extracted: Extracted) -> None:
    names = canonicals(extracted("闵行报 闵行区新闻。区城管执法局负责人参加闵行区会议。"), "Department")
    assert names["区城管执法局"] == "上海市闵行区城市管理行政执法局"


def test_a_district_branch_off_the_tables_is_named_after_the_city_bureau(extracted: Extracted) -> None:
    text = "五华报 五华区新闻。昆明市五华区召开会议,区自然资源规划分局、区生态环境分局负责人参加。"
    names = canonicals(extracted(text), "Department")
    assert names["区自然资源规划分局"] == "昆明市自然资源和规划局五华分局"
    assert names["区生态环境分局"] == "昆明市生态环境局五华分局"


def test_a_short_form_takes_the_fuller_name_the_document_writes(extracted: Extracted) -> None:
    text = (
        "五华报 五华区新闻。昆明市五华区召开会议,五华区数字经济和科技创新局介绍情况。区数经科局、区财政局负责人参加。"
    )
    names = canonicals(extracted(text), "Department")
    assert names["区数经科局"] == "昆明市五华区数字经济和科技创新局"
    assert names["区财政局"] == "昆明市五华区财政局"


def test_a_written_out_name_ending_in_ban_is_an_office(extracted: Extracted) -> None:
    text = "五华报 五华区新闻。昆明市五华区召开会议,市营商环境和投资促进办负责人参加。"
    names = canonicals(extracted(text), "Department")
    assert names["市营商环境和投资促进办"] == "昆明市营商环境和投资促进办公室"


def test_a_national_new_area_committee_is_named_after_its_province(extracted: Extracted) -> None:
    text = "五华报 五华区新闻。昆明市五华区召开会议,滇中新区管委会、天府新区管委会负责人参加。"
    names = canonicals(extracted(text), "Department")
    assert names["滇中新区管委会"] == "云南滇中新区管理委员会"
    assert names["天府新区管委会"] == "四川天府新区管理委员会"


def test_a_district_and_its_riverside_name_the_place_of_a_corridor(found: Found) -> None:
    text = "江岸报 江岸区新闻。武汉市江岸区将建设江岸滨江数字文化走廊,江岸区召开推进会。"
    assert "江岸滨江数字文化走廊" in of_type(found, text, "Project")


def test_shanghai_quarters_are_no_areas_on_another_citys_page(found: Found) -> None:
    text = "江岸报 江岸区新闻。武汉市江岸区将在江岸滨江西岸人工智能创新中心布局,江岸区召开推进会。"
    assert "江岸滨江西岸人工智能创新中心" in of_type(found, text, "Project")
    shanghai = "徐汇报 徐汇区新闻。徐汇区将在徐汇滨江西岸人工智能创新中心布局。"
    assert "西岸人工智能创新中心" in of_type(found, shanghai, "Project")


def test_a_quoted_slogan_about_one_matter_is_no_platform(found: Found) -> None:
    text = "区行政审批局在政务服务网推出“一次办好一件事”主题服务,建设“一网通办”平台。"
    assert not {p for p in of_type(found, text, "Project") if "一件事" in p}


def test_a_category_word_before_a_citys_byname_is_a_slogan(found: Found) -> None:
    text = "深圳市南山区主动融入“数字鹏城”建设,依托“南山智管”平台推进治理。南山区召开会议。"
    projects = of_type(found, text, "Project")
    assert "数字鹏城" not in projects
    assert "“南山智管”平台" in projects


def test_a_quoted_name_before_app_is_an_app(found: Found) -> None:
    text = "居民可通过“我的宁波”APP或“甬城通”小程序预约,也可登录“渝快办”办理。"
    projects = of_type(found, text, "Project")
    assert {"我的宁波", "甬城通", "渝快办"} <= {p.strip("“”") for p in projects}


def test_a_ring_around_an_institution_names_a_zone(found: Found) -> None:
    text = "杨浦区将与同济大学共建环同济知识经济圈,在环浙大科创谷设立分中心。杨浦区召开推进会。"
    projects = of_type(found, text, "Project")
    assert {"环同济知识经济圈", "环浙大科创谷"} <= projects
    assert "长三角经济圈" not in of_type(found, "企业融入长三角经济圈发展。", "Project")


def test_a_block_is_a_project_only_when_a_category_word_says_what_it_is_for(found: Found) -> None:
    text = "静安区将建设长乐路文化创意街区和大沽路数字消费街区,武康路街区、网红打卡街区人气旺。"
    projects = of_type(found, text, "Project")
    assert {"长乐路文化创意街区", "大沽路数字消费街区"} <= projects
    assert not {p for p in projects if p.endswith(("武康路街区", "打卡街区"))}


def test_a_district_and_a_field_before_a_batch_signing_count_its_projects(found: Found) -> None:
    text = "## 江岸区智能制造项目集中签约\n武汉市江岸区举行签约仪式,江岸区智慧物流园建设项目同步推进。江岸区召开会议。"
    projects = of_type(found, text, "Project")
    assert "江岸区智能制造项目" not in projects


def test_a_company_whose_name_opens_with_a_verb_word_keeps_it(found: Found) -> None:
    text = "区政府支持新希望控股有限公司发展,新希望控股有限公司负责人出席。"
    assert "新希望控股有限公司" in of_type(found, text, "Organization")
    assert "控股有限公司" not in of_type(found, text, "Organization")


def test_a_name_and_a_legal_form_resolve_to_the_company(extracted: Extracted) -> None:
    text = "重庆银行股份有限公司与区政府签约。重庆银行将提供普惠金融服务。"
    assert canonicals(extracted(text), "Organization")["重庆银行"] == "重庆银行股份有限公司"


def test_a_trailing_system_is_an_industry_word_of_a_press_form(extracted: Extracted) -> None:
    text = "会上,远望信息系统股份有限公司发布新品。远望信息与区政府签约。"
    assert canonicals(extracted(text), "Organization").get("远望信息") == "远望信息系统股份有限公司"


def test_a_library_being_built_is_a_database_without_data_words(found: Found) -> None:
    assert "地下管线库" in of_type(found, "区城管局会同区水务局建立地下管线库,每季度巡查。", "Dataset")
    assert not of_type(found, "区水务局加快建设水库,保障供水。", "Dataset")


def test_a_platform_after_zhi_keeps_its_owner_level(found: Found) -> None:
    text = "江岸报 江岸区新闻。武汉市江岸区数据同步归集至省公共数据共享平台,湖北省数据局指导。江岸区召开会议。"
    assert "省公共数据共享平台" in of_type(found, text, "Project")
