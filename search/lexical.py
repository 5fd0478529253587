"""BM25 over jieba words (and, with a lower weight, CJK characters) of catalogue entities.

Impacts (the BM25 weight of a term in a document) are computed once when the index is built,
so a query only sums the impact lists of its terms. Two feature spaces are kept: words, which
carry the meaning, and single characters, which catch partial matches (树 in 行道树) that word
segmentation misses. The index is saved as one ``.npz`` file plus a JSON vocabulary.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from search.abbreviations import Abbreviations
from search.errors import IndexCorrupt
from search.tokens import Tokenizer, characters, compounds, expand, kind_words

K1 = 1.2
B = 0.75
CHARACTER_WEIGHT = 0.3
"""How much a character match counts against a word match."""
NAME_WEIGHT = 0.5
"""Extra weight of a word found in the entry's names (label, other names), as in BM25F's title field."""
SPACES = ("words", "chars", "names")
TITLE_SEPARATOR = "。"
"""Between the names of one entry in its title text (label, other names)."""
KIND_WORD_WEIGHT = 0.25
"""Share of its IDF that a kind word (search/data/kind_words.txt) adds to a topical query's coverage."""
ABBREVIATION_WEIGHT = 0.7
"""A word no entry's text contains that is a short form of an entry's name counts as a synonym would."""


@dataclass(frozen=True)
class LexicalHit:
    key: str
    score: float
    matched: tuple[str, ...]
    coverage: float
    """Share of the query's own words (IDF-weighted) the document contains, directly or by synonym."""


class _Postings:
    """Impact lists of one feature space: term → (document ids, BM25 impacts)."""

    def __init__(
        self,
        vocabulary: dict[str, int],
        offsets: npt.NDArray[np.int64],
        docs: npt.NDArray[np.int32],
        impacts: npt.NDArray[np.float32],
        idf: npt.NDArray[np.float32],
    ) -> None:
        self.vocabulary = vocabulary
        self.offsets = offsets
        self.docs = docs
        self.impacts = impacts
        self.idf = idf

    @classmethod
    def build(cls, token_lists: Sequence[Sequence[str]]) -> _Postings:
        counts = [Counter(tokens) for tokens in token_lists]
        lengths = np.array([max(1, len(tokens)) for tokens in token_lists], dtype=np.float32)
        average = float(lengths.mean()) if len(lengths) else 1.0
        by_term: dict[str, list[tuple[int, int]]] = {}
        for doc, counter in enumerate(counts):
            for term, tf in counter.items():
                by_term.setdefault(term, []).append((doc, tf))
        vocabulary = {term: index for index, term in enumerate(sorted(by_term))}
        offsets = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        docs_out: list[int] = []
        impacts_out: list[float] = []
        idf = np.zeros(len(vocabulary), dtype=np.float32)
        n = len(token_lists)
        for term, index in vocabulary.items():
            postings = by_term[term]
            idf[index] = math.log(1 + (n - len(postings) + 0.5) / (len(postings) + 0.5))
            for doc, tf in postings:
                norm = tf + K1 * (1 - B + B * lengths[doc] / average)
                docs_out.append(doc)
                impacts_out.append(float(idf[index]) * tf * (K1 + 1) / norm)
            offsets[index + 1] = len(docs_out)
        return cls(
            vocabulary, offsets, np.array(docs_out, dtype=np.int32), np.array(impacts_out, dtype=np.float32), idf
        )

    def term_postings(self, term: str) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]] | None:
        index = self.vocabulary.get(term)
        if index is None:
            return None
        start, end = self.offsets[index], self.offsets[index + 1]
        return self.docs[start:end], self.impacts[start:end]

    def term_idf(self, term: str, default: float) -> float:
        index = self.vocabulary.get(term)
        return float(self.idf[index]) if index is not None else default


def _top(scores: npt.NDArray[np.float32], k: int) -> npt.NDArray[np.int64]:
    """Indexes of the ``k`` highest positive scores, best first (argpartition: no full sort)."""
    positive = np.flatnonzero(scores > 0)
    if len(positive) > k:
        positive = positive[np.argpartition(-scores[positive], k - 1)[:k]]
    return positive[np.argsort(-scores[positive], kind="stable")]


class LexicalIndex:
    """BM25 over entity texts; keys are the same keys the dense index uses."""

    def __init__(
        self,
        keys: list[str],
        words: _Postings,
        chars: _Postings,
        names: _Postings,
        tokenizer: Tokenizer,
        titles: Mapping[str, str] | None = None,
    ) -> None:
        self.keys = keys
        self.words = words
        self.chars = chars
        self.names = names
        self.tokenizer = tokenizer
        self._position = {key: doc for doc, key in enumerate(keys)}
        self.abbreviations = Abbreviations(
            {key: title.split(TITLE_SEPARATOR) for key, title in (titles or {}).items() if key in self._position}
        )

    @classmethod
    def build(
        cls,
        texts: Mapping[str, str],
        names: Iterable[str] = (),
        tokenizer: Tokenizer | None = None,
        titles: Mapping[str, str] | None = None,
    ) -> LexicalIndex:
        """Index ``key → text`` (and ``key → names`` as the title field); ``names`` are taught to the tokenizer."""
        tokenizer = tokenizer or Tokenizer()
        tokenizer.teach(names)
        keys = list(texts)
        word_lists = [tokenizer.words(texts[key]) for key in keys]
        char_lists = [characters(words) for words in word_lists]
        title_lists = [tokenizer.words((titles or {}).get(key, "")) for key in keys]
        spaces = (_Postings.build(word_lists), _Postings.build(char_lists), _Postings.build(title_lists))
        return cls(keys, *spaces, tokenizer, titles)

    def __len__(self) -> int:
        return len(self.keys)

    def search(self, query: str, k: int = 50) -> list[LexicalHit]:
        """The ``k`` best documents for ``query`` by BM25 (words + synonyms + characters)."""
        typed = self.tokenizer.words(query)
        if not typed or not self.keys:
            return []
        weights = expand(typed)
        scores = np.zeros(len(self.keys), dtype=np.float32)
        postings: dict[str, npt.NDArray[np.int32]] = {}
        for term, weight in weights.items():
            for space, factor in ((self.words, 1.0), (self.names, NAME_WEIGHT)):
                found = space.term_postings(term)
                if found is None:
                    continue
                docs, impacts = found
                scores[docs] += factor * weight * impacts
                if space is self.words:
                    postings[term] = docs
        for word, docs in self._short_forms(typed).items():
            scores[docs] += ABBREVIATION_WEIGHT * self.words.term_idf(word, float(self.words.idf.max()))
            postings[word] = docs
        for char, count in Counter(characters(typed)).items():
            found = self.chars.term_postings(char)
            if found is not None:
                docs, impacts = found
                scores[docs] += CHARACTER_WEIGHT * count * impacts
        top = _top(scores, k)
        in_top = np.zeros(len(self.keys), dtype=bool)
        in_top[top] = True
        matched: dict[int, set[str]] = {}
        for term, docs in postings.items():
            for doc in docs[in_top[docs]].tolist():
                matched.setdefault(doc, set()).add(term)
        coverage = self._coverage_of(typed)
        return [
            LexicalHit(self.keys[doc], float(scores[doc]), tuple(sorted(terms)), coverage(terms))
            for doc in top.tolist()
            for terms in (matched.get(doc, set()),)
        ]

    def _short_forms(self, typed: Sequence[str]) -> dict[str, npt.NDArray[np.int32]]:
        """Query words no entry's text contains that are short forms of entries' names → those entries."""
        found: dict[str, npt.NDArray[np.int32]] = {}
        for word in dict.fromkeys(typed):
            if word in self.words.vocabulary or word in self.names.vocabulary:
                continue
            keys = self.abbreviations.keys_for(word)
            if keys:
                found[word] = np.array(sorted(self._position[key] for key in keys), dtype=np.int32)
        return found

    def _coverage_of(self, typed: list[str]) -> Callable[[set[str]], float]:
        """For a query's typed words: matched terms → IDF-weighted share of the typed words found
        (a synonym counts for its word, a term two adjacent words make for both; a kind word such as
        计划 counts KIND_WORD_WEIGHT of its IDF when the query also names a topic).
        The word weights are worked out once per query."""
        default = float(self.words.idf.max()) if len(self.words.idf) else 1.0
        kinds = kind_words()
        topical = any(word not in kinds for word in typed)
        made = compounds(typed)
        groups = [
            (
                frozenset(
                    {word, *expand([word]), *(term for term, pair in made.items() if word in pair)}
                    | {synonym for term, pair in made.items() if word in pair for synonym in expand([term])}
                ),
                self.words.term_idf(word, default) * (KIND_WORD_WEIGHT if topical and word in kinds else 1.0),
            )
            for word in dict.fromkeys(typed)
        ]
        total = sum(weight for _, weight in groups)

        def coverage(matched: set[str]) -> float:
            if not total or not matched:
                return 0.0
            return sum(weight for forms, weight in groups if not forms.isdisjoint(matched)) / total

        return coverage

    def save(self, directory: Path) -> None:
        """Write ``lexical.npz`` and ``lexical.json`` into ``directory`` (the caller makes it atomic)."""
        arrays: dict[str, npt.NDArray[np.generic]] = {}
        for name, postings in zip(SPACES, (self.words, self.chars, self.names), strict=True):
            arrays[f"{name}_offsets"] = postings.offsets
            arrays[f"{name}_docs"] = postings.docs
            arrays[f"{name}_impacts"] = postings.impacts
            arrays[f"{name}_idf"] = postings.idf
        np.savez(directory / "lexical.npz", **arrays)  # type: ignore[arg-type]
        vocabulary = {
            "keys": self.keys,
            **{name: p.vocabulary for name, p in zip(SPACES, (self.words, self.chars, self.names), strict=True)},
        }
        (directory / "lexical.json").write_text(json.dumps(vocabulary, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path, names: Iterable[str] = (), titles: Mapping[str, str] | None = None) -> LexicalIndex:
        try:
            meta = json.loads((directory / "lexical.json").read_text(encoding="utf-8"))
            arrays = np.load(directory / "lexical.npz")
            spaces = [
                _Postings(
                    meta[name],
                    arrays[f"{name}_offsets"],
                    arrays[f"{name}_docs"],
                    arrays[f"{name}_impacts"],
                    arrays[f"{name}_idf"],
                )
                for name in SPACES
            ]
        except (OSError, KeyError, ValueError) as error:
            raise IndexCorrupt(directory, f"lexical postings: {error}") from error
        tokenizer = Tokenizer()
        tokenizer.teach(names)
        return cls(list(meta["keys"]), spaces[0], spaces[1], spaces[2], tokenizer, titles)
