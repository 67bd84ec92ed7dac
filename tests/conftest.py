"""Fixtures: real databases (a SQLite file, and PostgreSQL from pgserver or $LEDGER_TEST_POSTGRES_URL)
and a CLI runner that drives `ledger` as a user would."""

from __future__ import annotations

import itertools
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from ledger.cli import app
from pg_server import postgres_server

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("LEDGER_TEST_SHARED", ROOT.parent / "shared"))  # the variable: to test a clone without it
PREDICTIONS = ROOT / "predictions.yaml"
_counter = itertools.count()


def shared_data(*parts: str) -> Path:
    """A file of the real data sets in ../shared (its README); a clone without them skips the test
    that needs one, saying what is missing, instead of failing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs the shared data at {path} (see README.md, 'The shared data')")
    return path


@pytest.fixture(scope="session")
def postgres_server_url():
    """A real PostgreSQL server for the whole run, in its own private folder and on its own port
    (tests/pg_server.py). A server that cannot start fails loudly: never skipped."""
    given = os.environ.get("LEDGER_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    with postgres_server() as url:
        yield url


def _fresh_postgres(server_url: str) -> tuple[str, callable]:
    name = f"ledger_test_{os.getpid()}_{next(_counter)}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(server_url).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """An empty database of each kind; tests using it run on both."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    url, drop = _fresh_postgres(request.getfixturevalue("postgres_server_url"))
    yield url
    drop()


@pytest.fixture
def second_db_url(db_url, request, tmp_path):
    """A second empty database of db_url's kind, in a folder of its own; a PostgreSQL one is dropped afterwards."""
    if db_url.startswith("sqlite"):
        (tmp_path / "second").mkdir()
        yield f"sqlite:///{tmp_path / 'second' / 'ledger.db'}"
        return
    url, drop = _fresh_postgres(request.getfixturevalue("postgres_server_url"))
    yield url
    drop()


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'ledger.db'}"


@dataclass
class Ledger:
    """Runs `ledger --db URL ...` in-process, in a folder holding a copy of the project's seed files."""

    url: str
    folder: Path
    runner: CliRunner

    def __call__(self, *args: str, ok: bool | None = True, input: str | None = None):
        cwd = os.getcwd()
        os.chdir(self.folder)
        try:
            result = self.runner.invoke(app, ["--db", self.url, *args], input=input)
        finally:
            os.chdir(cwd)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        if ok is True:
            assert result.exit_code == 0, f"ledger {' '.join(args)} failed:\n{result.output}"
        elif ok is False:
            assert result.exit_code == 1, f"ledger {' '.join(args)} should have failed with 1, got {result.exit_code}:\n{result.output}"
            assert "Traceback" not in result.output
        return result

    def count(self, table: str) -> int:
        engine = sa.create_engine(self.url)
        try:
            with engine.connect() as conn:
                return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
        finally:
            engine.dispose()

    def counts(self) -> dict[str, int]:
        return {t: self.count(t) for t in ("source", "forecaster", "question", "question_tag", "forecast", "resolution")}


def _project_copy(folder: Path) -> None:
    shutil.copy(PREDICTIONS, folder / "predictions.yaml")
    shutil.copytree(ROOT / "docs" / "sources", folder / "docs" / "sources")


@pytest.fixture
def make_ledger(tmp_path):
    """A factory: a CLI on `url` in a folder holding the seed files, initialised unless told not to."""

    def make(url: str, *, init: bool = True, folder: Path | None = None) -> Ledger:
        work = folder or tmp_path / f"work{next(_counter)}"
        if not work.exists():
            work.mkdir()
            _project_copy(work)
        cli = Ledger(url, work, CliRunner())
        if init:
            cli("db", "upgrade")
        return cli

    return make


@pytest.fixture
def ledger(db_url, make_ledger) -> Ledger:
    """An initialised, empty ledger on each database, with the seed files beside it."""
    return make_ledger(db_url)


@pytest.fixture
def sqlite_ledger(sqlite_url, make_ledger) -> Ledger:
    """The same on SQLite only, for the many input checks that do not depend on the database."""
    return make_ledger(sqlite_url)


@pytest.fixture
def seeded(ledger) -> Ledger:
    ledger("import", "predictions.yaml")
    return ledger
