"""The fifteenth round's rules (issue 3): each rule on fresh sentences and other places than the
imitation pages (武汉 洪山, 昆明 五华, 哈尔滨 南岗 …)."""

from __future__ import annotations

from extraction_lookups import Extracted, Found, canonicals, of_type


def test_liantong_ends_a_table_name_on_its_left(found: Found) -> None:
    text = "这些表格连同出租房屋登记备案信息库一并报送。"
    names = of_type(found, text, "Dataset")
    assert "出租房屋登记备案信息库" in names
    assert not any("连同" in n for n in names)


def test_a_demonstrative_with_its_measure_word_is_no_part_of_a_name(found: Found) -> None:
    text = "窗口墙上贴着的,正是那份校外托管机构巡查记录表。桌上放着这张电梯维保记录表。"
    names = of_type(found, text, "Dataset")
    assert {"校外托管机构巡查记录表", "电梯维保记录表"} <= names
    assert not any(n.startswith(("那", "这", "份", "张")) for n in names)


def test_a_numeral_and_a_measure_word_stay_no_boundary(found: Found) -> None:
    text = "区里建成“一张网”管理平台,汇聚了张家湾社区居民信息表。"
    assert "张家湾社区居民信息表" in of_type(found, text, "Dataset")


def test_an_inventory_of_facilities_is_a_data_resource_wherever_it_is_named(found: Found) -> None:
    text = "全区 40 个充电站已全部纳入新能源汽车公共充电站点位清单。社区体育健身设施清单每季度更新。"
    names = of_type(found, text, "Dataset")
    assert {"新能源汽车公共充电站点位清单", "社区体育健身设施清单"} <= names


def test_a_list_of_tasks_stays_no_inventory(found: Found) -> None:
    text = "会议印发了年度重点工作任务清单和问题整改清单。"
    assert not of_type(found, text, "Dataset")


def test_a_base_library_is_a_data_resource_in_any_sentence(found: Found) -> None:
    text = "宏观经济库和电子证照库由我们每周更新一次。"
    assert {"宏观经济库", "电子证照库"} <= of_type(found, text, "Dataset")


def test_a_library_outside_the_base_ones_still_needs_a_data_sentence(found: Found) -> None:
    text = "街道图书馆新设了儿童绘本库,每周更新一次。"
    assert not of_type(found, text, "Dataset")


def test_a_software_park_is_named_after_its_city_or_district(found: Found) -> None:
    assert "武汉软件园" in of_type(found, "三家企业入驻武汉软件园二期。", "Project")
    text = "五华区新闻。昆明市召开会议。五华区推进数字经济发展,学生到五华软件园实习。"
    assert "五华软件园" in of_type(found, text, "Project")


def test_a_bare_software_park_stays_no_name(found: Found) -> None:
    assert not of_type(found, "区里计划再建一个软件园。", "Project")


def test_letters_and_a_place_in_quotes_name_the_places_app(found: Found) -> None:
    text = "市民在“i深圳”上授权后即可办理,“e福州”也能查询进度。"
    assert {"i深圳", "e福州"} <= of_type(found, text, "Project")


def test_a_quoted_practice_or_column_is_no_project(found: Found) -> None:
    text = "南岗区新闻。哈尔滨市召开会议。媒体报道了南岗区“马上就办”做法,本报开设“数字南岗”栏目。"
    assert not of_type(found, text, "Project")


def test_a_compliance_alliance_is_a_kind_of_body(found: Found) -> None:
    assert not of_type(found, "五家企业共同成立了数据合规服务联盟。", "Organization")


_HONGSHAN = "洪山区新闻。武汉市召开会议。洪山区推进数字政府建设。"


def test_category_words_before_an_agreement_head_name_what_it_is_about(extracted: Extracted) -> None:
    text = _HONGSHAN + "今年,区政府与华中科技大学签署了人才培养合作框架协议。"
    policies = canonicals(extracted(text), "Policy")
    assert policies["人才培养合作框架协议"] == "武汉市洪山区人民政府与华中科技大学人才培养合作框架协议"


def test_a_specific_purpose_before_an_agreement_head_stays_out_of_its_span(extracted: Extracted) -> None:
    text = _HONGSHAN + "区政府与华中科技大学签署光谷科创战略合作协议。"
    assert "战略合作协议" in canonicals(extracted(text), "Policy")


def test_a_status_after_an_unquoted_title_belongs_to_it(extracted: Extracted) -> None:
    text = _HONGSHAN + "区里起草了洪山区公共数据开放管理办法(试行),正在征求意见。"
    policies = canonicals(extracted(text), "Policy")
    assert policies["洪山区公共数据开放管理办法(试行)"] == "洪山区公共数据开放管理办法（试行）"


def test_a_districts_branch_centre_of_a_project_leaves_the_project_as_the_name(found: Found) -> None:
    projects = of_type(found, _HONGSHAN + "武汉城市大脑洪山分中心年底前建成。", "Project")
    assert "武汉城市大脑" in projects
    assert not any(p.endswith("分中心") for p in projects)


def test_a_district_opening_with_shi_is_no_municipal_body(found: Found) -> None:
    text = "市中区新闻。济南市召开会议。市中区推进数字政府建设。济南城市大脑市中分中心年底前建成,市发改委参与。"
    assert of_type(found, text, "Department") == {"市发改委"}
    assert "济南城市大脑" in of_type(found, text, "Project")


def test_a_universitys_faculty_is_an_organization(found: Found) -> None:
    text = "武汉大学医学部和大连理工大学电子信息与电气工程学部的团队参与研究。"
    organizations = of_type(found, text, "Organization")
    assert {"武汉大学医学部", "大连理工大学电子信息与电气工程学部"} <= organizations


def test_a_university_is_called_by_its_first_character_and_da(extracted: Extracted) -> None:
    text = "区政府与吉林大学签署协议。吉大的团队将常驻园区。"
    assert canonicals(extracted(text), "Organization")["吉大"] == "吉林大学"


def test_no_university_short_name_inside_a_longer_word_or_shared_by_two(found: Found) -> None:
    text = "南京大学和南开大学的学者到上海大学交流,南大的报告最受欢迎。"
    assert of_type(found, text, "Organization") == {"南京大学", "南开大学", "上海大学"}


def test_the_peoples_university_gives_no_short_name_to_the_congress(extracted: Extracted) -> None:
    text = "中国人民大学的专家列席了区人大常委会会议,人大代表提出建议。"
    organizations = canonicals(extracted(text), "Organization")
    assert "人大" not in organizations


def test_a_place_opening_with_a_numeral_opens_a_project_name(found: Found) -> None:
    text = "明年将实施八大处公园智慧提升工程。"
    assert "八大处公园智慧提升工程" in of_type(found, text, "Project")


def test_a_count_before_a_category_stays_a_plural(found: Found) -> None:
    text = "全区推进八大产业项目和三大工程。"
    assert not of_type(found, text, "Project")


_WUHUA = "五华区新闻。昆明市召开会议。五华区推进数字政府建设。"


def test_a_city_bureau_is_named_as_the_districts_bureau_written_out(extracted: Extracted) -> None:
    text = _WUHUA + "五华区大数据发展管理局牵头梳理资源,市大数据局给予指导。"
    departments = canonicals(extracted(text), "Department")
    assert departments["市大数据局"] == "昆明市大数据发展管理局"


def test_a_city_bureau_keeps_the_common_name_without_a_district_body_written_out(extracted: Extracted) -> None:
    text = _WUHUA + "区大数据局牵头梳理资源,市大数据局给予指导。"
    assert canonicals(extracted(text), "Department")["市大数据局"] == "昆明市大数据局"


def test_a_university_short_name_that_is_a_common_word_is_the_word(found: Found) -> None:
    text = "广西大学师生走进社区,为广大居民讲解数据安全知识。"
    assert of_type(found, text, "Organization") == {"广西大学"}
