"""The kgcat exception tree: one base class, a few specific subclasses per concern.

Every message says what went wrong and what the user can do next. Packages above
`ontology` (graph, search, api) subclass these; nothing below the API edge catches
bare ``Exception``.
"""

from __future__ import annotations


class KgcatError(Exception):
    """Base of every error kgcat raises on purpose."""


class VocabularyError(KgcatError):
    """A vocabulary, scheme or shapes file is missing or malformed (a packaging bug)."""


class ValidationSetupError(KgcatError):
    """SHACL validation could not run (unknown shapes layer, unreadable shapes file)."""
