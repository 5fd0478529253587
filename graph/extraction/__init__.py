"""Chinese document → typed records: departments, datasets, policies, projects, organizations,
indicators, their relations, and entity resolution within and across documents (issue 3).

The engine produces plain frozen dataclasses (:mod:`graph.extraction.records`) and never
imports rdflib; mapping records to RDF is the mapping layer's job. Rules and dictionaries
live in ``graph/data/extraction/``.
"""

from __future__ import annotations

from graph.extraction.errors import LexiconError
from graph.extraction.evaluation import Score, score_entities, score_indicators, score_mentions
from graph.extraction.ingest import SourceText, decode_bytes, read_source
from graph.extraction.lexicon import Lexicon, load_lexicon
from graph.extraction.normalise import NormalisedText
from graph.extraction.offsets import OffsetMap
from graph.extraction.pipeline import extract_corpus, extract_document, normalise_text
from graph.extraction.records import (
    CorpusExtraction,
    DocumentExtraction,
    Entity,
    EntityType,
    IndicatorRow,
    Mention,
    Relation,
    RelationKind,
    Sentence,
)
from graph.extraction.sentences import split_sentences

__all__ = [
    "CorpusExtraction",
    "DocumentExtraction",
    "Entity",
    "EntityType",
    "IndicatorRow",
    "Lexicon",
    "LexiconError",
    "Mention",
    "NormalisedText",
    "OffsetMap",
    "Relation",
    "RelationKind",
    "Score",
    "Sentence",
    "SourceText",
    "decode_bytes",
    "extract_corpus",
    "extract_document",
    "load_lexicon",
    "normalise_text",
    "read_source",
    "score_entities",
    "score_indicators",
    "score_mentions",
    "split_sentences",
]
