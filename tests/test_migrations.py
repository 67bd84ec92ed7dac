"""What the ledger asks of its migrations beyond pytest-alembic's built-in tests (tests/test_alembic.py):
the models' revision is the head, data survives, a database at another revision is refused."""

from __future__ import annotations

import sqlalchemy as sa

from ledger.db import migrate
from ledger.db.engine import SCHEMA_REVISION


def test_a_new_database_upgrades_to_the_models_revision_without_a_backup(db_url):
    """The head is the revision the models describe, reached through the URL, as `ledger init` does."""
    assert migrate.upgrade(db_url) == (None, SCHEMA_REVISION, None)


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
        old = {"forecast": [c for c in meta.tables["forecast"].columns if c.name not in ("recorded_at", "distribution")],
               "source": [c for c in meta.tables["source"].columns if c.name != "text"]}
        with engine.connect() as conn:
            return {name: sorted(tuple(map(str, row)) for row in conn.execute(sa.select(*old.get(name, table.columns))))
                    for name, table in meta.tables.items() if name != "alembic_version"}
    finally:
        engine.dispose()


def test_migrations_keep_every_row_and_the_report(seeded, second_db_url):
    """A ledger written at the first revision survives the upgrade to head, then down and up again."""
    seeded("resolve", "congress-opening", "2026-02-20")
    seeded("resolve", "congress-opening", "2026-02-19", "--correct")
    seeded("resolve", "two-states-constitution", "annulled")
    seeded("resolve", "politburo-sets-dates", "ambiguous")
    seeded("void", "22", "--reason", "no new US signal")
    report = seeded("report", "--format", "json").stdout
    source = _rows(seeded.url)

    migrate.upgrade(second_db_url, "0001")
    source_engine, target_engine = sa.create_engine(seeded.url), sa.create_engine(second_db_url)
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
    assert _rows(second_db_url) == source

    cli = type(seeded)(second_db_url, seeded.folder, seeded.runner)
    assert "older than this ledger" in cli("list", ok=False).output
    upgraded = cli("db", "upgrade").output
    assert "(was 0001)" in upgraded
    if second_db_url.startswith("sqlite"):
        assert "backed up the database to" in upgraded
        backup = upgraded.split("backed up the database to ")[1].split()[0]
        assert _rows(f"sqlite:///{backup}") == source  # the copy is the ledger as it was
    assert _rows(second_db_url) == source
    assert cli("report", "--format", "json").stdout == report
    migrate.downgrade(second_db_url, "0001")
    assert _rows(second_db_url) == source
    migrate.upgrade(second_db_url)
    assert _rows(second_db_url) == source and cli("report", "--format", "json").stdout == report


def test_sqlite_backup_is_a_consistent_copy(sqlite_ledger):
    sqlite_ledger("import", "predictions.yaml")
    backup = migrate.backup_sqlite(sqlite_ledger.url)
    assert backup is not None and backup.exists()
    copy = type(sqlite_ledger)(f"sqlite:///{backup}", sqlite_ledger.folder, sqlite_ledger.runner)
    assert copy.counts() == sqlite_ledger.counts()


def test_db_commands(sqlite_ledger):
    assert sqlite_ledger("db", "current").output.strip() == SCHEMA_REVISION
    history = sqlite_ledger("db", "history").output
    assert "0004 -> 0005 (head)" in history and "0003 -> 0004" in history and "0002 -> 0003" in history and "0001 -> 0002" in history and "<base> -> 0001" in history
    assert "already current" in sqlite_ledger("db", "upgrade").output
