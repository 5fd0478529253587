"""Export a converted sentence-transformers folder to a dynamically quantised int8 ONNX file.

sentence-transformers' own ``export_dynamic_quantized_onnx_model`` goes through
``optimum-onnx``, which needs transformers < 4.58 and so cannot be installed beside
sentence-transformers 6. The same two steps are done here directly: ``torch.onnx``
exports the transformer (inputs ``input_ids``, ``attention_mask``, ``token_type_ids``;
output ``last_hidden_state``, the layout optimum writes), then ONNX Runtime's
``quantize_dynamic`` stores MatMul and embedding weights as uint8 per channel with
symmetric ranges — the settings of optimum's ``avx2`` preset, safe on any x86-64 CPU
(signed int8 weights are faster only on CPUs with VNNI).

Needs torch, transformers, onnx and onnxruntime; pooling and normalisation stay
outside the graph (:class:`search.onnx_encoder.OnnxEncoder` does them).
ONNX Runtime quantisation: https://onnxruntime.ai/docs/performance/model-optimizations/quantization.html
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from search.errors import EncoderUnavailable

logger = logging.getLogger(__name__)

ONNX_HINT: Final = "install torch==2.13.0, onnx and onnxruntime (`pip install 'kgcat[st]' onnx onnxruntime`)"
INPUT_NAMES: Final = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT_NAME: Final = "last_hidden_state"
OPSET: Final = 17


def require_onnx_export() -> None:
    """Raise :class:`EncoderUnavailable` unless every package the export needs is installed (the conversion
    before it too: safetensors and tokenizers write the folder that torch exports)."""
    for module in ("torch", "transformers", "onnx", "onnxruntime", "tokenizers", "safetensors"):
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):  # a missing parent package; a module without a spec
            found = False
        if not found:
            raise EncoderUnavailable("st-bundled-onnx", f"the ONNX export needs {module}", ONNX_HINT)


def write_onnx_int8(model_dir: Path, target: Path) -> Path:
    """Export the transformer in ``model_dir`` and write its int8 quantisation to ``target``."""
    require_onnx_export()
    started = time.perf_counter()
    target.parent.mkdir(parents=True, exist_ok=True)  # the scratch directory goes beside the target
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".export-") as scratch:
        float_model = Path(scratch) / "model.onnx"
        export_float_onnx(model_dir, float_model)
        quantize_int8(float_model, target)
    logger.info("wrote %s in %.1f s", target, time.perf_counter() - started)
    return target


def quantize_int8(float_model: Path, target: Path) -> None:
    """Dynamic quantisation: uint8 per-channel symmetric weights for MatMul and Gather."""
    quantization = _require("onnxruntime.quantization")
    target.parent.mkdir(parents=True, exist_ok=True)
    with _quiet_root_logger():
        quantization.quantize_dynamic(
            float_model,
            target,
            op_types_to_quantize=["MatMul", "Gather"],
            per_channel=True,
            weight_type=quantization.QuantType.QUInt8,
            extra_options={"WeightSymmetric": True},
        )


def export_float_onnx(model_dir: Path, target: Path) -> None:
    """Trace the float32 transformer of ``model_dir`` into ``target`` (dynamic batch and length)."""
    torch = _require("torch")
    transformers = _require("transformers")
    model = transformers.AutoModel.from_pretrained(str(model_dir)).eval()
    example = torch.tensor([[0, 6, 2], [0, 2, 1]])
    inputs = (example, (example != 1).long(), torch.zeros_like(example))
    axes = {name: {0: "batch", 1: "sequence"} for name in (*INPUT_NAMES, OUTPUT_NAME)}
    with warnings.catch_warnings(), torch.no_grad():
        # the tracer warns about Python-level branches in transformers' mask code; padded batches are
        # checked against the torch model in tests/search/test_search_st_onnx.py
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _last_hidden_state(torch, model),
            inputs,
            str(target),
            input_names=list(INPUT_NAMES),
            output_names=[OUTPUT_NAME],
            dynamic_axes=axes,
            opset_version=OPSET,
            dynamo=False,
        )


def _last_hidden_state(torch: Any, model: Any) -> Any:
    """Wrap ``model`` so the traced graph returns only ``last_hidden_state`` (torch imported lazily)."""

    class LastHiddenState(torch.nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            output = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return output.last_hidden_state

    return LastHiddenState()


@contextmanager
def _quiet_root_logger() -> Iterator[None]:
    """Drop the quantiser's per-tensor INFO notes, which it logs on the root logger."""

    def keep(record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or "onnxruntime" not in record.pathname

    root = logging.getLogger()
    root.addFilter(keep)
    try:
        yield
    finally:
        root.removeFilter(keep)


def _require(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise EncoderUnavailable("st-bundled-onnx", f"the ONNX export needs {module.split('.')[0]}", ONNX_HINT) from exc
