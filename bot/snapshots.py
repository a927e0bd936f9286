"""The knowledge files as one value: read them, write them back, seed a directory, pack them
in a zip. What admins change from Telegram is a new snapshot written over the old one."""

import contextlib
import hashlib
import io
import os
import re
import shutil
import zipfile
from collections.abc import Mapping
from pathlib import Path

from bot.loading import CACHE_DIR, knowledge_files

# A snapshot: file name (no directories) to its bytes.
Files = Mapping[str, bytes]

# A knowledge file name: any name the loader reads (see knowledge_files) that is one plain file
# name, spaces and accents included. A version keeps every file that loads, so going back never
# loses one.
_FILE_NAME = re.compile(r"[^./\\\x00-\x1f][^/\\\x00-\x1f]{0,120}\.ya?ml")
MAX_FILES = 100
# One file is at most 1 MB (bot.loading); a whole knowledge some times that.
MAX_TOTAL_BYTES = 20_000_000


class SnapshotError(Exception):
    """Files that cannot become a knowledge snapshot; the message says why, in Dutch."""


def read_snapshot(directory: Path) -> dict[str, bytes]:
    """The knowledge files of a directory."""
    return {path.name: path.read_bytes() for path in knowledge_files(directory)}


def digest(files: Files) -> str:
    """A short fingerprint of a snapshot: the same files give the same digest."""
    hasher = hashlib.sha256()
    for name in sorted(files):
        hasher.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return hasher.hexdigest()[:16]


def valid_name(name: str) -> bool:
    """Whether ``name`` can be a knowledge file name."""
    # File systems limit a name in bytes, not characters.
    return bool(_FILE_NAME.fullmatch(name)) and len(name.encode()) <= 200


def write_snapshot(directory: Path, files: Files) -> None:
    """Make the directory's knowledge files exactly ``files``: changed files are replaced
    atomically (a reader never sees half a file), knowledge files not in ``files`` removed."""
    current = read_snapshot(directory)
    for name, data in files.items():
        if current.get(name) != data:
            _write_atomically(directory / name, data)
    for name in current.keys() - files.keys():
        (directory / name).unlink(missing_ok=True)
    _sync_directory(directory)


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(partial, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _sync_directory(directory: Path) -> None:
    """Make renames and removals in ``directory`` durable (where the system allows it)."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def why_not_writable(directory: Path) -> str | None:
    """Why the bot cannot change the knowledge in ``directory`` (None: it can)."""
    probe = directory / f".werkplekbot-probe.{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        return f"de map {directory} is niet schrijfbaar ({exc.strerror or exc})"
    return None


def seed(directory: Path, source: Path) -> bool:
    """Fill an empty or missing knowledge directory with the files of ``source`` (the
    shipped knowledge, at a container's first start) and their embedding vectors, so the
    first start does not embed every phrasing again. False when there was nothing to do."""
    if directory.resolve() == source.resolve() or not source.is_dir():
        return False
    if directory.is_dir() and knowledge_files(directory):
        return False
    directory.mkdir(parents=True, exist_ok=True)
    for path in knowledge_files(source):
        shutil.copyfile(path, directory / path.name)
    if (source / CACHE_DIR).is_dir():
        # Only a cache: without it the vectors are computed again.
        with contextlib.suppress(OSError):
            shutil.copytree(source / CACHE_DIR, directory / CACHE_DIR, dirs_exist_ok=True)
    return True


def to_zip(files: Files) -> bytes:
    """A snapshot as a zip archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(name, files[name])
    return buffer.getvalue()


def from_zip(data: bytes) -> dict[str, bytes]:
    """The knowledge files in a zip archive, wherever in it they are (an archive made on a
    phone often holds one folder). Other files are ignored; the sizes are checked before
    anything is unpacked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise SnapshotError("dit is geen geldig zip-bestand.") from exc
    with archive:
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir()
            and Path(info.filename).suffix in (".yaml", ".yml")
            and not Path(info.filename).name.startswith(("._", "."))
        ]
        if not members:
            raise SnapshotError("in dit zip-bestand staat geen enkel .yaml-bestand.")
        if len(members) > MAX_FILES or sum(i.file_size for i in members) > MAX_TOTAL_BYTES:
            raise SnapshotError("dit zip-bestand is te groot voor een kennisbank.")
        files: dict[str, bytes] = {}
        for info in members:
            name = Path(info.filename).name
            if not valid_name(name):
                raise SnapshotError(name_problem(name))
            if name in files:
                raise SnapshotError(f"het bestand {name} staat twee keer in het zip-bestand.")
            try:
                files[name] = archive.read(info)
            except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError) as exc:
                raise SnapshotError(f"{name} kan ik niet uitpakken.") from exc
        return files


def name_problem(name: str) -> str:
    """What is wrong with a file name an admin sent."""
    return (
        f"'{name}' kan geen kennisbestand zijn: gebruik een naam van letters, cijfers en "
        "streepjes die eindigt op .yaml, bijvoorbeeld 50-mentoren.yaml."
    )
