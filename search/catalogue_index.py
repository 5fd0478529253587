"""The search index of a catalogue on disk: dense vectors, BM25 postings and entity cards, swapped in whole.

``build_catalogue_index`` reads every entity from the store, updates the dense index
incrementally (only entities whose text changed are re-encoded), rebuilds the lexical index
and the cards, and replaces the index directory atomically. The manifest records the graph
version the index was built from, so a server can tell when the catalogue moved on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graph.catalogue import graph_version
from graph.store import Store
from search.atomic_dir import replace_directory
from search.documents import IndexDocument
from search.encoder import Encoder
from search.entities import EntityCard, catalogue_entities
from search.errors import IndexCorrupt, IndexNotFound
from search.hybrid import HybridRanker, RankingConfig
from search.index import DenseIndex, IndexConfig, UpdateStats
from search.lexical import TITLE_SEPARATOR, LexicalIndex

logger = logging.getLogger(__name__)

CARDS_FILE = "cards.jsonl"
NAMES_DIR = "dense-names"
"""The vectors of the entries' names alone (``EntityCard.name_passage``), beside ``dense/`` (whole passages)."""
META_FILE = "catalogue-index.json"


@dataclass(frozen=True)
class IndexBuild:
    entities: int
    graph_version: str
    dense: UpdateStats
    names: UpdateStats = field(default_factory=UpdateStats)


def _names(cards: list[EntityCard]) -> list[str]:
    """Every name an entity goes by, also without a leading 区/市 (区卫健委 → 卫健委), to teach the tokenizer."""
    names = [name for card in cards for name in (card.label, *card.alt_labels)]
    return names + [name[1:] for name in names if name[:1] in ("区", "市") and len(name) > 3]


def _titles(cards: list[EntityCard]) -> dict[str, str]:
    """Each entry's names as its title text (BM25F's title field; what short forms are matched against)."""
    return {card.iri: TITLE_SEPARATOR.join((card.label, *card.alt_labels)) for card in cards}


def build_catalogue_index(
    store: Store,
    encoder: Encoder,
    directory: Path,
    *,
    config: IndexConfig | None = None,
    rebuild: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> IndexBuild:
    """Bring the index in ``directory`` up to date with ``store``; ``rebuild`` starts from nothing."""
    cards = list(catalogue_entities(store))
    return index_cards(
        cards, graph_version(store), encoder, directory, config=config, rebuild=rebuild, progress=progress
    )


def index_cards(
    cards: list[EntityCard],
    version: str,
    encoder: Encoder,
    directory: Path,
    *,
    config: IndexConfig | None = None,
    rebuild: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> IndexBuild:
    """Write the index of ``cards`` (the entities of graph ``version``) into ``directory``, replacing it whole.

    Only cards whose passage changed since the index already there are re-encoded (unless ``rebuild``).
    """
    dense = _existing_dense(directory / "dense", encoder, config) if not rebuild else None
    dense = dense or DenseIndex(encoder, config, graph_version=version)
    documents = [IndexDocument.from_text(card.iri, card.passage()) for card in cards]
    stats = dense.update(documents, graph_version=version, progress=progress)
    names = _existing_dense(directory / NAMES_DIR, encoder, config) if not rebuild else None
    names = names or DenseIndex(encoder, config, graph_version=version)
    name_stats = names.update(
        [IndexDocument.from_text(card.iri, card.name_passage()) for card in cards], graph_version=version
    )
    texts = {card.iri: card.lexical_text() for card in cards}
    lexical = LexicalIndex.build(texts, _names(cards), titles=_titles(cards))

    def write(staging: Path) -> None:
        dense.save(staging / "dense")
        names.save(staging / NAMES_DIR)
        lexical.save(staging)
        with (staging / CARDS_FILE).open("w", encoding="utf-8") as handle:
            for card in cards:
                handle.write(json.dumps(card.to_json(), ensure_ascii=False) + "\n")
        meta = {"graph_version": version, "entities": len(cards), "model_id": encoder.model_id}
        (staging / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")

    replace_directory(directory, write)
    logger.info("search index: %d entities, %d + %d encoded", len(cards), stats.encoded, name_stats.encoded)
    return IndexBuild(len(cards), version, stats, name_stats)


def _existing_dense(directory: Path, encoder: Encoder, config: IndexConfig | None) -> DenseIndex | None:
    try:
        return DenseIndex.load(directory, encoder, config, allow_stale=True)
    except IndexNotFound:
        return None


def indexed_encoder_id(directory: Path) -> str | None:
    """The id of the encoder the index in ``directory`` was built with; None where there is no readable index
    (loading it then says why)."""
    try:
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    model_id = meta.get("model_id") if isinstance(meta, dict) else None
    return model_id if isinstance(model_id, str) else None


def open_catalogue_index(
    directory: Path, encoder: Encoder, *, config: RankingConfig | None = None, index_config: IndexConfig | None = None
) -> tuple[HybridRanker, str]:
    """Load the index in ``directory``; returns the ranker and the graph version it was built from."""
    if not (directory / META_FILE).exists():
        raise IndexNotFound(directory)
    try:
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        lines = (directory / CARDS_FILE).read_text(encoding="utf-8").splitlines()
        cards = [EntityCard.from_json(json.loads(line)) for line in lines if line]
    except (OSError, ValueError, TypeError) as error:
        raise IndexCorrupt(directory, str(error)) from error
    dense = DenseIndex.load(directory / "dense", encoder, index_config, allow_stale=True)
    names = _existing_dense(directory / NAMES_DIR, encoder, index_config)  # absent from indexes built before it
    lexical = LexicalIndex.load(directory, _names(cards), _titles(cards))
    ranker = HybridRanker({card.iri: card for card in cards}, dense, lexical, encoder, config, names=names)
    return ranker, str(meta["graph_version"])
