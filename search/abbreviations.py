"""Short forms a query may use for an entry's name, found by the shape of Chinese abbreviations.

A Chinese short form keeps some characters of the full name in their order (华东师范大学 → 华东师大,
工商业联合会 → 工商联, 中国信息通信研究院 → 信通院, 社会工作部 → 社工部) and begins where the name's
core begins or ends where it ends (its head: 部, 院, 委员会 → 委, 办公室 → 办). A query word that
the catalogue's vocabulary does not know (jieba found it in no entry's text) is looked up here: the
entries one of whose names' cores has it as such a subsequence count as matching it, as a synonym
would. Department short forms that follow the regular moves of graph.extraction.abbreviations are
found this way too, and so are irregular ones that keep the characters in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from search.tokens import normalise

_CJK_ONLY = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]+$")
_PREFIX = re.compile(r"^(?:中华人民共和国|中国共产党|中国人民|中国|上海市|上海|[\u4e00-\u9fff]{2}[区县])")
"""What a name starts with that its short forms leave out: the country, the party, the region."""
_HEADS = (("委员会", "委"), ("办公室", "办"), ("管理局", "局"), ("事务局", "局"))
MIN_LENGTH = 2
MAX_LENGTH = 5
MAX_SPREAD = 6
"""A short form keeps at least one character in MAX_SPREAD of the core (网信办 of 14 characters: 1 in 5)."""


def core(name: str) -> str:
    """The name without the country, party or region it starts with (上海市徐汇区工商业联合会 → 工商业联合会)."""
    text = normalise(name).strip()
    while (match := _PREFIX.match(text)) is not None and len(text) > match.end() + 1:
        text = text[match.end() :]
    return text


def _last_characters(text: str) -> set[str]:
    """The characters a short form of ``text`` may end with: its own last one, or its head's short form."""
    ends = {text[-1]}
    ends.update(short[-1] for head, short in _HEADS if text.endswith(head))
    return ends


def is_short_form(word: str, name_core: str) -> bool:
    """``word`` keeps characters of ``name_core`` in order, begins with its first or ends with its (head's)
    last, and is not simply a part of it (that is an ordinary word match)."""
    if word in name_core or not MIN_LENGTH <= len(word) <= MAX_LENGTH or len(name_core) > MAX_SPREAD * len(word):
        return False
    if word[0] != name_core[0] and word[-1] not in _last_characters(name_core):
        return False
    position = 0
    for char in word:
        position = name_core.find(char, position) + 1
        if position == 0:
            return False
    return True


class Abbreviations:
    """Entries by the first and last characters of their names' cores, to find what a short form stands for."""

    def __init__(self, names: Mapping[str, Iterable[str]]) -> None:
        self._by_first: dict[str, list[tuple[str, str]]] = {}
        self._by_last: dict[str, list[tuple[str, str]]] = {}
        for key, key_names in names.items():
            for name in key_names:
                name_core = core(name)
                if len(name_core) < MIN_LENGTH:
                    continue
                self._by_first.setdefault(name_core[0], []).append((key, name_core))
                for last in _last_characters(name_core):
                    self._by_last.setdefault(last, []).append((key, name_core))

    def keys_for(self, word: str) -> set[str]:
        """The entries one of whose names ``word`` can be a short form of (none for a non-CJK word)."""
        if not _CJK_ONLY.match(word) or not MIN_LENGTH <= len(word) <= MAX_LENGTH:
            return set()
        pool = [*self._by_first.get(word[0], ()), *self._by_last.get(word[-1], ())]
        return {key for key, name_core in pool if is_short_form(word, name_core)}
