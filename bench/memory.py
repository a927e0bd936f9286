"""A process's resident memory, for the benchmarks that report it."""

from pathlib import Path


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MB (0 where /proc is not available)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0
