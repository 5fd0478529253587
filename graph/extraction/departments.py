"""Department extraction: party, government, congress and CPPCC bodies and public institutions.

Three routes, each giving the official name as canonical:

* anchored names — an administrative prefix (上海市, 市, 徐汇区, 区, 中共…区, 中联办) followed by a
  governing body (委, 人民政府, 人大, 政协), a party unit (区委统战部) or words plus a functional
  suffix (…局, …委, …办, …中心, …支队); 区X局 resolves to 上海市{district}区…局 through the
  short-form table (区绿容局 → 上海市徐汇区绿化和市容管理局), or through the regular short forms
  of the official names (区发展改革委, 区民防办, 市卫生健康委; :mod:`graph.extraction.abbreviations`);
* national and well-known bodies without prefix (国务院, 央行, 中联办, 党中央);
* bare short forms (城运中心, 卫健委) read at the document's district level, or at national
  level when the sentence speaks of national bodies (国家三部委（卫健委、工信部、民政局）).

A governing body fused with a position (区委书记, 市政府副秘书长, 区政协主席) is a title and
blocks the span; a functional body followed by a position (市经信委副主任) is still a mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graph.extraction.candidates import Block, Candidate
from graph.extraction.context import DocumentContext
from graph.extraction.layout import is_han
from graph.extraction.lexicon import Lexicon
from graph.extraction.records import EntityType
from graph.extraction.scan import ScanOptions, at_clause_start, at_word_end, at_word_start, scan_left
from graph.extraction.vocabulary import Place, Vocabulary, vocabulary
from graph.extraction.written_bodies import named_as_written

DEPT = EntityType.DEPARTMENT
_NUMERALS = frozenset("0123456789一二三四五六七八九十百千两")
_ZONE_SCAN = ScanOptions(limit=16, latin=False, digits=False)


@dataclass(frozen=True)
class DepartmentRules:
    """Compiled department patterns."""

    governing: tuple[str, ...]
    functional: tuple[str, ...]
    party_units: tuple[str, ...]
    stem_stop_chars: frozenset[str]
    stem_stop_words: tuple[str, ...]
    not_suffix_words: frozenset[str]
    max_stem: int
    bare_min: int
    national_context: tuple[str, ...]
    body_anchors: dict[str, str]
    built_verbs: tuple[str, ...]
    built_suffixes: tuple[str, ...]
    stem_open_stop_chars: frozenset[str]
    institutions: tuple[str, ...]
    government_terms: tuple[str, ...]


@dataclass(frozen=True)
class Anchor:
    """An administrative prefix and what it says about the body that follows."""

    start: int
    end: int
    level: str  # district | municipal | provincial | body
    place: str  # full administrative name (上海市徐汇区, 上海市, 浙江省, 中央人民政府驻…)
    party: bool  # written with 中共 / 中国共产党
    region: str = ""  # the city or province whose tables name its bodies (上海, 杭州, 浙江)
    district: str | None = None  # short name of the district, for a district anchor


@lru_cache(maxsize=4)
def department_rules(lexicon: Lexicon) -> DepartmentRules:
    """Compile the department rules of a lexicon (cached)."""
    section = lexicon.section("types", "department")
    body_anchors = {b.surface: b.canonical for b in lexicon.bodies if b.anchor}
    return DepartmentRules(
        governing=tuple(section["governing"]),
        functional=tuple(sorted(section["functional"], key=len, reverse=True)),
        party_units=tuple(sorted(section["party_units"], key=len, reverse=True)),
        stem_stop_chars=frozenset(section["stem_stop_chars"]),
        stem_stop_words=tuple(section["stem_stop_words"]),
        not_suffix_words=frozenset(section["not_suffix_words"]),
        max_stem=int(section["max_stem"]),
        bare_min=int(section["bare_min_length"]),
        national_context=tuple(section["national_context"]),
        body_anchors=body_anchors,
        built_verbs=tuple(section["built_verbs"]),
        built_suffixes=tuple(section["built_suffixes"]),
        stem_open_stop_chars=frozenset(section["stem_open_stop_chars"]),
        institutions=tuple(section["institutions"]),
        government_terms=tuple(section["government_terms"]),
    )


@lru_cache(maxsize=16)
def anchor_pattern(lexicon: Lexicon, city: str, found: Place | None = None) -> re.Pattern[str]:
    """The administrative prefixes of a document about ``city``: its districts (with or without
    the city), any listed city + 市 or 市 alone, any listed province + 省 or, outside a
    municipality, 省 alone, 区 alone, and the bodies that may open a longer name."""
    vocab = vocabulary(lexicon, city, found)
    districts = "|".join(vocab.districts)
    cities = "|".join(sorted(vocab.cities, key=len, reverse=True))
    provinces = "|".join(sorted({*vocab.provinces, *(p for p, _ in vocab.cities.values() if p)}, key=len, reverse=True))
    bare_province = r"|省(?![级内外份会长委]|市(?!场))" if vocab.province else ""
    regions = "|".join(sorted(_autonomous_regions(vocab), key=len, reverse=True)) or "(?!)"
    bare_province += rf"|(?P<r>{regions})"
    if str(vocab.province_name or "").endswith("自治区"):
        bare_province += r"|自治区(?![级内外])"
    bodies = "|".join(sorted(map(re.escape, (b.surface for b in lexicon.bodies if b.anchor)), key=len, reverse=True))
    return re.compile(
        rf"(?P<district>(?:中国共产党|中共)?(?:{vocab.city}市)?(?P<d>{districts})区)"
        rf"|(?P<municipal>(?:中国共产党|中共)?(?P<c>{cities})市|市(?![场民区级长]))"
        rf"|(?P<provincial>(?:中国共产党|中共)?(?P<p>{provinces})省{bare_province})"
        rf"|(?P<bare>区(?![域级长别间块位]))"
        rf"|(?P<body>{bodies})"
    )


def find_departments(ctx: DocumentContext) -> tuple[list[Candidate], list[Block]]:
    """All department candidates of a document, and the title spans that block them."""
    rules = department_rules(ctx.lexicon)
    candidates: list[Candidate] = []
    blocks: list[Block] = []
    for anchor in _anchors(ctx, rules):
        for candidate in _after_anchor(ctx, rules, anchor):
            block = _title_block(ctx, candidate)
            if block:
                blocks.append(block)
            elif not _being_built(ctx, rules, candidate):
                candidates.append(candidate)
    candidates.extend(_bodies(ctx))
    candidates.extend(_zone_committees(ctx))
    for candidate in _bare_forms(ctx, rules):
        block = _title_block(ctx, candidate)
        if block:
            blocks.append(block)
        else:
            candidates.append(candidate)
    return named_as_written(ctx, candidates), blocks


def _opens_district(vocab: Vocabulary, text: str, position: int) -> bool:
    """Whether a district of the city whose name opens with 市 (青岛's 市南, 济南's 市中) stands at
    ``position``."""
    return any(d.startswith("市") and text.startswith(d, position) for d in vocab.districts)


def _anchors(ctx: DocumentContext, rules: DepartmentRules) -> Iterator[Anchor]:
    text = ctx.text
    vocab = ctx.vocab
    for match in anchor_pattern(ctx.lexicon, vocab.city, vocab.found).finditer(text):
        start, end = match.span()
        party = text.startswith(("中共", "中国共产党"), start)
        if match.group("district"):
            district = match.group("d")
            yield Anchor(start, end, "district", vocab.district_name(district), party, vocab.city, district)
        elif match.group("municipal"):
            if match.group() == "市" and not at_word_start(text, start, ctx.segmenter, ctx.vocab):
                continue
            if match.group() == "市" and _opens_district(vocab, text, start):
                continue  # 市南分中心 on a 市南区 page: the district, not the city
            city = match.group("c") or vocab.city
            yield Anchor(start, end, "municipal", f"{city}市", party, city)
        elif match.group("provincial"):
            if match.group() == "省" and not at_word_start(text, start, ctx.segmenter, ctx.vocab):
                continue
            yield _provincial_anchor(vocab, match, party)
        elif match.group("bare"):
            if not at_word_start(text, start, ctx.segmenter, ctx.vocab):
                continue
            place = ctx.district_name or "区"
            yield Anchor(start, end, "district", place, False, vocab.city, ctx.district)
        else:
            yield Anchor(start, end, "body", rules.body_anchors[match.group()], False)


def _autonomous_regions(vocab: Vocabulary) -> tuple[str, ...]:
    """The full names of the provincial divisions that are no 省 (广西壮族自治区, 内蒙古自治区)."""
    listed = vocab.divisions.provinces if vocab.divisions else {}
    return tuple(full for full in listed.values() if full.endswith("自治区"))


def _provincial_anchor(vocab: Vocabulary, match: re.Match[str], party: bool) -> Anchor:
    """A province (…省, 省 alone) or an autonomous region (its full name, or 自治区 alone where the
    document's province is one) opening a body's name, named by its full name."""
    start, end = match.span()
    listed = vocab.divisions.provinces if vocab.divisions else {}
    if match.group("r"):
        province = next(short for short, full in listed.items() if full == match.group("r"))
        return Anchor(start, end, "provincial", match.group("r"), party, province)
    if match.group().endswith("自治区"):
        return Anchor(start, end, "provincial", str(vocab.province_name), party, vocab.province)
    province = match.group("p") or vocab.province
    return Anchor(start, end, "provincial", f"{province}省", party, province)


def _after_anchor(ctx: DocumentContext, rules: DepartmentRules, anchor: Anchor) -> Iterator[Candidate]:
    text = ctx.text
    position = anchor.end
    district = anchor.district if anchor.level == "district" and anchor.place != "区" else None
    info: tuple[tuple[str, object], ...] = (
        ("district", district),
        ("level", anchor.level),
        ("place", anchor.place),
        ("region", anchor.region),
        ("body_start", anchor.end),
    )
    if anchor.level != "body" and text.startswith("委", position) and not text.startswith("委员会", position):
        yield from _party(ctx, rules, anchor, info)
        return
    if anchor.level != "body":
        for suffix in rules.governing[:-1]:
            if text.startswith(suffix, position) and _governing_ends(ctx, rules, position, suffix):
                canonical = _governing_name(anchor.place, suffix)
                yield Candidate(
                    DEPT, anchor.start, position + len(suffix), 0.95, "department.governing", canonical, info
                )
                break
    functional = _functional(ctx, rules, anchor)
    if functional:
        stem, suffix, end = functional
        canonical = _functional_name(ctx, anchor, stem, suffix)
        branch = _branch_after(ctx, anchor, end)
        if branch:
            end, canonical = end + len(branch), canonical + branch
        yield Candidate(DEPT, anchor.start, end, 0.9, "department.functional", canonical, info)


def _governing_ends(ctx: DocumentContext, rules: DepartmentRules, position: int, suffix: str) -> bool:
    """Whether a governing suffix ends the body there: on a word end, and not as the head of a term
    that holds it (雁塔区政府信息公开…: 政府信息公开 is the disclosure, not the district government)."""
    end = position + len(suffix)
    if suffix.endswith("政府") and ctx.text.startswith(rules.government_terms, end):
        return False
    return at_word_end(ctx.text, end, ctx.segmenter)


def _party(
    ctx: DocumentContext, rules: DepartmentRules, anchor: Anchor, info: tuple[tuple[str, object], ...]
) -> Iterator[Candidate]:
    text = ctx.text
    committee_end = anchor.end + 1
    committee = f"中国共产党{anchor.place}委员会"
    for unit in rules.party_units:
        end = committee_end + len(unit)
        if text.startswith(unit, committee_end) and at_word_end(text, end, ctx.segmenter):
            full = ctx.lexicon.departments.get(("party", unit), unit)
            yield Candidate(DEPT, anchor.start, end, 0.95, "department.party_unit", committee + full, info)
            return
    if at_word_end(text, committee_end, ctx.segmenter) or ctx.vocab.title_at(text, committee_end):
        yield Candidate(DEPT, anchor.start, committee_end, 0.95, "department.party", committee, info)


def _being_built(ctx: DocumentContext, rules: DepartmentRules, candidate: Candidate) -> bool:
    """``建设嘉定区算力调度中心``: a centre or base being built is an undertaking, not a body."""
    text = ctx.text
    if candidate.rule != "department.functional" or not text.endswith(rules.built_suffixes, 0, candidate.end):
        return False
    return text.endswith(rules.built_verbs, 0, candidate.start)


def district_body(place: str, full: str, district: str | None = None, city: str = "上海市") -> str:
    """The official name of a district body: ``上海市嘉定区`` + ``财政局``, or a table name with
    ``{district}`` and ``{city}`` slots filled (``上海市公安局{district}分局`` → 上海市公安局嘉定分局,
    ``{city}规划和自然资源局{district}分局`` → 杭州市规划和自然资源局西湖分局)."""
    if "{" in full:
        return full.format(district=district or place.removeprefix(city).removesuffix("区"), city=city)
    return place + full


def _governing_name(place: str, suffix: str) -> str:
    if suffix in ("人民政府", "政府"):
        return f"{place}人民政府"
    if suffix == "政协":
        return f"中国人民政治协商会议{place}委员会"
    return f"{place}人民代表大会常务委员会"


def _functional(ctx: DocumentContext, rules: DepartmentRules, anchor: Anchor) -> tuple[str, str, int] | None:
    """The nearest words + suffix after ``anchor`` (extended by a following 办公室/中心)."""
    text = ctx.text
    limit, word_limit = _stem_limit(text, anchor.end, rules, ctx.vocab.city_name)
    if limit == anchor.end or text[anchor.end] in _NUMERALS or text[anchor.end] in rules.stem_open_stop_chars:
        return None
    found = _suffix_ending(ctx, rules, anchor.end, anchor.end + 1, limit, word_limit)
    if found is None or text.endswith(rules.institutions, 0, found[1]):
        return None
    suffix, end = found
    while (more := _suffix_ending(ctx, rules, end, end, limit, word_limit)) is not None and more[1] - end == len(
        more[0]
    ):
        suffix, end = more
    start = end - len(suffix)
    return text[anchor.end : start], suffix, end


def _suffix_ending(
    ctx: DocumentContext, rules: DepartmentRules, stem_start: int, first: int, limit: int, word_limit: int | None
) -> tuple[str, int] | None:
    """The first functional suffix ending in [first, limit] on a word end (suffix, end); a stop
    word right after the suffix ends the name whatever the segmenter makes of the characters
    around it (区农业农村委会同区科委: 委 | 会同, though 村委会 is a word)."""
    text = ctx.text
    for end in range(max(first, stem_start + 1), limit + 1):
        for suffix in rules.functional:
            start = end - len(suffix)
            if start < stem_start or not text.startswith(suffix, start):
                continue
            if end == word_limit or _ends_name(ctx, rules, end):
                return suffix, end
    return None


def _ends_name(ctx: DocumentContext, rules: DepartmentRules, end: int) -> bool:
    """Whether a department name may end at ``end``: a word end, or a position title follows."""
    text = ctx.text
    if ctx.vocab.title_at(text, end):
        return True
    if not at_word_end(text, end, ctx.segmenter):
        return False
    window_start = max(0, end - 4)
    position = window_start
    for token in ctx.segmenter.tokens(text[window_start : end + 2]):
        position += len(token)
        if position == end:
            return token not in rules.not_suffix_words
    return True


def _stem_limit(text: str, start: int, rules: DepartmentRules, city: str) -> tuple[int, int | None]:
    """Where the words after a prefix end: at a stop character, or at a stop word or the city's
    full name (a second name begins: 西湖区会同杭州市…); the second value is the limit when a word
    set it."""
    limit = start
    ceiling = min(len(text), start + rules.max_stem + 5)
    while limit < ceiling and is_han(text[limit]) and text[limit] not in rules.stem_stop_chars:
        limit += 1
    window = text[start:limit]
    found = [window.find(word) for word in (*rules.stem_stop_words, city)]
    first = min((f for f in found if f >= 0), default=-1)
    if first < 0:
        return limit, None
    return start + first, start + first


def _functional_name(ctx: DocumentContext, anchor: Anchor, stem: str, suffix: str) -> str:
    short = stem + suffix
    if suffix == "工作党委":
        return f"中国共产党{anchor.place}{stem}工作委员会"
    if anchor.level == "body":
        return anchor.place + short
    full = official_body(ctx.lexicon, anchor.region, anchor.level, short, ctx.vocab.home_city)
    if anchor.level != "district":
        return anchor.place + full
    branch = _city_branch(ctx, anchor, short) if full == short else None
    return branch or district_body(anchor.place, full, anchor.district, f"{anchor.region}市")


def _branch_after(ctx: DocumentContext, anchor: Anchor, end: int) -> str | None:
    """``<district>分局`` right after a city bureau's name: the bureau's branch in that district is
    the body (市自然资源和规划局<district>分局, 市公安局<district>区分局)."""
    if anchor.level != "municipal" or not ctx.text.endswith("局", 0, end):
        return None
    for district in ctx.vocab.districts:
        for branch in (f"{district}分局", f"{district}区分局"):
            if ctx.text.startswith(branch, end):
                return branch
    return None


def _city_branch(ctx: DocumentContext, anchor: Anchor, short: str) -> str | None:
    """区<bureau>分局 off the tables: the district branch of the city's bureau, named after the
    bureau's official name (区自然资源规划分局 → <city>市自然资源和规划局<district>分局)."""
    if not short.endswith("分局") or anchor.district is None or len(short) < 4:
        return None
    bureau = short.removesuffix("分局") + "局"
    full = official_body(ctx.lexicon, anchor.region, "municipal", bureau, ctx.vocab.home_city)
    known = full != bureau or full in _official_names(ctx.lexicon, "municipal")
    return f"{anchor.region}市{full}{anchor.district}分局" if known else None


@lru_cache(maxsize=4)
def _official_names(lexicon: Lexicon, level: str) -> frozenset[str]:
    """Every official name (after the place) the tables give a body of this level."""
    local = (full for (_, lvl, _), full in lexicon.local_departments.items() if lvl == level)
    home = (full for (lvl, _), full in lexicon.departments.items() if lvl == level)
    return frozenset((*local, *home))


def official_body(lexicon: Lexicon, region: str, level: str, short: str, home: str = "上海") -> str:
    """The official name (after the place) of the body a short form names at a level: the tables
    of the city or province (city_bodies.tsv: 杭州 区发改局 → 发展和改革局), then — for a place
    the tables do not list — the names used across China (bodies of one level are named alike:
    区城管执法局 → 城市管理和综合执法局), then the home city's tables, else the short form as
    written."""
    found = lexicon.local_departments.get((region, level, short))
    if found:
        return found
    home_level = "municipal" if level == "provincial" else level
    at_home = lexicon.departments.get((home_level, short)) or lexicon.regular_short_forms.get((home_level, short))
    if region == home:
        return at_home or short
    return _elsewhere(lexicon, level, short) or at_home or short


@lru_cache(maxsize=4)
def _other_places(lexicon: Lexicon) -> dict[tuple[str, str], frozenset[str]]:
    """(level, short) → the official names the listed places give it."""
    names: dict[tuple[str, str], set[str]] = {}
    for (_, level, short), full in lexicon.local_departments.items():
        names.setdefault((level, short), set()).add(full)
    return {key: frozenset(fulls) for key, fulls in names.items()}


def _elsewhere(lexicon: Lexicon, level: str, short: str) -> str | None:
    """The name local governments' bodies take across China (region * of city_bodies.tsv), else
    the one official name the listed places give a short form at a level, if they agree."""
    common = lexicon.local_departments.get(("*", level, short))
    if common:
        return common
    fulls = _other_places(lexicon).get((level, short), frozenset())
    return next(iter(fulls)) if len(fulls) == 1 else None


def _bodies(ctx: DocumentContext) -> Iterator[Candidate]:
    text = ctx.text
    for body in ctx.lexicon.bodies:
        start = text.find(body.surface)
        while start >= 0:
            end = start + len(body.surface)
            if _standalone(ctx, start, end) and (body.bare == "yes" or _in_department_list(text, start, end)):
                yield Candidate(DEPT, start, end, 0.9, "department.body", body.canonical, (("level", "national"),))
            start = text.find(body.surface, end)


def _zone_committees(ctx: DocumentContext) -> Iterator[Candidate]:
    """``嘉定工业区管委会``: the administrative committee of a development zone (an abbreviated zone
    head spelt out: 松江经开区管委会 → 上海松江经济技术开发区管理委员会)."""
    rules = ctx.lexicon.section("types", "department")["zone_committee"]
    text = ctx.text
    zones = tuple(rules["zones"])
    for suffix in rules["suffixes"]:
        start = text.find(suffix)
        while start >= 0:
            end = start + len(suffix)
            if text.endswith(zones, 0, start) and at_word_end(text, end, ctx.segmenter):
                name_start = scan_left(text, start, ctx.vocab, ctx.segmenter, _ZONE_SCAN)
                zone = text[name_start:start]
                if len(zone) > max(len(z) for z in zones if zone.endswith(z)):
                    canonical = _committee_name(zone, rules, ctx.vocab.city, ctx.vocab.provinces)
                    yield Candidate(DEPT, name_start, end, 0.8, "department.zone_committee", canonical)
            start = text.find(suffix, end)


def _committee_name(zone: str, rules: dict[str, Any], city: str, provinces: frozenset[str]) -> str:
    """The official name of a zone's committee: the zone's official name where the table has it
    (临港新片区 → 中国（上海）自由贸易试验区临港新片区), else the document's city + the zone with an
    abbreviated head spelt out (松江经开区 → 上海松江经济技术开发区; 之江国家旅游度假区 →
    杭州之江国家旅游度假区), then 管理委员会. A zone named after its province takes no city (a
    province's zone: 江西…示范区管委会 → 江西…示范区管理委员会)."""
    official_zones: dict[str, str] = rules.get("official_zones", {})
    full = str(rules["full"])
    if zone in official_zones:
        return official_zones[zone] + full
    abbreviations: dict[str, str] = rules.get("abbreviations", {})
    prefix = "" if zone.startswith((city, "中国", *provinces)) else city
    head = next((a for a in abbreviations if zone.endswith(a)), "")
    official = zone[: len(zone) - len(head)] + abbreviations[head] if head else zone
    return f"{prefix}{official}{full}"


def _in_department_list(text: str, start: int, end: int) -> bool:
    """``中央、市委…``: a list-only body stands next to another body."""
    return text.startswith(("、市委", "、省委", "和市委", "、国务院"), end)


def _bare_forms(ctx: DocumentContext, rules: DepartmentRules) -> Iterator[Candidate]:
    text = ctx.text
    shorts = {s for (level, s) in ctx.lexicon.departments if len(s) >= rules.bare_min}
    for short in sorted(shorts, key=len, reverse=True):
        start = text.find(short)
        while start >= 0:
            end = start + len(short)
            if _standalone(ctx, start, end, strict=True):
                candidate = _bare_candidate(ctx, rules, short, start, end)
                if candidate:
                    yield candidate
            start = text.find(short, end)


def _bare_candidate(ctx: DocumentContext, rules: DepartmentRules, short: str, start: int, end: int) -> Candidate | None:
    sentence_start, _ = ctx.sentence_bounds(start)
    before = ctx.text[sentence_start:start]
    tables = ctx.lexicon.departments
    if any(word in before for word in rules.national_context) and short in ctx.lexicon.national:
        return Candidate(
            DEPT, start, end, 0.6, "department.bare_national", ctx.lexicon.national[short], (("level", "national"),)
        )
    if ("party", short) in tables:
        place = ctx.district_name or ctx.vocab.city_name
        canonical = f"中国共产党{place}委员会{tables[('party', short)]}"
        return Candidate(DEPT, start, end, 0.6, "department.bare_party", canonical, (("district", ctx.district),))
    if ctx.district_name and ("district", short) in tables:
        full = official_body(ctx.lexicon, ctx.vocab.city, "district", short, ctx.vocab.home_city)
        canonical = district_body(ctx.district_name, full, ctx.district, ctx.vocab.city_name)
        return Candidate(DEPT, start, end, 0.75, "department.bare", canonical, (("district", ctx.district),))
    return None


def _standalone(ctx: DocumentContext, start: int, end: int, *, strict: bool = False) -> bool:
    """Whether [start, end) stands as a word; ``strict`` also wants punctuation or a function word before it."""
    text = ctx.text
    if not at_word_end(text, end, ctx.segmenter):
        return False
    if strict:
        return at_clause_start(text, start, ctx.vocab, ctx.segmenter)
    return at_word_start(text, start, ctx.segmenter, ctx.vocab)


def _title_block(ctx: DocumentContext, candidate: Candidate) -> Block | None:
    """A leadership title (区委书记, 统战部长) made of a governing body and a position."""
    text = ctx.text
    title = ctx.vocab.title_at(text, candidate.end)
    governing = candidate.rule in ("department.governing", "department.party")
    party_head = candidate.rule in ("department.bare_party", "department.party_unit")
    head = text[candidate.start : candidate.end]
    if party_head and any(head.endswith(h) for h in ctx.vocab.party_title_heads):
        if text.startswith(("长", "部长", "书记", "副部长"), candidate.end):
            return Block(DEPT, candidate.start, candidate.end + 1, "party title")
        if candidate.rule == "department.bare_party" and title:
            return Block(DEPT, candidate.start, candidate.end + len(title), "party title")
    if governing and title:
        return Block(DEPT, candidate.start, candidate.end + len(title), "leadership title")
    return None
