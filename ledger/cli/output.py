"""One way to print rows, shared by every listing and report: a table for people, JSON or CSV for programs."""

from __future__ import annotations

import io
import json
import sys


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def render(rows: list[dict], fmt: str, columns: tuple[str, ...] | list[str] | None = None, title: str | None = None) -> str:
    """Rows as text. JSON is an array of objects with stable keys; CSV has a header row."""
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        return json.dumps([{c: row.get(c) for c in columns} for row in rows], indent=2, ensure_ascii=False, default=str) + "\n"
    if fmt == "csv":
        from ledger.io.export import write_csv

        out = io.StringIO()
        write_csv(rows, out, columns)
        return out.getvalue()
    if fmt == "markdown":
        return _markdown(rows, columns)
    return _table(rows, columns, title)


def _plain(rows: list[dict], columns: list[str], title: str | None, limit: int = 60) -> str:
    if not rows:
        return (f"{title}\n" if title else "") + "(nothing to show)\n"

    def fit(value) -> str:
        text = _cell(value).replace("\n", " ")
        return text if len(text) <= limit else text[: limit - 1] + "…"

    table = [[fit(row.get(c)) for row in rows] for c in columns]  # column by column
    widths = [max(len(c), *map(len, cells)) for c, cells in zip(columns, table)]
    numeric = [_numeric(rows, c) for c in columns]
    padded = [[v.rjust(w) if right else v.ljust(w) for v in cells] for cells, w, right in zip(table, widths, numeric)]
    lines = [title] if title else []
    lines.append("  ".join(c.rjust(w) if right else c.ljust(w) for c, w, right in zip(columns, widths, numeric)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(line).rstrip() for line in zip(*padded)]
    return "\n".join(lines) + "\n"


def _numeric(rows: list[dict], column: str) -> bool:
    """A column of numbers, aligned on the right."""
    return any(isinstance(r.get(column), (int, float)) and not isinstance(r.get(column), bool) for r in rows)


def _markdown(rows: list[dict], columns: list[str]) -> str:
    def cell(value) -> str:
        return _cell(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join(" --- " for _ in columns) + "|"]
    lines += ["| " + " | ".join(cell(row.get(c)) for c in columns) + " |" for row in rows]
    return "\n".join(lines) + "\n"


RICH_MAX_ROWS = 500


def _table(rows: list[dict], columns: list[str], title: str | None) -> str:
    """A rich table for a screenful on a terminal; piped output and long listings get plain aligned
    columns, which print in a fraction of the time (rich alone costs a tenth of a second)."""
    if len(rows) > RICH_MAX_ROWS or not sys.stdout.isatty():
        return _plain(rows, columns, title)
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column, justify="right" if _numeric(rows, column) else "left", overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    out = io.StringIO()
    Console(file=out, force_terminal=False, no_color=True).print(table if rows else "(nothing to show)")
    return out.getvalue()
