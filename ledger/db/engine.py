"""Which database and how to connect to it: URLs, engines, the revision a database is at, and
what the driver's errors mean (by their codes, never their text).

The engine is built from a URL by a function, never at import time. SQLite gets WAL and a busy
timeout so that several processes can share one file. SQLAlchemy is imported inside the functions
that use it: a report on a SQLite file reads through the standard sqlite3 module (see
`ledger.db.session.reading`), and importing SQLAlchemy would cost it more than reading 100,000
forecasts.
"""

from __future__ import annotations

import math
import os
import re
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
    """--db, else $LEDGER_DATABASE_URL, else ledger.db in the current folder. A bare path is a SQLite
    file. A URL that cannot work is refused here, before anything is opened: one that does not parse,
    a bad port, a database other than SQLite or PostgreSQL, an in-memory database (gone when the
    command ends), unknown SQLite options. SQLite's own URI options (`?mode=ro`) take effect."""
    from_env = db is None and bool(os.environ.get(ENV_VAR))
    value = db if db is not None else os.environ.get(ENV_VAR) or DEFAULT_FILE
    field, where = (None, f"${ENV_VAR}: ") if from_env else ("db", "")

    def refuse(message: str) -> DatabaseError:
        return DatabaseError(where + message, field=field)

    if not value.strip():
        raise refuse("empty; give a SQLite file's path (ledger.db) or a URL (postgresql+psycopg://USER@HOST/DB)")
    if value != value.strip():  # from a quoted shell variable or a .env line: a file named 'ledger.db ' is never meant
        raise refuse(f"{safe_url(value)!r} begins or ends with a space; give it without")
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in value):
        raise refuse(f"{safe_url(value)!r} holds a control character; give a path or URL in plain characters")
    if "://" not in value:
        value = SQLITE_PREFIX + value
    plain = sqlite_path(value)
    if plain is not None:
        _reachable(plain, refuse)
        return value  # a plain SQLite file: nothing else to check or rename
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    usage = "use a path, sqlite:///FILE or postgresql+psycopg://USER@HOST/DB"
    try:
        url = make_url(value)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
        why = "its port is not a number" if isinstance(exc, ValueError) else "it does not parse"
        raise refuse(f"{safe_url(value)!r} is not a database URL ({why}); {usage}") from None
    backend = url.get_backend_name()
    if backend == "postgres":  # libpq's own spelling, and Heroku's
        url, backend = url.set(drivername="postgresql+psycopg"), "postgresql"
    if backend not in ("sqlite", "postgresql"):
        raise refuse(f"{safe_url(value)!r}: the ledger keeps its data in SQLite or PostgreSQL, not {backend!r}; {usage}")
    if url.port is not None and not 0 < url.port < 65536:
        raise refuse(f"{safe_url(value)!r}: port {url.port} is out of range (1–65535)")
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        url = _sqlite_options(url, lambda message: refuse(f"{safe_url(value)!r}: {message}"))
        _reachable(str(_uri_file(url.database)), refuse)
    from sqlalchemy.exc import NoSuchModuleError

    try:
        url.get_dialect()
    except NoSuchModuleError:
        raise refuse(f"{safe_url(value)!r}: unknown driver {url.drivername!r}; {usage}") from None
    return url.render_as_string(hide_password=False)


def _reachable(path: str, refuse) -> None:
    """Refuse a SQLite path the file system cannot even look up (a symlink loop, a name too long, a
    file where a folder should be, a folder that may not be entered); a missing file is fine."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        shown = path if len(path) <= 100 else f"{path[:60]}…{path[-30:]}"
        raise refuse(f"cannot use {shown!r}: {exc.strerror or exc}; give the path of a SQLite file") from None


# SQLite's own URI options (passed to SQLite with uri=true) and those of Python's sqlite3 driver
_SQLITE_URI_OPTIONS = {"mode": ("ro", "rw", "rwc"), "cache": ("shared", "private"), "immutable": ("0", "1"),
                       "nolock": ("0", "1"), "psow": ("0", "1"), "vfs": None, "modeof": None}
# Python's sqlite3 driver's own options, each with the check of its value and what that value must be
_TRUE_FALSE = ("true", "false", "yes", "no", "on", "off", "t", "f", "y", "n", "1", "0")
_SQLITE_DRIVER_OPTIONS = {
    "timeout": (lambda v: math.isfinite(float(v)) and float(v) >= 0, "a number of seconds, 0 or more"),
    "uri": (lambda v: v.lower() in _TRUE_FALSE, "true or false"),
    "check_same_thread": (lambda v: v.lower() in _TRUE_FALSE, "true or false"),
    "cached_statements": (lambda v: v.isascii() and v.isdigit(), "a whole number, 0 or more"),
    "detect_types": (lambda v: v.isascii() and v.isdigit(), "a whole number, 0 or more"),
    "isolation_level": (lambda v: v.upper() in ("DEFERRED", "IMMEDIATE", "EXCLUSIVE"), "DEFERRED, IMMEDIATE or EXCLUSIVE"),
}


def _sqlite_options(url, refuse):
    """A SQLite URL's options checked, SQLite's own ones switched on (SQLAlchemy passes them on
    only with uri=true, and otherwise ignores `?mode=ro` and writes), a file required."""
    if not url.database or url.database == ":memory:" or url.query.get("mode") == "memory":
        raise refuse("an in-memory database is gone when the command ends; give a file (sqlite:///ledger.db)")
    if url.host or url.port or url.username:  # sqlite://host/x.db: SQLite files have no server
        raise refuse("a SQLite URL names no host; give sqlite:///relative/path.db or sqlite:////absolute/path.db")
    for name, value in url.query.items():
        if isinstance(value, tuple):
            raise refuse(f"the SQLite option {name!r} is given twice")
        if name not in _SQLITE_URI_OPTIONS and name not in _SQLITE_DRIVER_OPTIONS:
            raise refuse(f"unknown SQLite option {name!r} in the URL; the options are "
                         f"{', '.join(sorted((*_SQLITE_URI_OPTIONS, *_SQLITE_DRIVER_OPTIONS)))}")
        allowed = _SQLITE_URI_OPTIONS.get(name)
        if allowed and value not in allowed:
            raise refuse(f"the SQLite option {name}={value!r} takes one of {', '.join(allowed)}")
        if name in _SQLITE_DRIVER_OPTIONS:
            valid, expected = _SQLITE_DRIVER_OPTIONS[name]
            try:
                ok = valid(value)
            except ValueError:
                ok = False
            if not ok:
                raise refuse(f"the SQLite option {name}={value!r} takes {expected}")
    if any(name in _SQLITE_URI_OPTIONS for name in url.query):  # SQLite reads them from a file: URI
        from urllib.parse import quote

        url = url.set(database="file:" + quote(str(_uri_file(url.database)))).update_query_dict({"uri": "true"})
    return url


def _uri_file(database: str) -> Path:
    """The file a SQLite database name stands for, written as a path or as a `file:` URI."""
    from urllib.parse import unquote

    if not database.startswith("file:"):
        return Path(database)
    path = database[len("file:"):]
    if path.startswith("//"):  # file://host/path: the host part is empty or localhost
        path = "/" + path[2:].partition("/")[2]
    return Path(unquote(path))


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
    return _uri_file(parsed.database) if parsed.query.get("uri") == "true" else Path(parsed.database)


def sqlite_file_missing(url: str) -> bool:
    """Whether `url` names a SQLite file that does not exist (opening it would create an empty one)."""
    path = sqlite_file(url)
    return path is not None and not path.exists()


def check_sqlite_file(path: str | Path, url: str) -> None:
    """Refuse a SQLite target that exists but is no SQLite file, before SQLite opens it (which would
    leave -wal and -shm files beside it, or wait forever on a pipe): a folder, a device, a file of
    something else, told by its first 16 bytes."""
    target = Path(path)
    if not target.exists():
        return
    if not target.is_file():
        kind = "a folder" if target.is_dir() else "not a regular file (a device or a pipe)"
        raise DatabaseError(f"{safe_url(url)} is {kind}; give the path of a SQLite file", field="db")
    with target.open("rb") as handle:
        magic = handle.read(16)
    # only the magic: it never changes, while the rest of the header may be mid-write in a live ledger
    # (a start that is empty, zeros or part of the magic is a database being created)
    if not b"SQLite format 3\0".startswith(magic.rstrip(b"\0")):
        raise DatabaseError(f"cannot open the database {safe_url(url)}: it is not a database (not a SQLite file); check that --db "
                            "names the ledger's file")


# --- what may be shown of a URL, and of the driver's messages about it -----------------------------

# A URL's options whose value may be a credential or say where one is: password, passfile, sslpassword,
# sslkey, tokens, secrets, signatures…; masked wherever the URL is shown.
_SECRET_OPTION = re.compile(r"pass|pwd|secret|token|key|auth|cred|sig|dsn|conninfo", re.IGNORECASE)  # dsn: a conninfo may hold password=
# scheme://user:password@…, as SQLAlchemy reads it (a user has no colon or slash); the password runs
# to the last @, so that one holding an unescaped @ is masked whole
_USERINFO = re.compile(r"^(?P<head>[^:/?#\s]+://[^:/]*):(?P<password>.*)@", re.DOTALL)
MASK = "***"


def _secrets(url: str) -> list[str]:
    """The credentials a URL's text holds: its password and the values of its secret options, as
    written and decoded, longest first."""
    from urllib.parse import unquote

    found: list[str] = []
    userinfo = _USERINFO.match(url)
    if userinfo and userinfo["password"]:
        found += [userinfo["password"], *userinfo["password"].split("@")]
    _, _, query = url.partition("?")
    for item in re.split(r"[&;]", query):
        name, equals, value = item.partition("=")
        if equals and value and _SECRET_OPTION.search(unquote(name)):
            found.append(value)
    found += [unquote(s) for s in found]
    return sorted({s for s in found if len(s) >= 3}, key=len, reverse=True)


def safe_url(url: str) -> str:
    """The URL as it may be shown: its password and every option that may be a credential masked
    (`postgresql://ana:***@host/db?sslpassword=***`). Text only, so it works on a URL that does not
    parse, and costs a report nothing. The one function every message showing a URL goes through."""
    masked = _USERINFO.sub(lambda m: f"{m['head']}:{MASK}@" if m["password"] else m[0], url, count=1)
    base, question, query = masked.partition("?")
    if not question:
        return masked

    def option(item: str) -> str:
        from urllib.parse import unquote

        name, equals, value = item.partition("=")
        return f"{name}={MASK}" if equals and value and _SECRET_OPTION.search(unquote(name)) else item

    return base + "?" + "".join(option(part) if part not in "&;" else part for part in re.split(r"([&;])", query))


_URL_IN_TEXT = re.compile(r"[\w+.-]+://[^\s'\"]+")


def redact(text: str, url: str | None = None) -> str:
    """Text that may be shown: every URL in it masked (safe_url) and every credential of `url`
    (the database's URL) replaced, wherever a driver's message repeats it."""
    for secret in _secrets(url) if url else ():
        text = text.replace(secret, MASK)
    return _URL_IN_TEXT.sub(lambda m: safe_url(m[0]), text)


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


_ENGINES: dict[tuple[int, str, bool], Engine] = {}
KEPT_ENGINES = 8


def make_engine(url: str, *, write: bool = False) -> Engine:
    """An engine for `url`. A SQLite writer takes the write lock when its transaction begins (BEGIN
    IMMEDIATE), so what it checks cannot change before it writes, and waits up to 30 s for it.

    The engines of the last few URLs are kept for the process (never across a fork): disposing one
    closes its connections but keeps the SQL it compiled, which a new engine would compile again at
    a cost larger than most commands' queries (a notebook opening one ledger after another, tests)."""
    key = (os.getpid(), url, write)
    engine = _ENGINES.pop(key, None) or _new_engine(url, write)
    _ENGINES[key] = engine  # the most recently used last
    while len(_ENGINES) > KEPT_ENGINES:
        _ENGINES.pop(next(iter(_ENGINES))).dispose()
    return engine


def _new_engine(url: str, write: bool) -> Engine:
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
    except ImportError as exc:
        raise DatabaseError(f"the driver for {safe_url(url)} is not installed ({exc.name}); for PostgreSQL install ledger[postgres]",
                            field="db") from None


def current_revision(engine: Engine) -> str | None:
    """The alembic revision recorded in the database, or None for an empty database."""
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import DBAPIError

    url = engine.url.render_as_string(hide_password=False)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError as exc:
        raise DatabaseError(f"cannot open the database {safe_url(url)}: {driver_message(exc, url)}") from None


def other_tables(engine: Engine) -> list[str]:
    """The tables and views of a database that has no ledger: another application's, which a
    ledger must not be mixed into."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect() as conn:
            found = inspect(conn)
            return sorted({*found.get_table_names(), *found.get_view_names()})
    except DBAPIError as exc:
        url = engine.url.render_as_string(hide_password=False)
        raise DatabaseError(f"cannot open the database {safe_url(url)}: {driver_message(exc, url)}") from None


def revision_in(connection: sqlite3.Connection, url: str) -> str | None:
    """The revision recorded in a SQLite file opened with the standard sqlite3 module."""
    try:
        known = connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] if known else None
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open the database {url}: {driver_message(exc, url)}") from None


def sqlite_revision(path: str, url: str) -> str | None:
    """The revision of an existing SQLite file, read without SQLAlchemy and without writing."""
    check_sqlite_file(path, url)
    try:
        connection = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open the database {url}: {driver_message(exc, url)}") from None
    try:
        return revision_in(connection, url)
    finally:
        connection.close()


def revision_of(url: str) -> str | None:
    """The revision of the database at `url` (None when empty), through an engine used just for that."""
    file = sqlite_file(url) if url.startswith("sqlite") else None
    if file is not None:
        check_sqlite_file(file, url)
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


# SQLite's primary result codes that say what to do about a file
_SQLITE_READONLY, _SQLITE_CORRUPT, _SQLITE_CANTOPEN, _SQLITE_FULL, _SQLITE_NOTADB = 8, 11, 14, 13, 26


def driver_message(exc: BaseException, url: str) -> str:
    """What the driver said, for a message: never the SQL or its parameters (which SQLAlchemy's own
    text carries), nothing secret of `url`, and for SQLite what to do, read from the error's code."""
    error = _driver_error(exc)
    text = redact(" ".join(str(error).split()) or type(error).__name__, url)
    code = getattr(error, "sqlite_errorcode", None)
    file = sqlite_file(url) if code is not None and url.startswith("sqlite") else None
    if code is None or file is None:
        return text
    folder = file.absolute().parent
    beside = (f"SQLite writes {file.name}-wal and -shm beside a ledger, even to read it: make the folder {folder} writable, "
              "or copy the file into one that is")
    advice = {
        _SQLITE_NOTADB: f"{file} is not a SQLite database; check that --db names the ledger's file",
        _SQLITE_CORRUPT: f"{file} is damaged; restore a backup ({file.name}.*.bak beside it, written before each "
                         "upgrade) or import an export into a new ledger",
        _SQLITE_READONLY: f"SQLite cannot write {file}: make it writable" if os.access(folder, os.W_OK) else beside,
        _SQLITE_CANTOPEN: beside if file.exists() else f"SQLite cannot create {file}: check that its folder exists and can be written",
        _SQLITE_FULL: "the disk is full; free some space",
    }.get(code & 0xFF)
    return f"{text} ({advice})" if advice else text
