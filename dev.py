#!/usr/bin/env python3
"""Set up and run Werkplekbot with nothing but Python 3.11+.

    python3 dev.py run    # the bot: a console chat, or Telegram when TELEGRAM_BOT_TOKEN is set
    python3 dev.py test   # lint (ruff), types (mypy) and the test suite

The first call creates ``.venv`` and installs the project into it; later calls reinstall only
when ``pyproject.toml`` changed. Extra arguments go to the command (``python3 dev.py run ask
wat is VTO``, ``python3 dev.py test -k matching``).
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".werkplekbot-installed"


def ensure_environment() -> None:
    """Create the virtual environment and install the project (with test extras) if needed."""
    # dev.py runs under whatever Python the newcomer has, before any requirement is checked.
    if sys.version_info < (3, 11):  # noqa: UP036
        sys.exit(f"Werkplekbot needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists() and not (BIN / "python.exe").exists():
        print("Creating .venv ...", file=sys.stderr)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    print("Installing Werkplekbot and its dependencies into .venv ...", file=sys.stderr)
    subprocess.run(
        [
            str(BIN / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-e",
            f"{ROOT}[test,bench]",
        ],
        check=True,
    )
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    """Dispatch ``run`` or ``test``."""
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    ensure_environment()
    command, rest = argv[0], argv[1:]
    if command == "run":
        return subprocess.call([str(BIN / "werkplekbot"), *rest], cwd=ROOT)
    lint = subprocess.call([str(BIN / "ruff"), "check", "bot", "tests", "bench"], cwd=ROOT)
    types = subprocess.call([str(BIN / "mypy")], cwd=ROOT)
    tests = subprocess.call([str(BIN / "python"), "-m", "pytest", *rest], cwd=ROOT)
    return tests or lint or types


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
