"""Core replies as Telegram messages: HTML text (everything escaped) and inline keyboards.

Pure functions, no network: the Telegram handlers send what these return.
"""

import re
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


_TAG = re.compile(r"<(/?)(b|i|pre|code)>")
# Room for the closing and reopening tags added at a cut.
_TAG_ROOM = 32


def _units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units): an emoji counts twice."""
    return len(text.encode("utf-16-le")) // 2


def _open_tags(html: str) -> list[str]:
    stack: list[str] = []
    for closing, tag in _TAG.findall(html):
        if not closing:
            stack.append(tag)
        elif stack and stack[-1] == tag:
            stack.pop()
    return stack


def _safe_cut(text: str, cut: int) -> int:
    """Move a hard cut back so it falls neither inside a tag nor inside an entity."""
    for opener, closer in (("<", ">"), ("&", ";")):
        start = text.rfind(opener, 0, cut)
        if start != -1 and text.find(closer, start, cut) == -1:
            cut = start
    return cut


def split_message(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split long HTML into messages at paragraph, line or word boundaries, never inside a tag
    or an entity; a tag open at a cut is closed there and opened again in the next message."""
    budget = limit - _TAG_ROOM
    chunks: list[str] = []
    while _units(text) > limit:
        window = text[:budget]
        while _units(window) > budget:
            window = window[: len(window) - (_units(window) - budget + 1) // 2 - 1]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut <= 0:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = _safe_cut(text, len(window)) or len(window)
        chunk = text[:cut].rstrip()
        tags = _open_tags(chunk)
        chunks.append(chunk + "".join(f"</{tag}>" for tag in reversed(tags)))
        text = "".join(f"<{tag}>" for tag in tags) + text[cut:].lstrip()
    chunks.append(text)
    return [chunk for chunk in chunks if chunk.strip()]
