"""Entry points: extract typed records from one document or from a corpus.

``extract_document`` takes a path (a ``pathlib.Path`` or other ``os.PathLike``), the document
text (``str``) or its bytes; ``extract_corpus`` takes paths and also resolves entities across
documents. An empty document gives an empty extraction (and a warning in the log); a binary or
undecodable file raises :class:`graph.errors.SourceError`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from graph.extraction.context import DocumentContext
from graph.extraction.indicators import parse_indicator_tables
from graph.extraction.ingest import SourceText, decode_bytes, read_source
from graph.extraction.lexicon import Lexicon, load_lexicon
from graph.extraction.mentions import find_mentions
from graph.extraction.normalise import NormalisedText, normalise
from graph.extraction.records import CorpusExtraction, DocumentExtraction
from graph.extraction.relations import find_relations
from graph.extraction.resolution import apply_aliases, document_entities, resolve_corpus, to_mentions
from graph.extraction.scope import mark_generic
from graph.extraction.segment import Segmenter
from graph.extraction.sentences import SentenceIndex, split_sentences
from graph.gc_pause import collection_paused

log = logging.getLogger(__name__)

Source = str | bytes | os.PathLike[str]


@lru_cache(maxsize=4)
def segmenter_for(lexicon: Lexicon) -> Segmenter:
    """The shared segmenter of a lexicon (jieba loads its dictionary once)."""
    return Segmenter(lexicon.user_words)


def normalise_text(raw: str, lexicon: Lexicon | None = None) -> NormalisedText:
    """Normalise raw document text with the bundled rules (see :mod:`graph.extraction.normalise`)."""
    lexicon = lexicon or load_lexicon()
    return normalise(raw, lexicon, segmenter_for(lexicon))


def extract_document(
    source: Source, *, doc_id: str | None = None, lexicon: Lexicon | None = None
) -> DocumentExtraction:
    """Extract mentions, entities, relations and indicator rows from one document."""
    lexicon = lexicon or load_lexicon()
    if isinstance(source, os.PathLike):
        text = read_source(Path(source))
    elif isinstance(source, bytes):
        decoded, encoding = decode_bytes(source, name=doc_id or "<bytes>")
        text = SourceText(decoded, encoding, doc_id or "document", None)
    else:
        text = SourceText(source, "str", doc_id or "document", None)
    return _extract(text, doc_id or text.doc_id, lexicon)


def extract_corpus(paths: Iterable[str | os.PathLike[str]], *, lexicon: Lexicon | None = None) -> CorpusExtraction:
    """Extract every document and merge entities across them."""
    lexicon = lexicon or load_lexicon()
    documents = tuple(extract_document(Path(p), lexicon=lexicon) for p in paths)
    entities, aliases = resolve_corpus(documents)
    renamed = tuple(apply_aliases(d, dict(aliases)) for d in documents)
    return CorpusExtraction(documents=renamed, entities=entities, aliases=aliases)


def _extract(source: SourceText, doc_id: str, lexicon: Lexicon) -> DocumentExtraction:
    with collection_paused():  # millions of acyclic records: full collections would make it quadratic
        return _extract_text(source, doc_id, lexicon)


def _extract_text(source: SourceText, doc_id: str, lexicon: Lexicon) -> DocumentExtraction:
    if not source.text.strip():
        log.warning("%s: empty document, nothing to extract", source.source or doc_id)
        return DocumentExtraction(doc_id, source.source, source.encoding, None, None, "", (), (), (), (), ())
    segmenter = segmenter_for(lexicon)
    normalised = normalise(source.text, lexicon, segmenter)
    sentences = split_sentences(normalised.text, lexicon)
    ctx = DocumentContext.build(normalised.text, lexicon, segmenter, SentenceIndex.of(sentences))
    rows = parse_indicator_tables(ctx, normalised.offsets)
    chosen = find_mentions(ctx, rows)
    mentions = to_mentions(chosen, ctx, normalised)
    entities = mark_generic(document_entities(mentions, chosen, doc_id), ctx)
    relations = find_relations(ctx, doc_id, mentions, chosen, entities)
    log.debug("%s: %d mentions, %d entities, %d relations", doc_id, len(mentions), len(entities), len(relations))
    return DocumentExtraction(
        doc_id=doc_id,
        source=source.source,
        encoding=source.encoding,
        district=ctx.district,
        year=ctx.year,
        text=normalised.text,
        sentences=sentences,
        mentions=tuple(mentions),
        entities=entities,
        relations=tuple(relations),
        indicators=tuple(rows),
        offsets=normalised.offsets,
    )
