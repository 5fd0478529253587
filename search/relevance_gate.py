"""Whether a query has an answer in the catalogue at all: a logistic model over the query's evidence.

The per-entry threshold (:meth:`search.hybrid.HybridRanker._is_relevant`) asks each candidate to
stand out on its own, by word coverage or by its cosine's z-score. Everyday queries whose words the
catalogue does not use fail it although the right entry is among the first five, and so do many
off-topic queries' best candidates: one candidate's evidence does not separate them. The evidence
of the whole ranking does better — how far the best candidate leads the tenth, how many words the
query has, whether its best candidate is first by both retrievers — so the gate combines it, with
weights fitted on labelled development queries (`bench/train_relevance_gate.py`: queries whose
right entry is in the first five against queries about nothing in the catalogue), and answers a
query when the probability that it has an answer reaches the threshold. The fitted model is data,
``search/data/relevance_gate.json``, with the sets it was fitted on.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import numpy as np
import numpy.typing as npt

from search.errors import GateModelInvalid

FEATURES = (
    "top_z",
    "top_passage_z",
    "top_name_z",
    "top_coverage",
    "best_z",
    "best_coverage",
    "lead",
    "top_lexical_score",
    "query_words",
    "entry_threshold_met",
)
"""The query's evidence, in the model's order (z-scores relative to the noise maximum; see
:meth:`search.hybrid.HybridRanker.evidence`)."""
GATE_FILE = "relevance_gate.json"


@dataclass(frozen=True)
class RelevanceGate:
    """Logistic regression over standardised features: P(answer) = σ(w · (x − mean) / scale + b)."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float
    threshold: float = 0.5
    trained_on: str = ""

    def probability(self, features: Sequence[float]) -> float:
        x = (np.asarray(features, dtype=np.float64) - self.mean) / np.asarray(self.scale)
        return float(1.0 / (1.0 + np.exp(-(x @ np.asarray(self.weights) + self.intercept))))

    def answers(self, features: Sequence[float]) -> bool:
        return self.probability(features) >= self.threshold

    @classmethod
    def fit(
        cls,
        features: npt.NDArray[np.float64],
        answered: npt.NDArray[np.bool_],
        *,
        l2: float = 1.0,
        threshold: float = 0.5,
        trained_on: str = "",
    ) -> RelevanceGate:
        """Fit by Newton's method (L2 penalty ``l2`` on the weights, not the intercept), the two classes
        weighted equally whatever their sizes."""
        if features.ndim != 2 or features.shape[1] != len(FEATURES) or len(features) != len(answered):
            raise ValueError(f"features must be an (n, {len(FEATURES)}) array with one label per row")
        if answered.all() or not answered.any():
            raise ValueError("fitting the gate needs queries of both kinds: answered and off-topic")
        mean = features.mean(axis=0)
        scale = features.std(axis=0)
        scale[scale == 0] = 1.0
        design = np.hstack([(features - mean) / scale, np.ones((len(features), 1))])
        target = answered.astype(np.float64)
        share = target.mean()
        sample_weight = np.where(answered, 0.5 / share, 0.5 / (1 - share))
        penalty = l2 * np.diag(np.r_[np.ones(len(FEATURES)), 0.0])
        coefficients = np.zeros(design.shape[1])
        for _ in range(100):
            predicted = 1.0 / (1.0 + np.exp(-(design @ coefficients)))
            gradient = design.T @ (sample_weight * (predicted - target)) + penalty @ coefficients
            hessian = (design * (sample_weight * predicted * (1 - predicted))[:, None]).T @ design + penalty
            step = np.linalg.solve(hessian, gradient)
            coefficients -= step
            if np.abs(step).max() < 1e-10:
                break
        return cls(
            tuple(mean.tolist()),
            tuple(scale.tolist()),
            tuple(coefficients[:-1].tolist()),
            float(coefficients[-1]),
            threshold,
            trained_on,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "weights": list(self.weights),
            "intercept": self.intercept,
            "threshold": self.threshold,
            "trained_on": self.trained_on,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RelevanceGate:
        try:
            if list(data["features"]) != list(FEATURES):
                raise GateModelInvalid(f"the model's features {data['features']} are not {list(FEATURES)}")
            mean, scale, weights = (tuple(float(v) for v in data[name]) for name in ("mean", "scale", "weights"))
            if not len(mean) == len(scale) == len(weights) == len(FEATURES):
                raise GateModelInvalid(f"mean, scale and weights need {len(FEATURES)} values each")
            if min(scale) <= 0:
                raise GateModelInvalid("every scale must be positive")
            return cls(
                mean,
                scale,
                weights,
                float(data["intercept"]),
                float(data["threshold"]),
                str(data.get("trained_on", "")),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise GateModelInvalid(f"malformed ({error!r})") from error


@cache
def default_gate() -> RelevanceGate:
    """The gate fitted by bench/train_relevance_gate.py and shipped as ``search/data/relevance_gate.json``."""
    text = files("search").joinpath("data", GATE_FILE).read_text(encoding="utf-8")
    return RelevanceGate.from_json(json.loads(text))
