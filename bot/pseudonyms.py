"""Pseudonyms: a keyed hash (HMAC-SHA256) of a Telegram id, so that the database can tell a
user's questions apart without holding who they are. The key lives beside the database, never in
it, readable by the owner only; without it a pseudonym cannot be traced back to an id."""

import hashlib
import hmac
import os
import secrets
from pathlib import Path

KEY_BYTES = 32


class KeyFileError(Exception):
    """The key file exists but cannot be used; the message says what to do."""


def key_path(db_path: Path) -> Path:
    """Where the key of a database lives: beside it, never in it."""
    return db_path.with_name(db_path.name + ".key")


def load_key(path: Path) -> bytes:
    """The key, created on first use. An existing key that is empty, short or not hexadecimal
    is refused: silently using it would make every pseudonym guessable."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return _create(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"de sleutel {path} is niet leesbaar ({exc}).") from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise KeyFileError(
            f"de sleutel {path} is leeg of beschadigd (verwacht: {2 * KEY_BYTES} hexadecimale "
            "tekens). Zet de juiste sleutel terug uit een back-up, of verwijder de sleutel en de "
            "database samen om opnieuw te beginnen."
        )
    return key


def _create(path: Path) -> bytes:
    """Write a new key atomically (a full disk leaves no empty key behind), owner-only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    temporary = path.with_name(path.name + ".new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key.hex())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise
    return key


class Pseudonyms:
    """Turns ids into pseudonyms with one key."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def of(self, value: object) -> str:
        """A keyed hash of a Telegram id (or of chat and message ids): stable, not reversible."""
        return hmac.new(self._key, str(value).encode(), hashlib.sha256).hexdigest()[:32]
