"""The entry classifier beside the nearest phrasing (bot/classifier.py)."""

import numpy as np
import pytest

from bot.classifier import MAX_WORK, EntryClassifier
from bot.core import Core
from bot.matching import DEFAULT_THRESHOLDS


def clusters(entries: int, per_entry: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors around one random direction per entry, like phrasings of one question."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(entries, 32))
    rows = np.repeat(centres, per_entry, axis=0) + 0.6 * rng.normal(size=(entries * per_entry, 32))
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows.astype(np.float32), np.repeat(np.arange(entries), per_entry).astype(np.int64)


def test_it_learns_which_entry_a_new_vector_belongs_to() -> None:
    vectors, owners = clusters(entries=4, per_entry=12)
    classifier = EntryClassifier.fit(vectors, owners)
    assert classifier is not None
    fresh, fresh_owners = clusters(entries=4, per_entry=5, seed=7)  # same centres, new noise
    rng = np.random.default_rng(1)
    fresh = fresh + 0.05 * rng.normal(size=fresh.shape).astype(np.float32)
    right = 0
    for vector, owner in zip(fresh, fresh_owners, strict=True):
        probabilities = classifier.probabilities(vector)
        assert probabilities.shape == (4,) and abs(float(probabilities.sum()) - 1) < 1e-4
        right += int(probabilities.argmax()) == owner
    assert right >= 18  # of 20


def test_the_same_phrasings_always_give_the_same_classifier() -> None:
    vectors, owners = clusters(entries=3, per_entry=6)
    first, second = EntryClassifier.fit(vectors, owners), EntryClassifier.fit(vectors, owners)
    assert first is not None and second is not None
    assert np.array_equal(first.weights, second.weights) and np.array_equal(first.bias, second.bias)


@pytest.mark.parametrize(("entries", "per_entry"), [(1, 10), (10, MAX_WORK // 100 + 1)])
def test_no_classifier_for_one_entry_or_too_much_work(entries: int, per_entry: int) -> None:
    vectors = np.ones((entries * per_entry, 4), dtype=np.float32) / 2
    owners = np.repeat(np.arange(entries), per_entry).astype(np.int64)
    assert EntryClassifier.fit(vectors, owners) is None


def test_the_semantic_part_mixes_cosine_and_probability() -> None:
    t = DEFAULT_THRESHOLDS
    at_floor, at_ceiling = t.semantic_floor, t.semantic_ceiling
    assert t.semantic_part(at_ceiling) == 100.0 and t.semantic_part(at_floor) == 0.0
    assert t.semantic_part(at_floor, 1.0) == pytest.approx(100 * t.classifier_weight)
    assert t.semantic_part(at_ceiling, 0.0) == pytest.approx(100 * (1 - t.classifier_weight))


def test_the_lint_leaves_the_classifier_out(core: Core) -> None:
    # It has learned every phrasing, so it cannot say how an entry would do without one.
    semantic = core.matcher.semantic
    if semantic is None:
        pytest.skip("the semantic extra is not installed")
    vector = semantic.vector("Wat is een mentor?")
    assert semantic.probabilities(vector) is not None
    assert semantic.probabilities(vector, leave_out=(0, None)) is None
    explained = core.match("wie helpt een nieuwe collega op weg").explain()
    candidates = explained["candidates"]
    assert isinstance(candidates, list) and "semantic_probability" in candidates[0]
