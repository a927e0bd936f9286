"""No Docker engine exists on the build machines, so the image's steps are replayed outside
Docker: the project installed as the Dockerfile installs it (not editable, no repository around
it), with the Dockerfile's environment, then its start and health commands."""

import json
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bot.health import Status, write_status

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def instruction(name: str) -> list[str]:
    """The arguments of every instruction ``name`` (continuation lines joined)."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [line.split(None, 1)[1] for line in joined.splitlines() if line.startswith(name + " ")]


def test_image_basics() -> None:
    assert instruction("FROM")[0].startswith("python:3.11-slim")
    assert instruction("USER") == ["werkplekbot"]
    assert '"/data"' in instruction("VOLUME")[0]
    assert 'pip install --no-cache-dir ".[semantic]"' in instruction("RUN")[0]
    assert instruction("COPY")[-1] == "knowledge ./knowledge"
    # Admins read versions and busy hours in their own time, not the server's UTC.
    assert "TZ=Europe/Brussels" in instruction("ENV")[0]


def test_install_and_start_outside_docker(tmp_path: Path) -> None:
    app, site, data = tmp_path / "app", tmp_path / "site", tmp_path / "data"
    shutil.copytree(ROOT / "bot", app / "bot")
    shutil.copy(ROOT / "pyproject.toml", app)
    shutil.copy(ROOT / "README.md", app)
    shutil.copytree(ROOT / "knowledge", app / "knowledge")
    data.mkdir()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(site),
            str(app),
        ],
        check=True,
        timeout=300,
    )
    env_line = instruction("ENV")[0]
    env = dict(part.split("=", 1) for part in shlex.split(env_line))
    env = {k: v.replace("/app", str(app)).replace("/data", str(data)) for k, v in env.items()}
    env |= {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    def run(command: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
        assert command[0] == "werkplekbot"
        return subprocess.run(
            [sys.executable, "-m", "bot", *command[1:]],
            input=stdin,
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    # Imported from the installed copy, not from the repository.
    where = subprocess.run(
        [sys.executable, "-c", "import bot; print(bot.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(site))
    # The first command seeds the knowledge in the data volume from the image's.
    assert env["WERKPLEKBOT_KNOWLEDGE"] == str(data / "knowledge")
    first = run(["werkplekbot", "validate"])
    assert first.returncode == 0 and "aangemaakt uit" in first.stderr
    shipped = sorted(p.name for p in (app / "knowledge").glob("*.yaml"))
    assert sorted(p.name for p in (data / "knowledge").glob("*.yaml")) == shipped
    assert "aangemaakt" not in run(["werkplekbot", "validate"]).stderr  # once only
    answer = json.loads(run(["werkplekbot", "ask", "--json", "wat is vto"]).stdout)
    assert answer["entry"] == "wat-is-vto"
    start = run(json.loads(instruction("CMD")[0]), stdin="wat is een POP\n")
    assert start.returncode == 0 and "persoonlijk ontwikkelingsplan" in start.stdout
    health = json.loads(instruction("HEALTHCHECK")[0].split("CMD", 1)[1])
    assert run(health).returncode == 1  # no status yet: unhealthy, not crashed
    now = time.time()
    write_status(data / "heartbeat", Status(now, now, 0.0, "polling"))
    assert run(health).returncode == 0
    write_status(data / "heartbeat", Status(now, now - 600, 0.0, "polling"))
    assert run(health).returncode == 1  # alive, but Telegram not reached: not healthy
