# Werkplekbot: the Telegram bot, with the shipped knowledge as the seed of its own.
#   docker build -t werkplekbot .
#   docker run -d --name werkplekbot -e TELEGRAM_BOT_TOKEN=... -v werkplekbot-data:/data werkplekbot
# The knowledge lives in the data volume (/data/knowledge): at the first start it is copied from
# the image; after that admins change it from Telegram (/kennis, uploads, /onbeantwoord), with
# every version kept in /data/kennis-versies. Your own files instead: put them in the volume's
# knowledge/ before the first start, or mount a directory on /data/knowledge (read-only works:
# the bot then answers from it and tells admins why it cannot change it).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TZ=Europe/Brussels \
    WERKPLEKBOT_KNOWLEDGE=/data/knowledge \
    WERKPLEKBOT_KNOWLEDGE_SEED=/app/knowledge \
    WERKPLEKBOT_DB=/data/werkplekbot.sqlite3 \
    WERKPLEKBOT_WEBHOOK_LISTEN=0.0.0.0

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install --no-cache-dir ".[semantic]" \
    && useradd --create-home --uid 10001 werkplekbot \
    && mkdir -p /data \
    && chown werkplekbot /data
COPY knowledge ./knowledge

USER werkplekbot
VOLUME ["/data"]
# Webhook mode (werkplekbot run --webhook, with WERKPLEKBOT_WEBHOOK_SECRET set) listens here.
EXPOSE 8443
# The bot refreshes /data/heartbeat every 15 s; health fails when Telegram was not reached
# for a minute, or an update waits unhandled too long.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["werkplekbot", "health", "--max-age", "60"]
CMD ["werkplekbot", "run"]
