"""The Telegram adapter: python-telegram-bot handlers around the channel-agnostic core.

``app`` registers every handler in one place; ``users`` and ``admin`` hold the handlers;
``render`` and ``callbacks`` turn replies into messages and buttons; ``sending`` delivers them;
``inbox`` and ``updates`` make sure no update is lost or answered twice; ``services`` runs the
background work; ``webhook`` and ``running`` serve and run the bot.
"""
