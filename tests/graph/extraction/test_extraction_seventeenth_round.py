"""The seventeenth round's rules (issue 3): each rule on fresh sentences and other places than the
imitation pages (沈阳 沈河, 大连 西岗, 石家庄 桥西, 南昌 青山湖, 江西 …)."""

from __future__ import annotations

from extraction_lookups import Extracted, Found, canonicals, of_type


def test_a_portal_site_ends_the_government_before_it(found: Found) -> None:
    text = "沈河区新闻。沈阳市沈河区召开会议。全文见区政府门户网站,也可在区政府网站查询。"
    names = of_type(found, text, "Department")
    assert "区政府" in names
    assert not any(name.endswith("网站") for name in names)


def test_government_information_disclosure_holds_no_government(found: Found) -> None:
    text = "西岗区新闻。大连市西岗区召开会议。《西岗区政府信息公开工作年度报告》已经发布。"
    assert "西岗区政府" not in of_type(found, text, "Department")


def test_disclosure_is_no_boundary_inside_its_term(found: Found) -> None:
    text = "申请均录入政府信息公开申请受理台账,由专人跟踪。"
    assert "政府信息公开申请受理台账" in of_type(found, text, "Dataset")


def test_a_district_police_branch_drops_its_districts_qu(extracted: Extracted) -> None:
    text = "桥西区新闻。石家庄市桥西区召开会议。区公安分局、区司法局参加。"
    names = canonicals(extracted(text), "Department")
    assert names["区公安分局"] == "石家庄市公安局桥西分局"


def test_a_provinces_zone_committee_takes_no_city(extracted: Extracted) -> None:
    text = "青山湖区新闻。南昌市青山湖区召开会议。区工信局与江西赣江数字经济示范区管委会签约。"
    names = canonicals(extracted(text), "Department")
    assert names["江西赣江数字经济示范区管委会"] == "江西赣江数字经济示范区管理委员会"


def test_a_hotline_number_is_part_of_the_name(found: Found) -> None:
    text = "其中12315热线投诉举报数据集经脱敏后开放。"
    assert "12315热线投诉举报数据集" in of_type(found, text, "Dataset")


def test_a_count_is_still_no_part_of_a_name(found: Found) -> None:
    text = "全区归集了 12 个企业信用信息表。"
    assert "企业信用信息表" in of_type(found, text, "Dataset")


def test_a_bracketed_enumerator_opens_no_resource(found: Found) -> None:
    text = "(三)开放清单。第二批公共数据开放清单共 40 项。"
    assert of_type(found, text, "Dataset") == {"公共数据开放清单"}


def test_a_yearly_increment_of_a_counted_kind_is_a_count(found: Found) -> None:
    text = "年内新增开放数据集 80 个,全年累计开放数据集 300 个,其中公交站点客流数据集最受欢迎。"
    assert of_type(found, text, "Dataset") == {"公交站点客流数据集"}


def test_an_unquoted_instrument_after_a_title_and_he(found: Found) -> None:
    text = "沈河区新闻。沈阳市沈河区召开会议。按照《辽宁省公共数据管理办法》和沈河区政务数据共享暂行办法执行。"
    assert "沈河区政务数据共享暂行办法" in of_type(found, text, "Policy")


def test_an_instrument_being_revised_or_drafted_is_named(found: Found) -> None:
    text = (
        "沈河区新闻。沈阳市沈河区召开会议。区数据局将牵头修订沈河区数据安全工作规范,"
        "正在起草沈河区公共数据开发利用实施细则。"
    )
    names = of_type(found, text, "Policy")
    assert {"沈河区数据安全工作规范", "沈河区公共数据开发利用实施细则"} <= names


def test_a_deputys_proposal_is_no_policy(found: Found) -> None:
    text = "代表提出《关于推进智慧养老服务的建议》,委员提交《关于完善社区数据治理的提案》。"
    assert of_type(found, text, "Policy") == set()


def test_a_university_of_science_and_engineering_without_daxue(extracted: Extracted) -> None:
    text = "西岗区新闻。区政府与大连理工大学签约,大连理工的团队参与了数据标注。"
    names = canonicals(extracted(text), "Organization")
    assert names["大连理工"] == "大连理工大学"


def test_the_full_name_of_such_a_university_is_no_short_form(found: Found) -> None:
    text = "华南理工大学和华南理工大学广州学院参加了会议。"
    assert "华南理工" not in of_type(found, text, "Organization")


def test_china_and_a_field_before_gu_brand_a_national_base(found: Found) -> None:
    text = "企业依托中国光谷开展研发,新项目落户中国药谷。"
    assert {"中国光谷", "中国药谷"} <= of_type(found, text, "Project")


def test_a_gu_still_needs_a_name_before_it(found: Found) -> None:
    text = "企业在山谷里建起了数据中心,走出低谷。"
    assert of_type(found, text, "Project") == set()
