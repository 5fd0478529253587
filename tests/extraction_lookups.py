"""What the extraction tests look up in a short text's extraction (with the ``found`` and ``extracted``
fixtures of tests/graph/extraction/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

from graph.extraction import DocumentExtraction

Found = Callable[[str], set[tuple[str, str]]]
Extracted = Callable[[str], DocumentExtraction]


def of_type(found: Found, text: str, entity_type: str) -> set[str]:
    """The surfaces of one entity type found in ``text``."""
    return {s for t, s in found(text) if t == entity_type}


def canonicals(extraction: DocumentExtraction, entity_type: str) -> dict[str, str]:
    """Surface → canonical name of one entity type's mentions."""
    return {m.text: m.canonical for m in extraction.mentions if m.type.value == entity_type}
