"""An admin's change from a phone, timed: upload a new entry, read the preview, tap
"Toepassen", and a colleague's question gets the new answer. The bot polls the Bot API
emulator in this process, with production timings and the semantic part when installed.

    .venv/bin/python bench/admin_change.py [--rounds 5] [--lexical] [--json]

Reports medians over the rounds: upload -> preview shown, "Toepassen" -> the new entry answers
a colleague, "/terugzetten" -> the entry is gone again, and a file saved straight into
`knowledge/` (the watcher, no command) -> the new entry answers. Target (issue 13): live within
5 s.
"""

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.botapi import BotApiEmulator  # noqa: E402
from bot.config import REPOSITORY_KNOWLEDGE, Config  # noqa: E402
from bot.core import Core  # noqa: E402
from bot.loading import load_knowledge  # noqa: E402
from bot.telegram.running import serve  # noqa: E402

ADMIN = 900
USER = 1000


def entry_file(number: int) -> bytes:
    """A new entry with words of its own, so only it can answer its question."""
    return (
        f"section: Onthaal\nentries:\n  - id: buddy-{number}\n"
        f"    question: Wat doet een onthaalbuddy {number}?\n"
        f"    answer: Buddy {number} loopt de eerste week met een nieuwe collega mee.\n"
    ).encode()


def sent_message(sent: dict[str, Any]) -> dict[str, Any]:
    """A message the bot sent, as Telegram shows it when one of its buttons is tapped."""
    return {
        "message_id": int(sent.get("message_id", 1)),
        "date": int(time.time()),
        "chat": {"id": int(sent["chat_id"]), "type": "private"},
        "from": {"id": 1, "is_bot": True, "first_name": "Werkplekbot"},
        "text": sent["text"],
        "reply_markup": sent["reply_markup"],
    }


async def one_round(api: BotApiEmulator, number: int) -> dict[str, float]:
    """One upload, apply and restore; the seconds each step took until its effect was seen."""
    user = USER + number
    start = time.perf_counter()
    api.push_document(entry_file(number), f"buddy-{number}.yaml", chat_id=ADMIN, user_id=ADMIN)
    previews = await api.wait_for_text(ADMIN, "Voorstel", count=number + 1, timeout=60)
    preview = [m for m in previews if "Voorstel" in m["text"]][-1]
    shown = time.perf_counter() - start
    apply = next(
        b["callback_data"]
        for row in preview["reply_markup"]["inline_keyboard"]
        for b in row
        if "Toepassen" in b["text"]
    )
    start = time.perf_counter()
    api.push_callback(apply, sent_message(preview), user_id=ADMIN)
    await asked_until(api, user, f"wat doet een onthaalbuddy {number}", f"Buddy {number}")
    live = time.perf_counter() - start
    start = time.perf_counter()
    api.push_message(f"/terugzetten {2 * number + 1}", chat_id=ADMIN, user_id=ADMIN)
    await api.wait_for_text(ADMIN, "Teruggezet", count=number + 1, timeout=60)
    await asked_until(api, user + 500, f"wat doet een onthaalbuddy {number}", None)
    return {"preview": shown, "live": live, "restored": time.perf_counter() - start}


async def saved_round(api: BotApiEmulator, knowledge: Path, number: int) -> float:
    """Save a new entry's file into the knowledge folder; seconds until a colleague gets it."""
    path = knowledge / f"buddy-saved-{number}.yaml"
    start = time.perf_counter()
    path.write_bytes(entry_file(100 + number))
    question = f"wat doet een onthaalbuddy {100 + number}"
    await asked_until(api, USER + 2000 + number, question, f"Buddy {100 + number}")
    live = time.perf_counter() - start
    path.unlink()
    await asked_until(api, USER + 3000 + number, question, None)
    return live


async def asked_until(api: BotApiEmulator, user: int, question: str, expected: str | None) -> None:
    """Ask again until the reply contains ``expected`` (None: no longer mentions the buddy)."""
    start = time.perf_counter()
    while time.perf_counter() - start < 60:
        before = len([m for m in api.sent("sendMessage") if int(m["chat_id"]) == user])
        api.push_message(question, chat_id=user, user_id=user)
        replies = await api.wait_for_text(user, "", count=before + 1, timeout=60)
        text = replies[-1]["text"]
        if (expected in text) if expected is not None else ("eerste week" not in text):
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(question)


async def measure(rounds: int, semantic: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as temporary:
        knowledge = Path(temporary) / "knowledge"
        shutil.copytree(REPOSITORY_KNOWLEDGE, knowledge, ignore=shutil.ignore_patterns(".*"))
        api = BotApiEmulator().start()
        config = Config(
            knowledge_dir=knowledge,
            db_path=Path(temporary) / "db.sqlite3",
            token="123:BENCH",
            base_url=api.base_url,
            admin_ids=frozenset({ADMIN}),
            rate_limit=1000,
            flood_limit=1000,  # the bench asks one chat again and again until it sees the change
        )
        core = Core(load_knowledge(knowledge), semantic=semantic)
        stop, started = asyncio.Event(), asyncio.Event()
        task = asyncio.create_task(serve(config, core, stop, started))
        await asyncio.wait_for(started.wait(), 60)
        try:
            results = [await one_round(api, number) for number in range(rounds)]
            for number, result in enumerate(results):
                result["saved"] = await saved_round(api, knowledge, number)
        finally:
            stop.set()
            await asyncio.wait_for(task, 60)
            api.stop()
    medians = {k: round(statistics.median(r[k] for r in results), 2) for k in results[0]}
    return {"rounds": rounds, "semantic": semantic, "median_seconds": medians}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--lexical", action="store_true", help="without the semantic part")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = asyncio.run(measure(args.rounds, not args.lexical))
    if args.json:
        print(json.dumps(result))
        return
    medians = result["median_seconds"]
    print(f"{args.rounds} rounds, semantic {'on' if result['semantic'] else 'off'}; medians:")
    print(f"  upload -> preview shown:          {medians['preview']:.2f} s")
    print(f"  Toepassen -> colleague answered:  {medians['live']:.2f} s (target <= 5 s)")
    print(f"  /terugzetten -> entry gone again: {medians['restored']:.2f} s")
    print(f"  file saved -> colleague answered: {medians['saved']:.2f} s (target <= 5 s)")


if __name__ == "__main__":
    main()
