"""Sessions and connections on a checked database, and the retried write transaction.

`Ledger` owns every transaction through `run_write`; the store below it never commits. A report
reads through `reading`, a plain DB-API connection (the standard sqlite3 module for a SQLite file).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ledger.db.engine import check_sqlite_file, driver_message, is_busy, is_check_violation, is_unique_violation, make_engine, revision_in, sqlite_path
from ledger.db.migrate import check_schema, judge_revision
from ledger.errors import Conflict, DatabaseError, InvalidInput

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

T = TypeVar("T")


@contextmanager
def reading(url: str) -> Iterator:
    """A checked DBAPI connection for reading whole tables with plain SQL (reports). A plain SQLite
    file opens through the standard sqlite3 module, never creating the file and refusing writes;
    any other URL goes through its engine. The driver's own errors become messages.

    Its queries all read one snapshot of the ledger (one read-only transaction): a report reads
    several tables, and the forecasts in several queries, so a write committed between two of them
    would otherwise mix two states (a forecast's columns from one, its outcome from another)."""
    path = sqlite_path(url)
    engine = make_engine(url) if path is None else None
    connection: Any
    driver_error: type[Exception]
    try:
        if path is not None:
            connection, driver_error = _open_sqlite(url, path), sqlite3.Error
        else:
            assert engine is not None
            check_schema(engine)
            connection, driver_error = engine.raw_connection(), engine.dialect.loaded_dbapi.Error
            _snapshot(connection, engine.dialect.name)
        try:
            yield connection
        except driver_error as exc:
            raise DatabaseError(f"reading the database failed: {driver_message(exc, url)}") from None
        finally:
            connection.close()
    finally:
        if engine is not None:
            engine.dispose()


def _snapshot(connection, dialect: str) -> None:
    """Begin the read-only transaction whose snapshot every later query reads. SQLite (in WAL mode,
    as the ledger sets it) takes the snapshot at the first read, and it never blocks a writer."""
    cursor = connection.cursor()
    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY" if dialect == "postgresql" else "BEGIN")
    cursor.close()


def _open_sqlite(url: str, path: str) -> sqlite3.Connection:
    if not os.path.exists(path):
        judge_revision(None, url)
    check_sqlite_file(path, url)
    try:
        connection = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=rw", uri=True, timeout=30)
        connection.execute("PRAGMA query_only=ON")
        _snapshot(connection, "sqlite")
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open the database {url}: {driver_message(exc, url)}") from None
    try:
        judge_revision(revision_in(connection, url), url)
    except DatabaseError:
        connection.close()
        raise
    return connection


@contextmanager
def session_for(engine: Engine) -> Iterator[Session]:
    """A session on an engine whose schema was checked. Commit is the caller's: leaving without one
    rolls everything back."""
    from sqlmodel import Session

    session = Session(engine, expire_on_commit=False)  # rows stay readable after the commit
    try:
        yield session
    except BaseException:
        # Ctrl-C in the middle of a statement can leave the transaction half-closed, and closing it
        # then fails; what the user must see is the interruption (nothing was committed), not that.
        with contextlib.suppress(Exception):
            session.close()
        raise
    session.close()


@contextmanager
def reading_errors(engine: Engine) -> Iterator[None]:
    """A driver failure while reading (a damaged file, a server gone) becomes a DatabaseError."""
    try:
        yield
    except _driver_errors(engine) as exc:
        raise DatabaseError(f"reading the database failed: {driver_message(exc, _url(engine))}") from None


def _driver_errors(engine: Engine) -> tuple[type[Exception], ...]:
    """The exceptions a driver failure arrives as: SQLAlchemy's, or the driver's own from a raw cursor."""
    from sqlalchemy.exc import DBAPIError

    return DBAPIError, engine.dialect.loaded_dbapi.Error


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


RETRIES = 8


class _Busy(Exception):
    """Another writer held the database past its timeout, or won a race: worth another attempt."""

    def __init__(self, refusal: Exception):
        super().__init__(str(refusal))
        self.refusal = refusal


def run_write(engine: Engine, operation: Callable[[Session], T] | None = None, *, attempts: int = RETRIES, dry_run: bool = False,
              prepare: Callable[[], AbstractContextManager[Callable[[Session], T]]] | None = None) -> T:
    """Run `operation(session)` as one transaction, committed when it returns (rolled back for a
    dry run or any error). When another writer got there first (a busy database, a lost race on a
    unique key) it runs again after a growing, jittered pause (tenacity): the operation checks
    everything afresh each time, so a second resolution of one question becomes a clear refusal
    rather than a second winner.

    `prepare()` instead gives the operation afresh for each attempt, from work done before the
    transaction begins (an import reads and checks its file there, without the write lock)."""
    from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_random_exponential

    from ledger.db.store import LostRace

    driver_errors, url = _driver_errors(engine), _url(engine)

    def attempt() -> T:
        with prepare() if prepare is not None else nullcontext(operation) as planned, session_for(engine) as session:
            assert planned is not None
            try:
                result = planned(session)
                if dry_run:
                    session.rollback()
                else:
                    session.commit()
                return result
            except LostRace as race:
                session.rollback()
                raise _Busy(race.refusal) from None
            except driver_errors as exc:
                with contextlib.suppress(*driver_errors):  # a connection the error broke cannot roll back; nothing was committed
                    session.rollback()
                said = driver_message(exc, url)
                if is_busy(exc) or is_unique_violation(exc):
                    raise _Busy(DatabaseError(f"the database stayed busy: {said}; nothing was written")
                                if is_busy(exc) else Conflict("another writer changed the same records at the same moment; nothing was written")) from None
                if is_check_violation(exc):
                    raise InvalidInput(f"the database refused a value out of range ({said}); nothing was written") from None
                raise DatabaseError(f"the database refused the write: {said}; nothing was written") from None

    retrying = retry(retry=retry_if_exception_type(_Busy), stop=stop_after_attempt(attempts),
                     wait=wait_random_exponential(multiplier=0.05, max=2.0), reraise=True)(attempt)
    try:
        return retrying()
    except _Busy as busy:
        raise busy.refusal from None
