"""The Bot API client: python-telegram-bot's ``ExtBot`` with one change to how updates are
fetched. An update that python-telegram-bot cannot parse would make the poller ask for it again
forever (hundreds of calls a second, each logging the update's content); here it is logged by
id only and replaced by an empty update, so the offset moves on. Every successful fetch is
noted for the health check."""

import datetime as dtm
import logging
import time
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import JSONDict, ODVInput, TimePeriod
from telegram.ext import ExtBot

logger = logging.getLogger(__name__)


class Contact:
    """When Telegram was last reached (wall clock): a fetch, a webhook call, an API check."""

    def __init__(self) -> None:
        self.last = time.time()

    def note(self) -> None:
        """Telegram was reached just now."""
        self.last = time.time()


class Client(ExtBot[Any]):
    """``ExtBot`` that survives malformed updates and reports contact with Telegram."""

    def __init__(self, *args: Any, contact: Contact, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        with self._unfrozen():
            self.contact = contact

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: TimePeriod | None = None,
        allowed_updates: Sequence[str] | None = None,
        *,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
        api_kwargs: JSONDict | None = None,
    ) -> tuple[Update, ...]:
        """Fetch updates; each is parsed on its own."""
        data: JSONDict = {
            "timeout": timeout,
            "offset": offset,
            "limit": limit,
            "allowed_updates": allowed_updates,
        }
        base = read_timeout if isinstance(read_timeout, int | float) else None
        if base is None:
            base = self._request[0].read_timeout or 0
        seconds = timeout.total_seconds() if isinstance(timeout, dtm.timedelta) else timeout or 0
        result = await self._post(
            "getUpdates",
            data,
            read_timeout=float(base) + float(seconds),
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
            api_kwargs=api_kwargs,
        )
        self.contact.note()
        updates = []
        for item in result if isinstance(result, list) else ():
            try:
                update = Update.de_json(item, self)
            except Exception:
                update_id = item.get("update_id") if isinstance(item, dict) else None
                if not isinstance(update_id, int):
                    logger.error("Telegram sent an update without an id; skipped")
                    continue
                logger.error("update %d could not be read; skipped", update_id)
                update = Update(update_id)
                update.set_bot(self)
            self.insert_callback_data(update)
            updates.append(update)
        return tuple(updates)
