"""China's administrative divisions as the source of a page's place, and the thirteenth round's
other rules (issue 3): each rule on fresh sentences, none of them from an imitation page."""

from __future__ import annotations

from extraction_lookups import Extracted, Found, canonicals, of_type

from graph.extraction.lexicon import Lexicon
from graph.extraction.vocabulary import listed_cities


def test_a_district_only_one_city_has_names_the_city_and_its_province(extracted: Extracted) -> None:
    text = (
        "雁塔报 雁塔区新闻。雁塔区召开数字经济大会,区委、区发改委负责人,"
        "市科技局、省工信厅相关处室负责人参加。数据纳入区级法人库。"
    )
    extraction = extracted(text)
    assert extraction.district == "雁塔"
    names = canonicals(extraction, "Department")
    assert names["区委"] == "中国共产党西安市雁塔区委员会"
    assert names["区发改委"] == "西安市雁塔区发展和改革委员会"
    assert names["市科技局"] == "西安市科学技术局"
    assert names["省工信厅"] == "陕西省工业和信息化厅"
    assert canonicals(extraction, "Dataset")["法人库"] == "西安市雁塔区法人库"


def test_a_district_several_cities_have_needs_its_city_named_somewhere(extracted: Extracted) -> None:
    text = "鼓楼区新闻。鼓楼区召开会议,区委、区财政局负责人参加。鼓楼区将推进老旧小区改造。"
    assert extracted(text).district is None


def test_the_city_named_inside_other_names_settles_a_district_several_cities_have(extracted: Extracted) -> None:
    text = (
        "鼓楼区新闻。鼓楼区召开会议,区委、区财政局和省工信厅负责人参加。福州大学专家介绍经验,"
        "报道刊发于《福州日报》。鼓楼区将推进老旧小区改造。"
    )
    extraction = extracted(text)
    assert extraction.district == "鼓楼"
    names = canonicals(extraction, "Department")
    assert names["区委"] == "中国共产党福州市鼓楼区委员会"
    assert names["省工信厅"] == "福建省工业和信息化厅"


def test_a_listed_citys_district_name_elsewhere_goes_to_the_city_the_page_names(extracted: Extracted) -> None:
    text = "西湖区新闻。西湖区召开会议,区政府与南昌大学签约,区科技局负责人参加。西湖区将建设科创园。"
    extraction = extracted(text)
    assert extraction.district == "西湖"
    assert canonicals(extraction, "Department")["区科技局"] == "南昌市西湖区科学技术局"


def test_a_district_name_of_common_words_needs_its_city(extracted: Extracted) -> None:
    plain = "老城区新闻。老城区改造启动,区住建局负责人介绍,老城区将新建口袋公园。"
    assert extracted(plain).district is None
    named = plain + "洛阳日报记者报道。"
    extraction = extracted(named)
    assert extraction.district == "老城"
    assert canonicals(extraction, "Department")["区住建局"] == "洛阳市老城区住房和城乡建设局"


def test_the_longest_district_name_before_qu_is_read(extracted: Extracted) -> None:
    text = "东西湖区新闻。东西湖区召开会议,区经信局负责人参加。东西湖区将推进数字化转型。长江日报记者武汉报道。"
    extraction = extracted(text)
    assert extraction.district == "东西湖"
    assert canonicals(extraction, "Department")["区经信局"] == "武汉市东西湖区经济和信息化局"


def test_a_shanghai_page_stays_shanghais(extracted: Extracted) -> None:
    text = "徐汇报 徐汇区新闻。徐汇区召开会议,区科委负责人参加,与西安碑林区代表交流。"
    assert extracted(text).district == "徐汇"


def test_a_city_bureaus_district_branch_written_out_is_one_body(extracted: Extracted) -> None:
    text = "雁塔报 雁塔区新闻。雁塔区召开会议,市生态环境局雁塔分局、区自然资源和规划分局负责人参加。雁塔区推进治理。"
    names = canonicals(extracted(text), "Department")
    assert names["市生态环境局雁塔分局"] == "西安市生态环境局雁塔分局"
    assert names["区自然资源和规划分局"] == "西安市自然资源和规划局雁塔分局"


def test_merged_education_and_sports_bureaus_and_data_bureaus_across_china(extracted: Extracted) -> None:
    text = "雁塔报 雁塔区新闻。雁塔区召开会议,区教体局、区大数据局和省大数据局负责人参加。雁塔区推进治理。"
    names = canonicals(extracted(text), "Department")
    assert names["区教体局"] == "西安市雁塔区教育和体育局"
    assert names["区大数据局"] == "西安市雁塔区大数据局"
    assert names["省大数据局"] == "陕西省大数据局"


def test_an_ordinal_before_fushu_numbers_the_hospital(found: Found) -> None:
    text = "西安交通大学第二附属医院与第一医科大学附属医院专家开展义诊。"
    organizations = of_type(found, text, "Organization")
    assert "西安交通大学第二附属医院" in organizations


def test_a_field_and_xiangmu_after_a_count_is_a_count(found: Found) -> None:
    assert not of_type(found, "本次活动共有 12 个数字经济项目落户雁塔,总投资 30 亿元。", "Project")


def test_the_divisions_hold_every_province_and_prefecture(lexicon: Lexicon) -> None:
    divisions = lexicon.divisions
    assert len(divisions.provinces) == 34
    prefectures = [p for p in divisions.prefectures.values() if p.province]
    assert len(prefectures) == 333
    assert {"北京", "天津", "上海", "重庆"} <= {p.name for p in divisions.prefectures.values() if not p.province}
    assert divisions.cities_with("鼓楼") == ("南京", "徐州", "福州", "开封")


def test_the_listed_cities_agree_with_the_divisions(lexicon: Lexicon) -> None:
    for city, (province, districts) in listed_cities(lexicon).items():
        prefecture = lexicon.divisions.prefectures[city]
        assert prefecture.province == province, city
        assert set(districts) <= set(prefecture.districts), city
    provinces = lexicon.section("words", "places")["provinces"]
    assert set(provinces) <= set(lexicon.divisions.provinces)
