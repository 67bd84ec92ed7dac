"""Schema revisions: whether a database is at the revision this code expects, and alembic's
migrations to bring it there. Alembic itself is imported only on the paths that need it."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import importlib.util
import io
import os
import sqlite3
import stat
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ledger.db.engine import SCHEMA_REVISION, check_sqlite_file, current_revision, driver_message, make_engine, other_tables, safe_url, sqlite_file
from ledger.errors import DatabaseError, InvalidInput, close_matches

if TYPE_CHECKING:
    from sqlalchemy import Engine


def script_location() -> str:
    """The migrations ship inside the package as ledger.migrations; a source checkout keeps them at the top."""
    spec = importlib.util.find_spec("ledger.migrations")
    if spec is not None and spec.submodule_search_locations:
        return str(next(iter(spec.submodule_search_locations)))
    return str(Path(__file__).resolve().parents[2] / "migrations")


def _config(url: str, output: io.StringIO | None = None):
    from alembic.config import Config

    config = Config(stdout=output) if output is not None else Config()
    config.set_main_option("script_location", script_location())
    config.attributes["url"] = url
    return config


@functools.cache
def known_revisions() -> tuple[str, ...]:
    """The migrations' revisions, oldest first (read once: alembic loads every migration's module to know them)."""
    from alembic.script import ScriptDirectory

    return tuple(rev.revision for rev in reversed(list(ScriptDirectory.from_config(_config("")).walk_revisions())))


def head_revision() -> str | None:
    return known_revisions()[-1] if known_revisions() else None


def backup_sqlite(url: str) -> Path | None:
    """Copy a SQLite file aside before its schema changes, so a failed upgrade loses nothing."""
    path = sqlite_file(url)
    if path is None or not path.exists() or path.stat().st_size == 0:
        return None
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    backup = path.with_name(f"{path.name}.{stamp}.bak")
    try:
        # created first with the ledger's own permissions: a private ledger's copy is private too
        os.close(os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IMODE(path.stat().st_mode)))
        source, target = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True), sqlite3.connect(backup)
    except (OSError, sqlite3.Error) as exc:
        if backup.exists() and backup.stat().st_size == 0:
            backup.unlink()
        raise DatabaseError(f"cannot write the backup {backup} before the upgrade ({getattr(exc, 'strerror', None) or exc}); "
                            f"nothing was changed: make {path.absolute().parent} writable") from None
    try:  # the SQLite backup API copies a consistent snapshot even with WAL pages outstanding
        source.backup(target)
    except sqlite3.Error as exc:
        target.close()
        backup.unlink(missing_ok=True)
        raise DatabaseError(f"cannot write the backup {backup} before the upgrade ({exc}); nothing was changed") from None
    finally:
        target.close()
        source.close()
    return backup


def _state(url: str) -> tuple[str | None, list[str]]:
    """The database's revision and, when it has none, the tables it holds anyway."""
    file = sqlite_file(url) if url.startswith("sqlite") else None
    if file is not None:
        check_sqlite_file(file, url)
    engine = make_engine(url)
    try:
        revision = current_revision(engine)
        return revision, other_tables(engine) if revision is None else []
    finally:
        engine.dispose()


def _check_integrity(url: str) -> None:
    """Refuse to migrate a damaged SQLite file: its backup would be damaged too."""
    file = sqlite_file(url) if url.startswith("sqlite") else None
    if file is None:
        return
    try:
        with contextlib.closing(sqlite3.connect(f"{file.absolute().as_uri()}?mode=ro", uri=True, timeout=30)) as connection:
            found = [row[0] for row in connection.execute("PRAGMA quick_check(5)")]
    except sqlite3.Error as exc:
        found = [str(exc)]
    if found != ["ok"]:
        raise DatabaseError(f"{file} is damaged ({'; '.join(found)}), so it is not upgraded: restore a backup "
                            f"({file.name}.*.bak beside it) or import an export into a new ledger")


class Upgraded(NamedTuple):
    """What an upgrade did: the revision before (None: an empty database) and after, the SQLite
    backup written first, and what the migrations repaired on the way (ids a newer rule refuses)."""

    before: str | None
    after: str | None
    backup: Path | None = None
    repaired: tuple[str, ...] = ()


def upgrade(url: str, revision: str = "head") -> Upgraded:
    """Bring the schema to `revision` (see `Upgraded` for what it returns). Refused before
    anything is written: an unknown revision (with the closest), a database written by a newer ledger,
    one holding another application's tables, a revision older than the database's (an upgrade
    never goes back), a damaged SQLite file."""
    from alembic import command
    from sqlalchemy.exc import DBAPIError

    known = known_revisions()
    if revision != "head" and revision not in known:
        hint = close_matches(revision, ["head", *known], n=1)
        raise InvalidInput(f"unknown schema revision {revision!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")
                           + f"; give head or one of {', '.join(known)}", field="revision")
    where = safe_url(url)
    before, others = _state(url)
    target = known[-1] if revision == "head" else revision
    if before is not None and before not in known:
        judge_revision(before, where)  # written by a newer ledger: refused, untouched
    if before is None and others:
        shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        raise DatabaseError(f"{where} holds another application's tables ({shown}) and no ledger; a ledger needs a database "
                            "of its own: give a new file (--db ledger.db) or an empty database", field="db")
    if before is not None and known.index(target) < known.index(before):
        raise DatabaseError(f"{where} is at schema revision {before}, later than {target}; `ledger db upgrade` never goes "
                            f"back (that would drop what the later revisions hold): to return to {target}, restore the "
                            "backup written before the upgrade (a SQLite file's is beside it, FILE.<time>.bak)", field="revision")
    if before == target:
        return Upgraded(before, before)  # nothing to do, so nothing is opened for writing
    backup = None
    if before is not None:
        _check_integrity(url)
        backup = backup_sqlite(url)
    config = _config(url)
    try:
        command.upgrade(config, target)
    except DBAPIError as exc:
        kept = f"; {backup} holds the database as it was" if backup else ""
        raise DatabaseError(f"the upgrade of {where} failed: {driver_message(exc, url)}{kept}") from None
    return Upgraded(before, _state(url)[0], backup, tuple(config.attributes.get("repaired", ())))


def downgrade(url: str, revision: str) -> None:
    from alembic import command

    command.downgrade(_config(url), revision)


def history() -> str:
    from alembic import command

    out = io.StringIO()
    command.history(_config("", out), verbose=False)
    return out.getvalue()


def check_schema(engine: Engine) -> None:
    """Refuse to touch a database whose schema is not the one these models describe."""
    judge_revision(current_revision(engine), safe_url(engine.url.render_as_string(hide_password=False)))


def judge_revision(revision: str | None, where: str) -> None:
    """Accept SCHEMA_REVISION; say what to do about an empty, older or newer database."""
    if revision is None:
        raise DatabaseError(f"{where} has no ledger yet; run `ledger init` (or `ledger db upgrade`) first")
    if revision == SCHEMA_REVISION:
        return
    if revision in known_revisions():
        raise DatabaseError(f"{where} is at schema revision {revision}, older than this ledger ({SCHEMA_REVISION}); run `ledger db upgrade`")
    raise DatabaseError(
        f"{where} is at schema revision {revision}, which this version of ledger does not know "
        "(a newer ledger wrote it); upgrade ledger rather than use this one, which would damage it"
    )
