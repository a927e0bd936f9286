"""Load test: 400 questions from 40 chats offered at 20 per second to the real bot process,
against the Bot API emulator; the same load to a bare python-telegram-bot echo bot.

    .venv/bin/python bench/telegram_load.py [--json]

Reports answered count, latency (question offered -> reply received by the API) p50/p95, and
CPU time per message of each bot process during the load (from /proc), with their ratio.
Targets: all answered, p95 <= 100 ms, CPU ratio <= 2.
"""

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict, deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.botapi import BotApiEmulator  # noqa: E402
from bench.evaluation import load_cases  # noqa: E402

CHATS, QUESTIONS, RATE = 40, 400, 20.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_load(
    command: list[str], questions: list[str], extra_env: dict[str, str] | None = None
) -> dict[str, float]:
    """Start a bot process, offer the questions, measure, stop it."""
    emulator = BotApiEmulator().start()
    with tempfile.TemporaryDirectory() as data:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("WERKPLEKBOT_", "TELEGRAM_"))
        }
        env |= {
            "TELEGRAM_BOT_TOKEN": "1:BENCH",
            "TELEGRAM_BASE_URL": emulator.base_url,
            "WERKPLEKBOT_DB": f"{data}/db.sqlite3",
            "WERKPLEKBOT_FLOOD_LIMIT": "1000",
            **(extra_env or {}),
        }
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            asyncio.run(emulator.wait_for("getMe", 1, timeout=60))
            time.sleep(1.0)  # let polling settle
            offered: dict[int, deque[float]] = defaultdict(deque)
            cpu_before = cpu_seconds(process.pid)
            start = time.monotonic()
            for n, question in enumerate(questions):
                chat = n % CHATS + 1
                time.sleep(max(0.0, start + n / RATE - time.monotonic()))
                offered[chat].append(time.monotonic())
                emulator.push_message(question, chat_id=chat, user_id=chat)
            asyncio.run(emulator.wait_for("sendMessage", len(questions), timeout=60))
            cpu = cpu_seconds(process.pid) - cpu_before
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
            emulator.stop()
    latencies = []
    for (method, params), at in zip(emulator.calls, emulator.call_times, strict=True):
        if method == "sendMessage":
            latencies.append((at - offered[int(params["chat_id"])].popleft()) * 1000)
    latencies.sort()
    return {
        "answered": len(latencies),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1),
        "cpu_ms_per_message": round(cpu * 1000 / len(questions), 3),
    }


def main() -> None:
    """Run both bots under the same load and print the comparison."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--lexical", action="store_true", help="WERKPLEKBOT_SEMANTIC=0")
    args = parser.parse_args()
    pool = [case.question for case in load_cases()]
    questions = [pool[n % len(pool)] for n in range(QUESTIONS)]
    extra = {"WERKPLEKBOT_SEMANTIC": "0"} if args.lexical else {}
    bot = run_load([sys.executable, "-m", "bot", "run"], questions, extra)
    echo = run_load([sys.executable, str(ROOT / "bench" / "echo_bot.py")], questions)
    result = {
        "werkplekbot": bot,
        "echo_bot": echo,
        "cpu_ratio": round(bot["cpu_ms_per_message"] / echo["cpu_ms_per_message"], 2),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{QUESTIONS} questions from {CHATS} chats at {RATE:.0f}/s")
    for name in ("werkplekbot", "echo_bot"):
        r = result[name]
        print(
            f"  {name:<12} answered {r['answered']}, p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms,"
            f" CPU {r['cpu_ms_per_message']} ms/message"
        )
    print(f"  CPU ratio werkplekbot / echo bot: {result['cpu_ratio']}")


if __name__ == "__main__":
    main()
