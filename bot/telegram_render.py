"""Core replies as Telegram messages: HTML text (everything escaped) and inline keyboards.

Pure functions, no network: the Telegram handlers send what these return.
"""

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.knowledge import Knowledge
from bot.replies import TOPICS_INTRO, Reply

MAX_MESSAGE = 4096
# Callback data: "e:<entry id>" answers an entry, "s:<n>" opens topic n, "v:<+|->:<entry id>"
# is a vote, "d:<group key>" dismisses a review group, "f:<ja|nee>" answers /vergeet. Entry ids
# are at most 32 characters, well under Telegram's 64-byte limit.
ENTRY, SECTION, VOTE, DISMISS, FORGET = "e", "s", "v", "d", "f"


def html_text(reply: Reply) -> str:
    """The message text in HTML; every string from the user or the YAML is escaped."""
    parts = [escape(reply.body)]
    if reply.topics:
        parts.append(
            escape(TOPICS_INTRO) + "\n" + "\n".join(f"• {escape(t)}" for t in reply.topics)
        )
    if reply.contact:
        parts.append(f"<i>{escape(reply.contact)}</i>")
    return "\n\n".join(parts)


def keyboard(reply: Reply, knowledge: Knowledge) -> InlineKeyboardMarkup | None:
    """Link buttons, related questions and feedback for an answer; one button per choice; the
    topics for a fallback."""
    rows: list[list[InlineKeyboardButton]] = []
    if reply.outcome == "answer" and reply.entry_id:
        rows += [[InlineKeyboardButton(link.title, url=link.url)] for link in reply.links]
        rows += [[entry_button(c.entry_id, c.question)] for c in reply.related]
        rows.append(vote_buttons(reply.entry_id))
    elif reply.outcome == "choices":
        rows += [[entry_button(c.entry_id, c.question)] for c in reply.choices]
    else:
        rows += topic_rows(knowledge)
    return InlineKeyboardMarkup(rows) if rows else None


def entry_button(entry_id: str, question: str) -> InlineKeyboardButton:
    """A button that answers an entry."""
    return InlineKeyboardButton(question, callback_data=f"{ENTRY}:{entry_id}")


def vote_buttons(entry_id: str) -> list[InlineKeyboardButton]:
    """👍 / 👎 for one answer."""
    return [
        InlineKeyboardButton("👍", callback_data=f"{VOTE}:+:{entry_id}"),
        InlineKeyboardButton("👎", callback_data=f"{VOTE}:-:{entry_id}"),
    ]


def topic_rows(knowledge: Knowledge) -> list[list[InlineKeyboardButton]]:
    """One button per topic."""
    return [
        [InlineKeyboardButton(section.title, callback_data=f"{SECTION}:{index}")]
        for index, section in enumerate(knowledge.sections)
        if not section.small_talk
    ]


def split_message(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split a long text into messages at paragraph, then line, then word boundaries."""
    chunks: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n\n", 0, limit), text.rfind("\n", 0, limit))
        if cut <= 0:
            cut = text.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    chunks.append(text)
    return [chunk for chunk in chunks if chunk]
