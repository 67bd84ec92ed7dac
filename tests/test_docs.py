"""Every command has help text and is documented in the user guide; the README's commands are the CI's."""

from __future__ import annotations

from pathlib import Path

import typer

from ledger.cli import app

ROOT = Path(__file__).resolve().parent.parent


def _commands(group: typer.Typer, prefix: str = ""):
    for info in group.registered_commands:
        name = info.name or info.callback.__name__
        yield f"{prefix}{name}", info.callback
    for sub in group.registered_groups:
        yield from _commands(sub.typer_instance, f"{prefix}{sub.name} ")


def test_every_command_has_help_and_docs():
    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    names = dict(_commands(app))
    assert {"init", "import", "export", "add", "resolve", "void", "list", "show", "due", "forecasters", "sources", "report",
            "db upgrade", "db current", "db history"} <= set(names)
    for name, callback in names.items():
        assert (callback.__doc__ or "").strip(), f"`ledger {name}` has no help text"
        assert f"`ledger {name}" in guide, f"`ledger {name}` is not in docs/guide.md"


def test_help_runs_for_every_command(sqlite_ledger):
    for name in dict(_commands(app)):
        out = sqlite_ledger(*name.split(), "--help").output
        assert "Usage" in out


def test_ci_installs_and_tests_as_the_readme_says():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install '.[test]'" in readme and ".venv/bin/pip install --quiet '.[test]'" in ci
    assert ".venv/bin/pytest" in readme and ci.rstrip().endswith(".venv/bin/pytest")
    assert "ledger init && .venv/bin/ledger report" in readme


def test_readme_report_is_a_real_run(seeded):
    seeded("resolve", "congress-opening", "2026-02-19", "--evidence", "Xinhua, 20 February 2026")
    seeded("resolve", "congress-closing", "2026-02-25", "--evidence", "Xinhua, 26 February 2026")
    printed = seeded("report", "--format", "markdown").stdout.strip().splitlines()
    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = readme.index(printed[0])
    assert readme[start:start + len(printed)] == printed


def test_a_clone_without_the_shared_data_skips_what_needs_it_and_says_why(tmp_path):
    """A fresh clone has no ../shared: the tests that read it skip with the reason; none errors."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "LEDGER_TEST_SHARED": str(tmp_path / "no-shared")}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "slow", "tests/test_reports.py"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SKIPPED" in done.stdout and "needs the shared data at" in done.stdout and "error" not in done.stdout.lower()
