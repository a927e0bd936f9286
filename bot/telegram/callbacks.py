"""Button data: what each kind of inline button carries, and the pattern that routes it to its
handler (python-telegram-bot's ``CallbackQueryHandler(pattern=...)``).

Buttons name entries and topics by their stable keys (entry ids, topic keys), never by a
position, so a menu from before a reload still opens what it showed. Telegram allows 64 bytes.
"""

import re

_ID = r"[a-z0-9][a-z0-9-]{0,47}"

# A press without data. python-telegram-bot offers it to the first pattern handler whatever its
# pattern, so this one is registered first and sends it to the stale-button handler.
EMPTY = re.compile(r"^$")

# An entry answered as a new message (related questions, examples, next-best after 👎).
ANSWER = re.compile(rf"^a:(?P<entry>{_ID})$")
# An entry picked from "Bedoelde je…?": the choices message folds into the pick.
CHOICE = re.compile(rf"^c:(?P<entry>{_ID})$")
NONE_OF_THESE = re.compile(r"^c:-$")
# Menu navigation, edited in place: the topics, one topic, an entry inside a topic.
TOPICS = re.compile(r"^t$")
# The topics as a new message, under a message that should stay (a welcome, an answer).
TOPICS_ANEW = re.compile(r"^T$")
TOPIC = re.compile(rf"^t:(?P<topic>{_ID})$")
MENU_ANSWER = re.compile(rf"^m:(?P<entry>{_ID})$")
VOTE = re.compile(rf"^v:(?P<value>[+-]):(?P<entry>{_ID})$")
# /vergeet's confirmation, bound to the user who asked (a short tag of their pseudonym).
FORGET = re.compile(r"^f:(?P<answer>ja|nee):(?P<tag>[0-9a-f]{8})$")
# Admin: dismiss a review group, page through the review.
DISMISS = re.compile(r"^d:(?P<group>[0-9a-f]{16})$")
# Admin: undo a dismissal, by when it was made.
UNDISMISS = re.compile(r"^u:(?P<at>[0-9]{1,12}\.[0-9]{1,20})$")
REVIEW_PAGE = re.compile(r"^r:(?P<page>[0-9]{1,4})$")


def answer(entry_id: str) -> str:
    return f"a:{entry_id}"


def choice(entry_id: str) -> str:
    return f"c:{entry_id}"


def none_of_these() -> str:
    return "c:-"


def topics() -> str:
    return "t"


def topics_anew() -> str:
    return "T"


def topic(key: str) -> str:
    return f"t:{key}"


def menu_answer(entry_id: str) -> str:
    return f"m:{entry_id}"


def vote(up: bool, entry_id: str) -> str:
    return f"v:{'+' if up else '-'}:{entry_id}"


def forget(confirmed: bool, tag: str) -> str:
    return f"f:{'ja' if confirmed else 'nee'}:{tag}"


def dismiss(group_key: str) -> str:
    return f"d:{group_key}"


def undismiss(at: float) -> str:
    # repr() gives back the same float: the dismissal's rows are found by it exactly.
    return f"u:{at!r}"


def review_page(page: int) -> str:
    return f"r:{page}"


# Admin: a proposed change of the knowledge applied or cancelled (by its short key).
APPLY = re.compile(r"^k:(?P<action>ok|no):(?P<key>[0-9a-f]{8})$")
# Admin: a review group's questions added to an entry, other entries to add them to, a draft.
ADD = re.compile(rf"^\+:(?P<group>[0-9a-f]{{16}}):(?P<entry>{_ID})$")
ADD_ELSEWHERE = re.compile(r"^\+\?:(?P<group>[0-9a-f]{16})$")
DRAFT = re.compile(r"^\+n:(?P<group>[0-9a-f]{16})$")
# Admin: a version of the knowledge to go back to.
RESTORE = re.compile(r"^b:(?P<version>[0-9]{1,6})$")


def apply(confirmed: bool, key: str) -> str:
    return f"k:{'ok' if confirmed else 'no'}:{key}"


def add(group_key: str, entry_id: str) -> str:
    return f"+:{group_key}:{entry_id}"


def add_elsewhere(group_key: str) -> str:
    return f"+?:{group_key}"


def draft(group_key: str) -> str:
    return f"+n:{group_key}"


def restore(version: int) -> str:
    return f"b:{version}"
