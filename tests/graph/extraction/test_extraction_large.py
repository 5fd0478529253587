"""A large input must be processed in linear time and bounded memory."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from graph.extraction import extract_document


@pytest.mark.slow
def test_50_megabytes_of_text(corpus_dir: Path, tmp_path: Path) -> None:
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(corpus_dir.glob("*.txt")))
    copies = 50 * 2**20 // len(text.encode("utf-8")) + 1
    path = tmp_path / "large.txt"
    path.write_text("\n\n".join([text] * copies), encoding="utf-8")
    started = time.perf_counter()
    extraction = extract_document(path)
    seconds = time.perf_counter() - started
    assert len(extraction.mentions) > 300 * copies
    assert seconds < 600


def test_long_line_without_punctuation_is_linear() -> None:
    small, large = "数" * 20_000, "数" * 200_000
    started = time.perf_counter()
    extract_document(small)
    small_seconds = time.perf_counter() - started
    started = time.perf_counter()
    extract_document(large)
    large_seconds = time.perf_counter() - started
    assert large_seconds < 30 * max(small_seconds, 0.01)
