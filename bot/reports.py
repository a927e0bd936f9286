"""Statistics for admins as text: the last 7 and 30 days side by side (for /stats and
``werkplekbot stats``). Aggregates only: no question texts, no users."""

from bot.storage import Report

PERIODS = (7, 30)


def _percent(report: Report, count: int) -> str:
    return f"{count} ({report.share(count):.0%})"


def format_reports(reports: dict[int, Report]) -> str:
    """A plain-text table per period: totals, outcome shares, votes, top entries, hours."""
    blocks = []
    for days, report in reports.items():
        lines = [f"Laatste {days} dagen"]
        lines.append(f"  vragen            {report.questions}")
        lines.append(f"  beantwoord        {_percent(report, report.answered)}")
        lines.append(f"  keuze aangeboden  {_percent(report, report.choices)}")
        lines.append(f"  geen antwoord     {_percent(report, report.fallback)}")
        if report.top_entries:
            lines.append("  meest gevraagd:")
            lines.extend(f"    {entry:<32} {count:>5}×" for entry, count in report.top_entries)
        if report.votes:
            lines.append("  feedback per vraag (👍 / 👎):")
            lines.extend(f"    {entry:<32} {up:>3} / {down:<3}" for entry, up, down in report.votes)
        if report.busiest_hours:
            hours = ", ".join(f"{hour:02d}u ({count})" for hour, count in report.busiest_hours)
            lines.append(f"  drukste uren: {hours}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
