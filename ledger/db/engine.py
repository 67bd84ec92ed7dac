"""Which database, how to connect to it, and whether its schema is the one this code expects.

The engine is built from a URL by a function, never at import time. SQLite gets WAL and a busy
timeout so that several processes can share one file. SQLAlchemy is imported inside the functions
that use it: a report on a SQLite file reads through the standard sqlite3 module (`reading`), and
importing SQLAlchemy would cost it more than reading 100,000 forecasts.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, TypeVar

from ledger.errors import LedgerError, WriteConflict

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

T = TypeVar("T")
ENV_VAR = "LEDGER_DATABASE_URL"
DEFAULT_FILE = "ledger.db"
SQLITE_PREFIX = "sqlite:///"

# The alembic revision the models correspond to (a test checks it is the migrations' head): a
# database at another revision is refused before any read or write (see `judge_revision`).
SCHEMA_REVISION = "0003"


def resolve_url(db: str | None) -> str:
    """--db, else $LEDGER_DATABASE_URL, else ledger.db in the current folder. A bare path is a SQLite file."""
    value = db or os.environ.get(ENV_VAR) or DEFAULT_FILE
    if "://" not in value:
        value = SQLITE_PREFIX + value
    if sqlite_path(value) is not None:
        return value  # a plain SQLite file: nothing to check or rename
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(value)
    except ArgumentError:
        raise LedgerError(f"--db: {safe_url(value)!r} is not a database URL; use a path, sqlite:///FILE or postgresql+psycopg://USER@HOST/DB") from None
    if url.drivername == "postgresql":
        value = url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return value


def sqlite_path(url: str) -> str | None:
    """The file a plain `sqlite:///PATH` URL names; None for any other URL (another database, an
    in-memory one, or one with options or escapes, which only SQLAlchemy parses)."""
    if not url.startswith(SQLITE_PREFIX):
        return None
    path = url[len(SQLITE_PREFIX):]
    return path if path and path != ":memory:" and not any(c in path for c in "?%#") else None


def sqlite_file(url: str) -> Path | None:
    """The file any SQLite URL names, as SQLAlchemy reads it; None for other databases and in-memory ones."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def sqlite_file_missing(url: str) -> bool:
    """Whether `url` names a SQLite file that does not exist (opening it would create an empty one)."""
    path = sqlite_file(url)
    return path is not None and not path.exists()


def safe_url(url: str) -> str:
    """The URL with any password masked, for messages."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MB: a large import's index pages stay in memory
    cursor.close()


def _sqlite_writer(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # the driver's own BEGIN is replaced by BEGIN IMMEDIATE below


def _begin_immediate(connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, *, write: bool = False) -> Engine:
    """An engine for `url`. A SQLite writer takes the write lock when its transaction begins (BEGIN
    IMMEDIATE), so what it checks cannot change before it writes, and waits up to 30 s for it."""
    from sqlalchemy import create_engine, event

    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
            if write:
                event.listen(engine, "connect", _sqlite_writer)
                event.listen(engine, "begin", _begin_immediate)
            return engine
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise LedgerError(f"--db: the driver for {safe_url(url)} is not installed ({exc.name}); for PostgreSQL install ledger[postgres]") from None


def current_revision(engine: Engine) -> str | None:
    """The alembic revision recorded in the database, or None for an empty database."""
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import OperationalError

    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except OperationalError as exc:
        raise LedgerError(f"cannot open the database {engine.url.render_as_string(hide_password=True)}: {exc.orig}") from None


def revision_of(url: str) -> str | None:
    """The revision of the database at `url` (None when empty), through an engine used just for that."""
    engine = make_engine(url)
    try:
        return current_revision(engine)
    finally:
        engine.dispose()


def check_schema(engine: Engine) -> None:
    """Refuse to touch a database whose schema is not the one these models describe."""
    judge_revision(current_revision(engine), engine.url.render_as_string(hide_password=True))


def judge_revision(revision: str | None, where: str) -> None:
    """Accept SCHEMA_REVISION; say what to do about an empty, older or newer database."""
    if revision is None:
        raise LedgerError(f"{where} has no ledger yet; run `ledger init` (or `ledger db upgrade`) first")
    if revision == SCHEMA_REVISION:
        return
    from ledger.db.migrate import known_revisions  # alembic only on this rare path

    if revision in known_revisions():
        raise LedgerError(f"{where} is at schema revision {revision}, older than this ledger ({SCHEMA_REVISION}); run `ledger db upgrade`")
    raise LedgerError(
        f"{where} is at schema revision {revision}, which this version of ledger does not know "
        "(a newer ledger wrote it); upgrade ledger rather than use this one, which would damage it"
    )


@contextmanager
def reading(url: str) -> Iterator:
    """A checked DBAPI connection for reading whole tables with plain SQL (reports). A plain SQLite
    file opens through the standard sqlite3 module, never creating the file and refusing writes;
    any other URL goes through its engine. The driver's own errors become messages."""
    path = sqlite_path(url)
    engine = make_engine(url) if path is None else None
    try:
        if engine is None:
            connection, driver_error = _open_sqlite(url, path), sqlite3.Error
        else:
            check_schema(engine)
            connection, driver_error = engine.raw_connection(), engine.dialect.loaded_dbapi.Error
        try:
            yield connection
        except driver_error as exc:
            raise LedgerError(f"reading the database failed: {str(exc).strip()}") from None
        finally:
            connection.close()
    finally:
        if engine is not None:
            engine.dispose()


def _open_sqlite(url: str, path: str) -> sqlite3.Connection:
    if not os.path.exists(path):
        judge_revision(None, url)
    try:
        connection = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=rw", uri=True, timeout=30)
        connection.execute("PRAGMA query_only=ON")
        known = connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] if known else None
    except sqlite3.Error as exc:
        raise LedgerError(f"cannot open the database {url}: {exc}") from None
    try:
        judge_revision(revision, url)
    except LedgerError:
        connection.close()
        raise
    return connection


@contextmanager
def session_for(url: str, *, check: bool = True, write: bool = False) -> Iterator[Session]:
    """A session on a checked database. Commit is the caller's: a failure rolls everything back."""
    from sqlmodel import Session

    engine = make_engine(url, write=write)
    try:
        if check:
            check_schema(engine)
        with Session(engine, expire_on_commit=False) as session:  # rows stay readable after the commit
            yield session
    finally:
        engine.dispose()


RETRIES = 8


def run_write(url: str, operation: Callable[[Session], T], *, attempts: int = RETRIES) -> T:
    """Run `operation` in a write session; when another writer got there first (a conflict, or a
    database still busy after its timeout), run it again after a growing, jittered pause. The
    operation checks everything afresh each time, so a second resolution of one question becomes a
    clear refusal rather than a second winner."""
    from sqlalchemy.exc import OperationalError

    for attempt in range(attempts):
        try:
            with session_for(url, write=True) as session:
                return operation(session)
        except WriteConflict:
            if attempt == attempts - 1:
                raise
        except OperationalError as exc:
            busy = any(word in str(exc.orig).lower() for word in ("locked", "busy", "could not serialize", "deadlock"))
            if not busy or attempt == attempts - 1:
                raise LedgerError(f"the database refused the write: {str(exc.orig).strip()}; nothing was written") from None
        time.sleep(min(2.0, 0.05 * 2 ** attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")
