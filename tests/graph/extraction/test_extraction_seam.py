"""The extraction/mapping seam: extraction produces plain records and never imports rdflib."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import graph.extraction as extraction
from graph.extraction import records

PACKAGE = Path(extraction.__file__).resolve().parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_extraction_module_imports_rdflib() -> None:
    for path in PACKAGE.glob("*.py"):
        forbidden = {m for m in imported_modules(path) if m.split(".")[0] in ("rdflib", "pyshacl", "pyoxigraph")}
        assert not forbidden, f"{path.name} imports {forbidden}"


def test_records_are_frozen_dataclasses() -> None:
    for name in ("Sentence", "Mention", "Entity", "Relation", "IndicatorRow", "DocumentExtraction", "CorpusExtraction"):
        cls = getattr(records, name)
        assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen


def test_public_surface() -> None:
    assert set(extraction.__all__) >= {"extract_document", "extract_corpus", "DocumentExtraction", "Mention", "Entity"}
