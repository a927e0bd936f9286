"""What a new knowledge changes against the one before, in words an admin reads: for a proposed
change (:mod:`bot.editing`) and for a reload (:mod:`bot.reloading`) alike."""

from dataclasses import dataclass

from bot.knowledge import Entry, Knowledge
from bot.loading import counted

# Questions a change's summary names; the rest are counted.
SUMMARY_LABELS = 6


@dataclass(frozen=True)
class Difference:
    """What a new knowledge changes, by entry label."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    synonyms: tuple[int, int] = (0, 0)  # added, removed
    settings: bool = False
    # For each changed entry, what changed in it ("1 formulering erbij, antwoord").
    details: tuple[str, ...] = ()
    out_of_scope: tuple[int, int] = (0, 0)  # questions outside the FAQ: added, removed

    def __bool__(self) -> bool:
        return bool(
            self.added
            or self.changed
            or self.removed
            or any(self.synonyms)
            or self.settings
            or any(self.out_of_scope)
        )

    def counts(self) -> list[tuple[str, int, int]]:
        """What changed by number only, as (what, added, removed): synonyms and questions
        outside the FAQ."""
        numbers = (("synoniemen", self.synonyms), ("vragen buiten bereik", self.out_of_scope))
        return [(word, *change) for word, change in numbers if any(change)]

    def summary(self) -> str:
        """One line in words, for the history and the admin: "nieuw: “Wat is een mentor?”;
        gewijzigd: “Loopbaangesprekken”" (at most ``SUMMARY_LABELS`` questions named, the
        rest counted)."""
        parts, room = [], SUMMARY_LABELS
        for kind, labels in (
            ("nieuw", self.added),
            ("gewijzigd", self.changed),
            ("verwijderd", self.removed),
        ):
            if labels and room > 0:
                parts.append(f"{kind}: " + listed_first(tuple(f"“{x}”" for x in labels), room))
            elif labels:
                parts.append(f"{kind}: " + counted(len(labels), "vraag", "vragen"))
            room -= len(labels)
        parts += [f"{word}: {added} erbij, {removed} weg" for word, added, removed in self.counts()]
        if self.settings:
            parts.append("instellingen gewijzigd")
        return "; ".join(parts)


def difference(old: Knowledge, new: Knowledge) -> Difference:
    """Entries added, changed and removed (by label), and whether synonyms or settings changed."""
    added, changed, removed = diff(old, new)
    return Difference(
        added=tuple(new.by_id[i].short_label for i in added),
        changed=tuple(new.by_id[i].short_label for i in changed),
        removed=tuple(old.by_id[i].short_label for i in removed),
        synonyms=(
            len(new.synonyms.items() - old.synonyms.items()),
            len(old.synonyms.keys() - new.synonyms.keys()),
        ),
        settings=new.settings != old.settings,
        details=tuple(entry_changes(old.by_id[i], new.by_id[i]) for i in changed),
        out_of_scope=(
            len(set(new.out_of_scope) - set(old.out_of_scope)),
            len(set(old.out_of_scope) - set(new.out_of_scope)),
        ),
    )


def entry_changes(before: Entry, after: Entry) -> str:
    """What changed in an entry, in a few words."""
    parts = []
    gained = len(set(after.alternates) - set(before.alternates))
    lost = len(set(before.alternates) - set(after.alternates))
    if gained:
        parts.append(f"{counted(gained, 'formulering', 'formuleringen')} erbij")
    if lost:
        parts.append(f"{counted(lost, 'formulering', 'formuleringen')} weg")
    for field_name, word in (
        ("question", "vraag"),
        ("answer", "antwoord"),
        ("links", "links"),
        ("label", "label"),
        ("related", "verwante vragen"),
        ("tests", "tests"),
        ("section", "onderwerp"),
    ):
        if getattr(before, field_name) != getattr(after, field_name):
            parts.append(word)
    return ", ".join(parts)


def diff(old: Knowledge, new: Knowledge) -> tuple[tuple[str, ...], ...]:
    """Entry ids added, changed and removed between two knowledges."""
    added = tuple(i for i in new.by_id if i not in old.by_id)
    removed = tuple(i for i in old.by_id if i not in new.by_id)
    changed = tuple(i for i, entry in new.by_id.items() if i in old.by_id and old.by_id[i] != entry)
    return added, changed, removed


def listed_first(items: tuple[str, ...], limit: int) -> str:
    """The first ``limit`` items, then how many more."""
    shown = ", ".join(items[:limit])
    more = len(items) - limit
    return shown + (f" en nog {more}" if more > 0 else "")
