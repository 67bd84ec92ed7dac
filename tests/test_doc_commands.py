"""The README and the user guide run as written: every shell block, in order, in a fresh folder that
holds only what ships with the project, each command succeeding as a newcomer would type it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from ledger.cli import app

# What the test cannot do itself: make a virtual environment and install into it (CI does exactly
# that, .ci/run), or run the test suite it is part of. Both stay in the documents; the rest runs.
INSTALL = re.compile(r"^python3 -m venv \.venv && \.venv/bin/pip install [^&]+(&& )?")
SELF = ".venv/bin/pytest"
SHIPPED = ("predictions.yaml", "docs")  # what a clone holds that the documents' commands read


def shell_blocks(document: Path) -> list[str]:
    """The commands of a document's ```sh blocks, a backslash-continued command joined into one."""
    text = document.read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, re.MULTILINE | re.DOTALL):
        for command in block.replace("\\\n", " ").splitlines():
            if command.strip():
                commands.append(command.strip())
    return commands


def _runnable(command: str) -> str | None:
    if SELF in command:
        return None
    return INSTALL.sub("", command) or None


@pytest.fixture
def fresh_folder(tmp_path) -> Path:
    """A folder with the project's shipped files and `.venv/bin` holding this environment's programs
    (the README says `.venv/bin/ledger`, the guide `ledger`)."""
    for name in SHIPPED:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "bin").symlink_to(Path(sys.executable).parent)
    return tmp_path


@pytest.mark.parametrize("document", ["README.md", "docs/guide.md"])
def test_every_shell_block_runs_in_order_in_a_fresh_folder(document, fresh_folder):
    commands = [c for c in map(_runnable, shell_blocks(ROOT / document)) if c]
    assert len(commands) >= 5
    env = {k: v for k, v in os.environ.items() if k != "LEDGER_DATABASE_URL"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    for command in commands:
        done = subprocess.run(["bash", "-c", f"set -euo pipefail; {command}"], cwd=fresh_folder, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{document}: `{command}` failed ({done.returncode}):\n{done.stdout}{done.stderr}"
        assert "Traceback" not in done.stderr, command
    assert (fresh_folder / "ledger.db").exists()


def test_the_blocks_are_read_whole():
    """The reader of the documents itself: a continued command is one command, install steps are
    what CI does, and the suite's own run is left to CI."""
    guide = shell_blocks(ROOT / "docs" / "guide.md")
    add = next(c for c in guide if c.startswith("ledger add"))
    assert "--quote" in add and "\\" not in add
    readme = shell_blocks(ROOT / "README.md")
    assert _runnable(readme[0]) == ".venv/bin/ledger init && .venv/bin/ledger report"
    assert _runnable(readme[1]) is None


def test_the_guides_show_sample_is_what_a_terminal_80_columns_wide_prints(make_ledger, sqlite_url, monkeypatch):
    from ledger.cli import output

    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    sample = guide.split("$ ledger show congress-opening\n", 1)[1].split("```", 1)[0]
    cli = make_ledger(sqlite_url, init=False)
    cli("init")
    monkeypatch.setattr(output, "on_terminal", lambda: True)
    printed = cli.runner.invoke(app, ["--db", cli.url, "show", "congress-opening"], env={"COLUMNS": "80"}).stdout
    shown = "\n".join(line.rstrip() for line in printed.split("Resolution history")[0].splitlines()) + "\n"
    assert shown == sample
