"""Scanning helpers shared by the extractors: where a name starts, what follows it.

Names are found from their right end (a suffix, a closing quote, a list separator) and
extended leftwards over name characters until a boundary: punctuation, a function word, a
predicate verb, a count (两个, 20家) or an opening quote. Balanced short parentheses inside a
name (``上海地产(集团)有限公司``) are kept; a quoted part directly before the suffix
(``“汇健康”医院信息表``) is kept and ends the name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from graph.extraction.layout import is_han
from graph.extraction.segment import Segmenter
from graph.extraction.vocabulary import Vocabulary

OPEN_QUOTES = "“‘「『"
CLOSE_QUOTES = "”’」』"
OPEN_PARENS = "(（"
CLOSE_PARENS = ")）"
_PAREN_MAX = 6
_QUOTE_MAX = 16
_QUOTE_TAIL = 6
_HAN_NUMERALS = "一二三四五六七八九十"
_GENERIC_MAX = 6
_Trie = dict[str, "_Trie"]
_DASHES = "—–-－"  # dashes that may join two parties inside a name (中国—东盟)
_SLOGAN_STARTS = "一二三四五六七八九十两百千万多"
_PAIRED_COUNTS = "一二三四五六七八九十百千万亿"  # 双 + a number word: a paired slogan (双千兆, 双百)


@dataclass(frozen=True)
class ScanOptions:
    """What may be part of a name while scanning left."""

    limit: int = 20
    latin: bool = True
    digits: bool = False
    quotes: bool = True


def scan_left(
    text: str, end: int, vocab: Vocabulary, segmenter: Segmenter, options: ScanOptions = ScanOptions()
) -> int:
    """The start of the name whose text ends at ``end`` (``end`` itself when nothing fits)."""
    if options.quotes:
        quoted = _quoted_part(text, end, vocab, segmenter, options)
        if quoted is not None:
            return quoted
    position = end
    floor = max(0, end - options.limit)
    while position > floor:
        char = text[position - 1]
        if char in CLOSE_PARENS or char in CLOSE_QUOTES:
            group = (
                (OPEN_PARENS, CLOSE_PARENS, _PAREN_MAX)
                if char in CLOSE_PARENS
                else (OPEN_QUOTES, CLOSE_QUOTES, _QUOTE_MAX)
            )
            opened = _group_start(text, position, group[0], group[1], group[2], floor)
            if opened is None or (char in CLOSE_QUOTES and not options.quotes):
                break
            if char in CLOSE_PARENS and _enumerator(text[opened + 1 : position - 1]):
                break
            if char in CLOSE_PARENS and _bilateral(text, opened, position, vocab):
                position = opened - 2
                continue
            position = opened
            if char in CLOSE_QUOTES:
                break
            continue
        if char == "、" and _between_numerals(text, position - 1):
            position -= 1
            continue
        if char in _DASHES and _between_regions(text, position - 1, vocab):
            position -= 1
            continue
        if char.isdigit() and not options.digits and text.startswith(vocab.numbered_heads, position):
            while position > floor and text[position - 1].isdigit():
                position -= 1
            continue
        if not _name_char(char, options) or _boundary_before(text, position, vocab, segmenter):
            break
        position -= 1
    return position


def _enumerator(inner: str) -> bool:
    """``(四)开放清单``: a bracketed numeral numbers a section or an item; it opens no name."""
    return bool(inner) and all(char in _HAN_NUMERALS or char.isdigit() for char in inner)


def _bilateral(text: str, opened: int, closed: int, vocab: Vocabulary) -> bool:
    """``中以（上海）创新园``: a bracketed place right after a two-country abbreviation."""
    return vocab.is_place(text[opened + 1 : closed - 1]) and vocab.bilateral_before(text, opened)


def _quoted_part(text: str, end: int, vocab: Vocabulary, segmenter: Segmenter, options: ScanOptions) -> int | None:
    """``“数字新场景”共建工程``: a closing quote a few name characters before the suffix, with no
    function word among them (a function character inside a word, 据 of 数据, does not count)."""
    for distance in range(0, _QUOTE_TAIL + 1):
        position = end - distance
        if position <= 0:
            return None
        char = text[position - 1]
        if char in CLOSE_QUOTES:
            tail = segmenter.tokens(text[position:end]) if position < end else ()
            if any(token in vocab.left_chars for token in tail):
                return None
            return _group_start(text, position, OPEN_QUOTES, CLOSE_QUOTES, _QUOTE_MAX, 0)
        if not _name_char(char, options):
            return None
    return None


def _between_numerals(text: str, position: int) -> bool:
    """``东安一、二村``: a list comma between two Chinese numerals is part of the name."""
    return 0 < position < len(text) - 1 and text[position - 1] in _HAN_NUMERALS and text[position + 1] in _HAN_NUMERALS


def _between_regions(text: str, position: int, vocab: Vocabulary) -> bool:
    """``中国—东盟信息港``, ``中国-金砖国家…``: a dash between China and a region or country joins
    the two parties of one name."""
    return text.endswith("中国", 0, position) and any(text.startswith(r, position + 1) for r in vocab.regions)


def _name_char(char: str, options: ScanOptions) -> bool:
    if is_han(char):
        return True
    if char.isascii() and char.isalpha():
        return options.latin
    if char.isdigit():
        return options.digits
    return char in "·+"


def _boundary_before(text: str, position: int, vocab: Vocabulary, segmenter: Segmenter) -> bool:
    """Whether the text ending at ``position`` is a boundary word (as a word of its own)."""
    if vocab.count_ending(text, position) or vocab.place_left_word_ending(text, position):
        return True
    words = [w for w in (vocab.left_word_ending(text, position), text[position - 1]) if w]
    words = [w for w in words if len(w) > 1 or w in vocab.left_chars]
    if not words:
        return False
    window_start = max(0, position - len(words[0]) - 4)
    cuts = segmenter.boundaries(text[window_start : position + 3])
    if position - window_start not in cuts:
        return False
    if len(words[0]) > 1 or position - 1 - window_start in cuts:
        return not _inside_domain_term(text, window_start, position, cuts, segmenter)
    return False


def _inside_domain_term(
    text: str, window_start: int, position: int, cuts: frozenset[int], segmenter: Segmenter
) -> bool:
    """结合 of 中西医结合: a boundary word ending a longer domain term of the user dictionary
    (jieba_user.txt keeps such terms whole) is part of the name."""
    start = max((c for c in cuts if c < position - window_start), default=0)
    token = text[window_start + start : position]
    return segmenter.is_user_word(token)


def trie_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """One regular expression matching any of ``words`` (longest first), built as a trie.

    A factored pattern keeps matching linear in the text whatever the number of words.
    """
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    if not trie:
        return None
    return re.compile(_trie_regex(trie))


def _trie_regex(node: _Trie) -> str:
    ending = "" in node
    branches = [re.escape(char) + _trie_regex(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ending else body


def suffix_pattern(suffixes: Iterable[str]) -> re.Pattern[str]:
    """A pattern finding every suffix occurrence, overlapping ones included (产业园 and 园区)."""
    alternation = "|".join(re.escape(s) for s in sorted(set(suffixes), key=len, reverse=True))
    return re.compile(f"(?=({alternation}))")


def find_suffixes(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, suffix) of every occurrence matched by a :func:`suffix_pattern`."""
    for match in pattern.finditer(text):
        suffix = match.group(1)
        yield match.start(), match.start() + len(suffix), suffix


def name_start(
    text: str, suffix_start: int, suffix_end: int, vocab: Vocabulary, segmenter: Segmenter, options: ScanOptions
) -> int:
    """Where the name ending in a suffix starts: the quotation holding it, or the left scan."""
    enclosed = enclosing_quote_start(text, suffix_end)
    if enclosed is not None and enclosed < suffix_start:
        return enclosed
    start = scan_left(text, suffix_start, vocab, segmenter, options)
    return _administrative_start(text, start, suffix_start, vocab)


def _administrative_start(text: str, start: int, end: int, vocab: Vocabulary) -> int:
    """Names begin at an administrative prefix: ``向社会开放静安区公共数据开放目录`` → ``静安区…``."""
    prefixes = (vocab.city_name, *(f"{d}区" for d in vocab.districts))
    found = [p for p in (text.find(prefix, start + 1, end) for prefix in prefixes) if p >= 0]
    if not found:
        return start
    first = min(found)
    for city in (vocab.city_name, vocab.city):  # 杭州市西湖区…, 杭州西湖区…: the city goes with it
        if first - len(city) >= start and text.startswith(city, first - len(city)):
            return first - len(city)
    return first


def object_before_verb(
    text: str, start: int, end: int, vocab: Vocabulary, segmenter: Segmenter, options: ScanOptions
) -> int:
    """``高标准农田建设资源表``, ``古镇智慧旅游提升项目``: when the scan stopped at a verb right before
    the suffix, the verb is the subject matter of the name (a table of 建设, a project of 提升), and
    the object before it belongs to the name too. With nothing nameable before the verb
    (负责建设资源表) the start stays."""
    verb = vocab.left_word_ending(text, start)
    if verb is None:
        return start
    inner = name_start(text, start - len(verb), end, vocab, segmenter, options)
    return inner if inner < start - len(verb) else start


def enclosing_quote_start(text: str, end: int, limit: int = 24) -> int | None:
    """Start of the name when [.., end) is the whole content of a quotation (“…创新区”)."""
    if end >= len(text) or text[end] not in CLOSE_QUOTES:
        return None
    position = end - 1
    while position >= max(0, end - limit):
        char = text[position]
        if char in OPEN_QUOTES:
            return position + 1
        if char in CLOSE_QUOTES or char in "，,。、；;：:！？!?\n":
            return None
        position -= 1
    return None


def _group_start(text: str, end: int, opening: str, closing: str, longest: int, floor: int) -> int | None:
    """Start of the bracketed group closing at ``end - 1`` (None if unbalanced or too long)."""
    position = end - 2
    while position >= max(floor, end - longest - 2):
        char = text[position]
        if char in opening:
            inner = text[position + 1 : end - 1]
            return position if inner and all(is_han(c) or c.isalnum() or c in " ·+-" for c in inner) else None
        if char in closing or char in "，,。、；;：:\n":
            return None
        position -= 1
    return None


def is_specific(name: str, vocab: Vocabulary, segmenter: Segmenter) -> bool:
    """Whether a name (suffix removed) holds something that is not a category word.

    Category words are removed longest first; anything left over (``鑫耀``, ``西岸``, ``孪生``) makes
    the name specific, as do quotes, Latin letters and digits. ``数字化转型示范`` (of
    数字化转型示范医院) and ``实训`` (of 实训基地) are generic.
    """
    if not name:
        return False
    if any(c in OPEN_QUOTES or (c.isascii() and c.isalnum()) for c in name):
        return True
    position = 0
    while position < len(name):
        step = next(
            (
                n
                for n in range(min(_GENERIC_MAX, len(name) - position), 0, -1)
                if name[position : position + n] in vocab.generic
            ),
            0,
        )
        if step:
            position += step
            continue
        token = segmenter.tokens(name[position:])[0]
        if token not in vocab.left_chars:
            return True
        position += len(token)
    return False


def is_slogan(name: str) -> bool:
    """Numbered slogans and abbreviations (两网, 三位一体, 五个中心, 双千兆) are not names; 双 before
    anything but a number word may open one (“双塔”, 双 T)."""
    if len(name) >= 2 and name[0] == "双" and name[1] in _PAIRED_COUNTS:
        return True
    return bool(name) and name[0] in _SLOGAN_STARTS


def starts_with_count(name: str, vocab: Vocabulary) -> bool:
    """``五个…``, ``两大…``: a name opening with a count is a plural or a slogan."""
    return len(name) >= 2 and name[0] in vocab.numerals and name[1] in vocab.classifiers


def quoted_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop quotes that enclose the whole name (``“模速空间”`` → ``模速空间``)."""
    if end - start >= 3 and text[start] in OPEN_QUOTES and text[end - 1] in CLOSE_QUOTES:
        inner = text[start + 1 : end - 1]
        if not any(q in inner for q in OPEN_QUOTES + CLOSE_QUOTES):
            return start + 1, end - 1
    return start, end


def at_word_start(text: str, position: int, segmenter: Segmenter, vocab: Vocabulary) -> bool:
    """Whether a name may start at ``position`` (after punctuation, a boundary word or a word end)."""
    if position == 0:
        return True
    before = text[position - 1]
    if not (is_han(before) or before.isalnum()):
        return True
    return segmenter.is_boundary(text, position)


def at_clause_start(text: str, position: int, vocab: Vocabulary, segmenter: Segmenter) -> bool:
    """Whether ``position`` follows punctuation or a function word (a stricter word start)."""
    if position == 0:
        return True
    before = text[position - 1]
    if not (is_han(before) or before.isalnum()):
        return True
    return _boundary_before(text, position, vocab, segmenter)


def at_word_end(text: str, position: int, segmenter: Segmenter) -> bool:
    """Whether a name may end at ``position`` (no word runs on across it)."""
    if position >= len(text):
        return True
    after = text[position]
    if not (is_han(after) or after.isalnum()):
        return True
    return segmenter.is_boundary(text, position)
