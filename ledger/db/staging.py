"""Forecast rows checked before the write transaction, and their set-based write inside it.

A large import is read and checked first, without holding the ledger's write lock: its forecast rows
wait in a temporary file (`Staging`), so memory stays bounded whatever the file's size. The
write transaction then loads them into a temporary table on the ledger's own connection (executemany
for SQLite, `COPY` for PostgreSQL), compares those already in the ledger with one join, and inserts
the new ones with one `INSERT … SELECT`: the lock is held for the write alone, and a concurrent
`ledger add` waits seconds rather than failing.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ledger.errors import Location, Problem
from ledger.schema.tables import Forecast

if TYPE_CHECKING:
    import datetime as dt

    import numpy as np
    from sqlmodel import Session

# every column a CSV row fills; distribution (YAML only) and recorded_at (stamped when written) are not staged
STAGED = tuple(c.name for c in Forecast.__table__.columns if c.name not in ("id", "recorded_at", "distribution"))  # type: ignore[attr-defined]
_VOIDING = ("voided_reason", "voided_on")
_INDEX_BUILD_CACHE = -16384  # KB (PRAGMA cache_size's negative form): SQLite's cache while an empty ledger's indexes are built


class Staging:
    """A temporary file holding checked forecast rows (with each one's line) until they are written:
    each chunk's columns pickled as they come (a row at a time would cost more than the checks). The
    file has no name in its folder, so an import killed outright leaves nothing behind in it."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile(prefix="ledger-import-", suffix=".staging")  # noqa: SIM115 - closed by close()
        self.count = 0

    def append(self, columns: dict[str, list]) -> None:
        pickle.dump([_packed(columns[c]) for c in ("line", *STAGED)], self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += len(columns["line"])

    def chunks(self) -> Iterator[list[list]]:
        """Each chunk as its columns: line, then STAGED."""
        self.file.seek(0)
        while True:
            try:
                packed = pickle.load(self.file)  # noqa: S301 - the file is our own, written moments ago
            except EOFError:
                return
            yield [_unpacked(column) for column in packed]

    def close(self) -> None:
        self.file.close()


def _empty(values: list) -> bool:
    """Whether every value is None (compared as lists: a text column stops at its first cell)."""
    return values == [None] * len(values)


def _packed(values: list) -> tuple[str, Any]:
    """A column as few objects as pickle can write (it costs per object): an empty one as its length,
    text as one string joined by NUL (when no cell holds one), anything else as it is."""
    if _empty(values):
        return "empty", len(values)
    try:
        text = "\x00".join(values)
    except TypeError:  # not all text
        return "values", values
    return ("text", text) if text.count("\x00") == len(values) - 1 else ("values", values)


def _unpacked(packed: tuple[str, Any]) -> list:
    kind, value = packed
    return [None] * value if kind == "empty" else value.split("\x00") if kind == "text" else value


def key_hashes(keys: list[str]) -> np.ndarray:
    """Each key's hash (Python's own, for this process only: four times pandas' speed), to find the
    keys a file gives twice without a set of a million strings; equal hashes are then compared as keys."""
    import numpy as np

    return np.fromiter(map(hash, keys), np.int64, len(keys))


def duplicate_keys(staging: Staging, hashes: list[int], name: str) -> list[Problem]:
    """A forecast key given twice in one file, named at each repeat with the line of its first."""
    import numpy as np
    import pandas as pd

    wanted = set(hashes)
    first: dict[str, int] = {}
    problems = []
    key_at = 1 + STAGED.index("key")
    for columns in staging.chunks():
        keys = columns[key_at]
        for i in np.flatnonzero(pd.Series(key_hashes(keys)).isin(wanted).to_numpy()):
            key, line = keys[i], columns[0][i]
            if first.setdefault(key, line) != line:
                problems.append(Problem(Location(name, line), f"forecast {key!r} appears twice (first on line {first[key]}); "
                                                               "give each forecast its own id to keep both"))
    return problems


def edit_of(old: int | None, changed: list[str]) -> str:
    """The refusal of a forecast given without an id that reads as an edit of forecast `old`."""
    return (f"this forecast has no id, and forecast {old} in the ledger (the same forecaster, question, source, made_on and "
            f"quote) differs from it only in {', '.join(changed)}: it reads as an edit of a forecast already imported, and "
            "the ledger never overwrites one — put back the values imported, or give this forecast an id to record it as a "
            f"new forecast beside {old}")


def differs(key: str, columns: list[str]) -> str:
    return (f"forecast {key!r} is already in the ledger with different {', '.join(columns)}; "
            "the ledger never overwrites a forecast — record a revision as a new forecast with its own id")


def write_staged(session: Session, staging: Staging, name: str, compared: tuple[str, ...],
                 recorded_at: dt.datetime, natural: tuple[str, ...]) -> tuple[int, int, list[Problem]]:
    """Write the staged rows in the session's transaction: (added, already there, problems). Rows
    already in the ledger must agree with it in every `compared` column (a voiding the ledger has and
    the file does not is no disagreement), and a new row without an id must not agree with a
    content-keyed forecast the file no longer gives in every `natural` column (it is an edit of it,
    as `_Import._edited` finds in a YAML file); any such row is a problem and nothing is added."""
    from sqlalchemy import DateTime, bindparam, text

    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    recorded = bindparam("recorded_at", type_=DateTime(timezone=True))
    if not postgres and session.execute(text("SELECT 1 FROM forecast LIMIT 1")).first() is None:
        # An empty ledger has nothing to compare with: the rows go straight in, and the secondary
        # indexes are built once afterwards (a sort) instead of row by row, from their own stored
        # definitions, in the same transaction.
        indexes = session.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'forecast' "
                                       "AND sql IS NOT NULL")).all()
        for index, _ in indexes:
            session.execute(text(f'DROP INDEX "{index}"'))
        stamp = recorded.type.dialect_impl(connection.dialect).bind_processor(connection.dialect)(recorded_at)  # type: ignore[misc]
        _load(connection, "forecast", STAGED, (columns[1:] for columns in staging.chunks()), {"recorded_at": stamp})
        # Each index's sort keeps up to a page cache's worth of keys in memory, beside the page cache
        # itself, full of the load's pages: with a smaller cache for the builds the pages spill to the
        # WAL they go to at commit and the sorts merge runs from a temporary file, in the same time
        # (1M rows: 2.2 s) and 47 MB less.
        cache = session.execute(text("PRAGMA cache_size")).scalar_one()
        session.execute(text(f"PRAGMA cache_size={_INDEX_BUILD_CACHE}"))
        try:
            for _, definition in indexes:
                session.execute(text(definition))
        finally:
            session.execute(text(f"PRAGMA cache_size={cache}"))
        return staging.count, 0, []
    session.execute(text("DROP TABLE IF EXISTS ledger_stage"))
    session.execute(text(f"CREATE TEMP TABLE ledger_stage AS SELECT 0 AS line, {', '.join(STAGED)} FROM forecast WHERE 1 = 0"))
    _load(connection, "ledger_stage", ("line",) + STAGED, staging.chunks())
    distinct = "IS DISTINCT FROM" if postgres else "IS NOT"

    def differing(column: str) -> str:
        if column not in STAGED:  # a value a CSV never gives (a distribution): any in the ledger differs
            return f"f.{column} IS NOT NULL"
        test = f"f.{column} {distinct} s.{column}"
        return f"(s.{column} IS NOT NULL AND {test})" if column in _VOIDING else test

    tests = [differing(c) for c in compared]
    problems = [Problem(Location(name, line), differs(key, [c for c, flag in zip(compared, flags) if flag]))
                for line, key, *flags in session.execute(text(
                    f"SELECT s.line, s.key, {', '.join(tests)} FROM ledger_stage s JOIN forecast f ON f.key = s.key "
                    f"WHERE {' OR '.join(tests)} ORDER BY s.line"))]
    there = session.execute(text("SELECT count(*) FROM ledger_stage s JOIN forecast f ON f.key = s.key")).scalar_one()
    if there < staging.count:  # some rows are new: any of them may be an edit
        edits, same = _edits(session, name, compared, natural, tests, postgres)
        problems += edits
        there += same
    added = 0
    if not problems:
        insert = text(f"INSERT INTO forecast ({', '.join(STAGED)}, recorded_at) SELECT {', '.join('s.' + c for c in STAGED)}, :recorded_at "
                      "FROM ledger_stage s WHERE NOT EXISTS (SELECT 1 FROM forecast f WHERE f.key = s.key) "
                      f"ORDER BY {'s.line' if postgres else 's.rowid'}").bindparams(recorded)
        added = session.execute(insert, {"recorded_at": recorded_at}).rowcount  # type: ignore[attr-defined]
    session.execute(text("DROP TABLE ledger_stage"))
    return added, there, problems


DELETE_BATCH = 10_000  # lines named in one DELETE: under SQLite's limit of 32,766 values to a statement


def _edits(session: Session, name: str, compared: tuple[str, ...], natural: tuple[str, ...], tests: list[str],
           postgres: bool) -> tuple[list[Problem], int]:
    """New staged rows keyed by their content that match, in every `natural` column, a content-keyed
    forecast in the ledger that the file no longer gives: each an edit, named with the earliest such
    forecast and the columns in which the two differ (`tests`, one per `compared` column). A row
    that differs from it in nothing is that forecast: it leaves the stage, and the count of those
    is returned beside the problems."""
    from sqlalchemy import bindparam, text

    from ledger.schema.records import CONTENT_KEY_DIGITS

    content_key = ((lambda k: f"{k} ~ '^h[0-9a-f]{{{CONTENT_KEY_DIGITS}}}$'") if postgres
                   else (lambda k: f"{k} GLOB 'h{'[0-9a-f]' * CONTENT_KEY_DIGITS}'"))
    same = "IS NOT DISTINCT FROM" if postgres else "IS"
    # the query asks, for every forecast it pairs, whether the stage gives that forecast's key
    session.execute(text("CREATE INDEX ledger_stage_key ON ledger_stage (key)"))
    found: dict[int, Problem | None] = {}  # None: a row that differs in nothing
    for line, old, *flags in session.execute(text(
            f"SELECT s.line, f.id, {', '.join(tests)} FROM ledger_stage s JOIN forecast f ON "
            + " AND ".join(f"f.{c} {same} s.{c}" for c in natural)
            + f" WHERE {content_key('s.key')} AND {content_key('f.key')}"
            " AND NOT EXISTS (SELECT 1 FROM forecast g WHERE g.key = s.key)"
            " AND NOT EXISTS (SELECT 1 FROM ledger_stage t WHERE t.key = f.key) ORDER BY s.line, f.id")):
        if line not in found:
            changed = [c for c, flag in zip(compared, flags) if flag]
            found[line] = Problem(Location(name, line), edit_of(old, changed)) if changed else None
    unchanged = [line for line, problem in found.items() if problem is None]
    delete = text("DELETE FROM ledger_stage WHERE line IN :lines").bindparams(bindparam("lines", expanding=True))
    for start in range(0, len(unchanged), DELETE_BATCH):
        session.execute(delete, {"lines": unchanged[start:start + DELETE_BATCH]})
    return [problem for problem in found.values() if problem is not None], len(unchanged)


def _load(connection: Any, table: str, names: tuple[str, ...], chunks: Iterable[list[list]], same: dict[str, Any] | None = None) -> None:
    """Chunks of columns (`names`) into a table on the connection, in its transaction (`COPY` on
    PostgreSQL, else executemany), with `same` as every row's value of its columns. A column empty
    throughout a chunk is left out of its statement, for the table to fill with NULL: a CSV fills
    few of the forecast table's columns, and binding ten Nones a row costs as much as the rest."""
    import itertools

    raw = connection.connection.dbapi_connection
    cursor = raw.cursor()
    postgres = connection.dialect.name == "postgresql"
    try:
        for columns in chunks:
            given: list[tuple[str, Iterable]] = [(name, values) for name, values in zip(names, columns) if not _empty(values)]
            given += [(name, itertools.repeat(value)) for name, value in (same or {}).items()]
            listed = ", ".join(name for name, _ in given)
            rows = zip(*(values for _, values in given))
            if postgres:
                with cursor.copy(f"COPY {table} ({listed}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(f"INSERT INTO {table} ({listed}) VALUES ({', '.join('?' * len(given))})", rows)
    finally:
        cursor.close()
