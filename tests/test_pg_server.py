"""The tests' PostgreSQL servers never share anything with another run, and never outlive it."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from pg_server import postgres_server

pytestmark = pytest.mark.postgres


def _folder_of(url: str) -> Path:
    """The server's private folder: where its socket lives (read back from the server itself, which
    listens on no network address)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SHOW listen_addresses")).scalar_one() == ""
            return Path(conn.execute(sa.text("SHOW unix_socket_directories")).scalar_one())
    finally:
        engine.dispose()


def test_two_servers_at_once_have_their_own_folder_and_port_and_are_removed_even_after_a_failure():
    with postgres_server() as first, postgres_server() as second:
        folders = [_folder_of(first), _folder_of(second)]
        assert make_url(first).query["port"] != make_url(second).query["port"]
        assert folders[0] != folders[1]
        for folder in folders:
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # private: no other account can reach it
            assert "pytest-of-" not in str(folder)  # not under the folder another pytest run re-permissions
    assert not any(folder.exists() for folder in folders)
    with pytest.raises(ZeroDivisionError), postgres_server() as url:
        failed = _folder_of(url)
        1 / 0
    assert not failed.exists()
    with pytest.raises(sa.exc.OperationalError):  # stopped, not only deleted
        sa.create_engine(url, connect_args={"connect_timeout": 2}).connect()
