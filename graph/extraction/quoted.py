"""Names found through quotes and through names already found.

* Quoted systems and platforms: “神经元系统”, “徐汇文旅云” (by their ending), 接入“汇治理”,
  依托“邻里汇”, 规划“一张图”建设 (by the verb before or the noun after, also after quoted names joined
  to it: 以“A”和“B”为载体; not when that noun qualifies another: “数字乡村”建设清单), AI“双塔”载体.
* Owned quoted names: a department, organization or district right before “X”
  (徐汇区中心医院“云医院”, 徐汇区“神经元系统”) names a project of that owner.
* Defined aliases: ``X（以下简称“Y”）`` makes every Y a mention of X (领导小组, 港科大);
  ``Y办公室`` is then the office of X (领导小组办公室). Without a defined alias, a later
  ``领导小组办公室`` is the office of the leading group named before it.
* Repeated names: a name found once is a mention wherever else it stands as a word
  (模速空间 after “模速空间”), and so is the tail of a long name (联动创新区 of
  上海自贸试验区徐汇联动创新区).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from graph.extraction.candidates import Candidate
from graph.extraction.context import DocumentContext
from graph.extraction.lexicon import Lexicon
from graph.extraction.projects import inside_title
from graph.extraction.records import EntityType
from graph.extraction.scan import at_clause_start, at_word_end, at_word_start, is_slogan, is_specific, trie_pattern

PROJECT = EntityType.PROJECT
_QUOTED = re.compile(r"[“‘]([^“”‘’\n、，,。：:；;！？!?]{2,20})[”’]")
_QUOTED_BEFORE = re.compile(r"[“‘]([^“”‘’\n、，,。：:；;！？!?]{2,20})[”’]$")  # a quoted name ending here
_JOINED_MAX = 4  # characters of a quoted name joined to a listed service (皖企通, 智桂通)
_ALIAS = re.compile(r"[（(](?:以下)?简称[“\"]([^”\"\n]{1,12})[”\"][）)]")
_OFFICE_SUFFIXES = ("办公室", "办")
_MIN_REPEAT = 3
_MIN_TAIL = 5
_QUOTED_CONTEXT = "project.quoted_context"


@dataclass(frozen=True)
class QuoteRules:
    """Compiled rules for quoted names."""

    suffixes: tuple[str, ...]
    before: tuple[str, ...]
    after: tuple[str, ...]
    apps: tuple[str, ...]
    concepts: tuple[str, ...]
    slogan_endings: tuple[str, ...]
    counted_heads: tuple[str, ...]
    role_words: tuple[str, ...]
    after_heads: tuple[str, ...]
    joiners: tuple[str, ...]
    label_followers: tuple[str, ...] = ()
    app_letters: int = 0
    app_place_prefixes: tuple[str, ...] = ()
    product_endings: tuple[str, ...] = ()


@lru_cache(maxsize=4)
def quote_rules(lexicon: Lexicon) -> QuoteRules:
    """Compile the quoted-name rules of a lexicon (cached)."""
    section = lexicon.section("types", "project")
    return QuoteRules(
        suffixes=tuple(sorted(section["quoted_suffixes"], key=len, reverse=True)),
        before=tuple(section["quoted_before"]),
        after=tuple(sorted(section["quoted_after"], key=len, reverse=True)),
        apps=tuple(section["quoted_apps"]),
        concepts=tuple(section["quoted_concepts"]),
        slogan_endings=tuple(section.get("quoted_slogan_endings", ())),
        counted_heads=tuple(section["counted_platform_heads"]),
        role_words=tuple(section["role_followers"]),
        after_heads=tuple(section["quoted_after_heads"]),
        joiners=tuple(section["quoted_joiners"]),
        label_followers=tuple(section.get("quoted_label_followers", ())),
        app_letters=int(section.get("quoted_app_letters", 0)),
        app_place_prefixes=tuple(section.get("quoted_app_place_prefixes", ())),
        product_endings=tuple(section.get("quoted_product_endings", ())),
    )


def find_quoted(ctx: DocumentContext) -> list[Candidate]:
    """Project candidates for quoted names that read as systems or platforms."""
    rules = quote_rules(ctx.lexicon)
    text = ctx.text
    found = []
    for match in _QUOTED.finditer(text):
        name = match.group(1)
        start, end = match.span(1)
        if (
            (text.startswith(rules.apps, match.end()) and _app_name(ctx, name))
            or _place_app(ctx, rules, name)
            or _joined_to_service(ctx, rules, match)
        ):
            found.append(Candidate(PROJECT, start, end, 0.95, "project.quoted_app"))
            continue
        if text.startswith(rules.label_followers, match.end()):
            continue  # “数据多跑路”做法, “数字历下”栏目: a label, not a name
        if not _could_be_name(ctx, rules, name) or text.startswith("的", match.end()):
            continue
        if name.endswith(rules.suffixes) and len(ctx.segmenter.tokens(name)) > 1:
            found.append(Candidate(PROJECT, start, end, 0.7, "project.quoted_suffix"))
        elif _noun_after(text, _after_joined(text, match.end(), rules), rules) or _verb_before(
            text, match.start(), rules
        ):
            found.append(_with_latin_prefix(text, match.start(), start, end, match.end()))
    return found


def _after_joined(text: str, position: int, rules: QuoteRules) -> int:
    """Past the quoted names joined to this one (以“A”和“B”为载体 → the position of 为载体)."""
    while True:
        joiner = next((j for j in rules.joiners if text.startswith(j, position)), None)
        following = _QUOTED.match(text, position + len(joiner)) if joiner else None
        if following is None:
            return position
        position = following.end()


def _noun_after(text: str, position: int, rules: QuoteRules) -> bool:
    """建设, 平台, 为载体 … after the quote, not qualifying a further noun (“数字乡村”建设清单)."""
    word = next((w for w in rules.after if text.startswith(w, position)), None)
    return word is not None and not text.startswith(rules.after_heads, position + len(word))


def _could_be_name(ctx: DocumentContext, rules: QuoteRules, name: str) -> bool:
    """Slogans (两网), concepts (互联网+制造) and coordinated phrases (A和B) are not names."""
    if (is_slogan(name) and not _counted_platform(rules, name)) or name.startswith(rules.concepts):
        return False
    if name.endswith(rules.slogan_endings) or name.endswith(rules.product_endings):
        return False  # “高效办成一件事”: a goal; “数据信用贷”: a bank's product
    if any(c in name for c in "和及与") or name.endswith(rules.role_words):  # “数字孪生城区”: a label
        return False
    if not is_specific(name, ctx.vocab, ctx.segmenter) or _place_slogan(ctx, name):
        return False
    return not any(name == surface for _, surface, _ in ctx.lexicon.gazetteer)


def _app_name(ctx: DocumentContext, name: str) -> bool:
    """“多彩宝”APP, “市南码上办”小程序: a quoted name before an app word is the app's name, however
    it reads alone (a slogan's count, a body's 办); not a coordination nor a listed service."""
    if any(c in name for c in "和及与，,、") or not 2 <= len(name) <= 10:
        return False
    return not any(name == surface for _, surface, _ in ctx.lexicon.gazetteer)


def _place_app(ctx: DocumentContext, rules: QuoteRules, name: str) -> bool:
    """“i深圳”, “e福州”, “爱南宁”: one or two Latin letters, or a word of `quoted_app_place_prefixes`,
    and a city or a province name the place's app."""
    letters = len(name) - len(name.lstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    if not letters:
        letters = next((len(p) for p in rules.app_place_prefixes if name.startswith(p)), 0)
    elif letters > rules.app_letters:
        return False
    if not letters or ctx.lexicon.divisions is None:
        return False
    place = name[letters:]
    divisions = ctx.lexicon.divisions
    return place in divisions.prefectures or place in divisions.provinces or place == ctx.vocab.city


def _joined_to_service(ctx: DocumentContext, rules: QuoteRules, match: re.Match[str]) -> bool:
    """“皖事通”和“皖企通”: a quoted name of two to four characters joined to a quoted service of the
    gazetteer, before or after it, is one of its kind (not a slogan — a count, “最多跑一次” —, not a
    listed name itself)."""
    name, text = match.group(1), ctx.text
    if not 2 <= len(name) <= _JOINED_MAX or is_slogan(name) or any(c in ctx.vocab.numerals for c in name):
        return False
    listed = {surface for _, surface, _ in ctx.lexicon.gazetteer}
    if name in listed:
        return False
    for joiner in rules.joiners:
        after = _QUOTED.match(text, match.end() + len(joiner)) if text.startswith(joiner, match.end()) else None
        if after and after.group(1) in listed:
            return True
        if text.endswith(joiner, 0, match.start()):
            end = match.start() - len(joiner)
            before = _QUOTED_BEFORE.search(text, max(0, end - 22), end)
            if before and before.group(1) in listed:
                return True
    return False


def _counted_platform(rules: QuoteRules, name: str) -> bool:
    """“一张图”, “一张网”, “一朵云”: one + a measure word + a platform noun names one unified
    platform (a count before anything else — “一件事”, “一盘棋” — is a slogan)."""
    return len(name) == 3 and name[0] == "一" and name[2] in rules.counted_heads


def _place_slogan(ctx: DocumentContext, name: str) -> bool:
    """``智慧嘉定``, ``数字徐汇``: a category word before a place makes a slogan, not a name
    (a place first, as in 徐汇文旅云, names a platform); so does one before a city's two-character
    byname in …城 (智慧蓉城, 数字鹏城). 我的 before a place names the place's app (我的南京)."""
    if len(name) == 4 and name.endswith("城") and not is_specific(name[:2], ctx.vocab, ctx.segmenter):
        return True
    if name.startswith("我的"):
        return False  # “我的南京”: a city's app, named as its own
    for place in (*ctx.vocab.districts, *ctx.vocab.places):
        if name.endswith(place) and len(name) > len(place):
            return not is_specific(name[: -len(place)], ctx.vocab, ctx.segmenter)
    return False


def _verb_before(text: str, position: int, rules: QuoteRules) -> bool:
    return any(text.startswith(verb, position - len(verb)) for verb in rules.before)


def _with_latin_prefix(text: str, quote_start: int, start: int, end: int, quote_end: int) -> Candidate:
    """AI“双塔”: Latin letters glued to the quote belong to the name, quotes included."""
    prefix = quote_start
    while prefix > 0 and text[prefix - 1].isascii() and text[prefix - 1].isalpha():
        prefix -= 1
    if prefix < quote_start:
        return Candidate(PROJECT, prefix, quote_end, 0.55, _QUOTED_CONTEXT)
    return Candidate(PROJECT, start, end, 0.55, _QUOTED_CONTEXT)


def find_owned_quotes(ctx: DocumentContext, chosen: list[Candidate]) -> list[Candidate]:
    """``owner“X”``: a project X of a department, organization or district named right before it."""
    text = ctx.text
    ends = {c.end: c for c in chosen if c.type in (EntityType.DEPARTMENT, EntityType.ORGANIZATION)}
    labels = quote_rules(ctx.lexicon).label_followers
    found = []
    for match in _QUOTED.finditer(text):
        if text.startswith(labels, match.end()):
            continue  # 思明区“数据多跑路”做法: the district's practice, no project
        owner = ends.get(match.start())
        owner_text = text[owner.start : owner.end] if owner else _place_before(ctx, match.start())
        if owner_text and _name_like(ctx, match.group(1)):
            canonical = f"{owner_text}{text[match.start() : match.end()]}"
            found.append(Candidate(PROJECT, match.start(1), match.end(1), 0.6, "project.owned", canonical))
    return found


def _place_before(ctx: DocumentContext, position: int) -> str | None:
    text = ctx.text
    for district in ctx.vocab.districts:
        for place in (f"{district}区", district):
            if text.startswith(place, position - len(place)) and at_word_start(
                text, position - len(place), ctx.segmenter, ctx.vocab
            ):
                return place
    return None


def _name_like(ctx: DocumentContext, name: str) -> bool:
    return 2 <= len(name) <= 8 and not is_slogan(name) and not any(c in name for c in "和及与")


def find_aliases(ctx: DocumentContext, chosen: list[Candidate]) -> list[Candidate]:
    """Mentions of defined aliases (以下简称“Y”) and of offices named after them."""
    text = ctx.text
    ends = {c.end: c for c in chosen}
    found: list[Candidate] = []
    seen: set[str] = set()
    for match in _ALIAS.finditer(text):
        target = ends.get(match.start())
        alias = match.group(1)
        if target is None or alias in seen:
            continue
        seen.add(alias)
        canonical = target.canonical or text[target.start : target.end]
        info = (("alias_of", text[target.start : target.end]), *target.info)
        for start in _occurrences(text, alias):
            end = start + len(alias)
            office = next((s for s in _OFFICE_SUFFIXES if text.startswith(s, end)), None)
            if office and target.type is EntityType.DEPARTMENT:
                found.append(
                    Candidate(target.type, start, end + len(office), 0.75, "alias.office", canonical + office, info)
                )
            elif at_word_end(text, end, ctx.segmenter) or text[end : end + 1] in '”"':
                found.append(Candidate(target.type, start, end, 0.8, "alias", canonical, info))
    return found


# Standing groups and the short form their office takes: a leading group's 领导小组办公室, a task
# force's (…工作专班) 专班办公室.
_GROUPS = (("领导小组", "领导小组"), ("工作专班", "专班"))


def find_group_offices(ctx: DocumentContext, chosen: list[Candidate]) -> list[Candidate]:
    """``领导小组办公室设在区数据局``, ``专班办公室就设在…``: the office of the group named last before it."""
    found: list[Candidate] = []
    for head, short in _GROUPS:
        found.extend(_group_offices(ctx, chosen, head, short + _OFFICE_SUFFIXES[0]))
    return found


def _group_offices(ctx: DocumentContext, chosen: list[Candidate], head: str, short: str) -> list[Candidate]:
    text = ctx.text
    groups = [c for c in chosen if c.type is EntityType.DEPARTMENT and text.endswith(head, 0, c.end)]
    found: list[Candidate] = []
    for start in _occurrences(text, short):
        group = next((g for g in reversed(groups) if g.end <= start), None)
        end = start + len(short)
        if group is None or not at_clause_start(text, start, ctx.vocab, ctx.segmenter):
            continue
        canonical = (group.canonical or text[group.start : group.end]) + _OFFICE_SUFFIXES[0]
        found.append(Candidate(EntityType.DEPARTMENT, start, end, 0.65, "alias.group_office", canonical, group.info))
    return found


def find_repeats(ctx: DocumentContext, chosen: list[Candidate]) -> list[Candidate]:
    """Other occurrences of names already found, and of the tails of long names. A name the text
    quotes and the context reads as a project (以“数字江海”为载体) counts though its confidence is
    lower: the quotes mark it as a name, so it is one where the text later writes it bare."""
    text = ctx.text
    names: dict[str, Candidate] = {}
    for candidate in chosen:
        quoted = candidate.rule == _QUOTED_CONTEXT
        if candidate.type is EntityType.INDICATOR or (candidate.confidence < 0.6 and not quoted):
            continue
        surface = text[candidate.start : candidate.end]
        if len(surface) >= _MIN_REPEAT and not any(q in surface for q in "“”‘’"):
            names.setdefault(surface, candidate)
        for tail in _tails(ctx, surface, candidate.type):
            names.setdefault(tail, candidate)
    found: list[Candidate] = []
    pattern = trie_pattern(names)
    if pattern is None:
        return found
    for match in pattern.finditer(text):
        start, end = match.span()
        source = names[match.group()]
        if not _starts_word(ctx, source.type, start) or not at_word_end(text, end, ctx.segmenter):
            continue
        if source.type is EntityType.PROJECT and inside_title(text, start, end):
            continue  # 《长三角G60科创走廊发展报告》: the words of a title are not a mention, as in projects
        if source.rule == _QUOTED_CONTEXT and start > 0 and text[start - 1] in "“‘":
            continue  # a quoted name counts where the text writes it bare, not in quotes again (融入“智慧蓉城”建设)
        if not _in_quoted_list(text, start, end):
            canonical = source.canonical or text[source.start : source.end]
            found.append(Candidate(source.type, start, end, 0.6, "repeat", canonical, source.info))
    return found


def _starts_word(ctx: DocumentContext, entity_type: EntityType, start: int) -> bool:
    """Repeated department short forms need punctuation or a function word before them."""
    if entity_type is EntityType.DEPARTMENT:
        return at_clause_start(ctx.text, start, ctx.vocab, ctx.segmenter)
    return at_word_start(ctx.text, start, ctx.segmenter, ctx.vocab)


def _in_quoted_list(text: str, start: int, end: int) -> bool:
    """Inside “A、B、C”: an abstract list of categories, not a mention."""
    opened = text.rfind("“", max(0, start - 20), start)
    closed = text.find("”", end, end + 20)
    return opened >= 0 and closed >= 0 and "、" in text[opened:closed] and "”" not in text[opened:start]


def _tails(ctx: DocumentContext, surface: str, entity_type: EntityType) -> Iterator[str]:
    """Word-aligned tails of a long project or organization name (联动创新区)."""
    if entity_type not in (EntityType.PROJECT, EntityType.ORGANIZATION) or len(surface) < _MIN_TAIL + 2:
        return
    if any(not ("\u4e00" <= c <= "\u9fff") for c in surface):
        return
    position = 0
    for token in ctx.segmenter.tokens(surface)[:-1]:
        position += len(token)
        tail = surface[position:]
        if len(tail) >= _MIN_TAIL and is_specific(tail, ctx.vocab, ctx.segmenter):
            yield tail


def _occurrences(text: str, needle: str) -> Iterator[int]:
    start = text.find(needle)
    while start >= 0:
        yield start
        start = text.find(needle, start + len(needle))
