"""What the bot remembers of a conversation, as values: questions answered and votes given.

Users appear only as a keyed hash (:mod:`bot.pseudonyms`), never as a Telegram id or name.
"""

from dataclasses import dataclass

# Interaction kinds: a typed question, or an entry picked from a list or a button.
QUESTION, PICK = "question", "pick"


@dataclass(frozen=True)
class Interaction:
    """One message answered (or an entry picked)."""

    user_key: str
    chat_type: str
    kind: str
    question: str
    outcome: str
    entry_id: str | None
    score: float
    created_at: float = 0.0
    # Keyed hash of the chat and message that carried the answer: joins votes to questions.
    answer_key: str | None = None


@dataclass(frozen=True)
class Vote:
    """👍 (+1) or 👎 (-1) on one answer; ``answer_key`` identifies the answered message."""

    user_key: str
    answer_key: str
    entry_id: str
    value: int
    created_at: float = 0.0


Record = Interaction | Vote


@dataclass(frozen=True)
class Batch:
    """What handling one message produced, written to the database at once. ``source`` makes
    writing it idempotent: a batch written twice (a retry after a crash) is stored once."""

    source: str
    records: tuple[Record, ...]
    created_at: float = 0.0

    def to_json(self) -> dict[str, object]:
        """A JSON-safe form, for the inbox that keeps batches until they are written."""
        return {
            "source": self.source,
            "created_at": self.created_at,
            "records": [
                {"type": "interaction", **vars(r)}
                if isinstance(r, Interaction)
                else {"type": "vote", **vars(r)}
                for r in self.records
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> "Batch":
        """The inverse of :meth:`to_json`."""
        items = data.get("records")
        records: list[Record] = []
        for item in items if isinstance(items, list) else ():
            fields = {k: v for k, v in item.items() if k != "type"}
            records.append(
                Interaction(**fields) if item["type"] == "interaction" else Vote(**fields)
            )
        created = data.get("created_at")
        return cls(
            str(data["source"]),
            tuple(records),
            float(created) if isinstance(created, int | float) else 0.0,
        )
