"""The channel-agnostic core: knowledge in, replies out."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.knowledge import Knowledge
from bot.listings import listed_entries
from bot.matching import DEFAULT_THRESHOLDS, Match, Matcher, Thresholds
from bot.replies import Reply, answer_reply, build_reply

# Telegram caps a message at 4096 characters; nothing longer is worth matching.
MAX_QUESTION_CHARS = 4096


@dataclass(frozen=True)
class Core:
    """A loaded knowledge with its matcher. Immutable: a reload builds a new one."""

    knowledge: Knowledge
    thresholds: Thresholds = DEFAULT_THRESHOLDS
    # The semantic part (when its extra is installed); False matches lexically only.
    semantic: bool = True
    matcher: Matcher = field(init=False, repr=False, compare=False)
    # The entries each listing answer names in its bullet points (bot.listings), in order.
    listings: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        matcher = Matcher(self.knowledge, self.thresholds, self.semantic)
        object.__setattr__(self, "matcher", matcher)
        object.__setattr__(self, "listings", listed_entries(self.knowledge, matcher))

    def match(self, question: str, alternatives: bool = False) -> Match:
        """The matcher's decision, with its candidates (for ``--explain`` and evaluation;
        ``alternatives`` when the candidates after the first are what is wanted)."""
        return self.matcher.match(question[:MAX_QUESTION_CHARS], alternatives)

    def ask(self, question: str) -> Reply:
        """Answer one free-text question."""
        return build_reply(self.knowledge, self.match(question), question)

    def pick(self, entry_id: str, question: str = "") -> Reply | None:
        """The answer to an entry the user picked (a choice or a related question)."""
        entry = self.knowledge.by_id.get(entry_id)
        if entry is None:
            return None
        return answer_reply(self.knowledge, entry, question or entry.question, 100.0)
