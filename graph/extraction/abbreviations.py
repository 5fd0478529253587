"""Short forms of government bodies derived from the structure of their official names.

Chinese administrative prose shortens a body's name by three regular moves, which combine:

* the head: 委员会 → 委, 办公室 → 办, 管理局 / 事务局 → 局 (应急管理局 → 应急局,
  退役军人事务局 → 退役军人局, 民防办公室 → 民防办);
* the conjunction 和 (与, 及) is dropped (发展和改革委员会 → 发展改革委, 文化和旅游局 → 文化旅游局);
* a run of two or more two-character words is compressed to their first characters
  (发展改革 → 发改, 医疗保障 → 医保, 卫生健康 → 卫健, 监督管理 → 监管: 市场监管局);
* parts joined by a conjunction are each compressed to their first character
  (人力资源和社会保障局 → 人社局);
* a character the compression repeats is written once (农业农村委员会 → 农委);
* 人民政府 is written 政府 (人民政府办公室 → 政府办公室, 政府办).

Irregular short forms (国资委, 规划资源局, 绿容局) do not follow these moves and are listed in
departments.tsv, which takes precedence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import product

_CONJUNCTION = re.compile("[和与及]")

# Heads with the forms they take in short names, longest first.
_HEADS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("委员会", ("委员会", "委")),
    ("办公室", ("办公室", "办")),
    ("管理局", ("管理局", "局")),
    ("事务局", ("事务局", "局")),
    ("局", ("局",)),
    ("厅", ("厅",)),
    ("中心", ("中心",)),
)


def short_forms(full: str) -> frozenset[str]:
    """Every regular short form of an official name (the name itself included)."""
    forms = {full}
    for head, written in _HEADS:
        if not full.endswith(head) or len(full) == len(head):
            continue
        stem = full[: -len(head)]
        stems = set(_stem_forms(stem))
        if "人民政府" in stem:
            stems |= set(_stem_forms(stem.replace("人民政府", "政府")))
        forms |= {s + h for s, h in product(stems, written) if s}
    return frozenset(forms)


def derived_short_forms(fulls: Iterable[str]) -> Mapping[str, str]:
    """Short form → official name for a list of official names; a form two names share is left out."""
    found: dict[str, set[str]] = {}
    for full in fulls:
        for short in short_forms(full):
            found.setdefault(short, set()).add(full)
    return {short: next(iter(names)) for short, names in found.items() if len(names) == 1}


def _stem_forms(stem: str) -> Iterator[str]:
    yield stem
    parts = [part for part in _CONJUNCTION.split(stem) if part]
    joined = "".join(parts)
    if joined != stem:
        yield joined
        if all(len(part) >= 2 for part in parts):
            yield "".join(part[0] for part in parts)  # 人力资源和社会保障 → 人社
    words = _two_character_words(joined)
    if words is None:
        return
    for mask in product((False, True), repeat=len(words)):
        if any(mask) and _runs_of_two(mask):
            yield _single(w[0] if short else w for w, short in zip(words, mask, strict=True))


def _single(pieces: Iterable[str]) -> str:
    """Pieces joined, a character the compression repeats written once (农 + 农 → 农)."""
    text = ""
    for piece in pieces:
        text += piece[1:] if text and len(piece) == 1 and text.endswith(piece) else piece
    return text


def _two_character_words(stem: str) -> list[str] | None:
    """``发展改革`` → [发展, 改革]; None when the stem is not made of two-character words."""
    if len(stem) < 4 or len(stem) % 2:
        return None
    return [stem[i : i + 2] for i in range(0, len(stem), 2)]


def _runs_of_two(mask: tuple[bool, ...]) -> bool:
    """Compressed words come in runs of at least two (发改, not 发改革)."""
    run = 0
    for short in (*mask, False):
        if short:
            run += 1
        elif run == 1:
            return False
        else:
            run = 0
    return True
