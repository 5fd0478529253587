"""Short names of companies and institutes formed from a full name written in the same document.

Chinese news names a company in full once and then by the first characters of its core name:
中国宝武钢铁集团有限公司 … 宝武, 上海钢联电子商务股份有限公司 … 钢联. The core is the name without
its legal form (股份有限公司, 集团 …) and without a leading region (中国, 上海市 …); its first two
or three characters are a mention of the company wherever they stand as a word, unless they are
a category word, a place (漕河泾) or a short name the dictionary gives to another body. A core of
two or three characters is the brand itself when the dictionary knows no word in it
(正泰集团股份有限公司 … 正泰; not 上海电气集团… … 电气). The region cut from the full name stays in
front of the short name where the text writes it (上海家化联合股份有限公司 … 上海家化); a short name
is no mention where the text goes on with the rest of the core (东方美 in 东方美谷, a longer word),
where a place head follows it (石化街道), or when the core names an institution by its field
(上海化工研究院有限公司: 化工 is the field).

Research institutes are shortened by picking characters in order and ending in the head's last
character: 中国科学院上海光学精密机械研究所 … 上海光机所, …上海药物研究所 … 上海药物所, and from the
head too: 中国科学院上海高等研究院 … 上海高研院. Such a
short name must open with two characters that stand together in the full name (上海), take at
least one more, and follow the full name within a few thousand characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from graph.extraction.candidates import Candidate
from graph.extraction.context import DocumentContext
from graph.extraction.layout import is_han
from graph.extraction.lexicon import Lexicon
from graph.extraction.records import EntityType
from graph.extraction.scan import at_word_end, at_word_start

ORG = EntityType.ORGANIZATION
_INSTITUTE_REACH = 3000  # characters after the full name searched for its short name
_INSTITUTE_SHORT = re.compile(r"[\u4e00-\u9fff]{3,5}[所院]")
_PICKED_CORE = 4  # characters before 大学 from which a short form is picked (合肥工业 → 合工大)


@dataclass(frozen=True)
class ShortNameRules:
    """Legal forms, lengths of short names and the shortest core that may be cut."""

    legal_forms: tuple[str, ...]
    lengths: tuple[int, ...]
    min_core: int
    institute_heads: tuple[str, ...]
    institution_cores: tuple[str, ...]
    place_heads: tuple[str, ...]
    industry_words: tuple[str, ...]
    listed_form: str
    listed_short: str
    university_head: str = "大学"
    university_regions: tuple[str, ...] = ()
    university_short_max_frequency: int = 0
    university_bare_endings: tuple[str, ...] = ()


@lru_cache(maxsize=4)
def short_name_rules(lexicon: Lexicon) -> ShortNameRules:
    """Compile the short-name rules of a lexicon (cached)."""
    section = lexicon.section("types", "organization")
    return ShortNameRules(
        legal_forms=tuple(sorted(section["legal_forms"], key=len, reverse=True)),
        lengths=tuple(section["short_name_lengths"]),
        min_core=int(section["short_name_min_core"]),
        institute_heads=tuple(section["institute_heads"]),
        institution_cores=tuple(section["institution_cores"]),
        place_heads=tuple(section["place_heads"]),
        industry_words=tuple(section["industry_words"]),
        listed_form=section["listed_form"],
        listed_short=section["listed_short"],
        university_head=section.get("university_head", "大学"),
        university_regions=tuple(section.get("university_regions", ())),
        university_short_max_frequency=int(section.get("university_short_max_frequency", 0)),
        university_bare_endings=tuple(section.get("university_bare_endings", ())),
    )


def company_core(name: str, rules: ShortNameRules, regions: tuple[str, ...]) -> str | None:
    """``中国宝武钢铁集团有限公司`` → ``宝武钢铁``, ``正泰集团股份有限公司`` → ``正泰``; None when the
    name has no legal form."""
    found = _core_and_region(name, rules, regions)
    return found[0] if found else None


def _core_and_region(name: str, rules: ShortNameRules, regions: tuple[str, ...]) -> tuple[str, str] | None:
    """The core of a company name and the region cut from its front (``上海家化联合…`` → 家化联合, 上海)."""
    core = name
    for _ in range(2):
        form = next((f for f in rules.legal_forms if core.endswith(f)), None)
        if form is None:
            break
        core = core[: -len(form)]
    if core == name:
        return None
    region = next((r for r in regions if core.startswith(r)), "")
    core = core[len(region) :]
    return (core, region) if core else None


def find_institute_short_names(ctx: DocumentContext, chosen: list[Candidate]) -> list[Candidate]:
    """Mentions of research institutes by a short name picked from their full name (上海光机所)."""
    heads = short_name_rules(ctx.lexicon).institute_heads
    found: list[Candidate] = []
    for candidate in chosen:
        full = ctx.text[candidate.start : candidate.end]
        head = next((h for h in heads if full.endswith(h)), None)
        if candidate.type is not ORG or head is None:
            continue
        for match in _INSTITUTE_SHORT.finditer(ctx.text, candidate.end, candidate.end + _INSTITUTE_REACH):
            short = match.group()
            if short[-1] == head[-1] and _picked_from(short[:-1], full[:-1]):
                start, end = match.span()
                if at_word_start(ctx.text, start, ctx.segmenter, ctx.vocab) and at_word_end(
                    ctx.text, end, ctx.segmenter
                ):
                    found.append(
                        Candidate(ORG, start, end, 0.6, "organization.institute_short", candidate.canonical or full)
                    )
    return found


def find_university_short_names(ctx: DocumentContext, chosen: list[Candidate]) -> list[Candidate]:
    """Mentions of a university by a short form ending in 大 (厦大 … 厦门大学, 海大 … 中国海洋大学,
    西大 … 广西大学, 合工大 … 合肥工业大学, 中国科大 … 中国科学技术大学)."""
    rules = short_name_rules(ctx.lexicon)
    taken = {ctx.text[c.start : c.end] for c in chosen}
    universities = {
        ctx.text[c.start : c.end]: c.canonical or ctx.text[c.start : c.end]
        for c in chosen
        if c.type is ORG and ctx.text.endswith(rules.university_head, 0, c.end)
    }
    by_short: dict[str, set[str]] = {}
    for full, canonical in universities.items():
        for short in _university_shorts(ctx, rules, full):
            if short not in taken:
                by_short.setdefault(short, set()).add(canonical)
    found: list[Candidate] = []
    for short, canonicals in by_short.items():
        if len(canonicals) == 1:
            found.extend(_university_occurrences(ctx, rules, short, next(iter(canonicals))))
    return found


def _university_shorts(ctx: DocumentContext, rules: ShortNameRules, full: str) -> tuple[str, ...]:
    """The short forms of a university's name: its first character and 大 for a name of two
    characters and 大学 (厦门大学 → 厦大), the second where the first makes a common word (广西大学 →
    西大, not 广大); for a longer name, its first character and one or two more picked in order, and
    大 (合肥工业大学 → 合工大, 中国科学技术大学 → 中国科大), or, for a university of science and
    engineering, the name without 大学 (太原理工大学 → 太原理工), where the page writes them."""
    if not full.endswith(rules.university_head) or not all(is_han(c) for c in full):
        return ()
    whole = full[: -len(rules.university_head)]
    core = next((whole[len(r) :] for r in rules.university_regions if whole.startswith(r)), whole)
    head = rules.university_head[0]
    if len(core) == 2:
        first = core[0] + head
        if _usable_short(ctx, rules, first):
            return (first,)
        second = core[1] + head
        common = ctx.segmenter.frequency(first) >= rules.university_short_max_frequency
        return (second,) if common and _usable_short(ctx, rules, second) else ()
    if len(whole) < _PICKED_CORE:
        return ()
    picked = {whole[0] + "".join(rest) + head for n in (1, 2) for rest in combinations(whole[1:], n)}
    if whole.endswith(rules.university_bare_endings):
        picked.add(whole)  # 太原理工大学 … 太原理工
    return tuple(sorted(p for p in picked if p in ctx.text and _usable_short(ctx, rules, p)))


def _usable_short(ctx: DocumentContext, rules: ShortNameRules, short: str) -> bool:
    """Not a count (四大), a category word (重大), a listed name or a common word of the dictionary
    (广大, 长大, 人大: the people's congress)."""
    if short[0] in ctx.vocab.numerals or short in ctx.vocab.generic or short in ctx.lexicon.organizations:
        return False
    return ctx.segmenter.frequency(short) < rules.university_short_max_frequency


def _university_occurrences(
    ctx: DocumentContext, rules: ShortNameRules, short: str, canonical: str
) -> Iterator[Candidate]:
    text = ctx.text
    start = text.find(short)
    while start >= 0:
        end = start + len(short)
        # 上海大学 holds 海大, 太原理工大学 holds 太原理工: no short name
        whole = text.startswith((rules.university_head[1:], rules.university_head), end)
        if not whole and at_word_start(text, start, ctx.segmenter, ctx.vocab) and at_word_end(text, end, ctx.segmenter):
            yield Candidate(ORG, start, end, 0.55, "organization.university_short", canonical)
        start = text.find(short, end)


def _picked_from(short: str, full: str) -> bool:
    """``上海光机`` from ``中国科学院上海光学精密机械研究``, ``上海高研`` from ``…上海高等研究``: in
    order, opening with two adjacent characters (the head's first characters may be picked too)."""
    opening = full.find(short[:2])
    if opening < 0:
        return False
    position = opening + 2
    for char in short[2:]:
        position = full.find(char, position)
        if position < 0:
            return False
        position += 1
    return True


def find_short_names(ctx: DocumentContext, chosen: list[Candidate]) -> list[Candidate]:
    """Mentions of companies by the short name formed from their full name."""
    rules = short_name_rules(ctx.lexicon)
    regions = tuple(sorted({*ctx.vocab.regions, ctx.vocab.city_name}, key=len, reverse=True))
    taken = {ctx.text[c.start : c.end] for c in chosen}
    companies: dict[str, str] = {}  # full name -> canonical, each full name once
    for candidate in chosen:
        if candidate.type is ORG:
            full = ctx.text[candidate.start : candidate.end]
            companies.setdefault(full, candidate.canonical or full)
    found: list[Candidate] = []
    for full, canonical in companies.items():
        cut = _core_and_region(full, rules, regions)
        if cut is None or cut[0].endswith(rules.institution_cores):
            continue
        core, region = cut
        listed = full.endswith(rules.listed_form)
        for short in _shorts(ctx, rules, core, taken):
            found.extend(_occurrences(ctx, rules, short, core, region, canonical, listed))
    return found


def _shorts(ctx: DocumentContext, rules: ShortNameRules, core: str, taken: set[str]) -> Iterator[str]:
    if len(core) < rules.min_core:
        if len(core) in rules.lengths and _coined_brand(ctx, core) and core not in taken:
            yield core  # 正泰集团股份有限公司 … 正泰: a short core is the brand itself
        return
    for short in (*(core[:n] for n in rules.lengths if len(core) > n), *_press_cores(rules, core)):
        if short in taken or short in ctx.lexicon.organizations:
            continue
        if short in ctx.vocab.generic or short in ctx.vocab.places or _is_district(ctx, short):
            continue
        if _is_city(ctx, short):
            continue  # 贵阳 of 贵阳银行股份有限公司: a city's name is the city, never the company
        yield short


def _press_cores(rules: ShortNameRules, core: str) -> Iterator[str]:
    """The whole core (东方证券 of 东方证券股份有限公司) and the core without a trailing industry
    word (国泰君安 of 国泰君安证券股份有限公司), when longer than the first-character forms."""
    longest = max(rules.lengths)
    if len(core) > longest:
        yield core
    word = next((w for w in rules.industry_words if core.endswith(w)), None)
    if word and len(core) - len(word) > longest:
        yield core[: -len(word)]


def _coined_brand(ctx: DocumentContext, core: str) -> bool:
    """A core the dictionary knows no word in (正泰; not 电气 of 上海电气集团…, nor a place or a
    category word, nor a short name the dictionary gives to another body)."""
    if core in ctx.vocab.generic or core in ctx.vocab.places or core in ctx.lexicon.organizations:
        return False
    return not _is_district(ctx, core) and len(ctx.segmenter.tokens(core)) == len(core)


def _is_city(ctx: DocumentContext, name: str) -> bool:
    """A city or province of China's divisions (贵阳, 贵阳市, 贵州), or the document's city."""
    divisions = ctx.lexicon.divisions
    bare = name.removesuffix("市").removesuffix("省")
    return bare == ctx.vocab.city or bare in divisions.prefectures or bare in divisions.provinces


def _is_district(ctx: DocumentContext, name: str) -> bool:
    return any(name in (d, f"{d}区") for d in ctx.vocab.districts)


def _occurrences(
    ctx: DocumentContext,
    rules: ShortNameRules,
    short: str,
    core: str,
    region: str,
    canonical: str,
    listed: bool = False,
) -> Iterator[Candidate]:
    text = ctx.text
    start = text.find(short)
    while start >= 0:
        end = start + len(short)
        if listed and text.startswith(rules.listed_short, end) and not text.startswith(rules.listed_form, end):
            end += len(rules.listed_short)  # 豫园股份: a listed company's short name + 股份
        elif not _stands_alone(ctx, rules, end, core[len(short) :]):
            start = text.find(short, end)
            continue
        opening = start - len(region) if region and text.endswith(region, 0, start) else start
        if at_word_start(text, opening, ctx.segmenter, ctx.vocab) and at_word_end(text, end, ctx.segmenter):
            yield Candidate(ORG, opening, end, 0.6, "organization.short_name", canonical)
        start = text.find(short, end)


def _stands_alone(ctx: DocumentContext, rules: ShortNameRules, end: int, rest_of_core: str) -> bool:
    """Not 东方美 of 东方美谷 (the text goes on with the core), nor 石化 of 石化街道 (a place), nor
    东方证券 of 东方证券股份有限公司 (the full name itself)."""
    text = ctx.text
    if rest_of_core and text.startswith(rest_of_core[0], end):
        return False
    return not text.startswith((*rules.place_heads, *rules.legal_forms), end)
