"""Shared fixtures for the extraction tests: the lexicon, the corpus and helpers."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from graph.extraction import (
    CorpusExtraction,
    DocumentExtraction,
    Lexicon,
    extract_corpus,
    extract_document,
    load_lexicon,
)


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    """The bundled dictionaries and rules."""
    return load_lexicon()


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The five evaluation documents (skipped when the shared corpus is not there)."""
    directory = Path(os.environ.get("KGCAT_CORPUS", "/work/shared/corpus"))
    if not any(directory.glob("*.txt")):
        pytest.skip(f"corpus not found in {directory}; set KGCAT_CORPUS")
    return directory


@pytest.fixture(scope="session")
def corpus(corpus_dir: Path) -> CorpusExtraction:
    """The whole corpus, extracted once per test session."""
    return extract_corpus(sorted(corpus_dir.glob("*.txt")))


@pytest.fixture(scope="session")
def found() -> Callable[[str], set[tuple[str, str]]]:
    """(type, surface) pairs extracted from a short text."""

    def run(text: str) -> set[tuple[str, str]]:
        return {(m.type.value, m.text) for m in extract_document(text).mentions}

    return run


@pytest.fixture(scope="session")
def extracted() -> Callable[[str], DocumentExtraction]:
    """The full extraction of a short text."""
    return lambda text: extract_document(text)
