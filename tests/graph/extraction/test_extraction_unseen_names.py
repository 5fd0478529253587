"""Names as unseen district pages write them (issue 3, eighth round): each rule on fresh sentences."""

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
