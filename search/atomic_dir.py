"""Crash-safe replacement of a whole directory.

A save writes every file into a hidden staging directory next to the target, fsyncs
it, then swaps it in with two renames::

    target            -> .target.old-<token>     (only if target exists)
    .target.tmp-<token> -> target

A crash before the first rename leaves the old index untouched (the staging
directory is garbage, cleaned up by the next save). A crash between the renames
leaves ``target`` missing but both complete copies on disk; :func:`recover` finishes
the swap, and is called before every load and save. One writer at a time is assumed.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger(__name__)


def _staging_path(target: Path, token: str) -> Path:
    return target.parent / f".{target.name}.tmp-{token}"


def _backup_path(target: Path, token: str) -> Path:
    return target.parent / f".{target.name}.old-{token}"


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(directory: Path) -> None:
    for child in directory.iterdir():
        if child.is_file():
            _fsync_path(child)
    _fsync_path(directory)


def replace_directory(target: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(staging_dir)`` and atomically make its result ``target``.

    If ``write`` raises, the staging directory is removed and ``target`` is unchanged.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    token = uuid.uuid4().hex[:12]
    staging = _staging_path(target, token)
    staging.mkdir()
    try:
        write(staging)
        _fsync_tree(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, target, token)
    _remove_leftovers(target)


def _swap(staging: Path, target: Path, token: str) -> None:
    backup = _backup_path(target, token)
    had_target = target.exists()
    if had_target:
        os.rename(target, backup)
    os.rename(staging, target)
    _fsync_path(target.parent)
    if had_target:
        shutil.rmtree(backup)


def _remove_leftovers(target: Path) -> None:
    for pattern in (f".{target.name}.tmp-*", f".{target.name}.old-*"):
        for leftover in target.parent.glob(pattern):
            logger.info("removing leftover %s from an interrupted save", leftover)
            shutil.rmtree(leftover, ignore_errors=True)


def recover(target: Path) -> bool:
    """Finish a save that crashed between its two renames; return True if one was found."""
    if target.exists() or not target.parent.is_dir():
        return False
    for backup in sorted(target.parent.glob(f".{target.name}.old-*")):
        token = backup.name.rsplit("-", 1)[1]
        staging = _staging_path(target, token)
        if staging.is_dir():
            logger.warning("completing interrupted save of %s from %s", target, staging)
            os.rename(staging, target)
            shutil.rmtree(backup)
        else:
            logger.warning("restoring %s from backup %s", target, backup)
            os.rename(backup, target)
        _fsync_path(target.parent)
        return True
    return False
