"""The bot token never reaches a log line, whatever writes it."""

import logging

from bot.telegram.running import RedactToken

TOKEN = "123456:AAH-very-secret-token-value"


def test_token_is_redacted_from_messages_arguments_and_tracebacks(caplog) -> None:
    logger = logging.getLogger("test.secrets")
    handler = logging.StreamHandler()
    caplog.handler.addFilter(RedactToken(TOKEN))
    logger.addHandler(handler)
    try:
        logger.warning("POST https://api.telegram.org/bot%s/getMe failed", TOKEN)
        try:
            raise RuntimeError(f"bad URL .../bot{TOKEN}/sendMessage")
        except RuntimeError:
            logger.exception("sending failed")
    finally:
        logger.removeHandler(handler)
    text = caplog.text
    assert "AAH-very-secret-token-value" not in text and "<token>" in text
