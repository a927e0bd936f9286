"""Versions of the knowledge. Every change made through the bot is a numbered version in the
data directory: the files as they were after it, with who made it, when and what changed.
The version from before the first change is kept too, so every change can be undone.

    kennis-versies/
      0001/versie.json   {"number", "at", "who", "summary"}
      0001/00-basis.yaml ...
"""

import json
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from bot.snapshots import Files, digest, read_snapshot, valid_name, write_snapshot

META = "versie.json"
# Versions kept; older ones are removed (each is a copy of the knowledge, some 100 kB).
KEEP = 100
# Versions an admin is shown at once.
LISTED = 10
# What the oldest version is called when nobody changed anything through the bot yet.
FIRST = "versie van vóór de eerste wijziging via de bot"
OUTSIDE = "gewijzigd buiten de bot om (in de bestanden zelf)"
OUTSIDE_WHO = "onbekend"


@dataclass(frozen=True)
class Version:
    """One version of the knowledge."""

    number: int
    at: float  # seconds since the epoch
    who: str
    summary: str
    digest: str


class History:
    """The numbered versions in one directory."""

    def __init__(self, directory: Path, keep: int = KEEP) -> None:
        self.directory = directory
        self._keep = keep

    def versions(self) -> list[Version]:
        """All kept versions, newest first (unreadable ones are skipped)."""
        found = []
        if not self.directory.is_dir():
            return []
        for path in self.directory.iterdir():
            if not (path.name.isdigit() and path.is_dir()):
                continue
            try:
                meta = json.loads((path / META).read_text(encoding="utf-8"))
                found.append(
                    Version(
                        int(path.name),
                        float(meta["at"]),
                        str(meta["who"]),
                        str(meta["summary"]),
                        str(meta["digest"]),
                    )
                )
            except (OSError, ValueError, KeyError, TypeError):
                continue
        return sorted(found, key=lambda v: -v.number)

    def get(self, number: int) -> Version | None:
        """A version by number."""
        return next((v for v in self.versions() if v.number == number), None)

    def files(self, number: int) -> dict[str, bytes]:
        """The knowledge files of a version."""
        return read_snapshot(self.directory / f"{number:04d}")

    def record(self, files: Files, who: str, summary: str, at: float) -> Version:
        """Keep ``files`` as the next version. Written under a temporary name and renamed,
        so a version is either whole or absent."""
        versions = self.versions()
        number = versions[0].number + 1 if versions else 1
        version = Version(number, at, who, summary, digest(files))
        self.directory.mkdir(parents=True, exist_ok=True)
        partial = self.directory / f".{number:04d}.{os.getpid()}.tmp"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
        try:
            write_snapshot(partial, {n: d for n, d in files.items() if valid_name(n)})
            meta = {"number": number, "at": at, "who": who, "summary": summary}
            meta["digest"] = version.digest
            (partial / META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            os.replace(partial, self.directory / f"{number:04d}")
        finally:
            shutil.rmtree(partial, ignore_errors=True)
        for old in versions[self._keep - 1 :]:
            shutil.rmtree(self.directory / f"{old.number:04d}", ignore_errors=True)
        return version

    def note_current(self, files: Files, at: float) -> None:
        """Before a change: make sure the files as they are now are a version, so the change
        can be undone (the first change, or files edited by hand since the last one)."""
        versions = self.versions()
        if versions and versions[0].digest == digest(files):
            return
        summary = OUTSIDE if versions else FIRST
        self.record(files, OUTSIDE_WHO if versions else "—", summary, at)

    def current(self, directory: Path) -> Version | None:
        """The version the knowledge directory holds now, if it is one."""
        versions = self.versions()
        if not versions:
            return None
        now = digest(read_snapshot(directory))
        return next((v for v in versions if v.digest == now), None)


def listing(versions: list[Version], current: Version | None) -> list[str]:
    """The last versions for an admin, newest first, the one in use marked "(nu)": number,
    when, who, and on the next line what changed."""
    lines = []
    for version in versions[:LISTED]:
        now = " (nu)" if current is not None and version.number == current.number else ""
        lines.append(f"v{version.number}{now} · {when(version)} · {version.who}")
        lines.append(f"    {version.summary}")
    return lines


def when(version: Version) -> str:
    """When a version was made, short: "30/11 14:05" (the server's time zone, TZ)."""
    return time.strftime("%d/%m %H:%M", time.localtime(version.at))


def version_number(text: str) -> int | None:
    """The version an admin typed ("3", "v3"), or None (only ASCII digits: "²" is no number)."""
    found = re.fullmatch(r"[vV]?([0-9]{1,6})", text.strip())
    return int(found.group(1)) if found else None
