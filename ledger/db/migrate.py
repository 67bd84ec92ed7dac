"""Schema revisions: whether a database is at the revision this code expects, and alembic's
migrations to bring it there. Alembic itself is imported only on the paths that need it."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from ledger.db.engine import SCHEMA_REVISION, current_revision, revision_of, sqlite_file
from ledger.errors import DatabaseError

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


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(_config("")).walk_revisions()}


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config("")).get_current_head()


def backup_sqlite(url: str) -> Path | None:
    """Copy a SQLite file aside before its schema changes, so a failed upgrade loses nothing."""
    path = sqlite_file(url)
    if path is None or not path.exists() or path.stat().st_size == 0:
        return None
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    backup = path.with_name(f"{path.name}.{stamp}.bak")
    source, target = sqlite3.connect(path), sqlite3.connect(backup)
    try:  # the SQLite backup API copies a consistent snapshot even with WAL pages outstanding
        source.backup(target)
    finally:
        target.close()
        source.close()
    return backup


def upgrade(url: str, revision: str = "head") -> tuple[str | None, str | None, Path | None]:
    """Bring the schema to `revision`; returns (before, after, backup path or None)."""
    from alembic import command

    if revision != "head" and revision not in known_revisions():
        from ledger.errors import InvalidInput

        raise InvalidInput(f"unknown schema revision {revision!r}; give head or one of {', '.join(sorted(known_revisions()))}",
                           field="revision")
    before = revision_of(url)
    target = head_revision() if revision == "head" else revision
    backup = backup_sqlite(url) if before is not None and before != target else None
    command.upgrade(_config(url), revision)
    return before, revision_of(url), backup


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
    judge_revision(current_revision(engine), engine.url.render_as_string(hide_password=True))


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
