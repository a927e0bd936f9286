# Werkplekbot: the Telegram bot with the shipped knowledge baked in.
#   docker build -t werkplekbot .
#   docker run -d --name werkplekbot -e TELEGRAM_BOT_TOKEN=... -v werkplekbot-data:/data werkplekbot
# Mount your own knowledge over the shipped one with -v "$PWD/knowledge:/app/knowledge:ro".
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    WERKPLEKBOT_KNOWLEDGE=/app/knowledge \
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
