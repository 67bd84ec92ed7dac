"""The migrations against the models, pytest-alembic style, on both databases."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from ledger.db import migrate
from ledger.schema import tables as models  # noqa: F401  (models registers the tables on SQLModel.metadata)
from ledger.db.engine import SCHEMA_REVISION, current_revision, make_engine


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(migrate._config(""))


def test_single_head_matching_the_models():
    heads = _script().get_heads()
    assert len(heads) == 1
    assert heads[0] == SCHEMA_REVISION


def test_upgrade_from_empty_and_model_matches(db_url):
    before, after, backup = migrate.upgrade(db_url)
    assert (before, after, backup) == (None, SCHEMA_REVISION, None)
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
        assert current_revision(engine) == SCHEMA_REVISION
    finally:
        engine.dispose()


def test_schema_behind_or_ahead_is_refused_before_any_read(sqlite_ledger):
    migrate.downgrade(sqlite_ledger.url, "0001")
    for command in ("list", "report"):  # a report checks the revision on its own, driver-level connection
        behind = sqlite_ledger(command, ok=False).output
        assert "older than this ledger" in behind and "ledger db upgrade" in behind
    sqlite_ledger("db", "upgrade")
    engine = sa.create_engine(sqlite_ledger.url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'ffffffff'"))
    engine.dispose()
    before = sqlite_ledger.counts()
    ahead = sqlite_ledger("import", "predictions.yaml", ok=False).output
    assert "a newer ledger wrote it" in ahead
    assert "a newer ledger wrote it" in sqlite_ledger("report", ok=False).output
    assert sqlite_ledger.counts() == before


def _rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every ledger table, in the columns revision 0001 has."""
    engine = sa.create_engine(url)
    try:
        meta = sa.MetaData()
        meta.reflect(engine)
        old = {"forecast": [c for c in meta.tables["forecast"].columns if c.name not in ("recorded_at", "distribution")]}
        with engine.connect() as conn:
            return {name: sorted(tuple(map(str, row)) for row in conn.execute(sa.select(*old.get(name, table.columns))))
                    for name, table in meta.tables.items() if name != "alembic_version"}
    finally:
        engine.dispose()


def test_migrations_keep_every_row_and_the_report(seeded, db_url, make_ledger, tmp_path):
    """A ledger written at the first revision survives the upgrade to head, then down and up again."""
    seeded("resolve", "congress-opening", "2026-02-20")
    seeded("resolve", "congress-opening", "2026-02-19", "--correct")
    seeded("resolve", "two-states-constitution", "annulled")
    seeded("resolve", "politburo-sets-dates", "ambiguous")
    seeded("void", "22", "--reason", "no new US signal")
    report = seeded("report", "--format", "json").stdout
    source = _rows(seeded.url)

    old = make_ledger(f"sqlite:///{tmp_path / 'old.db'}", init=False) if db_url.startswith("sqlite") else None
    target = old.url if old else _fresh_like(db_url)
    migrate.upgrade(target, "0001")
    source_engine, target_engine = sa.create_engine(seeded.url), sa.create_engine(target)
    meta, head = sa.MetaData(), sa.MetaData()
    meta.reflect(target_engine)
    head.reflect(source_engine)
    with source_engine.connect() as read, target_engine.begin() as write:
        for name in ("source", "forecaster", "question", "question_tag", "forecast", "resolution"):
            table = meta.tables[name]
            columns = [head.tables[name].c[c.name] for c in table.columns]
            write.execute(table.insert(), [dict(r._mapping) for r in read.execute(sa.select(*columns))])
    source_engine.dispose()
    target_engine.dispose()
    assert _rows(target) == source

    cli = type(seeded)(target, seeded.folder, seeded.runner)
    assert "older than this ledger" in cli("list", ok=False).output
    upgraded = cli("db", "upgrade").output
    assert "(was 0001)" in upgraded
    if old:
        assert "backed up the database to" in upgraded
        backup = upgraded.split("backed up the database to ")[1].split()[0]
        assert _rows(f"sqlite:///{backup}") == source  # the copy is the ledger as it was
    assert _rows(target) == source
    assert cli("report", "--format", "json").stdout == report
    migrate.downgrade(target, "0001")
    assert _rows(target) == source
    migrate.upgrade(target)
    assert _rows(target) == source and cli("report", "--format", "json").stdout == report


def _fresh_like(url: str) -> str:
    """Another empty database on the same PostgreSQL server."""
    name = f"{sa.engine.make_url(url).database}_old"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False)


def test_sqlite_backup_is_a_consistent_copy(sqlite_ledger):
    sqlite_ledger("import", "predictions.yaml")
    backup = migrate.backup_sqlite(sqlite_ledger.url)
    assert backup is not None and backup.exists()
    copy = type(sqlite_ledger)(f"sqlite:///{backup}", sqlite_ledger.folder, sqlite_ledger.runner)
    assert copy.counts() == sqlite_ledger.counts()


def test_db_commands(sqlite_ledger):
    assert sqlite_ledger("db", "current").output.strip() == SCHEMA_REVISION
    history = sqlite_ledger("db", "history").output
    assert "0003 -> 0004 (head)" in history and "0002 -> 0003" in history and "0001 -> 0002" in history and "<base> -> 0001" in history
    assert "already current" in sqlite_ledger("db", "upgrade").output
