"""The ``werkplekbot`` command line (documented in the README): ask, chat, run, validate, export,
stats, review, health, and from a checkout eval and bench."""

import argparse
import json
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import Config, ConfigError
from bot.core import Core
from bot.database import DatabaseError
from bot.loading import (
    KnowledgeError,
    check_knowledge,
    counted,
    inspect_knowledge,
    load_knowledge,
)
from bot.snapshots import seed

EXIT_OK, EXIT_PROBLEM, EXIT_CONFIG = 0, 1, 2


def _load_core(config: Config) -> Core:
    return Core(load_knowledge(config.knowledge_dir), semantic=config.semantic)


def cmd_ask(args: argparse.Namespace, config: Config) -> int:
    """Answer the question on the command line, or one per stdin line with ``-``."""
    core = _load_core(config)
    if args.question == ["-"]:
        for line in sys.stdin:
            question = line.rstrip("\r\n")
            _print_answer(core, question, args)
        return EXIT_OK
    question = " ".join(args.question)
    _print_answer(core, question, args)
    return EXIT_OK


def _print_answer(core: Core, question: str, args: argparse.Namespace) -> None:
    reply = core.ask(question)
    if args.json:
        data = reply.to_json()
        if args.explain:
            data["explain"] = _explanation(core, question)
        print(json.dumps(data, ensure_ascii=False), flush=True)
        return
    from bot.console import render

    print(render(reply), flush=True)
    if args.explain:
        print(json.dumps(_explanation(core, question), ensure_ascii=False, indent=2), flush=True)


def _explanation(core: Core, question: str) -> dict[str, object]:
    """Why the matcher decided as it did: tokens, and every candidate's lexical and semantic
    parts."""
    return core.match(question).explain()


def cmd_chat(args: argparse.Namespace, config: Config) -> int:
    """A conversation in the terminal (``--json``: for programs, one message per line)."""
    import asyncio

    from bot.console import read_stdin_line, run_chat

    core = _load_core(config)
    if args.json:
        return asyncio.run(run_chat(core, config, as_json=True, read=read_stdin_line))
    return asyncio.run(run_chat(core, config))


def cmd_run(args: argparse.Namespace, config: Config) -> int:
    """The Telegram bot; without a token, the console chat on the same knowledge."""
    if not config.token:
        print(
            "TELEGRAM_BOT_TOKEN is niet ingesteld: ik start de chat in de terminal.\n"
            "(Zet TELEGRAM_BOT_TOKEN in de omgeving of in .env om de Telegram-bot te starten.)\n",
            file=sys.stderr,
        )
        args.json = False
        return cmd_chat(args, config)
    from bot.telegram.running import run

    webhook = getattr(args, "webhook", False)
    config = config.with_webhook(
        enabled=webhook or None,
        listen=getattr(args, "listen", None),
        port=getattr(args, "port", None),
        path=getattr(args, "path", None),
        url=getattr(args, "url", None),
        secret=getattr(args, "secret", None),
    )
    return run(config, _load_core(config))


def cmd_validate(args: argparse.Namespace, config: Config) -> int:
    """Check a knowledge directory; one ``FILE:LINE: message`` line per problem or warning.
    Only problems make the exit code 1: warnings are what loads but is probably not meant."""
    directory = Path(args.directory) if args.directory else config.knowledge_dir
    inspection = inspect_knowledge(directory)
    knowledge, problems, warnings = inspection.knowledge, inspection.problems, inspection.warnings
    if knowledge is not None and args.strict:
        from bot.lint import check_strictly

        strict = check_strictly(directory, semantic=config.semantic)
        problems, warnings = strict.problems, strict.warnings
    noted = counted(len(warnings), "waarschuwing", "waarschuwingen")
    if problems:
        # Together, in file order: an empty file (a warning) explains the problems after it.
        for problem in sorted(problems + warnings):
            print(problem)
        found = counted(len(problems), "probleem", "problemen")
        if warnings:
            found += f" en {noted}"
        print(f"\n{found} gevonden in {directory}.", file=sys.stderr)
        return EXIT_PROBLEM
    assert knowledge is not None
    print(
        f"OK: {counted(len(knowledge.entries), 'vraag', 'vragen')} in "
        f"{counted(len(knowledge.sections), 'onderwerp', 'onderwerpen')}, "
        f"{counted(len(knowledge.synonyms), 'synoniem', 'synoniemen')}"
        + (
            f", {counted(len(knowledge.out_of_scope), 'vraag', 'vragen')} buiten bereik"
            if knowledge.out_of_scope
            else ""
        )
        + f" ({directory})."
        + (f" {noted}:" if warnings else "")
    )
    for warning in sorted(warnings):
        print(warning)
    return EXIT_OK


def cmd_export(args: argparse.Namespace, config: Config) -> int:
    """The loaded knowledge as JSON."""
    knowledge = load_knowledge(config.knowledge_dir)
    print(json.dumps(knowledge.to_json(), ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_stats(args: argparse.Namespace, config: Config) -> int:
    """Counts from the database."""
    import asyncio

    from bot.database import reports_of, stats_of
    from bot.reports import PERIODS, format_reports

    counts = asyncio.run(stats_of(config.db_path))
    if args.json:
        print(json.dumps(counts))
        return EXIT_OK
    labels = {
        "questions": "vragen",
        "answered": "beantwoord",
        "choices": "keuze aangeboden",
        "fallback": "geen antwoord",
        "feedback_up": "👍",
        "feedback_down": "👎",
    }
    print(f"Statistieken uit {config.db_path}\n\nSinds het begin")
    for key, label in labels.items():
        print(f"  {label:<18}{counts[key]:>8}")
    knowledge, _ = check_knowledge(config.knowledge_dir)
    print()
    print(format_reports(asyncio.run(reports_of(config.db_path, PERIODS)), knowledge))
    return EXIT_OK


def cmd_review(args: argparse.Namespace, config: Config) -> int:
    """The unanswered questions, grouped, as Markdown (or CSV)."""
    import asyncio

    from bot.database import review_items_of
    from bot.review import group_unanswered, to_csv, to_markdown

    core = _load_core(config)
    items, dismissed = asyncio.run(review_items_of(config.db_path, args.days))
    groups = group_unanswered(items, core, dismissed)
    sys.stdout.write(to_csv(groups) if args.csv else to_markdown(groups, core.knowledge))
    return EXIT_OK


def cmd_health(args: argparse.Namespace, config: Config) -> int:
    """Exit 0 when the running bot answers: its status is fresh, Telegram was reached lately,
    and no update waits too long (Docker's HEALTHCHECK)."""
    from bot.health import check

    max_waiting = args.max_waiting or config.timings.max_waiting
    problems = check(config.heartbeat_path, args.max_age, max_waiting)
    for problem in problems:
        print(problem, file=sys.stderr)
    return EXIT_PROBLEM if problems else EXIT_OK


def cmd_link(args: argparse.Namespace, config: Config) -> int:
    """The deep link to an entry or a topic (t.me/<bot>?start=<key>), and its QR code."""
    knowledge = load_knowledge(config.knowledge_dir)
    key = args.key
    if key not in knowledge.by_id and key not in knowledge.topic_by_key:
        print(f"'{key}' is geen id van een vraag of een onderwerp.", file=sys.stderr)
        print("Onderwerpen: " + ", ".join(knowledge.topic_by_key), file=sys.stderr)
        return EXIT_PROBLEM
    link = f"https://t.me/{args.bot.lstrip('@')}?start={key}"
    print(link)
    if args.qr:
        import segno

        segno.make(link, error="m").save(args.qr, scale=args.scale, border=4)
        print(f"QR-code: {args.qr}", file=sys.stderr)
    return EXIT_OK


# The evaluation and benchmark tools live in the repository's bench/ directory, not in the
# installed package; from a checkout, these commands run them.
CHECKOUT = Path(__file__).resolve().parent.parent


def _add_bench_commands(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    if (CHECKOUT / "bench" / "__main__.py").is_file():
        if str(CHECKOUT) not in sys.path:
            sys.path.insert(0, str(CHECKOUT))
        from bench.__main__ import add_commands

        add_commands(sub)
        for name in ("eval", "bench"):
            sub.choices[name].set_defaults(func=cmd_bench_tools)
        return
    for name in ("eval", "bench"):
        unavailable = sub.add_parser(name, help="(only in a checkout of the repository)")
        unavailable.add_argument("rest", nargs=argparse.REMAINDER)
        unavailable.set_defaults(func=cmd_bench_missing)


def cmd_bench_tools(args: argparse.Namespace, config: Config) -> int:
    """``eval`` and ``bench``: the repository's evaluation tools."""
    from bench.__main__ import run

    return run(args, config)


def cmd_bench_missing(args: argparse.Namespace, config: Config) -> int:
    """``eval`` and ``bench`` outside a checkout: say where they are."""
    print(
        "De evaluatie- en benchmarkcommando's horen bij de broncode, niet bij de geïnstalleerde "
        "bot: voer ze uit in een kopie van de repository (python -m bench ...).",
        file=sys.stderr,
    )
    return EXIT_PROBLEM


def build_parser() -> argparse.ArgumentParser:
    """All subcommands and their options."""
    parser = argparse.ArgumentParser(
        prog="werkplekbot",
        description="Werkplekbot: answers questions about werkplekleren from a curated FAQ. "
        "Without a command: the Telegram bot if TELEGRAM_BOT_TOKEN is set, else a console chat.",
    )
    sub = parser.add_subparsers(dest="command")

    ask = sub.add_parser("ask", help="answer one question ('-' reads one per stdin line)")
    ask.add_argument("question", nargs="+", help="the question, or - for stdin")
    ask.add_argument("--json", action="store_true", help="one JSON object per question")
    ask.add_argument("--explain", action="store_true", help="show why an entry won")
    ask.set_defaults(func=cmd_ask)

    chat = sub.add_parser("chat", help="interactive console conversation")
    chat.add_argument(
        "--json",
        action="store_true",
        help="for programs: one message per stdin line, one ask --json object per line",
    )
    chat.set_defaults(func=cmd_chat)

    run = sub.add_parser("run", help="the Telegram bot (long polling, or --webhook)")
    run.add_argument("--webhook", action="store_true", help="webhook mode instead of polling")
    run.add_argument("--listen", help="webhook: address to listen on (WERKPLEKBOT_WEBHOOK_LISTEN)")
    run.add_argument("--port", type=int, help="webhook: port (WERKPLEKBOT_WEBHOOK_PORT)")
    run.add_argument("--path", help="webhook: URL path (WERKPLEKBOT_WEBHOOK_PATH)")
    run.add_argument("--url", help="webhook: public URL (WERKPLEKBOT_WEBHOOK_URL)")
    run.add_argument("--secret", help="webhook: secret token (WERKPLEKBOT_WEBHOOK_SECRET)")
    run.set_defaults(func=cmd_run)

    validate = sub.add_parser("validate", help="check the knowledge files")
    validate.add_argument("directory", nargs="?", help="knowledge directory (default: configured)")
    validate.add_argument(
        "--strict",
        action="store_true",
        help="also lint: per-entry tests, self-retrieval of every phrasing, colliding entries",
    )
    validate.set_defaults(func=cmd_validate)

    export = sub.add_parser("export", help="the loaded knowledge as JSON")
    export.add_argument("--json", action="store_true", help="JSON output (the only format)")
    export.set_defaults(func=cmd_export)

    stats = sub.add_parser("stats", help="counts from the database")
    stats.add_argument("--json", action="store_true", help="the contract's JSON object")
    stats.set_defaults(func=cmd_stats)

    review = sub.add_parser("review", help="unanswered questions grouped, as Markdown")
    review.add_argument("--csv", action="store_true", help="CSV instead of Markdown")
    review.add_argument("--days", type=int, default=0, help="only the last N days (default all)")
    review.set_defaults(func=cmd_review)

    health = sub.add_parser("health", help="does the running bot answer (its status file)")
    health.add_argument(
        "--max-age",
        type=float,
        default=60.0,
        help="seconds since the last status and the last contact with Telegram (default 60)",
    )
    health.add_argument(
        "--max-waiting",
        type=float,
        help="seconds an update may wait unhandled (default WERKPLEKBOT_MAX_WAITING_SECONDS)",
    )
    health.set_defaults(func=cmd_health)

    link = sub.add_parser(
        "qr", help="the t.me deep link to an entry or topic, and its QR code for a poster"
    )
    link.add_argument("key", help="an entry id or a topic key (see export --json)")
    link.add_argument("--bot", required=True, help="the bot's username, e.g. werkplekbot_bot")
    link.add_argument("--qr", metavar="FILE", help="write the QR code (.png or .svg)")
    link.add_argument("--scale", type=int, default=8, help="QR module size in pixels")
    link.set_defaults(func=cmd_link)

    _add_bench_commands(sub)
    return parser


def seed_knowledge(config: Config) -> bool:
    """An empty knowledge directory gets the shipped knowledge (WERKPLEKBOT_KNOWLEDGE_SEED,
    set in the Docker image); False when that fails."""
    if config.knowledge_seed is None:
        return True
    try:
        if seed(config.knowledge_dir, config.knowledge_seed):
            print(
                f"De kennis in {config.knowledge_dir} is aangemaakt uit {config.knowledge_seed}.",
                file=sys.stderr,
            )
    except OSError as exc:
        print(
            f"WERKPLEKBOT_KNOWLEDGE: kan de kennis niet klaarzetten in {config.knowledge_dir} "
            f"({exc.strerror or exc}).",
            file=sys.stderr,
        )
        return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``werkplekbot`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = Config.from_env()
    except ConfigError as exc:
        print(f"Configuratiefout: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    func = getattr(args, "func", None) or cmd_run
    if not seed_knowledge(config):
        return EXIT_PROBLEM
    try:
        return func(args, config)
    except KnowledgeError as exc:
        print(f"De kennis in {config.knowledge_dir} bevat fouten; niets geladen:", file=sys.stderr)
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print("Tip: 'werkplekbot validate' toont dezelfde lijst.", file=sys.stderr)
        return EXIT_PROBLEM
    except ConfigError as exc:
        print(f"Configuratiefout: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except (DatabaseError, sqlite3.Error) as exc:
        print(f"De database {config.db_path} is niet bruikbaar: {exc}", file=sys.stderr)
        return EXIT_PROBLEM
    except BrokenPipeError:
        return EXIT_OK
