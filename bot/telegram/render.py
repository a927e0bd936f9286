"""Core replies as Telegram messages: HTML text (everything escaped) and inline keyboards.

Pure functions, no network. Every answer starts with the question it answers, in bold. Buttons
show short labels (at most 32 characters, so a phone does not cut them), an answer has at most
five rows of buttons, and menus carry a way back.
"""

import re
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import messages
from bot.knowledge import shorten
from bot.replies import Reply, Topic
from bot.telegram import callbacks

MAX_MESSAGE = 4096
# Lists whose full questions the message text shows, numbered.
LISTED_IN_TEXT = ("doubt", "more", "range")
MAX_ROWS = 5
MAX_BUTTON = 32

Rows = list[list[InlineKeyboardButton]]


def html_text(reply: Reply, points: int = 0) -> str:
    """The message text in HTML; every string from the user or the YAML is escaped. ``points``:
    how many points of its own the answer numbers (a typed number picks one)."""
    parts = [
        f"<b>{escape(reply.title)}</b>\n{escape(reply.body)}" if reply.title else escape(reply.body)
    ]
    if points:
        parts.append(f"<i>{escape(messages.POINTS_HINT.format(count=points))}</i>")
    if reply.menu in LISTED_IN_TEXT and reply.choices:
        # Buttons are short; the questions themselves are here, numbered (a typed number picks).
        parts[0] += "\n" + "\n".join(
            f"{n}. {escape(c.question)}" for n, c in enumerate(reply.choices, 1)
        )
    if reply.contact:
        parts.append(f"<i>{escape(reply.contact)}</i>")
    return "\n\n".join(parts)


def button(label: str, data: str, number: int | None = None) -> InlineKeyboardButton:
    """A callback button with a label that fits a phone; a number before it does not count
    against the label (a 32-character label stays whole)."""
    text = shorten(label, MAX_BUTTON)
    return InlineKeyboardButton(text if number is None else f"{number}. {text}", callback_data=data)


def answer_keyboard(
    reply: Reply, *, in_menu: str | None = None, share: bool = True, numbered: bool = False
) -> InlineKeyboardMarkup | None:
    """Link, related questions, votes (and share) in one row, and in a menu the way back;
    never more than five rows. ``numbered``: the related questions carry the numbers a typed
    "de tweede" picks (when the answer itself lists no points). ``share``: inline mode is on
    (without it the share button would lead nowhere)."""
    bottom: Rows = []
    # Votes and sharing belong to an answer itself, not to "that is all I know" (no title).
    if not reply.small_talk and reply.entry_id and reply.title:
        votes = [
            InlineKeyboardButton("👍", callback_data=callbacks.vote(True, reply.entry_id)),
            InlineKeyboardButton("👎", callback_data=callbacks.vote(False, reply.entry_id)),
        ]
        if share:
            query = shorten(reply.title, 60)
            votes.append(InlineKeyboardButton(messages.SHARE_BUTTON, switch_inline_query=query))
        bottom.append(votes)
    if in_menu is not None:
        bottom.append(
            [
                button(messages.BACK_BUTTON, callbacks.topic(in_menu)),
                button(messages.TOPICS_BUTTON, callbacks.topics()),
            ]
        )
    rows: Rows = [
        [InlineKeyboardButton(shorten(f"🔗 {link.title}", MAX_BUTTON), url=link.url)]
        for link in messages.button_links(reply.links)
    ]
    room = MAX_ROWS - len(rows) - len(bottom)
    rows += [
        [button(c.label, callbacks.answer(c.entry_id), n if numbered else None)]
        for n, c in enumerate(reply.related[:room], 1)
    ]
    rows += bottom
    return InlineKeyboardMarkup(rows) if rows else None


def choices_keyboard(reply: Reply) -> InlineKeyboardMarkup:
    """One button per choice, numbered as in the text, and a way out."""
    rows: Rows = [
        [button(c.label, callbacks.choice(c.entry_id), n)] for n, c in enumerate(reply.choices, 1)
    ]
    rows.append([button(messages.NONE_OF_THESE, callbacks.none_of_these())])
    return InlineKeyboardMarkup(rows)


def entries_keyboard(reply: Reply) -> InlineKeyboardMarkup:
    """Entries to open as new messages (examples, next-best after 👎), and the topics."""
    numbers = reply.menu in LISTED_IN_TEXT
    rows: Rows = [
        [button(c.label, callbacks.answer(c.entry_id), n if numbers else None)]
        for n, c in enumerate(reply.choices, 1)
    ]
    rows.append([button(messages.TOPICS_BUTTON, callbacks.topics_anew())])
    return InlineKeyboardMarkup(rows)


def topics_keyboard(topics: tuple[Topic, ...]) -> InlineKeyboardMarkup:
    """One button per topic."""
    return InlineKeyboardMarkup([[button(t.title, callbacks.topic(t.key))] for t in topics])


def topic_keyboard(reply: Reply) -> InlineKeyboardMarkup:
    """A topic's questions, answered in place, and the way back to the topics."""
    rows: Rows = [[button(c.label, callbacks.menu_answer(c.entry_id))] for c in reply.choices]
    rows.append([button(messages.BACK_BUTTON, callbacks.topics())])
    return InlineKeyboardMarkup(rows)


def topics_button() -> InlineKeyboardMarkup:
    """Just the way to the topics (as a new message: the one it sits under stays)."""
    return InlineKeyboardMarkup([[button(messages.TOPICS_BUTTON, callbacks.topics_anew())]])


def keyboard(
    reply: Reply, numbered: bool = False, share: bool = True
) -> InlineKeyboardMarkup | None:
    """The keyboard of a reply sent as a new message (``numbered``, ``share``: see
    :func:`answer_keyboard`)."""
    if reply.outcome == "answer":
        return answer_keyboard(reply, numbered=numbered, share=share)
    if reply.menu == "doubt":
        return choices_keyboard(reply)
    if reply.menu == "topic":
        return topic_keyboard(reply)
    if reply.choices:
        return entries_keyboard(reply)
    return topics_keyboard(reply.topics) if reply.topics else None


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
