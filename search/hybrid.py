"""Hybrid ranking: dense vectors and BM25 fused by reciprocal rank, with a relevance threshold.

For a query, the dense index and the lexical index each propose candidates; every candidate
gets both a cosine similarity and a BM25 score, and the two rankings are fused by weighted
reciprocal rank fusion (Cormack et al., 2009). A candidate is *relevant* only if the query's
own words cover enough of it (IDF-weighted, synonyms counted) or its cosine stands out from
the query's similarity to a background sample of the catalogue (a per-query z-score), so a
query about nothing in the catalogue (``火星 殖民 计划``) returns no result rather than the ten
least bad ones. Filters (type, publisher, domain, access right, district) apply before the cut;
facet counts describe the relevant candidates.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from search.encoder import Encoder
from search.entities import EntityCard
from search.index import DenseIndex
from search.lexical import LexicalHit, LexicalIndex
from search.places import district_names
from search.relevance_gate import RelevanceGate, default_gate
from search.results import Filters, SearchResponse, SearchResult, make_snippet
from search.tokens import kind_types, normalise
from search.understanding import QueryUnderstanding, official_abbreviations


@dataclass(frozen=True)
class RankingConfig:
    """Knobs of the ranker; the defaults are the ones bench/search_quality.py measured best."""

    candidates: int = 100
    rrf_k: float = 60.0
    dense_weight: float = 1.0
    lexical_weight: float = 1.3
    min_coverage: float = 0.5
    lexical_min_z: float = 1.0
    """Word overlap counts only if the vectors do not say the entry is as unrelated as a typical one."""
    dense_margin: float = 0.3
    """Dense evidence alone counts when a cosine's z-score beats the expected noise maximum by this much."""
    name_margin: float = 1.2
    """Dense evidence from the names' vectors alone needs a larger margin: short texts give noisier maxima."""
    partial_coverage: float = 0.25
    partial_margin: float = 0.1
    """Some lexical evidence plus a z-score this close to the noise maximum also counts."""
    dataset_prior: float = 1.15
    kind_boost: float = 1.2
    """Factor on the fused score of entries whose type a kind word of the query asks for (部门 → Department)."""
    place_boost: float = 1.2
    """Factor on the fused score of entries about a district the query names (``闵行 体育馆``); entries about
    other districts only get its inverse, and entries about no district (city-wide) keep their score."""
    coverage_weighting: bool = True
    """Scale the lexical rank's share by how much of the query the entry covers (0.5 + coverage)."""
    background_size: int = 1000
    name_vectors: bool = True
    """Also match the query against the vectors of the entries' names alone (max-pooled with the passage's z)."""
    relevance_gate: bool = True
    """Decide whether the query has an answer at all from the whole ranking's evidence
    (search/relevance_gate.py); when it has, show the entries the per-entry threshold or the floor admits."""
    floor_margin: float = -1.0
    """With the gate open, an entry is shown if its z-score reaches the noise maximum plus this
    (or its word coverage reaches ``partial_coverage``), so unrelated entries stay out of the list."""
    dense_only: bool = False
    lexical_only: bool = False


@dataclass
class _Candidate:
    card: EntityCard
    cosine: float = 0.0
    dense_rank: int | None = None
    lexical: LexicalHit | None = None
    lexical_rank: int | None = None
    z: float = 0.0
    """The larger of the passage's and the names' z-scores against their backgrounds."""
    passage_z: float = 0.0
    name_z: float = 0.0
    proposed_by_dense: bool = False
    fused: float = 0.0
    named: bool = False
    """The query is the entry's name or one of its other names (a navigational query)."""
    below_threshold: bool = False
    """Shown because the relevance gate found the query answerable, not on the entry's own evidence."""
    reasons: list[str] = field(default_factory=list)


class HybridRanker:
    """Answers queries over one catalogue's cards with its dense and lexical indexes."""

    def __init__(
        self,
        cards: dict[str, EntityCard],
        dense: DenseIndex,
        lexical: LexicalIndex,
        encoder: Encoder,
        config: RankingConfig | None = None,
        *,
        names: DenseIndex | None = None,
        gate: RelevanceGate | None = None,
    ) -> None:
        self.cards = cards
        self.dense = dense
        self.names = names if names is not None and len(names) else None
        self.lexical = lexical
        self.encoder = encoder
        self.config = config or RankingConfig()
        self.gate = gate if gate is not None else default_gate() if self.config.relevance_gate else None
        publishers = {card.publisher_iri for card in cards.values() if card.publisher_iri}
        self.understanding = QueryUnderstanding(cards.values(), publishers, official_abbreviations())
        keys = list(dense.keys())
        step = max(1, len(keys) // self.config.background_size)
        sample = keys[::step][: self.config.background_size]
        self.background = dense.vectors(sample) if sample else np.zeros((0, encoder.dimension), dtype=np.float32)
        names_sample = [key for key in sample if self.names is not None and key in self.names]
        self.names_background = (
            self.names.vectors(names_sample) if self.names is not None and names_sample else self.background
        )
        # The largest of n unrelated cosines sits about sqrt(2 ln n) standard deviations above their mean
        # (extreme values of a normal sample); a real match must stand out from that, not from the mean.
        self.noise_z = math.sqrt(2 * math.log(max(len(keys), 2)))
        # Worked out once, not per query: who goes by which name, who publishes what, how often.
        self._named_keys: dict[str, set[str]] = {}
        self._by_publisher: dict[tuple[str | None, str | None], list[EntityCard]] = {}
        self._by_frequency: dict[str, list[EntityCard]] = {}
        for card in cards.values():
            for name in (card.label, *card.alt_labels):
                self._named_keys.setdefault(_compact(name), set()).add(card.iri)
            self._by_publisher.setdefault((card.publisher_iri, card.publisher), []).append(card)
            if card.frequency:
                self._by_frequency.setdefault(card.frequency, []).append(card)
        self._by_publisher_iri: dict[str, list[EntityCard]] = {}
        for (iri, _), group in self._by_publisher.items():
            if iri:
                self._by_publisher_iri.setdefault(iri, []).extend(group)

    def search(self, query: str, k: int = 10, filters: Filters | None = None) -> SearchResponse:
        understood = self.understanding.understand(query)
        filters = (filters or Filters()).understood(understood.publishers, understood.frequency)
        text = understood.text
        if not text.strip():
            if not filters.active:
                return SearchResponse(query, [], {}, None, "查询为空 / the query is empty")
            return self._listing(
                query, k, filters, understood.publisher_label, understood.frequency, understood.publishers
            )
        ranked, query_words = self._ranked(text, filters)
        relevant = [c for c in self._answer(ranked, query_words) if filters.accepts(c.card)]
        results = [self._result(c, query_words) for c in relevant[:k]]
        reason = None if results else "没有找到与查询相关的条目 / nothing in the catalogue matches this query"
        return SearchResponse(
            query, results, _facets(relevant), understood.publisher_label, reason, understood.frequency
        )

    def evidence(self, query: str) -> tuple[list[float], list[str]]:
        """The query's evidence for the relevance gate (search.relevance_gate.FEATURES) and the labels of
        its candidates in ranked order, before any threshold: what bench/train_relevance_gate.py fits on."""
        understood = self.understanding.understand(query)
        filters = Filters().understood(understood.publishers, understood.frequency)
        if not understood.text.strip():
            return [], []
        ranked, query_words = self._ranked(understood.text, filters)
        if not ranked:
            return [], []
        admitted = [c for c in ranked if self._is_relevant(c)]
        return self._evidence(ranked, query_words, admitted), [c.card.label for c in ranked]

    def _ranked(self, text: str, filters: Filters) -> tuple[list[_Candidate], list[str]]:
        """Every candidate with its scores, best fused score first, and the query's words."""
        candidates = self._candidates(text, filters)
        query_words = self.lexical.tokenizer.words(text)
        self._boost_wanted_kinds(candidates, query_words)
        self._prefer_named_places(candidates, text)
        return sorted(candidates.values(), key=lambda c: -c.fused), query_words

    def _answer(self, ranked: list[_Candidate], query_words: Sequence[str]) -> list[_Candidate]:
        """The candidates to show, best first: those the per-entry threshold admits; with the gate, none but
        named entries when it finds the query has no answer, else after the admitted ones the other
        candidates above the floor (marked as such in their ``why``)."""
        config = self.config
        if not ranked:
            return []
        admitted = [c for c in ranked if self._is_relevant(c)]
        if self.gate is None or not config.relevance_gate or config.dense_only or config.lexical_only:
            return admitted
        if not self.gate.answers(self._evidence(ranked, query_words, admitted)):
            return [c for c in ranked if c.named]
        floor = self.noise_z + config.floor_margin
        chosen = {id(c) for c in admitted}
        weaker = [
            c for c in ranked if id(c) not in chosen and (c.z >= floor or _coverage(c) >= config.partial_coverage)
        ]
        for candidate in weaker:
            candidate.below_threshold = True
        return admitted + weaker

    def _evidence(
        self, ranked: list[_Candidate], query_words: Sequence[str], admitted: Sequence[_Candidate]
    ) -> list[float]:
        """The features of search.relevance_gate.FEATURES, z-scores relative to the noise maximum;
        ``admitted``: the candidates the per-entry threshold admits."""
        top, head, noise = ranked[0], ranked[:EVIDENCE_DEPTH], self.noise_z
        admitted_ids = {id(c) for c in admitted}
        z = sorted((c.z for c in ranked), reverse=True)
        return [
            top.z - noise,
            top.passage_z - noise,
            top.name_z - noise,
            _coverage(top),
            z[0] - noise,
            max(_coverage(c) for c in head),
            z[0] - z[min(9, len(z) - 1)],
            math.log1p(top.lexical.score if top.lexical else 0.0),
            float(len(query_words)),
            float(any(id(c) in admitted_ids for c in head)),
        ]

    def _candidates(self, text: str, filters: Filters) -> dict[str, _Candidate]:
        n = self.config.candidates
        named = self._named_keys.get(_compact(text), set()) | set(self.understanding.departments_named(text))
        vector = self.encoder.encode_queries([text])[0]
        candidates: dict[str, _Candidate] = {
            key: _Candidate(self.cards[key], named=True) for key in named if key in self.cards and key in self.dense
        }
        if not self.config.lexical_only:
            for space in self._dense_spaces():
                for hit in space.search(vector, n):
                    if hit.key in self.cards:
                        candidate = candidates.setdefault(
                            hit.key, _Candidate(self.cards[hit.key], named=hit.key in named)
                        )
                        candidate.proposed_by_dense = True
        if not self.config.dense_only:
            for rank, lexical in enumerate(self.lexical.search(text, n)):
                if lexical.key not in self.cards:
                    continue
                candidate = candidates.setdefault(
                    lexical.key, _Candidate(self.cards[lexical.key], named=lexical.key in named)
                )
                candidate.lexical, candidate.lexical_rank = lexical, rank
        for card in self._filter_pool(filters):  # rank all a publisher or frequency filter admits
            if filters.accepts(card) and card.iri in self.dense:
                candidates.setdefault(card.iri, _Candidate(card, named=card.iri in named))
        self._score(candidates, vector)
        return candidates

    def _filter_pool(self, filters: Filters) -> list[EntityCard]:
        """The cards a publisher or frequency filter can admit, from the maps built once (no scan of all cards)."""
        if filters.publisher_any:
            return [card for iri in filters.publisher_any for card in self._by_publisher_iri.get(iri, ())]
        if filters.publisher:
            probe = Filters(publisher=filters.publisher)
            return [card for group in self._by_publisher.values() if probe.accepts(group[0]) for card in group]
        if filters.frequency:
            return self._by_frequency.get(filters.frequency, [])
        return []

    def _dense_spaces(self) -> list[DenseIndex]:
        if self.names is not None and self.config.name_vectors:
            return [self.dense, self.names]
        return [self.dense]

    def _score(self, candidates: dict[str, _Candidate], vector: np.ndarray) -> None:
        if not candidates:
            return
        keys = [key for key in candidates if key in self.dense]
        cosines = self.dense.vectors(keys) @ vector if keys else np.zeros(0)
        mean, std = _mean_std(self.background, vector)
        for key, cosine in zip(keys, cosines.tolist(), strict=True):
            candidates[key].cosine = cosine
            candidates[key].z = candidates[key].passage_z = (cosine - mean) / std
        if self.names is not None and self.config.name_vectors:
            name_keys = [key for key in candidates if key in self.names]
            name_cosines = self.names.vectors(name_keys) @ vector if name_keys else np.zeros(0)
            mean, std = _mean_std(self.names_background, vector)
            for key, cosine in zip(name_keys, name_cosines.tolist(), strict=True):
                candidate = candidates[key]
                z = candidate.name_z = (cosine - mean) / std
                if z > candidate.z:
                    candidate.z, candidate.cosine = z, cosine
        proposed = sorted((c for c in candidates.values() if c.proposed_by_dense), key=lambda c: -c.z)
        for rank, candidate in enumerate(proposed):
            candidate.dense_rank = rank
        config = self.config
        for candidate in candidates.values():
            score = _NAME_MATCH if candidate.named else 0.0
            if candidate.dense_rank is not None and not config.lexical_only:
                score += config.dense_weight / (config.rrf_k + candidate.dense_rank)
            if candidate.lexical is not None and candidate.lexical_rank is not None and not config.dense_only:
                share = 0.5 + candidate.lexical.coverage if config.coverage_weighting else 1.0
                score += share * config.lexical_weight / (config.rrf_k + candidate.lexical_rank)
            if candidate.card.type == "Dataset":
                score *= config.dataset_prior
            candidate.fused = score

    def _boost_wanted_kinds(self, candidates: dict[str, _Candidate], query_words: Sequence[str]) -> None:
        """A kind word (部门, 公司, 规划 …) says which type of entry is wanted: those rank higher."""
        if self.config.kind_boost == 1.0:
            return
        wanted = wanted_types(query_words)
        for candidate in candidates.values():
            if candidate.card.type in wanted:
                candidate.fused *= self.config.kind_boost

    def _prefer_named_places(self, candidates: dict[str, _Candidate], text: str) -> None:
        """Entries about the district the query names rank higher, entries about other districts lower."""
        if self.config.place_boost == 1.0:
            return
        districts = district_names()
        asked = districts.in_query(self.lexical.tokenizer.segments(text))
        if not asked:
            return
        for candidate in candidates.values():
            about = districts.of_entry(candidate.card)
            if about & asked:
                candidate.fused *= self.config.place_boost
            elif about:
                candidate.fused /= self.config.place_boost

    def _is_relevant(self, candidate: _Candidate) -> bool:
        config = self.config
        coverage = _coverage(candidate)
        if candidate.named:
            return True
        lexical_ok = coverage >= config.min_coverage and (config.lexical_only or candidate.z >= config.lexical_min_z)
        dense_ok = (
            candidate.passage_z >= self.noise_z + config.dense_margin
            or candidate.name_z >= self.noise_z + config.name_margin
        )
        if config.lexical_only:
            return lexical_ok
        if config.dense_only:
            return dense_ok
        partial = coverage >= config.partial_coverage and candidate.z >= self.noise_z + config.partial_margin
        return lexical_ok or dense_ok or partial

    def _result(self, candidate: _Candidate, query_words: Sequence[str]) -> SearchResult:
        terms = candidate.lexical.matched if candidate.lexical else ()
        why: dict[str, object] = {
            "vector_similarity": round(candidate.cosine, 4),
            "vector_z": round(candidate.z, 2),
            "lexical_terms": list(terms),
            "lexical_coverage": round(candidate.lexical.coverage, 3) if candidate.lexical else 0.0,
            "lexical_score": round(candidate.lexical.score, 3) if candidate.lexical else 0.0,
        }
        if candidate.below_threshold:
            why["below_threshold"] = True
        snippet, highlights, source = make_snippet(candidate.card, terms, query_words)
        return SearchResult(candidate.card, round(candidate.fused * 1000, 3), snippet, highlights, source, why)

    def _listing(
        self,
        query: str,
        k: int,
        filters: Filters,
        publisher_label: str | None,
        frequency: str | None = None,
        named: Sequence[str] = (),
    ) -> SearchResponse:
        """A query that was only a filter (``绿容局 的数据``): the departments it names (``named``: the way to
        all they publish), then the entries the filter admits, datasets first, by title."""
        pooled = filters.publisher_any or filters.publisher or filters.frequency
        pool = self._filter_pool(filters) if pooled else self.cards.values()
        matching = sorted((c for c in pool if filters.accepts(c)), key=lambda c: (c.type != "Dataset", c.label, c.iri))
        wants_departments = not filters.types or "Department" in filters.types
        departments = [self.cards[iri] for iri in named if iri in self.cards and wants_departments]
        why: dict[str, object] = {"filters": filters.to_json(), "publisher": publisher_label}
        named_why = {**why, "named_department": True}
        results = [SearchResult(card, 1.0, *make_snippet(card, (), ()), named_why) for card in departments[:k]]
        results += [SearchResult(card, 1.0, *make_snippet(card, (), ()), why) for card in matching[: k - len(results)]]
        candidates = [_Candidate(card) for card in (*departments, *matching)]
        reason = None if results else "目录中没有符合这些条件的条目 / no entry of the catalogue meets these conditions"
        return SearchResponse(query, results, _facets(candidates), publisher_label, reason, frequency)


_NAME_MATCH = 1.0
"""Added to the fused score of an entry the query names exactly: it comes first."""


EVIDENCE_DEPTH = 20
"""How many of the best-ranked candidates the gate's coverage and threshold features look at."""


def _coverage(candidate: _Candidate) -> float:
    return candidate.lexical.coverage if candidate.lexical is not None else 0.0


def wanted_types(words: Sequence[str]) -> frozenset[str]:
    """The entity types the query's kind words ask for (部门 → Department); none when no kind word, or when
    the query has nothing else (``数据`` alone, or ``平台`` alone, is the topic, not a kind)."""
    kinds = kind_types()
    if all(word in kinds for word in words):
        return frozenset()
    return frozenset(kind for word in words for kind in kinds.get(word, ()))


def _mean_std(background: np.ndarray, vector: np.ndarray) -> tuple[float, float]:
    """Mean and standard deviation of the query's cosines to a background sample of the catalogue."""
    cosines = background @ vector if len(background) else np.zeros(1)
    return float(cosines.mean()), float(cosines.std()) or 1e-6


def _compact(text: str) -> str:
    return "".join(normalise(text).split())


def _facets(candidates: Sequence[_Candidate]) -> dict[str, dict[str, int]]:
    names = ("type", "publisher", "domain", "access_right", "frequency", "district")
    counters: dict[str, Counter[str]] = {name: Counter() for name in names}
    for candidate in candidates:
        card = candidate.card
        counters["type"][card.type] += 1
        if card.publisher:
            counters["publisher"][card.publisher] += 1
        for domain in card.domains:
            counters["domain"][domain] += 1
        if card.access_right:
            counters["access_right"][card.access_right] += 1
        if card.frequency:
            counters["frequency"][card.frequency] += 1
        if card.district:
            counters["district"][card.district] += 1
    return {name: dict(counter.most_common(20)) for name, counter in counters.items()}
