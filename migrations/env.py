"""Alembic environment for the ledger's tables (SQLModel.metadata), whoever runs it.

`ledger init` and `ledger db upgrade` pass the database URL (ledger.db.migrate); the `alembic`
command in a checkout (alembic.ini) gets the ledger's own default, $LEDGER_DATABASE_URL else
ledger.db in the current folder; pytest-alembic lends its engine. Engines come from make_engine,
so SQLite gets the ledger's WAL and foreign-key settings here too.
"""

from logging.config import fileConfig

from alembic import context
from sqlmodel import SQLModel

from ledger.db.engine import make_engine, resolve_url
from ledger.schema import tables  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
target_metadata = SQLModel.metadata
# render_as_batch lets ALTER-style migrations run on SQLite by copying tables.
OPTIONS = {"target_metadata": target_metadata, "render_as_batch": True, "compare_type": True}

if config.config_file_name is not None:  # the alembic command: alembic.ini says what to log
    fileConfig(config.config_file_name)


def database_url() -> str:
    return config.attributes.get("url") or resolve_url(None)


def run_migrations_offline() -> None:
    context.configure(url=database_url(), literal_binds=True, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    lent = config.attributes.get("connection")
    engine = lent if lent is not None else make_engine(database_url(), write=True)
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        if lent is None:
            engine.dispose()


def _run(connection) -> None:
    """On SQLite the whole upgrade is one transaction, begun with the write lock (the ledger's write
    engine: BEGIN IMMEDIATE): killed half way it leaves the database as it was, and two `ledger init`
    at once run one after the other, the second finding nothing to do. A copied table
    (render_as_batch) is dropped while other tables still refer to it, so foreign-key enforcement is
    paused around it (on the driver's own connection, outside the transaction, where the pragma
    takes effect) and every reference checked after."""
    sqlite = connection.dialect.name == "sqlite"
    driver = connection.connection.driver_connection if sqlite else None
    if driver is not None:
        driver.execute("PRAGMA foreign_keys=OFF")
    try:
        context.configure(connection=connection, **OPTIONS, **({"transactional_ddl": True} if sqlite else {}))
        with context.begin_transaction():
            context.run_migrations()
    finally:
        if driver is not None:
            broken = driver.execute("PRAGMA foreign_key_check").fetchall()
            driver.execute("PRAGMA foreign_keys=ON")
            if broken:
                raise RuntimeError(f"the migration left {len(broken)} broken references: {broken[:5]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
