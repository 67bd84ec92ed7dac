"""Hostile targets and arguments (issue 17): credentials never shown, terminal control sequences
never obeyed, a database that is no ledger (or no file, or read-only, or another application's, or
newer) refused with the fix and left as it was, odd numbers refused naming their flag."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from conftest import ROOT
from ledger.db import migrate
from ledger.db.engine import SCHEMA_REVISION, redact, resolve_url, safe_url
from ledger.errors import DatabaseError

SECRET = "s3cret-Pa55"


def _files(folder: Path) -> dict[str, str]:
    """Every file under `folder` with a digest of its bytes: what a refused command must leave as it
    was. (Not SQLite's own -wal and -shm files, which any reader of a ledger's file creates and the
    last writer removes.)"""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.endswith(("-wal", "-shm"))}


def _clean_error(result, *words: str) -> str:
    """A refusal: exit 1, an `error:` line (after any notices), no traceback, no SQL."""
    out = result.output
    assert result.exit_code == 1, out
    assert any(line.startswith("error: ") for line in out.splitlines()), out
    assert "Traceback" not in out and "[SQL" not in out and "[parameters" not in out, out
    for word in words:
        assert word in out, (word, out)
    return out


# --- credentials ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "shown", "secret"), [
    ("postgresql+psycopg://ana:pw-1234@db.example/ledger", "postgresql+psycopg://ana:***@db.example/ledger", "pw-1234"),
    ("postgresql://ana@db.example/ledger?password=pw-1234&sslmode=require", "postgresql://ana@db.example/ledger?password=***&sslmode=require",
     "pw-1234"),
    ("postgresql://ana@h/db?sslpassword=pw-1234&passfile=/home/ana/.pgpass&sslkey=/k&application_name=x",
     "postgresql://ana@h/db?sslpassword=***&passfile=***&sslkey=***&application_name=x", "/home/ana/.pgpass"),
    ("postgresql://ana:p@ss:w@rd@h/db", "postgresql://ana:***@h/db", "ss:w"),  # an unescaped @ in the password: masked whole
    ("postgresql://ana:pw%40x1@h/db", "postgresql://ana:***@h/db", "pw@x1"),  # and decoded, as the driver has it
    ("postgresql://ana:pw-1234@h:abc/db", "postgresql://ana:***@h:abc/db", "pw-1234"),  # a URL that does not parse is masked too
    ("snowflake://u@acct/db?token=tok-1234&authenticator=oauth", "snowflake://u@acct/db?token=***&authenticator=***", "tok-1234"),
    ("postgresql://ana@h/db?dsn=password%3Dpw-1234", "postgresql://ana@h/db?dsn=***", "password=pw-1234"),  # a conninfo in the URL
    ("sqlite:///ledger.db", "sqlite:///ledger.db", None),
    ("postgresql://ana@db.example:5432/ledger", "postgresql://ana@db.example:5432/ledger", None),
])
def test_safe_url_masks_every_credential(url, shown, secret):
    assert safe_url(url) == shown
    if secret:  # a driver's message repeating a credential, or the whole URL, is masked too
        assert secret not in redact(f"cannot connect as {secret} to {url}", url)


@pytest.mark.parametrize("url", [
    f"postgresql+psycopg://reader:{SECRET}@127.0.0.1:1/ledger",
    f"postgresql+psycopg://reader@127.0.0.1:1/ledger?password={SECRET}",
    f"postgresql://reader@127.0.0.1:1/ledger?sslpassword={SECRET}&passfile=/tmp/{SECRET}",
    f"postgresql://reader:{SECRET}@127.0.0.1:abc/ledger",
    f"postgresql://reader:{SECRET}@127.0.0.1:99999/ledger",
    f"mysql://reader:{SECRET}@127.0.0.1/ledger",
    f"sqlite:///ledger.db?password={SECRET}",
    f"postgresql+psycopg://reader@127.0.0.1:1/ledger?dsn=password%3D{SECRET}",
])
@pytest.mark.parametrize("args", [["list"], ["report"], ["init"], ["db", "current"], ["db", "upgrade"], ["import", "predictions.yaml"],
                                  ["resolve", "q", "yes"], ["export"], ["add", "--question", "q", "--forecaster", "f", "-p", "0.5"]])
def test_no_credential_in_a_url_is_ever_shown(sqlite_ledger, url, args):
    """Given with --db or in $LEDGER_DATABASE_URL, in the userinfo or the query string: masked in
    every message, which is one `error:` line and no traceback."""
    for cli, env in ((type(sqlite_ledger)(url, sqlite_ledger.folder, sqlite_ledger.runner), None), (sqlite_ledger, url)):
        if env is not None:  # the same URL from the environment, with no --db
            cwd = os.getcwd()
            os.chdir(sqlite_ledger.folder)
            try:
                from ledger.cli import app

                result = sqlite_ledger.runner.invoke(app, args, env={"LEDGER_DATABASE_URL": env})
            finally:
                os.chdir(cwd)
        else:
            result = cli(*args, ok=None)
        assert SECRET not in result.output, result.output
        _clean_error(result, "***")


def test_a_password_in_the_query_string_is_masked_on_a_real_server(db_url, make_ledger):
    """On PostgreSQL the server accepts the URL (the test server trusts its users), and the messages
    that show it still mask the password; on SQLite the option is refused, masked."""
    url = f"{db_url}{'&' if '?' in db_url else '?'}password={SECRET}"
    out = _clean_error(make_ledger(url, init=False)("list", ok=None))
    assert SECRET not in out and "password=***" in out


def test_driver_errors_never_show_sql_or_parameters(sqlite_ledger):
    """A write the database refuses (here a file opened read-only) is the driver's reason and the
    fix, never SQLAlchemy's text with the statement and the values."""
    cli = type(sqlite_ledger)(f"{sqlite_ledger.url}?mode=ro", sqlite_ledger.folder, sqlite_ledger.runner)
    out = _clean_error(cli("add", "--question", "q-secret-text", "--question-text", "A private question?", "--forecaster", "f",
                           "--name", "F", "-p", "0.5", ok=None), "attempt to write a readonly database", "nothing was written")
    assert "A private question?" not in out and "INSERT" not in out


# --- terminal control sequences --------------------------------------------------------------------

HOSTILE = {"\x1b[2J\x1b[31m": "\\x1b[2J\\x1b[31m", "\x1b]0;owned\x07": "\\x1b]0;owned\\x07", "\x9b31m": "\\x9b31m",
           "a\rb": "a\\rb", "bs\x08\x08": "bs\\x08\\x08", "\u202eevil": "\\u202eevil"}
CONTROLS = ("\x1b", "\x07", "\x08", "\r", "\x9b", "\u202e")


def test_terminal_controls_are_shown_never_obeyed(sqlite_ledger):
    """Names, titles, questions, quotes, claims, evidence, notes and ids holding escape sequences
    (ESC, CSI, OSC, C1, BEL, backspace, carriage return, a right-to-left override) print as visible
    escapes in every table and message; JSON and CSV keep the data exactly as it was given."""
    evil = "".join(HOSTILE)
    doc = {"version": 1, "forecasters": [{"id": "f1", "name": "Name " + evil}],
           "sources": [{"id": "s1", "title": "Title " + evil, "published_on": "2026-01-01"}],
           "questions": [{"id": "q1", "text": "Question " + evil + "?", "resolve_by": "2026-01-02"}],
           "forecasts": [{"question": "q1", "forecaster": "f1", "source": "s1", "probability": 0.6, "made_on": "2026-01-01",
                          "quote": "Quote " + evil, "claim": "Claim " + evil, "condition": "if " + evil}]}
    (sqlite_ledger.folder / "evil.json").write_text(json.dumps(doc), encoding="utf-8")
    sqlite_ledger("import", "evil.json")
    sqlite_ledger("resolve", "q1", "yes", "--evidence", "e" + evil, "--note", "n" + evil)
    outputs = [sqlite_ledger(*args) for args in (
        ["list"], ["list", "--wide"], ["show", "q1"], ["show", "q1", "--wide"], ["forecasters"], ["sources"], ["report"],
        ["report", "--by", "source"], ["report", "--format", "markdown"], ["calibration"])]
    outputs += [sqlite_ledger(*args, ok=None) for args in (
        ["add", "--question", "q1", "--forecaster", "g" + evil, "--name", "G" + evil, "-p", "0.5"], ["void", "1", "--reason", "r" + evil],
        ["show", "x" + evil], ["list", "--forecaster", "x" + evil], ["resolve", "q1", "no" + evil], ["import", "missing" + evil + ".yaml"],
        ["calibration", "--forecaster", "x" + evil], ["list", "--bogus" + evil], ["list", "--format", evil])]
    for result in outputs:
        assert not any(c in result.output for c in CONTROLS), repr(result.output)
    shown = sqlite_ledger("show", "q1", "--wide").output
    assert all(escaped in shown for escaped in HOSTILE.values()), shown
    assert json.loads(sqlite_ledger("list", "--format", "json").stdout)[0]["quote"] == "Quote " + evil
    csv = sqlite_ledger("list", "--format", "csv").stdout  # piped, as here: click alone would drop the CSI sequences
    assert ("Claim " + evil) in csv


# --- database targets ------------------------------------------------------------------------------

def _damaged(ledger_file: Path, copy: Path) -> Path:
    """A copy of a ledger whose forecast table's first page is overwritten: its revision still
    reads, its forecasts do not."""
    with sqlite3.connect(ledger_file) as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'forecast'").fetchone()[0]
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(ledger_file.read_bytes())
    data[(root - 1) * page:root * page] = b"\xff" * page
    copy.write_bytes(bytes(data))
    return copy


def _targets(folder: Path, ledger_file: Path) -> dict[str, Path]:
    """Files that are no usable ledger, each made in `folder`."""
    made = {}
    made["notdb.db"] = folder / "notdb.db"
    made["notdb.db"].write_text("these are my notes, not a database\n" * 200, encoding="utf-8")
    made["truncated.db"] = folder / "truncated.db"
    made["truncated.db"].write_bytes(ledger_file.read_bytes()[:3000])
    made["corrupt.db"] = _damaged(ledger_file, folder / "corrupt.db")
    made["folder.db"] = folder / "folder.db"
    made["folder.db"].mkdir()
    return made


@pytest.mark.parametrize("args", [["init"], ["db", "upgrade"], ["db", "upgrade", "0003"], ["db", "current"], ["list"], ["report"],
                                  ["import", "predictions.yaml"], ["add", "--question", "ai-weapons", "--forecaster", "experts", "-p", "0.5"]])
def test_a_target_that_is_no_ledger_is_refused_and_left_as_it_was(sqlite_ledger, tmp_path, args):
    """Not a SQLite file, a truncated or damaged one, a folder, a device: one `error:` with what to
    do, no traceback, and every file as it was (no backup, no -wal or -shm beside it)."""
    sqlite_ledger("import", "predictions.yaml")
    folder = tmp_path / "targets"
    folder.mkdir()
    ledger_file = Path(sqlite_ledger.url.removeprefix("sqlite:///"))
    with sqlite3.connect(ledger_file) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    expected = {"notdb.db": "it is not a database (not a SQLite file)", "truncated.db": "is damaged; restore a backup",
                "corrupt.db": "is damaged", "folder.db": "is a folder"}
    for name, path in _targets(folder, ledger_file).items():
        before = _files(folder)
        result = type(sqlite_ledger)(str(path), sqlite_ledger.folder, sqlite_ledger.runner)(*args, ok=None)
        if args == ["db", "current"] and name == "corrupt.db":  # its revision is still readable
            assert result.exit_code == 0 and SCHEMA_REVISION in result.output
        elif args in (["db", "upgrade"], ["init"]) and name == "corrupt.db":  # at the head already: nothing to do, then a clean refusal
            assert "Traceback" not in result.output and result.exit_code in (0, 1)
        elif args == ["db", "upgrade", "0003"] and name == "corrupt.db":
            _clean_error(result, "never goes back")
        else:
            _clean_error(result, expected[name])
        assert _files(folder) == before, (name, args)
    device = _clean_error(type(sqlite_ledger)("/dev/null", sqlite_ledger.folder, sqlite_ledger.runner)(*args, ok=None))
    assert "is not a regular file" in device


def test_a_damaged_file_is_not_upgraded(sqlite_ledger, tmp_path):
    """Its backup would be damaged too: refused before anything is written."""
    migrate.downgrade(sqlite_ledger.url, "0003")
    ledger_file = Path(sqlite_ledger.url.removeprefix("sqlite:///"))
    with sqlite3.connect(ledger_file) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    damaged = _damaged(ledger_file, tmp_path / "damaged.db")
    cli = type(sqlite_ledger)(str(damaged), sqlite_ledger.folder, sqlite_ledger.runner)
    before = _files(tmp_path)
    _clean_error(cli("db", "upgrade", ok=None), "is damaged", "so it is not upgraded")
    assert _files(tmp_path) == before


def test_a_pipe_as_database_is_refused_rather_than_waited_on(sqlite_ledger, tmp_path):
    os.mkfifo(tmp_path / "pipe.db")
    for args in (["list"], ["report"], ["init"]):
        _clean_error(type(sqlite_ledger)(str(tmp_path / "pipe.db"), sqlite_ledger.folder, sqlite_ledger.runner)(*args, ok=None),
                     "not a regular file")


@pytest.fixture
def read_only():
    """A function making a file or folder read-only for the tests' user: root writes anything, so
    for root the file is made immutable (chattr +i), which binds root too; undone afterwards."""
    made: list[Path] = []

    def make(path: Path) -> None:
        if os.geteuid() != 0:
            path.chmod(0o555 if path.is_dir() else 0o444)
        elif subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("running as root on a file system without chattr +i: nothing can be made read-only")
        made.append(path)

    yield make
    for path in made:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(0o755 if path.is_dir() else 0o644)


def _copied(sqlite_ledger, folder):
    """A new folder holding a consistent copy of the ledger as ledger.db."""
    folder.mkdir()
    with sqlite3.connect(sqlite_ledger.url.removeprefix("sqlite:///")) as source, sqlite3.connect(folder / "ledger.db") as target:
        source.backup(target)
    source.close()
    target.close()
    return folder


def test_a_read_only_file_reads_and_refuses_writes(sqlite_ledger, tmp_path, read_only):
    sqlite_ledger("import", "predictions.yaml")
    folder = _copied(sqlite_ledger, tmp_path / "shared")
    read_only(folder / "ledger.db")
    cli = type(sqlite_ledger)(str(folder / "ledger.db"), sqlite_ledger.folder, sqlite_ledger.runner)
    before = _files(folder)
    assert len(json.loads(cli("list", "--format", "json").stdout)) == 31 and cli("report").exit_code == 0
    for args in (["resolve", "ai-weapons", "yes"], ["add", "--question", "ai-weapons", "--forecaster", "experts", "-p", "0.5"],
                 ["void", "1", "--reason", "failed"], ["aggregate", "--as", "crowd"]):
        _clean_error(cli(*args, ok=None), "readonly database", "SQLite cannot write", "make it writable", "nothing was written")
    assert _files(folder) == before


def test_a_read_only_folder_says_why_and_creates_nothing(sqlite_ledger, tmp_path, read_only):
    """SQLite writes -wal and -shm files beside a ledger even to read it: in a folder that cannot be
    written, every command says so and what to do, and nothing appears there."""
    sqlite_ledger("import", "predictions.yaml")
    folder = _copied(sqlite_ledger, tmp_path / "shared")
    read_only(folder)
    before = _files(folder)
    for args in (["list"], ["report"], ["init"], ["resolve", "ai-weapons", "yes"]):
        cli = type(sqlite_ledger)(str(folder / "ledger.db"), sqlite_ledger.folder, sqlite_ledger.runner)
        _clean_error(cli(*args, ok=None), "-wal and -shm beside a ledger, even to read it", f"make the folder {folder} writable")
    fresh = type(sqlite_ledger)(str(folder / "new.db"), sqlite_ledger.folder, sqlite_ledger.runner)
    _clean_error(fresh("init", ok=None), "SQLite cannot create", "check that its folder exists and can be written")
    assert sorted(p.name for p in folder.iterdir()) == ["ledger.db"]  # nothing at all appeared there
    assert _files(folder) == before


@pytest.mark.parametrize(("db", "words"), [
    ("foo://x/y", "SQLite or PostgreSQL, not 'foo'"),
    ("mysql://u@h/x", "SQLite or PostgreSQL, not 'mysql'"),
    ("postgresql+nodriver://u@h/x", "unknown driver 'postgresql+nodriver'"),
    ("postgresql://u@h:abc/x", "its port is not a number"),
    ("postgresql://u@h:99999/x", "port 99999 is out of range (1–65535)"),
    ("postgresql://[::1/x", "is not a database URL"),
    ("sqlite://", "an in-memory database is gone when the command ends"),
    ("sqlite:///:memory:", "an in-memory database is gone when the command ends"),
    ("sqlite:///ledger.db?bogus=1", "unknown SQLite option 'bogus'"),
    ("sqlite:///ledger.db?mode=rx", "the SQLite option mode='rx' takes one of ro, rw, rwc"),
    ("sqlite:///ledger.db?timeout=abc", "timeout='abc' takes a number of seconds, 0 or more"),
    ("sqlite:///ledger.db?timeout=-1", "timeout='-1' takes a number of seconds, 0 or more"),
    ("sqlite:///ledger.db?check_same_thread=maybe", "check_same_thread='maybe' takes true or false"),
    ("sqlite:///ledger.db?uri=maybe", "uri='maybe' takes true or false"),
    ("sqlite:///ledger.db?detect_types=abc", "detect_types='abc' takes a whole number"),
    ("sqlite:///ledger.db?cached_statements=abc", "cached_statements='abc' takes a whole number"),
    ("sqlite:///ledger.db?isolation_level=bogus", "isolation_level='bogus' takes DEFERRED, IMMEDIATE or EXCLUSIVE"),
    ("sqlite://host/ledger.db", "a SQLite URL names no host"),
    ("", "--db: empty"),
    ("a\x1bb.db", "holds a control character"),
])
@pytest.mark.parametrize("command", [["init"], ["list"], ["report"], ["db", "current"]])
def test_a_url_that_cannot_work_is_refused_before_anything_is_opened(sqlite_ledger, tmp_path, db, words, command):
    before = _files(sqlite_ledger.folder)
    _clean_error(type(sqlite_ledger)(db, sqlite_ledger.folder, sqlite_ledger.runner)(*command, ok=None), words)
    assert _files(sqlite_ledger.folder) == before


def test_the_environment_variable_is_named_when_it_is_wrong(sqlite_ledger, monkeypatch):
    monkeypatch.setenv("LEDGER_DATABASE_URL", "foo://x/y")
    with pytest.raises(DatabaseError, match=r"^\$LEDGER_DATABASE_URL: 'foo://x/y'"):
        resolve_url(None)
    assert resolve_url("ledger.db") == "sqlite:///ledger.db"  # --db wins over it


def test_postgres_scheme_is_read_as_postgresql():
    assert resolve_url("postgres://ana@db.example/ledger") == "postgresql+psycopg://ana@db.example/ledger"


def test_mode_ro_is_honoured(sqlite_ledger):
    """SQLAlchemy ignores SQLite's own options unless uri=true is given too, so `?mode=ro` used to
    write: now it reads, and every write is refused with the reason, the file untouched."""
    sqlite_ledger("import", "predictions.yaml")
    ledger_file = Path(sqlite_ledger.url.removeprefix("sqlite:///"))
    cli = type(sqlite_ledger)(f"{sqlite_ledger.url}?mode=ro", sqlite_ledger.folder, sqlite_ledger.runner)
    counts = sqlite_ledger.counts()
    digest = hashlib.sha256(ledger_file.read_bytes()).hexdigest()
    assert len(json.loads(cli("list", "--format", "json").stdout)) == counts["forecast"]
    assert cli("report").exit_code == 0 and cli("db", "current").output.strip() == SCHEMA_REVISION
    for args in (["resolve", "ai-weapons", "yes"], ["void", "1", "--reason", "x"], ["aggregate", "--as", "crowd"],
                 ["add", "--question", "ai-weapons", "--forecaster", "experts", "-p", "0.5"]):
        _clean_error(cli(*args, ok=None), "readonly database", "nothing was written")
    assert "already current" in cli("db", "upgrade").output  # nothing to do: nothing opened for writing
    assert sqlite_ledger.counts() == counts and hashlib.sha256(ledger_file.read_bytes()).hexdigest() == digest
    assert not list(sqlite_ledger.folder.glob("*mode=ro*"))  # no file named after the option either


def test_init_refuses_another_applications_database_before_writing(db_url, make_ledger):
    """A database holding tables but no ledger belongs to someone else: `init` (and `db upgrade`)
    refuse it, naming its tables, before creating any."""
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(20))"))
        conn.execute(sa.text("INSERT INTO customers VALUES (1, 'Ana')"))
    cli = make_ledger(db_url, init=False)
    for args in (["init"], ["db", "upgrade"], ["import", "predictions.yaml"]):
        out = cli(*args, ok=None)
        if args[0] == "import":
            _clean_error(out, "has no ledger yet")
        else:
            _clean_error(out, "holds another application's tables (customers) and no ledger", "give a new file")
    with engine.connect() as conn:
        assert sa.inspect(conn).get_table_names() == ["customers"]
        assert conn.execute(sa.text("SELECT name FROM customers")).scalar_one() == "Ana"
    engine.dispose()


def test_a_newer_schema_is_refused_by_init_and_upgrade_untouched(ledger):
    engine = sa.create_engine(ledger.url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    before = ledger.counts()
    for args in (["init"], ["db", "upgrade"], ["db", "upgrade", "0004"]):
        _clean_error(ledger(*args, ok=None), "schema revision 0099", "a newer ledger wrote it")
    assert ledger("db", "current").output.strip() == "0099" and ledger.counts() == before


def test_db_upgrade_to_an_unknown_or_older_revision_is_refused(ledger):
    _clean_error(ledger("db", "upgrade", "004", ok=None), "unknown schema revision '004'; did you mean '0004'?")
    _clean_error(ledger("db", "upgrade", "base", ok=None), "unknown schema revision 'base'")
    older = _clean_error(ledger("db", "upgrade", "0002", ok=None), f"at schema revision {SCHEMA_REVISION}, later than 0002",
                         "never goes back", "restore the backup")
    assert "REVISION" in older
    assert ledger("db", "current").output.strip() == SCHEMA_REVISION


def test_an_upgrade_that_fails_half_way_leaves_the_database_as_it_was(ledger):
    """The whole upgrade is one transaction (on SQLite too, where alembic would otherwise commit each
    statement): a migration that fails on old data leaves the revision, the tables and the rows of
    before, not a database half way between two revisions."""
    migrate.downgrade(ledger.url, "0001")
    engine = sa.create_engine(ledger.url)
    with engine.begin() as conn:  # revision 0001 had no CHECK constraints: a probability 0004 refuses
        conn.execute(sa.text("INSERT INTO forecaster (id, name, kind) VALUES ('f', 'F', 'person')"))
        conn.execute(sa.text("INSERT INTO question (id, text, kind) VALUES ('q', 'Q?', 'binary')"))
        conn.execute(sa.text("INSERT INTO forecast (id, key, question_id, forecaster_id, made_on, probability) "
                             "VALUES (1, 'k', 'q', 'f', '2026-01-01', 1.5)"))
    _clean_error(ledger("db", "upgrade", ok=None), "the upgrade of", "ck_forecast_probability")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == "0001"
        columns = {c["name"] for c in sa.inspect(conn).get_columns("forecast")}
        assert "recorded_at" not in columns  # revision 0002's column: its migration was rolled back too
        assert conn.execute(sa.text("SELECT probability FROM forecast")).scalar_one() == 1.5
    engine.dispose()


def test_two_inits_at_once_both_succeed(tmp_path):
    """The second waits for the first's write lock, then finds the schema current."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [subprocess.Popen([sys.executable, "-m", "ledger", "--db", "both.db", "init"], cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(4)]
    results = [(run.wait(timeout=120), run.stderr.read()) for run in runs]
    assert all(code == 0 for code, _ in results), results
    assert migrate.upgrade(f"sqlite:///{tmp_path / 'both.db'}")[0] == SCHEMA_REVISION


# --- numbers -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "flag"), [
    (["list", "--limit", "99999999999999999999"], "--limit"), (["list", "--limit", "9223372036854775808"], "--limit"),
    (["list", "--limit", "١٢"], "--limit"), (["list", "--limit", "1_000"], "--limit"), (["list", "--limit", "0"], "--limit"),
    (["list", "--limit", "-3"], "--limit"), (["list", "--limit", "１２"], "--limit"),
    (["due", "--within", "99999999"], "--within"), (["due", "--within", "9223372036854775808"], "--within"),
    (["due", "--within", "-1"], "--within"), (["due", "--within", "٣"], "--within"),
    (["report", "--min-n", "0"], "--min-n"), (["report", "--min-n", "١٢"], "--min-n"),
    (["report", "--min-n", "1" * 5000], "--min-n"), (["report", "--format", "html", "--min-n", "0"], "--min-n"),
    (["calibration", "--bins", "1"], "--bins"), (["calibration", "--bins", "101"], "--bins"), (["calibration", "--bins", "٥"], "--bins"),
    (["aggregate", "--as", "crowd", "--exponent", "nan"], "--exponent"), (["aggregate", "--as", "crowd", "--exponent", "1e309"], "--exponent"),
    (["aggregate", "--as", "crowd", "--exponent", "-2"], "--exponent"), (["aggregate", "--as", "crowd", "--exponent", "٢٫٥"], "--exponent"),
    (["add", "--question", "ai-weapons", "--forecaster", "experts", "-p", "١٢%"], "--probability"),
    (["add", "--question", "ai-weapons", "--forecaster", "experts", "-p", "٠.٥"], "--probability"),
    (["add", "--question", "ai-weapons", "--forecaster", "experts", "-p", "1_0%"], "--probability"),
    (["add", "--question", "ai-weapons", "--forecaster", "experts", "-p", "nan"], "--probability"),
    (["add", "--question", "ai-weapons", "--forecaster", "experts", "-p", "-0.5"], "--probability"),
    (["void", "99999999999999999999999", "--reason", "x"], "FORECAST"),
])
def test_huge_or_odd_numbers_are_refused_naming_their_flag(sqlite_ledger, args, flag):
    sqlite_ledger("import", "predictions.yaml")
    before = sqlite_ledger.counts()
    result = sqlite_ledger(*args, ok=None)
    assert result.exit_code in (1, 2) and "Traceback" not in result.output, result.output
    assert result.output.startswith("error: ") and flag in result.output, result.output
    assert sqlite_ledger.counts() == before


def test_a_probability_in_other_digits_is_refused_in_files_too(sqlite_ledger):
    (sqlite_ledger.folder / "digits.csv").write_text("question,forecaster,probability,made_on,question_text\nq1,f1,٠.٥,2026-01-01,Q?\n",
                                                     encoding="utf-8")
    _clean_error(sqlite_ledger("import", "digits.csv", ok=None), "digits.csv:2:", "is not a probability")


# --- found by the adversarial pass ----------------------------------------------------------------

def test_a_nul_in_an_argument_is_a_usage_error(sqlite_ledger):
    for args in (["import", "a\0b.yaml"], ["export", "-o", "x\0y"], ["show", "q\0"], ["extract", "\0"]):
        result = sqlite_ledger(*args, ok=None)
        assert result.exit_code == 2 and "NUL character" in result.output and "Traceback" not in result.output, result.output


def test_an_output_that_is_a_folder_is_refused(sqlite_ledger):
    (sqlite_ledger.folder / "out").mkdir()
    for args in (["export", "-o", "out"], ["export", "-o", "."], ["report", "-o", "out"], ["extract", "predictions.yaml", "-o", "out"],
                 ["calibration", "--plot", "out"]):
        _clean_error(sqlite_ledger(*args, ok=None), "cannot write", "it is a folder")
    assert (sqlite_ledger.folder / "out").is_dir()


def test_a_backup_is_as_private_as_the_ledger(sqlite_ledger):
    """The copy `db upgrade` writes before migrating keeps the file's permissions (it was readable
    by everyone, whatever the ledger's)."""
    migrate.downgrade(sqlite_ledger.url, "0004")
    ledger_file = Path(sqlite_ledger.url.removeprefix("sqlite:///"))
    ledger_file.chmod(0o600)
    sqlite_ledger("db", "upgrade")
    (backup,) = ledger_file.parent.glob(f"{ledger_file.name}.*.bak")
    assert backup.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("db", [" ledger.db", "ledger.db ", "ledger.db\n"])
def test_a_database_path_with_spaces_or_a_new_line_at_its_ends_is_refused(sqlite_ledger, db):
    before = _files(sqlite_ledger.folder)
    _clean_error(type(sqlite_ledger)(db, sqlite_ledger.folder, sqlite_ledger.runner)("init", ok=None), "--db:")
    assert _files(sqlite_ledger.folder) == before


def test_output_in_an_encoding_without_the_characters_shows_their_escapes(sqlite_ledger):
    """A pipe or terminal in Latin-1 or ASCII: the curly quotes and dashes of the seed data print as
    escapes, not as a UnicodeEncodeError."""
    sqlite_ledger("import", "predictions.yaml")
    for encoding in ("latin-1", "ascii"):
        for args in (["list", "--format", "json"], ["show", "congress-opening"], ["report", "--by", "phrase"]):
            run = subprocess.run([sys.executable, "-m", "ledger", "--db", sqlite_ledger.url, *args], capture_output=True, timeout=120,
                                 env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": encoding})
            assert run.returncode == 0 and b"Traceback" not in run.stderr, (encoding, args, run.stderr[-500:])


def test_a_database_path_the_file_system_cannot_look_up_is_refused(sqlite_ledger, tmp_path):
    """A symlink loop, a name too long, a file where a folder should be: one error each, not the
    RuntimeError or OSError the path functions raise."""
    (tmp_path / "loop-a").symlink_to(tmp_path / "loop-b")
    (tmp_path / "loop-b").symlink_to(tmp_path / "loop-a")
    (tmp_path / "plain-file").write_text("x", encoding="utf-8")
    for db, words in ((str(tmp_path / "loop-a"), "Too many levels of symbolic links"), ("a" * 300 + ".db", "File name too long"),
                      ("/".join(["b" * 200] * 30) + ".db", "File name too long"), (str(tmp_path / "plain-file" / "x.db"), "Not a directory"),
                      (f"sqlite:///{tmp_path / 'loop-a'}?mode=ro", "Too many levels of symbolic links")):
        for args in (["list"], ["init"], ["report"], ["db", "current"]):
            _clean_error(type(sqlite_ledger)(db, sqlite_ledger.folder, sqlite_ledger.runner)(*args, ok=None), "--db: cannot use", words)
    (sqlite_ledger.folder / "loop.yaml").symlink_to(sqlite_ledger.folder / "loop.yaml")
    _clean_error(sqlite_ledger("import", "loop.yaml", ok=None), "loop.yaml: cannot read it (Too many levels of symbolic links)")
    (sqlite_ledger.folder / "article.txt").write_text("Analysts said the congress will likely open in February.\n", encoding="utf-8")
    for args in (["extract", "article.txt", "-o", "loop.yaml"], ["calibration", "--plot", "loop.yaml"]):  # found by the property test
        result = sqlite_ledger(*args, ok=None)
        assert result.exit_code in (0, 1) and "Traceback" not in result.output and result.exception is None, result.output
    _clean_error(sqlite_ledger("init", "--file", "n" * 300 + ".yaml", ok=None), "cannot read it (File name too long)")
