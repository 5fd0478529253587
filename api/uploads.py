"""Request bodies that are files: records or RDF, named by their Content-Type, kept in a temporary file.

Imports and validation reuse the file-based readers of graph/ (the same as the CLI), so a body
is written to a temporary file whose suffix says what it is: records by their media type
(``text/csv``, ``application/x-ndjson`` …, ``application/json`` for an array of records unless it
is JSON-LD), documents (``text/plain``, ``text/markdown``; imports only), RDF by the formats table
(graph/formats.py).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from api.errors import BadRequest, UnsupportedMediaType
from graph.formats import RDF_SYNTAXES, UnsupportedFormatError, rdf_syntax

RECORD_TYPES: dict[str, str] = {
    "text/csv": ".csv",
    "application/x-ndjson": ".jsonl",
    "application/jsonl": ".jsonl",
    "application/x-jsonlines": ".jsonl",
    "application/json": ".json",
}
DOCUMENT_TYPES: dict[str, str] = {"text/plain": ".txt", "text/markdown": ".md"}
"""Documents (policies, plans, announcements) for the extraction pipeline: imports only."""
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,80}$")


def accepted_types(*, documents: bool) -> list[str]:
    return [*RECORD_TYPES, *(DOCUMENT_TYPES if documents else ()), *(syntax.media_type for syntax in RDF_SYNTAXES)]


def suffix_for(content_type: str | None, *, documents: bool = False) -> str:
    """The file suffix of a body with this Content-Type; 415 naming the accepted types otherwise."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media in RECORD_TYPES:
        return RECORD_TYPES[media]
    if documents and media in DOCUMENT_TYPES:
        return DOCUMENT_TYPES[media]
    try:
        return rdf_syntax(media).extension
    except UnsupportedFormatError:
        accepted = accepted_types(documents=documents)
        raise UnsupportedMediaType(
            f"cannot read a body of type {media or '(none)'}; send one of: {', '.join(accepted)}", accepted=accepted
        ) from None


def source_key(key: str | None) -> str:
    """A graph key given by the client: ASCII letters, digits, '-' and '_'."""
    if key is None or not _KEY.match(key):
        raise BadRequest(
            f"give the source a key with ?graph= (ASCII letters, digits, - and _; got {key!r}); "
            "it names the source's graph and lets a re-post replace it"
        )
    return key


@contextmanager
def body_file(body: bytes, content_type: str | None, stem: str, *, documents: bool = False) -> Iterator[Path]:
    """``body`` written to ``<tmp>/<stem><suffix>``, removed afterwards; ``documents``: text documents too."""
    suffix = suffix_for(content_type, documents=documents)
    if not body:
        raise BadRequest("the request body is empty; send the records or RDF to read")
    with tempfile.TemporaryDirectory(prefix="kgcat-upload-") as directory:
        path = Path(directory) / f"{stem}{suffix}"
        path.write_bytes(body)
        yield path
