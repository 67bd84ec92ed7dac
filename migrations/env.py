"""Alembic environment: targets SQLModel.metadata; the URL comes from ledger.migrate, never a file."""

from alembic import context
from sqlmodel import SQLModel

from ledger.schema import tables as models  # noqa: F401  (registers the tables on SQLModel.metadata)
from ledger.db.engine import make_engine

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    context.configure(url=config.attributes["url"], target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:  # a caller (tests) lends its own connection
        _run(connection)
        return
    engine = make_engine(config.attributes["url"])
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


def _run(connection) -> None:
    # render_as_batch lets ALTER-style migrations run on SQLite by copying tables; a copied table is
    # dropped while other tables still refer to it, so SQLite's foreign-key enforcement is paused
    # (outside the transaction, where the pragma takes effect) and the references checked after.
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()  # ends the transaction SQLAlchemy began, so the migrations get their own
    try:
        _migrate(connection)
    finally:
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
            if broken:
                raise RuntimeError(f"the migration left {len(broken)} broken references: {broken[:5]}")


def _migrate(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
