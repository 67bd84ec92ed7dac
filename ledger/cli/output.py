"""One way to print rows, shared by every listing and report: a table for people, JSON or CSV for programs."""

from __future__ import annotations

import io
import json
import re
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ledger.cli.width import Fit

# What a terminal obeys rather than shows: C0 controls but new line and tab, DEL, the C1 controls
# (U+0080–U+009F, CSI among them) and the bidirectional marks and overrides that reorder a line.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` for a terminal: every control character (an escape sequence's ESC, BEL, backspace,
    carriage return, C1, bidirectional overrides) written as its visible escape (`\\x1b`), so a
    name or quote can neither recolour, retitle, rewrite nor hide what is shown. JSON and CSV data
    are left as they are."""
    if text.isprintable():  # the usual case, decided in C: a table of 100,000 rows calls this for every cell
        return text
    return _CONTROL.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return f"{value:.3f}"
    return printable(str(value).replace("\n", " ").replace("\t", " "))


def render(rows: list[dict], fmt: str, columns: tuple[str, ...] | list[str] | None = None, title: str | None = None, *,
           wide: bool = False, drop_first: tuple[str, ...] = (), formats: bool = True) -> str:
    """Rows as text. JSON is an array of objects with stable keys; CSV has a header row; a table fits
    the terminal (ledger.cli.width: `drop_first` names the columns that go first) unless `wide`, and
    says how to see what it left out (`formats`: with --format too)."""
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
    title = printable(title) if title else title
    if not rows:
        return (f"{title}\n" if title else "") + "(nothing to show)\n"
    from ledger.cli.width import terminal_width

    return _table(rows, columns, title, None if wide else terminal_width(), drop_first, formats)


def paragraphs(lines: list[str], *, wide: bool = False) -> str:
    """Lines of prose, each wrapped to the terminal (unless `wide`), its continuation indented."""
    lines = [printable(line) for line in lines]
    if wide:
        return "\n".join(lines) + "\n"
    import textwrap

    from ledger.cli.width import terminal_width

    width = terminal_width()
    return "".join(textwrap.fill(line, width, subsequent_indent="    ", break_on_hyphens=False) + "\n" for line in lines)


def _plain(cells: list[list[str]], numeric: list[bool], fitted: Fit, title: str | None) -> str:
    """Aligned columns, long text wrapped onto more lines within its column's width."""
    import textwrap

    def lines(text: str, width: int) -> list[str]:
        return textwrap.wrap(text, width, break_on_hyphens=False) or [""] if len(text) > width else [text]

    def block(row: list[str]) -> list[str]:
        if all(len(text) <= w for text, w in zip(row, fitted.widths)):  # the usual row: one line, nothing to wrap
            return ["  ".join(text.rjust(w) if right else text.ljust(w) for text, w, right in zip(row, fitted.widths, numeric)).rstrip()]
        wrapped = [lines(text, w) for text, w in zip(row, fitted.widths)]
        return ["  ".join((part[k] if k < len(part) else "").rjust(w) if right else (part[k] if k < len(part) else "").ljust(w)
                          for part, w, right in zip(wrapped, fitted.widths, numeric)).rstrip()
                for k in range(max(map(len, wrapped)))]

    out = [title] if title else []
    out += block(fitted.columns)
    out.append("  ".join("-" * w for w in fitted.widths))
    for row in zip(*cells):
        out += block(list(row))
    return "\n".join(out) + "\n"


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


def on_terminal() -> bool:
    return sys.stdout.isatty()
PLAIN_GAP, RICH_GAP = 2, 3  # between columns: two spaces; rich's ' │ '


def _table(rows: list[dict], columns: list[str], title: str | None, width: int | None, drop_first: tuple[str, ...],
           formats: bool) -> str:
    """A table within `width` (None: at full width). A rich table for a screenful on a terminal;
    piped output and long listings get plain aligned columns, which print in a fraction of the
    time (rich alone costs a tenth of a second)."""
    from ledger.cli.width import fit

    rich = len(rows) <= RICH_MAX_ROWS and on_terminal()
    numeric = [_numeric(rows, c) for c in columns]
    cells = [[_cell(row.get(c)) for row in rows] for c in columns]
    headers = [printable(c.replace("_", " ")) for c in columns]  # 'days overdue' reads, and wraps, better than 'days_overdue'
    fitted = fit(headers, cells, numeric, width, RICH_GAP if rich else PLAIN_GAP, tuple(c.replace("_", " ") for c in drop_first))
    keep = [headers.index(c) for c in fitted.columns]
    cells, numeric = [cells[i] for i in keep], [numeric[i] for i in keep]
    if title and width is not None and len(title) > width:  # a long heading wraps like the note under the table
        import textwrap

        title = textwrap.fill(title, width, break_on_hyphens=False)
    text = _rich(cells, numeric, fitted, title) if rich else _plain(cells, numeric, fitted, title)
    note = fitted.note(width, formats)
    return text + (note + "\n" if note else "")


def _rich(cells: list[list[str]], numeric: list[bool], fitted: Fit, title: str | None) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, box=box.SQUARE, show_edge=False, pad_edge=False, header_style="bold")
    for column, width, right in zip(fitted.columns, fitted.widths, numeric):
        table.add_column(column, justify="right" if right else "left", width=width, overflow="fold")
    for row in zip(*cells):
        table.add_row(*row)
    out = io.StringIO()
    total = sum(fitted.widths) + RICH_GAP * (len(fitted.widths) - 1)
    Console(file=out, force_terminal=False, no_color=True, width=total).print(table)
    return out.getvalue()
