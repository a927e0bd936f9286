"""Reload under load: colleagues keep asking while an admin's edit swaps the knowledge for a
30,000-entry one, and back. The real ``werkplekbot run`` process against the Bot API emulator.

    .venv/bin/python bench/reload_load.py [--entries 30000] [--json]

Reports the users' reply latency (question offered -> reply received by the API) while the big
knowledge loads (p50, p99, max), how long the reload took, every admin notice's length, and
the bot's memory: at start, with the big knowledge, and after going back to the shipped one.
Targets: p99 <= 300 ms during the load, notices <= 4096 characters, memory back near the start.
"""

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.botapi import BotApiEmulator  # noqa: E402
from bench.memory import rss_mb  # noqa: E402
from bench.synthetic import synthetic_knowledge  # noqa: E402
from bot.config import REPOSITORY_KNOWLEDGE  # noqa: E402
from bot.knowledge import Knowledge  # noqa: E402
from bot.text import knowledge_analyzer  # noqa: E402

ADMIN = 900
ENTRIES_PER_FILE = 400


def valid_entries(knowledge: Knowledge) -> list[dict[str, object]]:
    """The synthetic entries as YAML data, without phrasings that validation would refuse as
    the same question in two entries."""
    analyzer = knowledge_analyzer(knowledge.synonyms, knowledge.entries)
    seen: dict[str, str] = {}
    out = []
    for entry in knowledge.entries:
        forms = analyzer.forms(entry.question)
        if not forms or any(seen.get(f, entry.id) != entry.id for f in forms):
            continue
        alternates = []
        for alternate in entry.alternates:
            alt_forms = analyzer.forms(alternate)
            if alt_forms and all(seen.get(f, entry.id) == entry.id for f in alt_forms):
                alternates.append(alternate)
                seen.update(dict.fromkeys(alt_forms, entry.id))
        seen.update(dict.fromkeys(forms, entry.id))
        out.append(
            {
                "id": entry.id,
                "question": entry.question,
                "alternates": alternates,
                "answer": entry.answer,
                "section": entry.section,
            }
        )
    return out


def write_knowledge(size: int, directory: Path) -> int:
    """A valid knowledge directory of about ``size`` synthetic entries; how many it holds."""
    entries = valid_entries(synthetic_knowledge(size))
    for start in range(0, len(entries), ENTRIES_PER_FILE):
        chunk = entries[start : start + ENTRIES_PER_FILE]
        text = yaml.safe_dump({"entries": chunk}, allow_unicode=True, width=1000)
        (directory / f"{start // ENTRIES_PER_FILE:04d}.yaml").write_text(text, encoding="utf-8")
    return len(entries)


def swap(knowledge: Path, source: Path) -> None:
    """Replace the knowledge directory's files (what an admin's editor or a deploy does)."""
    for old in knowledge.glob("*.yaml"):
        old.unlink()
    for new in source.glob("*.yaml"):
        shutil.copy(new, knowledge / new.name)


def measure(size: int, settle: float = 1.0, back: bool = True) -> dict[str, object]:
    """Run the scenario and return the figures (``settle``: seconds to let things settle
    between steps; ``back``: also reload the shipped knowledge and measure memory after)."""
    work = Path(tempfile.mkdtemp(prefix="werkplekbot-reload-"))
    shipped, big, live = work / "shipped", work / "big", work / "knowledge"
    shutil.copytree(REPOSITORY_KNOWLEDGE, shipped)
    shutil.copytree(REPOSITORY_KNOWLEDGE, live)
    big.mkdir()
    entries = write_knowledge(size, big)
    emulator = BotApiEmulator().start()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("WERKPLEKBOT_", "TELEGRAM_"))},
        "TELEGRAM_BOT_TOKEN": "123:RELOAD",
        "TELEGRAM_BASE_URL": emulator.base_url,
        "WERKPLEKBOT_DB": str(work / "db.sqlite3"),
        "WERKPLEKBOT_KNOWLEDGE": str(live),
        "WERKPLEKBOT_ADMIN_IDS": str(ADMIN),
        "WERKPLEKBOT_FLOOD_LIMIT": "10000",
        # As at 30,000 entries (too many phrasings to embed), whatever the size measured.
        "WERKPLEKBOT_SEMANTIC": "0",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    asked: dict[int, float] = {}
    stop = threading.Event()

    def ask_forever() -> None:
        chat = 10_000
        while not stop.is_set():
            chat += 1
            asked[chat] = time.monotonic()
            emulator.push_message("Wat is een POP?", chat_id=chat, user_id=chat)
            time.sleep(0.05)  # 20 questions a second

    try:
        asyncio.run(emulator.wait_for("setMyCommands", 1, timeout=60))
        time.sleep(settle)
        start_mb = rss_mb(process.pid)
        asker = threading.Thread(target=ask_forever, daemon=True)
        asker.start()
        time.sleep(settle)
        began = time.monotonic()
        swap(live, big)
        asyncio.run(emulator.wait_for_text(ADMIN, "Kennis herladen", timeout=600))
        reload_s = time.monotonic() - began
        time.sleep(settle)
        stop.set()
        asker.join()
        big_mb = rss_mb(process.pid)
        window = (began, began + reload_s)
        after_mb = 0.0
        if back:
            swap(live, shipped)
            asyncio.run(emulator.wait_for_text(ADMIN, "Kennis herladen", count=2, timeout=600))
            time.sleep(2 * settle)
            after_mb = rss_mb(process.pid)
    finally:
        stop.set()
        process.terminate()
        process.wait(timeout=30)
        emulator.stop()
    latencies = []
    for (name, params), at in zip(emulator.calls, emulator.call_times, strict=True):
        chat = int(params.get("chat_id", 0)) if name == "sendMessage" else 0
        if chat in asked and window[0] <= asked[chat] <= window[1]:
            latencies.append((at - asked[chat]) * 1000)
    latencies.sort()
    notice_lengths = [len(m["text"]) for m in emulator.sent() if int(m["chat_id"]) == ADMIN]
    shutil.rmtree(work, ignore_errors=True)
    return {
        "entries": entries,
        "reload_s": round(reload_s, 1),
        "questions_during_reload": len(latencies),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 1) if latencies else None,
        "max_ms": round(latencies[-1], 1) if latencies else None,
        "notice_chars": notice_lengths,
        "rss_start_mb": round(start_mb),
        "rss_big_mb": round(big_mb),
        "rss_after_mb": round(after_mb),
    }


def main() -> None:
    """Run and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=30_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = measure(args.entries)
    print(json.dumps(figures, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
