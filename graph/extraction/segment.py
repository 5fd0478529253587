"""Word segmentation (jieba) used for word-boundary questions only.

The engine never segments whole documents: it asks small questions about short windows —
"does a word run across this page break?", "is there a word boundary here?", "which words make
up this name?" — so a 50 MB input costs time in proportion to the candidates, not the text.
A private jieba tokenizer is used (the search package keeps its own).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import jieba

_CACHE_LIMIT = 200_000
_USER_FREQ = 20_000


class Segmenter:
    """A lazily initialised jieba tokenizer with the extraction user dictionary."""

    def __init__(self, user_words: Iterable[str]) -> None:
        jieba.setLogLevel(logging.WARNING)  # jieba logs its dictionary loading at DEBUG on its own handler
        self._tokenizer = jieba.Tokenizer()
        self._user_words = tuple(user_words)
        self._user_set = frozenset(w for w in self._user_words if len(w) >= 2)
        self._ready = False
        self._cache: dict[str, tuple[str, ...]] = {}

    def tokens(self, text: str) -> tuple[str, ...]:
        """Dictionary-only segmentation (no HMM guessing of unknown words)."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        if not self._ready:
            self._initialise()
        result = tuple(self._tokenizer.lcut(text, HMM=False))
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[text] = result
        return result

    def frequency(self, word: str) -> int:
        """How often the dictionary says ``word`` occurs as a word (0 for a word it does not hold)."""
        if not self._ready:
            self._initialise()
        return int(self._tokenizer.FREQ.get(word) or 0)

    def is_user_word(self, word: str) -> bool:
        """Whether ``word`` is one of the extraction user dictionary's words."""
        return word in self._user_set

    def boundaries(self, text: str) -> frozenset[int]:
        """Offsets in ``text`` where one token ends and the next begins (0 and len included)."""
        cuts = {0}
        position = 0
        for token in self.tokens(text):
            position += len(token)
            cuts.add(position)
        return frozenset(cuts)

    def word_across(self, left: str, right: str) -> bool:
        """Whether a dictionary word of two or more characters runs across left|right."""
        return len(left) not in self.boundaries(left + right)

    def is_boundary(self, text: str, position: int, window: int = 4) -> bool:
        """Whether ``position`` in ``text`` falls between two words."""
        if position <= 0 or position >= len(text):
            return True
        start = max(0, position - window)
        return position - start in self.boundaries(text[start : position + window])

    def _initialise(self) -> None:
        self._tokenizer.initialize()
        for word in self._user_words:
            if len(word) >= 2:
                self._tokenizer.add_word(word, _USER_FREQ)
        self._ready = True
