"""The migrations against the models, pytest-alembic style, on both databases."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from ledger import migrate, models
from ledger.database import current_revision, make_engine


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(migrate._config(""))


def test_single_head_matching_the_models():
    heads = _script().get_heads()
    assert len(heads) == 1
    assert heads[0] == models.SCHEMA_REVISION


def test_upgrade_from_empty_and_model_matches(db_url):
    before, after, backup = migrate.upgrade(db_url)
    assert (before, after, backup) == (None, models.SCHEMA_REVISION, None)
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
    finally:
        engine.dispose()


def test_down_and_up_each_revision(db_url):
    revisions = list(reversed(list(_script().walk_revisions())))  # oldest first
    migrate.upgrade(db_url)
    engine = make_engine(db_url)
    try:
        for rev in reversed(revisions):
            migrate.downgrade(db_url, rev.down_revision or "base")
            assert current_revision(engine) == rev.down_revision
            migrate.upgrade(db_url, rev.revision)
            assert current_revision(engine) == rev.revision
            migrate.downgrade(db_url, rev.down_revision or "base")
        assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(db_url)
        assert current_revision(engine) == models.SCHEMA_REVISION
    finally:
        engine.dispose()


def test_schema_behind_or_ahead_is_refused_before_any_read(sqlite_ledger, monkeypatch):
    import ledger.database as database

    monkeypatch.setattr(database, "SCHEMA_REVISION", "0002")
    behind = sqlite_ledger("list", ok=False).output
    assert "older than this ledger" in behind and "ledger db upgrade" in behind
    monkeypatch.undo()
    engine = sa.create_engine(sqlite_ledger.url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'ffffffff'"))
    engine.dispose()
    before = sqlite_ledger.counts()
    ahead = sqlite_ledger("import", "predictions.yaml", ok=False).output
    assert "a newer ledger wrote it" in ahead
    assert sqlite_ledger.counts() == before


def test_sqlite_backup_is_a_consistent_copy(sqlite_ledger):
    sqlite_ledger("import", "predictions.yaml")
    backup = migrate.backup_sqlite(sqlite_ledger.url)
    assert backup is not None and backup.exists()
    copy = type(sqlite_ledger)(f"sqlite:///{backup}", sqlite_ledger.folder, sqlite_ledger.runner)
    assert copy.counts() == sqlite_ledger.counts()


def test_db_commands(sqlite_ledger):
    assert sqlite_ledger("db", "current").output.strip() == models.SCHEMA_REVISION
    assert "0001 (head)" in sqlite_ledger("db", "history").output
    assert "already current" in sqlite_ledger("db", "upgrade").output
