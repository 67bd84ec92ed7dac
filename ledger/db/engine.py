"""Which database and how to connect to it: URLs, engines, the revision a database is at, and
what the driver's errors mean (by their codes, never their text).

The engine is built from a URL by a function, never at import time. SQLite gets WAL and a busy
timeout so that several processes can share one file. SQLAlchemy is imported inside the functions
that use it: a report on a SQLite file reads through the standard sqlite3 module (see
`ledger.db.session.reading`), and importing SQLAlchemy would cost it more than reading 100,000
forecasts.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from ledger.errors import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy import Engine

ENV_VAR = "LEDGER_DATABASE_URL"
DEFAULT_FILE = "ledger.db"
SQLITE_PREFIX = "sqlite:///"

# The alembic revision the models correspond to (a test checks it is the migrations' head): a
# database at another revision is refused before any read or write (see `judge_revision`).
SCHEMA_REVISION = "0005"


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
        raise DatabaseError(f"--db: {safe_url(value)!r} is not a database URL; use a path, sqlite:///FILE or postgresql+psycopg://USER@HOST/DB") from None
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
    """The URL with any password masked, for messages (a plain SQLite path has none to mask)."""
    if sqlite_path(url) is not None:
        return url
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
        raise DatabaseError(f"--db: the driver for {safe_url(url)} is not installed ({exc.name}); for PostgreSQL install ledger[postgres]") from None


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
        raise DatabaseError(f"cannot open the database {engine.url.render_as_string(hide_password=True)}: {exc.orig}") from None


def revision_in(connection: sqlite3.Connection, url: str) -> str | None:
    """The revision recorded in a SQLite file opened with the standard sqlite3 module."""
    try:
        known = connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] if known else None
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open the database {url}: {exc}") from None


def sqlite_revision(path: str, url: str) -> str | None:
    """The revision of an existing SQLite file, read without SQLAlchemy and without writing."""
    try:
        connection = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open the database {url}: {exc}") from None
    try:
        return revision_in(connection, url)
    finally:
        connection.close()


def revision_of(url: str) -> str | None:
    """The revision of the database at `url` (None when empty), through an engine used just for that."""
    engine = make_engine(url)
    try:
        return current_revision(engine)
    finally:
        engine.dispose()


# --- what the driver's errors mean, by code -------------------------------------------------------
# SQLite's primary result codes (the low byte of an extended code) and PostgreSQL's SQLSTATEs.
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_CONSTRAINT = 5, 6, 19
_SQLITE_UNIQUE = (2067, 1555)  # SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
_PG_RETRY = {"40001", "40P01", "55P03"}  # serialization failure, deadlock, lock not available
_PG_UNIQUE = "23505"


def _driver_error(exc: BaseException) -> BaseException:
    """The DB-API exception behind a SQLAlchemy one (or the exception itself)."""
    return getattr(exc, "orig", None) or exc


def is_busy(exc: BaseException) -> bool:
    """Whether another writer holds the database (SQLITE_BUSY/LOCKED, a PostgreSQL lock or
    serialization conflict): waiting and running again may succeed."""
    error = _driver_error(exc)
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return getattr(error, "sqlstate", None) in _PG_RETRY


def is_unique_violation(exc: BaseException) -> bool:
    """Whether a write broke a unique key (on SQLite also a primary key)."""
    error = _driver_error(exc)
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code in _SQLITE_UNIQUE
    return getattr(error, "sqlstate", None) == _PG_UNIQUE


def is_check_violation(exc: BaseException) -> bool:
    """Whether a write broke one of the tables' CHECK constraints (a value out of its range)."""
    error = _driver_error(exc)
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code == 275  # SQLITE_CONSTRAINT_CHECK
    return getattr(error, "sqlstate", None) == "23514"
