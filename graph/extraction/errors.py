"""Errors of the extraction engine that are not about reading a source (those are SourceError)."""

from __future__ import annotations

from ontology.errors import KgcatError


class LexiconError(KgcatError):
    """A bundled extraction dictionary or rules file is missing or malformed (a packaging bug)."""
