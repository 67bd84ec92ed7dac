"""Progress for long work: a rich bar on a terminal's standard error, shown only once the work has
taken more than a second, and never when output is piped (`ledger report | less`) or --quiet is given."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any


class Progress:
    def __init__(self, label: str, total: int | None, *, enabled: bool, unit: str = "forecasts",
                 delay: float = 1.0, clock: Callable[[], float] = time.monotonic, console=None):
        self.label, self.total, self.unit = label, total, unit
        self.enabled, self.delay, self.clock, self.console = enabled, delay, clock, console
        self.started = clock()
        self.done = 0
        self._bar: Any = None  # a rich progress bar, made only once the work has taken a while
        self._task: Any = None

    @classmethod
    def for_terminal(cls, label: str, total: int | None, quiet: bool, **kwargs) -> Progress:
        return cls(label, total, enabled=not quiet and sys.stderr.isatty() and sys.stdout.isatty(), **kwargs)

    def advance(self, count: int = 1, label: str | None = None) -> None:
        self.done += count
        if label:
            self.label = label
        if not self.enabled:
            return
        if self._bar is None and self.clock() - self.started >= self.delay:
            self._start()
        if self._bar is not None:
            rate = self.done / max(self.clock() - self.started, 1e-9)
            self._bar.update(self._task, completed=self.done, description=self.label, rate=f"{rate:,.0f}/s")

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as Bar

        self._bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn(self.unit),
                        TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                        console=self.console or Console(stderr=True), transient=True)
        self._bar.start()
        self._task = self._bar.add_task(self.label, total=self.total, completed=self.done, rate="")

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()
