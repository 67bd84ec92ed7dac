"""A throw-away PostgreSQL server for the tests, from the binaries of the `pgserver` wheel.

Each server has a private temporary directory (mode 0700, outside pytest's per-user folder, whose
permissions another pytest run resets) and its own port, served on a socket in that directory only,
so runs of several users or sessions at once never share a file, a socket or a port; it is stopped and its directory removed at the end,
even when the tests fail. (pgserver's own `get_server` keeps a lock and a list of users in a folder
shared by every process of the same account, and serves on a socket named for port 5432.)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_user(folder: Path) -> str | None:
    """PostgreSQL refuses to run as root: as root, the server runs as pgserver's own system user,
    which alone owns the private folder."""
    if os.geteuid() != 0:
        return None
    import pwd
    import stat

    from pgserver._commands import POSTGRES_BIN_PATH
    from pgserver.utils import ensure_folder_permissions, ensure_user_exists

    user = "pgserver"
    entry = ensure_user_exists(user)
    readable = stat.S_IRGRP | stat.S_IROTH
    ensure_folder_permissions(POSTGRES_BIN_PATH, readable | stat.S_IXGRP | stat.S_IXOTH)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", readable)
    entry = entry or pwd.getpwnam(user)
    os.chown(folder, entry.pw_uid, entry.pw_gid)
    return user


def _run(program: str, *args: str, user: str | None) -> None:
    from pgserver._commands import POSTGRES_BIN_PATH

    done = subprocess.run([str(POSTGRES_BIN_PATH / program), *args], user=user, capture_output=True, text=True,
                          timeout=120, check=False)
    if done.returncode:
        raise RuntimeError(f"{program} {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A running server's SQLAlchemy URL (superuser `postgres`). It listens on no network address,
    only on a socket in its private folder, so no other account can reach it."""
    folder = Path(tempfile.mkdtemp(prefix="ledger-test-postgres-"))
    data, log = folder / "data", folder / "server.log"
    user = None
    started = False
    try:
        user = _server_user(folder)
        _run("initdb", "-D", str(data), "--auth=trust", "--encoding=utf8", "-U", "postgres", user=user)
        port = _free_port()  # names the socket; also unique among the ports in use on the machine
        _run("pg_ctl", "-D", str(data), "-w", "-t", "60", "-l", str(log), "-o", f"-h '' -p {port} -k {folder}", "start", user=user)
        started = True
        yield f"postgresql+psycopg://postgres@/postgres?host={folder}&port={port}"
    finally:
        if started:
            _stop(data, user)
        shutil.rmtree(folder, ignore_errors=True)


def _stop(data: Path, user: str | None) -> None:
    """pg_ctl's immediate stop; a server that does not stop is killed, so none outlives the tests."""
    pid_file = data / "postmaster.pid"
    pid = int(pid_file.read_text().split()[0]) if pid_file.exists() else None
    try:
        _run("pg_ctl", "-D", str(data), "-w", "-m", "immediate", "stop", user=user)
    except (RuntimeError, subprocess.TimeoutExpired):
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
