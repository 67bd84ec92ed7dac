"""A source keeps its text itself (read once from its text_path), so quotes are checked against it
from any folder and an export carries it; the database refuses ids no file could name again (empty,
spaces at either end, a line break or a tab).

Sources recorded before this revision keep their text_path only: their text is read from the
ledger's root folder when a quote needs it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def _id_check(column: str) -> str:
    return (f"{column} <> '' AND {column} = trim({column}) AND {column} NOT LIKE '%\n%' AND {column} NOT LIKE '%\r%' "
            f"AND {column} NOT LIKE '%\t%'")


CONSTRAINTS = {
    "source": [("ck_source_id", _id_check("id"))],
    "forecaster": [("ck_forecaster_id", _id_check("id"))],
    "question": [("ck_question_id", _id_check("id"))],
    "question_tag": [("ck_question_tag_tag", _id_check("tag"))],
    "forecast": [("ck_forecast_key", _id_check("key"))],
}


def upgrade() -> None:
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text', sa.String(), nullable=True))
    for table, checks in CONSTRAINTS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, condition in checks:
                batch_op.create_check_constraint(name, condition)


def downgrade() -> None:
    for table, checks in CONSTRAINTS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _ in checks:
                batch_op.drop_constraint(name, type_="check")
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_column('text')
