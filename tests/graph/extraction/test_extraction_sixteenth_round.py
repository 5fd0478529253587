"""The sixteenth round's rules (issue 3): each rule on fresh sentences and other places than the
imitation pages (银川 金凤, 呼和浩特 赛罕, 乌鲁木齐 天山, 石家庄 裕华, 长春 南关 …)."""

from __future__ import annotations

from extraction_lookups import Extracted, Found, canonicals, of_type


def test_an_autonomous_region_opens_a_bodys_name(extracted: Extracted) -> None:
    text = "金凤区新闻。金凤区数据局会同宁夏回族自治区发展和改革委员会、自治区工业和信息化厅开展调研。"
    names = canonicals(extracted(text), "Department")
    assert names["宁夏回族自治区发展和改革委员会"] == "宁夏回族自治区发展和改革委员会"
    assert names["自治区工业和信息化厅"] == "宁夏回族自治区工业和信息化厅"


def test_autonomous_region_alone_needs_a_province_that_is_one(found: Found) -> None:
    text = "裕华区新闻。石家庄市裕华区召开会议。民族自治区工业和信息化厅的代表列席。"
    assert "自治区工业和信息化厅" not in of_type(found, text, "Department")


def test_a_body_written_out_with_its_place_keeps_its_written_name(extracted: Extracted) -> None:
    text = "赛罕区新闻。赛罕区数据资源局发布通知。区数据资源局、市数据资源局和内蒙古自治区大数据发展局共同推进。"
    names = canonicals(extracted(text), "Department")
    assert names["赛罕区数据资源局"] == "呼和浩特市赛罕区数据资源局"
    assert names["区数据资源局"] == "呼和浩特市赛罕区数据资源局"
    assert names["市数据资源局"] == "呼和浩特市数据资源局"
    assert names["内蒙古自治区大数据发展局"] == "内蒙古自治区大数据发展局"


def test_a_short_form_alone_still_takes_the_name_used_across_china(extracted: Extracted) -> None:
    text = "天山区新闻。乌鲁木齐市天山区召开会议。区发改局、区数据资源局负责落实。"
    names = canonicals(extracted(text), "Department")
    assert names["区发改局"] == "乌鲁木齐市天山区发展和改革局"
    assert names["区数据资源局"] == "乌鲁木齐市天山区数据资源管理局"


def test_using_and_calling_end_a_table_name_on_its_left(found: Found) -> None:
    text = "窗口调用婚姻登记信息库后,申请人不再提交证明。中国银行用企业纳税信用信息表推出线上贷款。"
    names = of_type(found, text, "Dataset")
    assert {"婚姻登记信息库", "企业纳税信用信息表"} <= names
    assert not any(n.startswith(("调用", "用", "中国银行")) for n in names)


def test_yong_inside_a_word_stays_part_of_the_name(found: Found) -> None:
    text = "区里归集了公用事业缴费信息表和企业信用信息表。"
    assert {"公用事业缴费信息表", "企业信用信息表"} <= of_type(found, text, "Dataset")


def test_banhao_ends_an_organizations_name_on_its_left(found: Found) -> None:
    text = "明年将办好吉林省软件行业协会年会。"
    assert "吉林省软件行业协会" in of_type(found, text, "Organization")


def test_a_counted_dataset_names_no_resource(found: Found) -> None:
    text = "平台首批开放 38 个数据集。今年向社会开放数据集 90 个,其中道路停车泊位数据集最受欢迎。"
    assert of_type(found, text, "Dataset") == {"道路停车泊位数据集"}


def test_a_counted_open_data_list_is_still_named(found: Found) -> None:
    text = "第三批公共数据开放清单已经公布。"
    assert "公共数据开放清单" in of_type(found, text, "Dataset")


def test_a_schedule_and_a_monitoring_register_are_data_resources(found: Found) -> None:
    text = "区财政局每季度公开稳岗补贴发放明细表。区商务局据此更新了限上批发企业监测库。"
    names = of_type(found, text, "Dataset")
    assert {"稳岗补贴发放明细表", "限上批发企业监测库"} <= names
    assert "区财政局" in of_type(found, text, "Department")


def test_a_ledger_with_a_specific_subject_is_a_data_resource(found: Found) -> None:
    text = "完成城镇燃气用户安全检查台账的数字化改造,并建立工作台账。"
    assert of_type(found, text, "Dataset") == {"城镇燃气用户安全检查台账"}


def test_ai_and_a_place_in_quotes_name_the_places_app(found: Found) -> None:
    text = "市民在“爱长春”上就能预约,“爱吉林”也已接入。"
    assert {"爱长春", "爱吉林"} <= of_type(found, text, "Project")


def test_ai_and_a_common_word_in_quotes_stays_a_slogan(found: Found) -> None:
    assert not of_type(found, "社区开展“爱生活”主题活动。", "Project")


def test_a_quoted_name_joined_to_a_listed_service_is_one_of_its_kind(found: Found) -> None:
    text = "群众通过“浙里办”和“浙企通”提交材料。"
    assert {"浙里办", "浙企通"} <= of_type(found, text, "Project")
    text = "企业可在“裕华通”、“皖事通”上申报。"
    assert "裕华通" in of_type(found, text, "Project")


def test_a_slogan_joined_to_a_listed_service_stays_a_slogan(found: Found) -> None:
    text = "依托“浙里办”和“最多跑一次”改革,群众少跑腿。"
    assert of_type(found, text, "Project") == {"浙里办"}


def test_a_platform_of_a_level_is_no_name(found: Found) -> None:
    text = "中国联通长春市分公司承建了市级算力平台。区级数据共享交换平台年内上线。"
    assert not of_type(found, text, "Project")


def test_a_level_with_a_specific_name_still_names_a_platform(found: Found) -> None:
    text = "南关区新闻。长春市南关区召开会议。区级“南关智管”平台年内上线。"
    assert any("南关智管" in n for n in of_type(found, text, "Project"))


def test_a_quoted_financial_product_is_no_project(found: Found) -> None:
    text = "长春农商银行推出“科技信用贷”,保险公司上线“长春惠民保”。"
    assert not of_type(found, text, "Project")


def test_a_university_whose_first_short_form_is_a_common_word_takes_its_second(extracted: Extracted) -> None:
    text = "区政府与广东大学签约。东大的师生参与了标注。"
    assert canonicals(extracted(text), "Organization").get("东大") == "广东大学"


def test_a_longer_university_name_is_shortened_by_characters_picked_in_order(extracted: Extracted) -> None:
    text = "长春理工大学和东北师范大学签约。长理大的学生、东北师大的老师参与了项目。"
    names = canonicals(extracted(text), "Organization")
    assert names.get("长理大") == "长春理工大学"


def test_a_picked_short_form_must_stand_as_a_word(found: Found) -> None:
    text = "长春理工大学与区政府签约。长春大数据产业园同日开园。"
    assert of_type(found, text, "Organization") == {"长春理工大学"}


def test_a_school_named_after_a_university_short_form_gives_no_fragment(found: Found) -> None:
    text = "吉林大学与区政府签约。吉大数学与统计学院的师生参与了数据标注。"
    names = of_type(found, text, "Organization")
    assert "吉大" in names
    assert "统计学院" not in names


def test_a_region_alone_names_a_business_district(found: Found) -> None:
    text = "欧盟商务区的 20 栋楼宇完成改造。"
    assert "欧盟商务区" in of_type(found, text, "Project")


def test_a_dash_between_china_and_a_region_joins_one_name(found: Found) -> None:
    text = "区里推荐企业申报中国—东盟数据港示范点,并接入中国-欧盟信息港。"
    assert {"中国—东盟数据港", "中国-欧盟信息港"} <= of_type(found, text, "Project")


def test_a_dash_elsewhere_still_ends_a_name(found: Found) -> None:
    text = "2024—2026年,全区建成裕华数据港。"
    assert "裕华数据港" in of_type(found, text, "Project")
