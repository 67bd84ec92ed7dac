"""Fitting a table to the terminal: which columns to show and how wide each may be.

A table wider than the screen is unreadable once the terminal wraps it, so a table is fitted to
the width (the terminal's; 80 for piped output unless `COLUMNS` says otherwise): numbers keep
their width, text cells wrap, and when even that does not fit, empty columns go, then secondary
ones, named in a note that says how to see them. `--wide` turns the fitting off.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass

MIN_TEXT = 8  # a text column narrower than this reads as a column of broken words
FIRST_WHOLE = 40  # the first column (what a row is about: an id) stays whole up to this width
LONGEST_WORD = 20  # words (ids, dates, figures) up to this long are never broken across lines


def terminal_width() -> int:
    """The terminal's width; piped output (or no terminal) is 80 unless COLUMNS says otherwise."""
    return shutil.get_terminal_size((80, 24)).columns


@dataclass
class Fit:
    columns: list[str]  # the columns shown, in order
    widths: list[int]  # each one's width
    hidden: list[str]  # the columns left out to fit, in the table's order

    def note(self, width: int | None, formats: bool = True) -> str:
        """What was left out and how to see it ('' when nothing was); `formats`: the command has
        --format."""
        if not self.hidden:
            return ""
        import textwrap

        text = (f"({len(self.hidden)} more column{'s' if len(self.hidden) > 1 else ''} to see: {', '.join(self.hidden)}; "
                "--wide shows every column" + (", --format json or csv every field)" if formats else ")"))
        return "\n".join(textwrap.wrap(text, width)) if width else text


def _longest_word(text: str) -> int:
    return min(max(map(len, text.split()), default=0), LONGEST_WORD)


def fit(columns: list[str], cells: list[list[str]], numeric: list[bool], width: int | None, gap: int,
        drop_first: tuple[str, ...] = ()) -> Fit:
    """The columns and widths of a table of `cells` (column by column) within `width` characters, a
    gap of `gap` between columns. Empty columns go first, then those named in `drop_first`, in that
    order, then the rightmost ones; the first column (what a row is about) always stays, and an id
    there is never broken. `width=None`: everything, at full width."""
    natural = [max([len(c), *map(len, column)]) for c, column in zip(columns, cells)]
    if width is None:
        return Fit(list(columns), natural, [])
    # A header wraps at its spaces; numbers and the first column never wrap.
    smallest = [max([_longest_word(c), *map(len, column)]) if number or (i == 0 and n <= FIRST_WHOLE) else
                min(n, max(MIN_TEXT, _longest_word(c), *(map(_longest_word, column))))
                for i, (c, column, n, number) in enumerate(zip(columns, cells, natural, numeric))]
    shown = list(range(len(columns)))
    secondary = [columns.index(c) for c in drop_first if c in columns]

    def needed() -> int:
        return sum(smallest[i] for i in shown) + gap * (len(shown) - 1)

    def widths() -> dict[int, int]:
        """The minimum widths, and what is left shared among the text columns that would wrap,
        the least needy filled first."""
        given = {i: smallest[i] for i in shown}
        spare = max(width - needed(), 0)
        wanting = sorted((i for i in shown if natural[i] > given[i]), key=lambda i: natural[i] - given[i])
        for position, i in enumerate(wanting):
            grant = min(natural[i] - given[i], spare // (len(wanting) - position))
            given[i] += grant
            spare -= grant
        return given

    def done(index: int) -> bool:
        if index in empty:
            return sum(natural[i] for i in shown) + gap * (len(shown) - 1) <= width
        squeezed = any(w * 2 < natural[i] for i, w in widths().items())
        return needed() <= width and not (index in secondary and squeezed)

    # Columns with nothing in them go while the table does not fit at full width; a secondary one
    # while it does not fit or squeezes some text below half its length; then, only while it does
    # not fit, the rightmost columns.
    empty = [i for i in range(1, len(columns)) if not any(cells[i])]
    for index in empty + secondary + list(range(len(columns) - 1, 0, -1)):
        if len(shown) == 1 or done(index):
            break
        if index in shown:
            shown.remove(index)
    final = widths()
    return Fit([columns[i] for i in shown], [final[i] for i in shown], [c for i, c in enumerate(columns) if i not in shown])
