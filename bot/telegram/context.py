"""What every handler can reach, typed: python-telegram-bot's ``ContextTypes`` with a bot-data
class (as in its ``contexttypesbot.py`` example), instead of a bag of string keys."""

import asyncio
from typing import Any

from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.bounded import LruMap
from bot.config import Config
from bot.conversation import State
from bot.core import Core
from bot.database import Database
from bot.editing import Proposal
from bot.guard import FloodGuard
from bot.pseudonyms import Pseudonyms
from bot.recorder import Recorder
from bot.reloading import Reload
from bot.telegram.client import Contact
from bot.telegram.inbox import Inbox

# Chats remembered for follow-ups; the least recently active are forgotten first.
CONVERSATIONS = 10_000
# Knowledge changes shown to admins and not yet applied or cancelled.
PROPOSALS = 50


class BotData:
    """The application's shared state. Set up by ``bot.telegram.app.build_application``."""

    config: Config
    core: Core
    database: Database
    inbox: Inbox
    recorder: Recorder
    pseudonyms: Pseudonyms

    def __init__(self) -> None:
        self.guard = FloodGuard()
        # Per chat: what the next message may refer to (bot.conversation).
        self.conversations: LruMap[int, State] = LruMap(CONVERSATIONS)
        # Choices messages already picked from: a second tap answers nothing.
        self.picked: LruMap[tuple[int, int], bool] = LruMap(CONVERSATIONS)
        # The open "Bedoelde je…?" message per chat: a typed number folds it.
        self.open_choices: LruMap[int, int] = LruMap(CONVERSATIONS)
        # Last questions per answer message, for the next best after 👎.
        self.questions: LruMap[tuple[int, int], str] = LruMap(CONVERSATIONS)
        # Knowledge files as last loaded (bot.reloading.signature).
        self.signature: tuple[tuple[str, int, int], ...] = ()
        # Set when the bot is stopping: services end, sends stop retrying.
        self.stopping = asyncio.Event()
        # When Telegram was last reached (the client and the webhook note it).
        self.contact = Contact()
        self.reload_lock = asyncio.Lock()
        # What the last reload found: the answer to a /herlaad that waited for it.
        self.last_reload: Reload | None = None
        # Previewed knowledge changes by their button key; one change is applied at a time.
        self.proposals: LruMap[str, Proposal] = LruMap(PROPOSALS)
        self.change_lock = asyncio.Lock()
        self.database_missing_logged = False


Context = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
CONTEXT_TYPES = ContextTypes(bot_data=BotData)
