"""The fourteenth round's rules (issue 3): each rule on fresh sentences and other places than the
imitation pages (温州 鹿城, 洛阳, 泰安 岱岳 …)."""

from __future__ import annotations

from extraction_lookups import Extracted, Found, canonicals, of_type

_LUCHENG = "鹿城区新闻。温州市召开会议。鹿城区推进数字政府建设。"


def test_a_standing_you_ends_a_table_name_on_its_left(found: Found) -> None:
    text = "本次登记的数据资源有外卖骑手备案信息库和网约车运营企业资源表。"
    names = of_type(found, text, "Dataset")
    assert "外卖骑手备案信息库" in names
    assert not any(n.startswith("资源有") for n in names)


def test_you_inside_a_word_is_no_boundary(found: Found) -> None:
    text = "区国资委登记了国有企业资产信息表。"
    assert "国有企业资产信息表" in of_type(found, text, "Dataset")


def test_a_shared_vehicle_is_a_noun_not_the_verb_share(found: Found) -> None:
    text = "区交通局登记了共享电单车投放点位资源表和共享汽车停车位信息表。"
    names = of_type(found, text, "Dataset")
    assert {"共享电单车投放点位资源表", "共享汽车停车位信息表"} <= names


def test_a_task_force_and_its_office_are_bodies(extracted: Extracted) -> None:
    text = _LUCHENG + "鹿城区城市更新工作专班召开会议。专班办公室设在区住建局,负责日常协调。"
    names = canonicals(extracted(text), "Department")
    assert names["鹿城区城市更新工作专班"] == "温州市鹿城区城市更新工作专班"
    assert names["专班办公室"] == "温州市鹿城区城市更新工作专班办公室"


def test_a_quoted_app_name_is_an_app_however_it_reads_alone(found: Found) -> None:
    text = "市民可通过“三秦快办”小程序和“多福宝”APP 查询办事进度。"
    projects = of_type(found, text, "Project")
    assert {"三秦快办", "多福宝"} <= projects
    assert not of_type(found, text, "Department")


def test_a_trade_association_keeps_its_two_trades(extracted: Extracted) -> None:
    text = _LUCHENG + "鹿城区电子商务和快递物流业协会组织企业参加对接会。"
    organizations = canonicals(extracted(text), "Organization")
    assert organizations["鹿城区电子商务和快递物流业协会"] == "温州市鹿城区电子商务和快递物流业协会"


def test_a_citys_name_is_not_the_short_name_of_its_bank() -> None:
    from graph.extraction import extract_document

    text = "洛阳银行股份有限公司与区政府签约。洛阳银行西工支行负责落地,洛阳将提供场地。"
    mentions = {(m.text, m.canonical) for m in extract_document(text).mentions if m.type.value == "Organization"}
    assert not any(surface == "洛阳" for surface, _ in mentions)


def test_a_training_alliance_is_a_kind_of_body(found: Found) -> None:
    text = "三所高校组建智能制造人才培养联盟。"
    assert not of_type(found, text, "Organization")


def test_a_list_without_a_data_word_in_a_sentence_about_data(found: Found) -> None:
    text = "区城管局将城市道路井盖设施清单纳入公共数据资源登记。"
    assert "城市道路井盖设施清单" in of_type(found, text, "Dataset")


def test_lists_of_duties_stay_no_data_resources(found: Found) -> None:
    text = "区政府公布了区级部门权力运行责任清单,相关数据同步开放。"
    assert not any(n.endswith("清单") for n in of_type(found, text, "Dataset"))


def test_an_unquoted_instrument_opening_with_its_place_is_a_policy(extracted: Extracted) -> None:
    text = _LUCHENG + "下一步将推动温州市数据资源管理办法落地,并宣传鹿城区加快人工智能产业发展若干政策。"
    policies = set(canonicals(extracted(text), "Policy"))
    assert {"温州市数据资源管理办法", "鹿城区加快人工智能产业发展若干政策"} <= policies


def test_an_unquoted_instrument_without_a_place_or_an_issuing_verb_is_not_one(found: Found) -> None:
    text = "各单位要学习数据资源管理办法的要求。"
    assert not of_type(found, text, "Policy")


def test_an_agreement_signed_in_spoken_words(extracted: Extracted) -> None:
    text = _LUCHENG + "上周区政府与温州大学签了战略合作协议。"
    policies = set(canonicals(extracted(text), "Policy").values())
    assert "温州市鹿城区人民政府与温州大学战略合作协议" in policies


def test_a_ledger_table_is_a_data_resource(found: Found) -> None:
    text = "街道把困难群众走访台账表交给区民政局。"
    assert "困难群众走访台账表" in of_type(found, text, "Dataset")


def test_districts_of_more_prefectures_name_their_city(extracted: Extracted) -> None:
    text = "岱岳区新闻。岱岳区召开会议,区委、区发改委负责人参加。岱岳区将推进数字乡村建设。"
    extraction = extracted(text)
    assert extraction.district == "岱岳"
    assert canonicals(extraction, "Department")["区委"] == "中国共产党泰安市岱岳区委员会"
