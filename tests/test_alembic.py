"""The migrations under pytest-alembic's built-in tests on SQLite and PostgreSQL, and the checkout's
alembic.ini driven by the `alembic` command as a developer would."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from pytest_alembic import Config, runner
from pytest_alembic.tests import (  # noqa: F401  (collected as this module's tests)
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)

from conftest import ROOT
from ledger.db import migrate
from ledger.db.engine import ENV_VAR, make_engine, revision_of


@pytest.fixture
def alembic_engine(db_url):
    """An empty database of each kind (dropped by db_url afterwards), with the ledger's engine settings."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def alembic_runner(alembic_engine):
    """pytest-alembic on the migrations the ledger ships: the ones `ledger init` applies."""
    with runner(config=Config(alembic_config=migrate._config("")), engine=alembic_engine) as context:
        yield context


def _alembic(*args: str, cwd, url: str | None = None) -> str:
    """Run the alembic command with the checkout's alembic.ini; its output, stdout then log lines."""
    env = {key: value for key, value in os.environ.items() if key != ENV_VAR}
    if url is not None:
        env[ENV_VAR] = url
    done = subprocess.run([sys.executable, "-m", "alembic", "-c", str(ROOT / "alembic.ini"), *args],
                          cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"alembic {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
    return done.stdout + done.stderr


def test_alembic_ini_upgrades_and_checks_the_ledger_database_url(db_url, tmp_path):
    _alembic("upgrade", "head", cwd=tmp_path, url=db_url)
    assert revision_of(db_url) == migrate.head_revision()
    assert "No new upgrade operations detected" in _alembic("check", cwd=tmp_path, url=db_url)


def test_alembic_ini_defaults_to_ledger_db_in_the_current_folder(tmp_path):
    _alembic("upgrade", "head", cwd=tmp_path)
    assert f"{migrate.head_revision()} (head)" in _alembic("current", cwd=tmp_path)
    assert revision_of(f"sqlite:///{tmp_path / 'ledger.db'}") == migrate.head_revision()
