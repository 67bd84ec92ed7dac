"""What the ledger asks of its migrations beyond pytest-alembic's built-in tests (tests/test_alembic.py):
the models' revision is the head, data survives, a database at another revision is refused."""

from __future__ import annotations

import sqlalchemy as sa

from ledger.db import migrate
from ledger.db.engine import SCHEMA_REVISION


def test_a_new_database_upgrades_to_the_models_revision_without_a_backup(db_url):
    """The head is the revision the models describe, reached through the URL, as `ledger init` does."""
    assert migrate.upgrade(db_url) == (None, SCHEMA_REVISION, None, ())


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


def test_ids_and_tags_the_rule_refuses_are_repaired_by_the_upgrade(ledger):
    """A ledger written before revision 0005 may hold ids `add` accepted then (a tab, a line break,
    padding, nothing at all) and padded or empty tags, which 0005's constraints refuse: the upgrade
    renames them, with every reference, says so, and keeps every row — never a ledger left at 0004."""
    migrate.downgrade(ledger.url, "0004")
    engine = sa.create_engine(ledger.url)
    with engine.begin() as conn:
        run = lambda sql: conn.execute(sa.text(sql))
        run("INSERT INTO forecaster (id, name, kind) VALUES ('', 'Nobody', 'person'), ('f', 'F', 'person')")
        run("INSERT INTO source (id, title, kind) VALUES ('src\n', 'S', 'article')")
        run("INSERT INTO question (id, text, kind) VALUES ('q1', 'Q1?', 'binary'), (' q1', 'Padded?', 'binary'), "
            "('q2\t', 'Tabbed?', 'binary')")
        run("INSERT INTO question_tag (question_id, tag) VALUES ('q1', ' a'), ('q1', 'a'), ('q1', ''), ('q2\t', 'b ')")
        run("INSERT INTO forecast (id, key, question_id, forecaster_id, source_id, made_on, probability) VALUES "
            "(1, ' k ', ' q1', '', 'src\n', '2026-01-01', 0.6), (2, 'k2', 'q2\t', 'f', NULL, '2026-01-01', 0.3)")
        run("INSERT INTO resolution (question_id, sequence, outcome, occurred_on, recorded_at) VALUES "
            "('q2\t', 1, 'yes', '2026-02-01', '2026-02-01 00:00:00')")
    engine.dispose()
    before = ledger.counts()
    out = ledger("db", "upgrade").output
    assert "schema at revision 0005 (was 0004)" in out
    for said in ("forecaster id '' is now 'unnamed-forecaster'", "source id 'src\\n' is now 'src'",
                 "question id ' q1' is now 'q1-2'", "question id 'q2\\t' is now 'q2'", "forecast key ' k ' is now 'k'",
                 "question 'q1''s tag ' a' is gone (a repeat of 'a')", "question 'q1''s tag '' is gone (empty)",
                 "question 'q2''s tag 'b ' is now 'b'"):
        assert f"repaired: {said}" in out, out
    assert ledger.counts() == {**before, "question_tag": 2}
    engine = sa.create_engine(ledger.url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT key, question_id, forecaster_id, source_id FROM forecast ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [("k", "q1-2", "unnamed-forecaster", "src"), ("k2", "q2", "f", None)]
        assert conn.execute(sa.text("SELECT question_id FROM resolution")).scalar_one() == "q2"
    engine.dispose()
    shown = ledger("show", "q1-2").output
    assert "Padded?" in shown
