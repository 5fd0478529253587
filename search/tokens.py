"""Chinese tokenisation for lexical search: jieba words, their characters, stop words, synonyms.

jieba runs in search mode (``cut_for_search``: a long word also yields the dictionary words
inside it) with a private tokenizer, so the catalogue's own names (department short forms,
resource titles) can be taught to it without touching jieba's global state. Data files:
``search/data/stopwords.txt``, ``search/data/synonyms.tsv`` and ``search/data/kind_words.txt``.
"""

from __future__ import annotations

import itertools
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

logger = logging.getLogger(__name__)

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[\w\u3400-\u4dbf\u4e00-\u9fff]+")


def _data_lines(name: str) -> list[str]:
    text = files("search").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def stop_words() -> frozenset[str]:
    return frozenset(_data_lines("stopwords.txt"))


@cache
def kind_words() -> frozenset[str]:
    """Words naming a kind of entry (数据, 计划, 项目 …) rather than a topic: weak relevance evidence."""
    return frozenset(_data_lines("kind_words.txt"))


@cache
def kind_types() -> dict[str, frozenset[str]]:
    """Kind word → the entity types it asks for (search/data/kind_types.tsv): 部门 → Department."""
    types: dict[str, set[str]] = {}
    for line in _data_lines("kind_types.tsv"):
        word, kind = (part.strip() for part in line.split("\t")[:2])
        types.setdefault(normalise(word), set()).add(kind)
    return {word: frozenset(kinds) for word, kinds in types.items()}


@cache
def synonym_groups() -> dict[str, tuple[str, ...]]:
    """Term → the other terms of every synonym group it is in."""
    expansions: dict[str, list[str]] = {}
    for line in _data_lines("synonyms.tsv"):
        group = [term.strip() for term in line.split("\t") if term.strip()]
        for term in group:
            expansions.setdefault(term, []).extend(other for other in group if other != term)
    return {term: tuple(dict.fromkeys(others)) for term, others in expansions.items()}


def normalise(text: str) -> str:
    """NFKC (full-width → half-width), lower case."""
    return unicodedata.normalize("NFKC", text).lower()


@dataclass
class Tokenizer:
    """A private jieba tokenizer that knows the catalogue's names."""

    _jieba: Any = None

    def _engine(self) -> Any:
        if self._jieba is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            self._jieba = jieba.Tokenizer()
            for term in synonym_groups():
                self._jieba.add_word(term, freq=2000)
        return self._jieba

    def teach(self, names: Iterable[str]) -> None:
        """Make each name one word for jieba (names of entities in the catalogue)."""
        engine = self._engine()
        for name in names:
            name = normalise(name).strip()
            if 2 <= len(name) <= 20 and _CJK.search(name):
                engine.add_word(name, freq=1000)

    def segments(self, text: str) -> list[str]:
        """Precise-mode words of ``text`` (no sub-words: 黄浦江 stays whole), for recognising names."""
        return [word for chunk in _WORD.findall(normalise(text)) for word in self._engine().cut(chunk)]

    def words(self, text: str) -> list[str]:
        """Search-mode words of ``text`` without stop words and punctuation."""
        stops = stop_words()
        engine = self._engine()
        words: list[str] = []
        for chunk in _WORD.findall(normalise(text)):
            for word in engine.cut_for_search(chunk):
                word = word.strip()
                if word and word not in stops and _WORD.fullmatch(word):
                    words.append(word)
                    words.extend(_inner_words(word, engine.FREQ))
        return words


def _inner_words(word: str, dictionary: dict[str, int]) -> list[str]:
    """Dictionary words of four or more characters inside a longer word (jieba's search mode stops at three)."""
    if len(word) <= 4:
        return []
    return [
        word[start : start + size]
        for size in range(4, len(word))
        for start in range(len(word) - size + 1)
        if dictionary.get(word[start : start + size])
    ]


def characters(words: Iterable[str]) -> list[str]:
    """The CJK characters of words (a fallback feature for partial matches like 树 in 行道树)."""
    stops = stop_words()
    return [ch for word in words for ch in word if _CJK.match(ch) and ch not in stops]


SYNONYM_WEIGHT = 0.7
COMPOUND_WEIGHT = 0.6
"""Weight of a term two adjacent query words make together (see :func:`compounds`)."""


def compounds(words: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Terms two adjacent query words make together, with the two words: the joined word when the
    synonym list knows it (装修 垃圾 → 装修垃圾), and the usual short form of two two-character words,
    their first characters (文化 旅游 → 文旅, 医疗 保险 → 医保)."""
    groups = synonym_groups()
    made: dict[str, tuple[str, str]] = {}
    for first, second in itertools.pairwise(words):
        if first in second or second in first:
            continue  # search mode repeats a word's parts beside it (洋房, 老洋房)
        if first + second in groups:
            made.setdefault(first + second, (first, second))
        if len(first) == 2 and len(second) == 2 and _CJK.match(first[0]) and _CJK.match(second[0]):
            made.setdefault(first[0] + second[0], (first, second))
    return made


def expand(words: Iterable[str]) -> dict[str, float]:
    """Query words with weights: typed words 1.0, their synonyms SYNONYM_WEIGHT, the terms adjacent words
    make together (:func:`compounds`) COMPOUND_WEIGHT and those terms' synonyms SYNONYM_WEIGHT too."""
    typed = list(words)
    weights: dict[str, float] = {}
    groups = synonym_groups()
    for word in typed:
        weights[word] = 1.0
    for compound in compounds(typed):
        weights.setdefault(compound, COMPOUND_WEIGHT)
    for word in list(weights):
        for synonym in groups.get(word, ()):
            weights.setdefault(normalise(synonym), SYNONYM_WEIGHT)
    return weights
