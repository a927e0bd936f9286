"""Statistics for admins as text: the last 7 days, and the last 30 when they differ (for /stats
and ``werkplekbot stats``). Aggregates only: no question texts, no users. Entries are named by
their label, the way admins see them in the bot."""

from collections.abc import Mapping

from bot.database import Report
from bot.knowledge import Knowledge

PERIODS = (7, 30)


def _percent(report: Report, count: int) -> str:
    return f"{count} ({report.share(count):.0%})"


def _name(entry_id: str, knowledge: Knowledge | None) -> str:
    entry = knowledge.by_id.get(entry_id) if knowledge else None
    return entry.short_label if entry else entry_id


def format_report(days: int, report: Report, knowledge: Knowledge | None = None) -> str:
    """One period: totals, outcome shares, most asked entries, votes, busiest hours."""
    lines = [f"Laatste {days} dagen"]
    lines.append(f"  vragen            {report.questions}")
    lines.append(f"  beantwoord        {_percent(report, report.answered)}")
    lines.append(f"  keuze aangeboden  {_percent(report, report.choices)}")
    lines.append(f"  geen antwoord     {_percent(report, report.fallback)}")
    if report.top_entries:
        lines.append("  meest gevraagd:")
        lines.extend(
            f"    {_name(entry, knowledge):<32} {count:>4}×" for entry, count in report.top_entries
        )
    if report.votes:
        lines.append("  feedback (👍 / 👎):")
        lines.extend(
            f"    {_name(entry, knowledge):<32} {up:>3} / {down:<3}"
            for entry, up, down in report.votes
        )
    if report.busiest_hours:
        hours = ", ".join(f"{hour:02d}u ({count})" for hour, count in report.busiest_hours)
        lines.append(f"  drukste uren: {hours}")
    return "\n".join(lines)


def format_reports(reports: Mapping[int, Report], knowledge: Knowledge | None = None) -> str:
    """Each period in turn; a longer period that counts exactly the same is left out."""
    blocks: list[str] = []
    previous: Report | None = None
    for days, report in reports.items():
        if previous is not None and report == previous:
            blocks.append(f"(De laatste {days} dagen: dezelfde cijfers.)")
            continue
        blocks.append(format_report(days, report, knowledge))
        previous = report
    return "\n\n".join(blocks)
