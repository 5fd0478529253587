"""Dataset extraction: named data resources (…信息表, …资源表, …数据库, …项目库, 数据目录清单).

Strong suffixes (数据库, 信息表, 数据集, 目录清单 …) always name a data resource. Weak ones need
more: 表 and 库 must stand as their own word (not 代表, 智库, 水表) in a sentence about data, and
清单 / 目录 need a data word in the name (数据目录清单, but not 权责清单). A level modifier in
front (市级法人库) is dropped from the span and kept as the owner level. A verb right before the
suffix, or before a single short word before it, is the table's subject (高标准农田建设资源表,
商业网点布局规划表), not the end of the context; so is a verb inside an item of a list of tables
(…、研发投入加计扣除统计表、…).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from graph.extraction.candidates import Candidate
from graph.extraction.context import DocumentContext
from graph.extraction.lexicon import Lexicon
from graph.extraction.records import EntityType
from graph.extraction.scan import (
    ScanOptions,
    at_word_end,
    find_suffixes,
    is_specific,
    name_start,
    object_before_verb,
    suffix_pattern,
)

DATASET = EntityType.DATASET
_SCAN = ScanOptions(limit=16, latin=True, digits=False)
_OPEN_DATA = re.compile(r"开放数据[（(]集[）)]")
_ITEM_ENDS = "、和及"  # what follows an item of a list of tables
_LIST_OPENERS = ("包括", "、")
_LIST_SUBJECT = 4  # characters before 清单 that say what a list holds
_NUMBER_AFTER = re.compile(r"\s*[0-9０-９.]+\s*(\S)")  # a number and the character after it
_SPACE = re.compile(r"\s")


@dataclass(frozen=True)
class DatasetRules:
    """Compiled dataset patterns."""

    pattern: re.Pattern[str]
    strong: frozenset[str]
    data_context: tuple[str, ...]
    built_verbs: tuple[str, ...]
    list_needs: tuple[str, ...]
    not_datasets: frozenset[str]
    min_name: int
    inventory_heads: tuple[str, ...] = ()
    base_libraries: frozenset[str] = frozenset()
    counted: frozenset[str] = frozenset()
    ledgers: tuple[str, ...] = ()


@lru_cache(maxsize=4)
def dataset_rules(lexicon: Lexicon) -> DatasetRules:
    """Compile the dataset rules of a lexicon (cached)."""
    section = lexicon.section("types", "dataset")
    suffixes = sorted([*section["strong"], *section["weak"]], key=len, reverse=True)
    return DatasetRules(
        pattern=suffix_pattern(suffixes),
        strong=frozenset(section["strong"]),
        data_context=tuple(section["data_context"]),
        built_verbs=tuple(section.get("built_verbs", ())),
        list_needs=tuple(section["list_needs"]),
        not_datasets=frozenset(section["not_datasets"]),
        min_name=int(section["min_name"]),
        inventory_heads=tuple(section.get("inventory_heads", ())),
        base_libraries=frozenset(section.get("base_libraries", ())),
        counted=frozenset(section.get("counted", ())),
        ledgers=tuple(section.get("ledgers", ())),
    )


def find_datasets(ctx: DocumentContext) -> list[Candidate]:
    """Dataset candidates of a document."""
    rules = dataset_rules(ctx.lexicon)
    found = _share_levels(ctx.text, list(_by_suffix(ctx, rules)))
    for match in _OPEN_DATA.finditer(ctx.text):
        found.append(Candidate(DATASET, match.start(), match.end(), 0.8, "dataset.open_data", "开放数据集"))
    return found


def _by_suffix(ctx: DocumentContext, rules: DatasetRules) -> Iterator[Candidate]:
    text = ctx.text
    for suffix_start, end, suffix in find_suffixes(rules.pattern, text):
        if not at_word_end(text, end, ctx.segmenter) or not _suffix_stands(ctx, rules, suffix, end):
            continue
        start = name_start(text, suffix_start, end, ctx.vocab, ctx.segmenter, _SCAN)
        if start == suffix_start or _one_word(ctx, start, suffix_start):
            start = _object_before_verb(ctx, start, end)
        else:
            start = _listed_item(ctx, start, end)
        start, level = _drop_level(ctx, start, suffix_start)
        name = text[start:end]
        if end - start < rules.min_name or (start == suffix_start and suffix not in rules.strong):
            continue
        if name in rules.not_datasets or not _plausible(ctx, rules, suffix, name, start):
            continue
        if _counted(ctx, rules, start, suffix_start, end):
            continue
        confidence = 0.85 if suffix in rules.strong else 0.65
        yield Candidate(DATASET, start, end, confidence, "dataset.suffix", None, (("level", level),))


def _object_before_verb(ctx: DocumentContext, start: int, end: int) -> int:
    """``高标准农田建设资源表``: the verb the scan stopped at is the table's subject matter."""
    return object_before_verb(ctx.text, start, end, ctx.vocab, ctx.segmenter, _SCAN)


def _listed_item(ctx: DocumentContext, start: int, end: int) -> int:
    """``…、研发投入加计扣除统计表、…``: in a list of tables each item is one name, so a verb the scan
    stopped at inside an item (投入) belongs to it when the item runs from a list comma (or 包括) to
    the next separator."""
    inner = _object_before_verb(ctx, start, end)
    if inner == start or ctx.text[end : end + 1] not in _ITEM_ENDS:
        return start
    opened = ctx.text[inner - 1 : inner] == "、" or ctx.text.endswith(_LIST_OPENERS, 0, inner)
    return inner if opened else start


def _one_word(ctx: DocumentContext, start: int, end: int) -> bool:
    """``商业网点布局规划表``: a single short word between the scan's stop and the suffix (规划) is no
    name of its own; a verb before it (布局) is still part of the table's subject."""
    word = ctx.text[start:end]
    return 0 < len(word) <= 2 and ctx.segmenter.tokens(word) == (word,)


def _suffix_stands(ctx: DocumentContext, rules: DatasetRules, suffix: str, end: int) -> bool:
    """A weak suffix must be its own word (信息/表), not the end of another (代表, 智库)."""
    if suffix in rules.strong:
        return True
    window_start = max(0, end - 4)
    position = window_start
    for token in ctx.segmenter.tokens(ctx.text[window_start : end + 2]):
        position += len(token)
        if position == end:
            return token == suffix or (token not in rules.not_datasets and len(token) > len(suffix) + 1)
    return True


def _drop_level(ctx: DocumentContext, start: int, suffix_start: int) -> tuple[int, str | None]:
    """Cut the name after the last level modifier in it (建成区级人口库 → 人口库, level district)."""
    best: tuple[int, str | None] = (start, None)
    for modifier, level in ctx.vocab.level_modifiers.items():
        found = ctx.text.rfind(modifier, start, suffix_start)
        if found >= 0 and found + len(modifier) < suffix_start and found + len(modifier) > best[0]:
            best = (found + len(modifier), level)
    return best


def _share_levels(text: str, found: list[Candidate]) -> list[Candidate]:
    """``区级人口库、法人库和电子证照库``: a level modifier covers the whole coordination."""
    ordered = sorted(found, key=lambda c: c.start)
    result: list[Candidate] = []
    for candidate in ordered:
        previous = result[-1] if result else None
        level = previous.get("level") if previous else None
        joined = previous is not None and text[previous.end : candidate.start] in ("、", "和", "及", "以及", "与")
        if joined and level and candidate.get("level") is None:
            candidate = replace(candidate, info=(("level", level),))
        result.append(candidate)
    return result


def _plausible(ctx: DocumentContext, rules: DatasetRules, suffix: str, name: str, start: int) -> bool:
    if suffix in rules.strong:
        return True
    sentence = ctx.sentence_text(start)
    if suffix in rules.ledgers:
        subject = name[: -len(suffix)]
        return len(subject) >= _LIST_SUBJECT and is_specific(subject, ctx.vocab, ctx.segmenter)
    if suffix in ("清单", "目录"):
        if any(word in name[: -len(suffix)] for word in rules.list_needs):
            return True
        return suffix == "清单" and _registered_list(ctx, rules, name, sentence)
    if suffix == "库" and (name in rules.base_libraries or ctx.text.endswith(rules.built_verbs, 0, start)):
        return True  # 建立城市部件库: a library being built is a database, data words or not; so is 人口库
    return any(word in sentence for word in rules.data_context)


def _counted(ctx: DocumentContext, rules: DatasetRules, start: int, suffix_start: int, end: int) -> bool:
    """``46 个数据集``, ``首批开放数据集``, ``开放数据集 126 个``: a kind of resource that is counted
    (数据集: `counted`) named by category words alone (开放, 社会 …) right after or before a count
    counts resources, it names none."""
    text = ctx.text
    if text[suffix_start:end] not in rules.counted or is_specific(text[start:suffix_start], ctx.vocab, ctx.segmenter):
        return False
    before = _SPACE.sub("", text[max(0, start - 6) : start])
    after = _NUMBER_AFTER.match(text, end)
    return ctx.vocab.count_ending(before, len(before)) or bool(after and after.group(1) in ctx.vocab.classifiers)


def _registered_list(ctx: DocumentContext, rules: DatasetRules, name: str, sentence: str) -> bool:
    """``户外广告设施设置清单``, ``政务服务事项标准化清单``: a 清单 with no data word in its name is a
    data resource in a sentence about data (登记, 归集, 开放 …) when its name says what it lists (at
    least four characters of a specific subject before 清单) and it is none of the lists of duties
    (负面清单, 责任清单 …)."""
    subject = name[: -len("清单")]
    if len(subject) < _LIST_SUBJECT or name.endswith(tuple(rules.not_datasets)):
        return False
    if subject.endswith(rules.inventory_heads):
        return True  # 社区养老服务设施清单: an inventory of facilities, whatever the sentence
    if not is_specific(subject, ctx.vocab, ctx.segmenter):
        return False
    return any(word in sentence for word in rules.data_context)
