"""Forecasts remember when they were entered into the ledger (recorded_at), beside when they were made.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Forecasts recorded before this revision keep recorded_at empty: the ledger does not invent a time.
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('forecast', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('forecast', schema=None) as batch_op:
        batch_op.drop_column('recorded_at')
