"""Which entry a question's vector belongs to, learned from every phrasing at once.

The nearest phrasing (``SemanticIndex.similarities``) lets one odd phrasing decide; a linear
classifier (multinomial logistic regression) over all of an entry's phrasings weighs what they
share. On the validation sets it ranks the right entry first more often than the nearest
phrasing (89 / 91 % against 82 / 78 %); the matcher mixes the two (see
``Thresholds.classifier_weight`` and docs/BENCHMARKS.md).

Training is plain full-batch gradient descent from zero, so the same vectors always give the
same classifier; it takes a fraction of a second for the shipped knowledge and is skipped for
a knowledge too large for that (``MAX_WORK``).
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

Vectors = npt.NDArray[np.float32]

# Phrasings × entries above which no classifier is trained (the work per step grows with both;
# about 1 s at this size on one core).
MAX_WORK = 200_000
STEPS = 300
RATE = 0.5
MOMENTUM = 0.9
# The logits are this many times a cosine: the vectors are unit length, so without it the
# probabilities stay close to uniform.
SHARPNESS = 20.0
# L2 penalty on the weights: keeps an entry from being learned from one phrasing's quirks.
PENALTY = 0.001
# A saved classifier is reused while its fingerprint matches: bump TRAINING with any change to
# how `fit` trains (the settings above are in the fingerprint already), or old ones stay in use.
TRAINING = 1
SETTINGS = (
    f"training={TRAINING} steps={STEPS} rate={RATE} momentum={MOMENTUM} "
    f"sharpness={SHARPNESS} penalty={PENALTY} max_work={MAX_WORK}"
)


@dataclass(frozen=True, eq=False)
class EntryClassifier:
    """Per entry a weight vector over centred, unit-length question vectors."""

    centre: Vectors
    weights: Vectors
    bias: Vectors

    @classmethod
    def fit(cls, vectors: Vectors, owners: npt.NDArray[np.int64]) -> "EntryClassifier | None":
        """The classifier of these phrasing vectors (row i belongs to entry ``owners[i]``), or
        None when there are fewer than two entries or too many phrasings × entries."""
        entries = int(owners.max()) + 1 if len(owners) else 0
        if entries < 2 or len(vectors) * entries > MAX_WORK:
            return None
        rows = vectors.astype(np.float32)
        centre = rows.mean(axis=0)
        x = _centred(rows, centre)
        target = np.eye(entries, dtype=np.float32)[owners]
        with threadpool_limits(limits=1, user_api="blas"):
            weights, bias = _descend(x, target)
        return cls(centre, weights, bias)

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, Vectors]) -> "EntryClassifier":
        """A classifier from what :meth:`arrays` gave."""
        return cls(*(arrays[name].astype(np.float32) for name in ("centre", "weights", "bias")))

    def arrays(self) -> dict[str, Vectors]:
        """Its parameters by name, to be saved (see :meth:`from_arrays`)."""
        return {"centre": self.centre, "weights": self.weights, "bias": self.bias}

    def probabilities(self, vector: Vectors) -> Vectors:
        """Per entry, the probability that the question is about it (they sum to 1)."""
        x = _centred(vector.astype(np.float32)[None, :], self.centre)
        return _softmax(SHARPNESS * (x @ self.weights) + self.bias)[0]


def fingerprint(vectors: Vectors, owners: npt.NDArray[np.int64]) -> str:
    """What a fitted classifier is saved under: the phrasing vectors, their entries and the
    training settings (see ``TRAINING``)."""
    digest = hashlib.sha256(f"{SETTINGS} {vectors.shape}".encode())
    digest.update(np.ascontiguousarray(vectors, dtype=np.float32).tobytes())
    digest.update(np.ascontiguousarray(owners, dtype=np.int64).tobytes())
    return digest.hexdigest()[:32]


def _descend(x: Vectors, target: Vectors) -> tuple[Vectors, Vectors]:
    """Weights and biases of the multinomial logistic regression: full-batch gradient descent
    with momentum, from zero."""
    weights = np.zeros((x.shape[1], target.shape[1]), dtype=np.float32)
    bias = np.zeros(target.shape[1], dtype=np.float32)
    step_w = np.zeros_like(weights)
    step_b = np.zeros_like(bias)
    for _ in range(STEPS):
        error = (_softmax(SHARPNESS * (x @ weights) + bias) - target) / len(x)
        step_w *= MOMENTUM
        step_w -= RATE * (SHARPNESS * (x.T @ error) + PENALTY * weights)
        step_b *= MOMENTUM
        step_b -= RATE * error.sum(axis=0)
        weights += step_w
        bias += step_b
    return weights, bias


def _centred(rows: Vectors, centre: Vectors) -> Vectors:
    # The model's vectors share a large common direction; without it the cosines spread out.
    shifted = rows - centre
    norms = np.linalg.norm(shifted, axis=1, keepdims=True)
    return shifted / np.maximum(norms, 1e-9)


def _softmax(logits: Vectors) -> Vectors:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)
