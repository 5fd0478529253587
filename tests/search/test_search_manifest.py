"""Loading refuses indexes made by another encoder, for another graph, or damaged on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search import (
    FORMAT_VERSION,
    DenseIndex,
    IndexCorrupt,
    IndexDocument,
    IndexManifest,
    IndexManifestMismatch,
    IndexNotFound,
    StaleIndex,
)
from search.manifest import MANIFEST_FILE, read_manifest
from search.testing import HashingEncoder


def test_manifest_records_what_the_index_holds(index: DenseIndex, index_dir: Path) -> None:
    index.save(index_dir)
    raw = json.loads((index_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert raw["model_id"] == "testing/hashing-ngram-1-2-3@64"
    assert raw["dimension"] == 64
    assert raw["count"] == len(index)
    assert raw["index_kind"] == "exact"
    assert raw["graph_version"] == "v1"
    assert raw["format_version"] == FORMAT_VERSION
    assert read_manifest(index_dir) == IndexManifest.from_json(json.dumps(raw), index_dir)


def test_other_model_is_refused_with_rebuild_hint(index: DenseIndex, index_dir: Path) -> None:
    index.save(index_dir)
    other = HashingEncoder(dimension=64, model_id="other/model@2")
    with pytest.raises(IndexManifestMismatch) as caught:
        DenseIndex.load(index_dir, other)
    message = str(caught.value)
    assert "testing/hashing-ngram-1-2-3@64" in message and "other/model@2" in message
    assert "run `kgcat index --rebuild`" in message


def test_other_dimension_is_refused(index: DenseIndex, index_dir: Path) -> None:
    index.save(index_dir)
    same_name = HashingEncoder(dimension=128, model_id="testing/hashing-ngram-1-2-3@64")
    with pytest.raises(IndexManifestMismatch, match=r"dimension 64; this encoder has dimension 128"):
        DenseIndex.load(index_dir, same_name)


def test_other_format_version_is_refused(index: DenseIndex, encoder: HashingEncoder, index_dir: Path) -> None:
    index.save(index_dir)
    path = index_dir / MANIFEST_FILE
    raw = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**raw, "format_version": FORMAT_VERSION + 1}), encoding="utf-8")
    with pytest.raises(IndexManifestMismatch, match="format version"):
        DenseIndex.load(index_dir, encoder)


def test_stale_graph_version_is_reported(index: DenseIndex, encoder: HashingEncoder, index_dir: Path) -> None:
    index.save(index_dir)
    with pytest.raises(StaleIndex, match=r"'v1' but the graph is at 'v2'; run `kgcat index`"):
        DenseIndex.load(index_dir, encoder, graph_version="v2")


def test_stale_index_can_be_served_with_a_warning(
    index: DenseIndex,
    encoder: HashingEncoder,
    documents: list[IndexDocument],
    index_dir: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    index.save(index_dir)
    loaded = DenseIndex.load(index_dir, encoder, graph_version="v2", allow_stale=True)
    assert loaded.stale
    assert "graph version 'v1'" in caplog.text
    loaded.update(documents, graph_version="v2")
    assert not loaded.stale and loaded.manifest.graph_version == "v2"


def test_missing_index_says_how_to_build_one(encoder: HashingEncoder, tmp_path: Path) -> None:
    with pytest.raises(IndexNotFound, match="kgcat index --rebuild"):
        DenseIndex.load(tmp_path / "nowhere", encoder)


def test_inconsistent_files_are_reported_as_corrupt(
    index: DenseIndex, encoder: HashingEncoder, index_dir: Path
) -> None:
    index.save(index_dir)
    path = index_dir / MANIFEST_FILE
    raw = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**raw, "count": raw["count"] + 1}), encoding="utf-8")
    with pytest.raises(IndexCorrupt, match="manifest count"):
        DenseIndex.load(index_dir, encoder)


def test_unreadable_manifest_is_reported_as_corrupt(
    index: DenseIndex, encoder: HashingEncoder, index_dir: Path
) -> None:
    index.save(index_dir)
    (index_dir / MANIFEST_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexCorrupt, match="kgcat index --rebuild"):
        DenseIndex.load(index_dir, encoder)
