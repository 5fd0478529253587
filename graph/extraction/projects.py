"""Project extraction: government-driven undertakings, zones, facilities and named platforms.

Routes: a name suffix (…工程, …项目, …基地, …先导区, …创新区, …示范带, …科技园, …小镇, …中心,
…平台, …中台 …) with the name scanned leftwards; quoted names that read as systems or platforms
(“神经元系统”, “徐汇文旅云”, 接入“汇治理”); well-known Shanghai platforms (一网通办, 一网统管).

A project name must be specific: category words only (人工智能教育基地, 数据治理平台; before 项目 a
district and a period do not count: 奉贤区重大产业项目) or a description (上海史上最大…项目,
首个…中心) are not projects, nor are venues (会议中心, …艺术中心), corporate campuses (华为坂田基地),
role labels (上海科创中心重要承载区) and disciplines (光学工程、动力工程等学科). A verb of what is
undertaken before 项目 / 工程 stays in the name (…智慧旅游提升项目). A platform needs an owner level
(国家…平台, 市…平台) or a quoted or bracketed name. A bare district name or a generic area in
front (徐汇滨江西岸国际人工智能中心) is not part of the name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from graph.extraction.candidates import Candidate
from graph.extraction.context import DocumentContext
from graph.extraction.layout import is_han
from graph.extraction.lexicon import Lexicon, Suffix
from graph.extraction.records import EntityType
from graph.extraction.scan import (
    CLOSE_QUOTES,
    OPEN_QUOTES,
    ScanOptions,
    at_word_end,
    at_word_start,
    find_suffixes,
    is_slogan,
    is_specific,
    name_start,
    object_before_verb,
    quoted_span,
    starts_with_count,
    suffix_pattern,
)

PROJECT = EntityType.PROJECT
_PLURAL = re.compile(r"[一二三四五六七八九十两几数多]{1,4}[大个项类批]")
_SCAN = ScanOptions(limit=22, latin=True, digits=True)
_RING_MIN = 5  # 环 + a name of two characters + at least two more


@dataclass(frozen=True)
class ProjectRules:
    """Compiled project patterns."""

    suffixes: tuple[Suffix, ...]
    pattern: re.Pattern[str]
    descriptive: tuple[str, ...]
    platform_levels: tuple[str, ...]
    role_followers: tuple[str, ...]
    venues: tuple[str, ...]
    campus: tuple[str, ...]
    generic_areas: tuple[str, ...]
    brands: tuple[str, ...]
    place_min_rest: int
    place_cities: tuple[str, ...]
    national_bases: tuple[str, ...]
    launch_follower: re.Pattern[str]
    built_verbs: tuple[str, ...]
    phase_follower: re.Pattern[str]
    discipline_suffixes: tuple[str, ...]
    discipline_follower: re.Pattern[str]
    counted_suffixes: tuple[str, ...]
    undertaking_verbs: tuple[str, ...]
    undertaking_suffixes: tuple[str, ...]
    period_prefix: re.Pattern[str]
    name_joiners: tuple[str, ...]
    joined_min_name: int
    batch_follower: re.Pattern[str]
    function_words: frozenset[str]


@lru_cache(maxsize=4)
def project_rules(lexicon: Lexicon) -> ProjectRules:
    """Compile the project rules of a lexicon (cached)."""
    section = lexicon.section("types", "project")
    suffixes = lexicon.suffixes("project")
    companies = tuple(s for s, (full, level) in lexicon.organizations.items() if "公司" in full and not level)
    return ProjectRules(
        suffixes=suffixes,
        pattern=suffix_pattern(s.suffix for s in suffixes),
        descriptive=tuple(section["descriptive"]),
        platform_levels=tuple(sorted(section["platform_levels"], key=len, reverse=True)),
        role_followers=tuple(section["role_followers"]),
        venues=tuple(section["venues"]),
        campus=tuple(section["campus"]),
        generic_areas=tuple(section["generic_areas"]),
        brands=companies,
        place_min_rest=int(section["place_min_rest"]),
        place_cities=tuple(section["place_cities"]),
        national_bases=tuple(section.get("national_bases", ())),
        launch_follower=re.compile(section["launch_follower"]),
        built_verbs=tuple(section["built_verbs"]),
        phase_follower=re.compile(section["phase_follower"]),
        discipline_suffixes=tuple(section["discipline_suffixes"]),
        discipline_follower=re.compile(section["discipline_follower"]),
        counted_suffixes=tuple(section["counted_suffixes"]),
        undertaking_verbs=tuple(section["undertaking_verbs"]),
        undertaking_suffixes=tuple(section["undertaking_suffixes"]),
        period_prefix=re.compile(section["period_prefix"]),
        name_joiners=tuple(section["name_joiners"]),
        joined_min_name=int(section["joined_min_name"]),
        batch_follower=re.compile(section["batch_follower"]),
        function_words=frozenset(section.get("function_words", ())),
    )


def find_projects(ctx: DocumentContext) -> list[Candidate]:
    """Project candidates from suffixes and the platform gazetteer."""
    rules = project_rules(ctx.lexicon)
    found = list(_by_suffix(ctx, rules))
    found.extend(_gazetteer(ctx))
    return found


def _by_suffix(ctx: DocumentContext, rules: ProjectRules) -> Iterator[Candidate]:
    text = ctx.text
    by_text = {s.suffix: s for s in rules.suffixes}
    for suffix_start, end, found in find_suffixes(rules.pattern, text):
        suffix = by_text[found]
        if not at_word_end(text, end, ctx.segmenter) or text.startswith(rules.role_followers, end):
            continue
        start = name_start(text, suffix_start, end, ctx.vocab, ctx.segmenter, _SCAN)
        if start == suffix_start and _undertaking(rules, text, suffix.suffix, start):
            start = object_before_verb(text, start, end, ctx.vocab, ctx.segmenter, _SCAN)
        start = strip_place(ctx, _skip_index(text, start, suffix_start), suffix_start, rules.generic_areas)
        start = _after_joined_name(rules, text, start, suffix_start)
        if _projects_of(rules, text, start, suffix_start, end) or _branch_of_project(ctx, rules, start, suffix_start):
            continue
        if _acceptable(ctx, rules, suffix, start, suffix_start, end) and not inside_title(text, start, end):
            confidence = 0.7 if suffix.needs_specific or suffix.needs_level else 0.8
            yield Candidate(PROJECT, start, end, confidence, "project.suffix")


def _ends_with_head(rules: ProjectRules, text: str, start: int, end: int) -> bool:
    return any(text.endswith(s.suffix, start, end) for s in rules.suffixes)


def _after_joined_name(rules: ProjectRules, text: str, start: int, suffix_start: int) -> int:
    """``…修复工程和龙坞茶村风貌提升项目``: the name starts after a joiner that follows another name's
    head."""
    for position in range(suffix_start - 1, start + rules.joined_min_name, -1):
        if text[position] in rules.name_joiners and _ends_with_head(rules, text, start, position):
            return position + 1
    return start


def _projects_of(rules: ProjectRules, text: str, start: int, suffix_start: int, end: int) -> bool:
    """``西湖区数字经济产业园项目集中签约``: 项目 after another head and before a batch event counts
    the projects of that place; the name is the place's."""
    return (
        text.startswith("项目", suffix_start)
        and _ends_with_head(rules, text, start, suffix_start)
        and rules.batch_follower.match(text, end) is not None
    )


def _branch_of_project(ctx: DocumentContext, rules: ProjectRules, start: int, suffix_start: int) -> bool:
    """``青岛城市大脑市南分中心``: a district's 分中心 right after another project's head is that
    project's branch; the project is the name (as 二期 after a park stays out of it)."""
    text = ctx.text
    if not text.startswith("分中心", suffix_start - 1):
        return False
    place_end = suffix_start - 1
    places = (*(f"{d}区" for d in ctx.vocab.districts), *ctx.vocab.districts, *ctx.vocab.areas)
    place = next((p for p in places if text.endswith(p, start, place_end)), None)
    return place is not None and _ends_with_head(rules, text, start, place_end - len(place))


def _undertaking(rules: ProjectRules, text: str, suffix: str, position: int) -> bool:
    """…智慧旅游提升项目: a verb of what is undertaken right before 项目 / 工程."""
    return suffix in rules.undertaking_suffixes and text.endswith(rules.undertaking_verbs, 0, position)


def inside_title(text: str, start: int, end: int, reach: int = 60) -> bool:
    """Whether [start, end) lies inside a 《…》 title: a policy title is one mention, and the
    words of a talk or programme title (《虚实相生RAR创新城活力》) are a phrase, not names."""
    opened = text.rfind("《", max(0, start - reach), start)
    if opened < 0 or "》" in text[opened:start] or "\n" in text[opened:start]:
        return False
    closed = text.find("》", end, end + reach)
    return closed >= 0 and "\n" not in text[end:closed] and "《" not in text[end:closed]


def _skip_index(text: str, start: int, name_end: int) -> int:
    """A number glued to the front of a name is a page or section index (07张家弄…项目)."""
    position = start
    while position < name_end and text[position].isdigit():
        position += 1
    return position if position < name_end and is_han(text[position]) else start


def _acceptable(ctx: DocumentContext, rules: ProjectRules, suffix: Suffix, start: int, name_end: int, end: int) -> bool:
    text = ctx.text
    name = text[start:name_end]
    whole = text[start:end]
    if len(name) < suffix.min_name or any(d in name for d in rules.descriptive):
        return False
    if starts_with_count(name.lstrip("“‘"), ctx.vocab) or _counted(ctx, name):
        return False
    if whole.endswith(rules.venues) and not _being_built(ctx, rules, start, end, name):
        return False
    if _is_campus(rules, name, suffix.suffix):
        return False
    if _only_place(ctx, name) and not suffix.place_alone:
        return False
    if not _owner_allowed(ctx, rules, suffix, name):
        return False
    if suffix.needs_place and not (_opens_with_place(ctx, rules, name) or _national_base(rules, suffix.suffix, name)):
        return False
    if suffix.needs_function and not _function_before(ctx, rules, name):
        return False
    if suffix.launched_only and not rules.launch_follower.match(text, end):
        return False
    if suffix.suffix in rules.discipline_suffixes and rules.discipline_follower.match(text, end):
        return False
    if ctx.vocab.count_ending(text, start) and not is_specific(_drop_quoted(name), ctx.vocab, ctx.segmenter):
        return False
    if not suffix.needs_specific:
        return True
    core = _without_owner(_levels(ctx, rules), name)
    if suffix.suffix in rules.counted_suffixes:
        where = _without_when_and_where(ctx, rules, core)
        if where != core and rules.batch_follower.match(text, end):
            return False  # 鼓楼区数字经济项目集中签约: the district's projects signed together
        core = where
    return len(core) >= suffix.specific_from or is_specific(core, ctx.vocab, ctx.segmenter)


def _counted(ctx: DocumentContext, name: str) -> bool:
    """``三大工程``, ``两个中心``: a count in the name makes it a plural; not a place whose name opens
    with a numeral and runs on as one word (八大关, 五道口, 十六铺: 八大关历史街区…项目)."""
    plural = _PLURAL.search(name)
    if plural is None:
        return False
    if plural.start() > 0:
        return True
    first = ctx.segmenter.tokens(name)[0]
    return len(first) <= plural.end()


def _function_before(ctx: DocumentContext, rules: ProjectRules, name: str) -> bool:
    """…科技创新街区, …数字生活街区: the last word before the suffix says what the place is for."""
    words = (w for w in (*ctx.vocab.generic, *rules.function_words) if len(w) >= 2)
    return any(name.endswith(w) and len(name) > len(w) for w in words)


def _without_when_and_where(ctx: DocumentContext, rules: ProjectRules, core: str) -> str:
    """The name without a district (奉贤区) or an area (陆家嘴) and a period (二季度) in front:
    奉贤区重大产业 → 重大产业, 金山区二季度重大 → 重大, 陆家嘴重点 → 重点 (category words, so no name)."""
    districts = (f"{d}区" for d in ctx.vocab.districts)
    place = max((p for p in (*districts, *ctx.vocab.areas) if core.startswith(p)), key=len, default="")
    if place and len(core) > len(place):
        core = core[len(place) :]
    period = rules.period_prefix.match(core)
    return core[period.end() :] if period and period.end() < len(core) else core


def _being_built(ctx: DocumentContext, rules: ProjectRules, start: int, end: int, name: str) -> bool:
    """建设嘉定区算力调度中心, …研发中心三期: a venue-like facility being built (after a building
    verb, or built in phases), with a specific name."""
    text = ctx.text
    built = text.endswith(rules.built_verbs, 0, start) or rules.phase_follower.match(text, end) is not None
    return built and is_specific(name, ctx.vocab, ctx.segmenter)


def _opens_with_place(ctx: DocumentContext, rules: ProjectRules, name: str) -> bool:
    """嘉定氢能港, 上海音乐谷: a district, a Shanghai area or the city, then enough of a name (临港,
    洋山港 are places); or 环 and a name around which the zone lies (环同济知识经济圈)."""
    if name.startswith("环") and len(name) >= _RING_MIN and is_han(name[1]):
        return True  # 环同济知识经济圈: the ring around a place or an institution
    places = (*ctx.vocab.districts, *ctx.vocab.areas, *rules.place_cities, ctx.vocab.city)
    place = max((p for p in places if name.startswith(p)), key=len, default=None)
    return place is not None and len(name) - len(place) >= rules.place_min_rest and name not in ctx.vocab.areas


def _national_base(rules: ProjectRules, suffix: str, name: str) -> bool:
    """中国声谷, 中国光谷: 中国 and a field of one or two characters before 谷 brand a national base."""
    return suffix in rules.national_bases and name.startswith("中国") and 1 <= len(name) - 2 <= 2 and is_han(name[-1])


def _only_place(ctx: DocumentContext, name: str) -> bool:
    """A name that is only a district or region (徐汇中心, 上海基地) is not a project name."""
    return name in ctx.vocab.regions or any(name in (d, f"{d}区") for d in ctx.vocab.districts)


def _drop_quoted(name: str) -> str:
    """The name without its quoted part (“数字”重点 → 重点)."""
    opened = next((i for i, c in enumerate(name) if c in OPEN_QUOTES), -1)
    closed = next((i for i, c in enumerate(name) if c in "”’"), -1)
    return name[:opened] + name[closed + 1 :] if 0 <= opened < closed else name


def _is_campus(rules: ProjectRules, name: str, suffix: str) -> bool:
    return suffix in rules.campus and name.startswith(rules.brands)


def _has_owner(ctx: DocumentContext, rules: ProjectRules, name: str) -> bool:
    """A platform name needs an owner: a level (国家, 市, 区), a district, quotes or brackets; a
    level modifier (区级, 市级) is none unless a specific name follows it."""
    if "（" in name or "(" in name:
        return True
    opened = next((i for i, c in enumerate(name) if c in OPEN_QUOTES), -1)
    if opened >= 0:
        quoted = name[opened + 1 :].rstrip("”’")
        return not is_slogan(quoted) or any(quoted == g for _, g, _ in ctx.lexicon.gazetteer)
    if name.startswith(("市场", "区域", "区块")):
        return False
    graded = next((m for m in ctx.vocab.level_modifiers if m.endswith("级") and name.startswith(m)), None)
    if graded:  # 区级算力平台: a kind of platform of a level, named only by what follows
        return is_specific(name[len(graded) : -len("平台")], ctx.vocab, ctx.segmenter)
    return name.startswith(_levels(ctx, rules)) or name.startswith(tuple(f"{d}区" for d in ctx.vocab.districts))


def _levels(ctx: DocumentContext, rules: ProjectRules) -> tuple[str, ...]:
    """The owner levels of platforms, with the document's city and, outside a municipality, its
    province and 省 (杭州市…, 浙江省…, 省一体化智能化公共数据平台)."""
    province = (ctx.vocab.province_name, "省") if ctx.vocab.province_name else ()
    return tuple(sorted({*rules.platform_levels, ctx.vocab.city_name, *province}, key=len, reverse=True))


def _owner_allowed(ctx: DocumentContext, rules: ProjectRules, suffix: Suffix, name: str) -> bool:
    """A quoted name where the suffix needs one (“智慧急救”系统), an owner level where it needs one
    (国家…平台); a suffix needing both takes either (奉贤区城市运行数字体征系统)."""
    if suffix.quoted_only:
        quoted = name[0] in OPEN_QUOTES and name[-1] in CLOSE_QUOTES
        return quoted or (suffix.needs_level and _owned_by_level(ctx, rules, name))
    return not suffix.needs_level or _has_owner(ctx, rules, name)


def _owned_by_level(ctx: DocumentContext, rules: ProjectRules, name: str) -> bool:
    """奉贤区城市运行数字体征系统: an owner level or a district, then a specific name."""
    if any(c in OPEN_QUOTES for c in name) or not _has_owner(ctx, rules, name):
        return False
    core = _without_when_and_where(ctx, rules, _without_owner(_levels(ctx, rules), name))
    return is_specific(core, ctx.vocab, ctx.segmenter)


def _without_owner(levels: tuple[str, ...], name: str) -> str:
    for level in levels:
        if name.startswith(level) and len(name) > len(level):
            return name[len(level) :]
    return name


def strip_place(ctx: DocumentContext, start: int, name_end: int, generic_areas: tuple[str, ...]) -> int:
    """Drop a district name followed by an area word from the front of a name (徐汇滨江西岸国际
    人工智能中心 → 西岸…, 徐汇西岸模速空间 → 模速空间); a district fused to the name itself stays
    (嘉定氢能港, 宝山新材料中试基地), and so does a district with a stretch of river (滨江, 沿江)
    that no named area follows: the two name the place (鼓楼滨江数字经济走廊)."""
    text = ctx.text
    district = next((d for d in ctx.vocab.districts if text.startswith(d, start)), None)
    if district is None or text.startswith("区", start + len(district)):
        return start
    after = start + len(district)
    areas = sorted((*generic_areas, *ctx.vocab.areas), key=len, reverse=True)
    area = next((a for a in areas if text.startswith(a, after)), None)
    if area is None or name_end - after < 4:
        return start
    if area in generic_areas:
        rest = after + len(area)
        specific = any(text.startswith(a, rest) for a in ctx.vocab.areas)
        return rest if specific and name_end - rest >= 4 else start
    return after


def _gazetteer(ctx: DocumentContext) -> Iterator[Candidate]:
    """Known platforms, also with part of the name quoted (“随申办”市民云)."""
    text = ctx.text
    for entity_type, surface, canonical in ctx.lexicon.gazetteer:
        if entity_type != PROJECT.value:
            continue
        for match in _loosely_quoted(surface).finditer(text):
            start, end = quoted_span(text, *match.span())
            if at_word_start(text, start, ctx.segmenter, ctx.vocab) or text[start - 1] in "“‘":
                yield Candidate(PROJECT, start, end, 0.85, "project.gazetteer", canonical)


@lru_cache(maxsize=256)
def _loosely_quoted(surface: str) -> re.Pattern[str]:
    """The name with optional quotes around and between its characters."""
    return re.compile("[“‘]?" + "[“”‘’]?".join(re.escape(c) for c in surface) + "[”’]?")
