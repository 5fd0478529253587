"""A crash at any point of a save leaves a loadable index (the old one or the new one)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from search import DenseIndex, IndexDocument
from search.atomic_dir import recover, replace_directory
from search.testing import HashingEncoder


class Crash(Exception):
    """Stands in for the process dying."""


def test_failed_write_leaves_previous_index_untouched(
    index: DenseIndex, encoder: HashingEncoder, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index.save(index_dir)
    index.upsert([IndexDocument.from_text("new", "新增数据表")])

    def crash(directory: Path, manifest: object) -> Path:
        raise Crash

    monkeypatch.setattr("search.index.write_manifest", crash)
    with pytest.raises(Crash):
        index.save(index_dir)

    assert "new" not in DenseIndex.load(index_dir, encoder)
    assert [p.name for p in index_dir.parent.iterdir()] == [index_dir.name]


def test_crash_between_renames_is_completed_on_load(
    index: DenseIndex, encoder: HashingEncoder, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index.save(index_dir)
    index.upsert([IndexDocument.from_text("new", "新增数据表")])
    real_rename = os.rename

    def rename_then_die(src: Path, dst: Path) -> None:
        real_rename(src, dst)
        if ".old-" in Path(dst).name:
            raise Crash

    monkeypatch.setattr("search.atomic_dir.os.rename", rename_then_die)
    with pytest.raises(Crash):
        index.save(index_dir)
    monkeypatch.undo()
    assert not index_dir.exists()

    loaded = DenseIndex.load(index_dir, encoder)

    assert "new" in loaded
    assert [p.name for p in index_dir.parent.iterdir()] == [index_dir.name]


def test_backup_is_restored_when_staging_is_gone(tmp_path: Path) -> None:
    target = tmp_path / "index"
    backup = tmp_path / ".index.old-abc"
    backup.mkdir()
    (backup / "manifest.json").write_text("{}", encoding="utf-8")
    assert recover(target)
    assert (target / "manifest.json").exists() and not backup.exists()


def test_next_save_cleans_leftover_staging_directories(tmp_path: Path) -> None:
    target = tmp_path / "index"
    (tmp_path / ".index.tmp-dead").mkdir()

    def write(directory: Path) -> None:
        (directory / "f").write_text("x", encoding="utf-8")

    replace_directory(target, write)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index"]
    assert recover(target) is False
