"""The wheel users install (`pip install .`, not the editable install the tests run from) holds every
module and every data file the product reads: a package missing from the build configuration
(once api.routes and graph.extraction) only shows up outside the source tree."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TOP_LEVEL_PACKAGES = ("graph", "ontology", "search", "api")
NOT_SHIPPED_SUFFIXES = (".pyc",)


def tracked_files(*paths: str) -> list[str]:
    listing = subprocess.run(
        ["git", "ls-files", *paths], cwd=PROJECT_ROOT, check=True, capture_output=True, text=True
    ).stdout.split("\n")
    return [name for name in listing if name and (PROJECT_ROOT / name).is_file()]


def shipped_source_files() -> set[str]:
    """Every tracked file under the four top-level packages, as a path inside the wheel."""
    return {name for name in tracked_files(*TOP_LEVEL_PACKAGES) if not name.endswith(NOT_SHIPPED_SUFFIXES)}


@pytest.fixture(scope="module")
def wheel_contents(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The wheel built from a copy of the tracked files (a stale ``build/`` in the checkout would hide omissions)."""
    source = tmp_path_factory.mktemp("source")
    for name in tracked_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PROJECT_ROOT / name, source / name)
    out_dir = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(out_dir), "."],
        cwd=source,
        check=True,
        capture_output=True,
    )
    (wheel,) = out_dir.glob("kgcat-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_holds_every_module_and_data_file_of_the_packages(wheel_contents: set[str]) -> None:
    missing = sorted(shipped_source_files() - wheel_contents)
    assert not missing, f"not in the wheel (check [tool.setuptools] in pyproject.toml): {missing[:20]}"


def test_the_wheel_ships_no_tests_or_benchmarks(wheel_contents: set[str]) -> None:
    assert not [name for name in wheel_contents if name.startswith(("tests/", "bench/"))]
