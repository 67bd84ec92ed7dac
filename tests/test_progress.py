"""Progress bars: only on a terminal, only after a second, never with --quiet or when piped."""

from __future__ import annotations

import io

from rich.console import Console

from ledger.cli.progress import Progress


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def _terminal():
    out = io.StringIO()
    return out, Console(file=out, force_terminal=True, width=100)


def test_bar_appears_only_after_a_second_with_count_and_rate():
    clock, (out, console) = Clock(), _terminal()
    with Progress("importing", 1000, enabled=True, clock=clock, console=console) as progress:
        progress.advance(100)
        assert out.getvalue() == ""  # quick work stays silent
        clock.now = 2.0
        progress.advance(400)
        progress._bar.refresh()
        drawn = out.getvalue()
    assert "importing" in drawn and "500/1000" in drawn and "250/s" in drawn


def test_disabled_bar_draws_nothing():
    clock, (out, console) = Clock(), _terminal()
    with Progress("importing", 10, enabled=False, clock=clock, console=console) as progress:
        clock.now = 5.0
        progress.advance(10)
    assert out.getvalue() == "" and progress.done == 10


def test_piped_commands_print_no_progress(sqlite_ledger):
    out = sqlite_ledger("import", "predictions.yaml").output
    assert "━" not in out and "/s" not in out
    assert "━" not in sqlite_ledger("report", "--quiet").output
