"""Alembic migrations for the ledger schema (installed as ledger.migrations)."""
