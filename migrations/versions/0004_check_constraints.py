"""The database itself refuses values the ledger never writes: a probability outside 0–1, a band or
window out of order, an unknown kind, an empty outcome, a voiding date without a reason.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

FORECASTER_KINDS = ("person", "organisation", "collective", "aggregate")
QUESTION_KINDS = ("binary", "date", "categorical")
SOURCE_KINDS = ("article", "report", "interview", "post", "book", "broadcast", "dataset", "other")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


CONSTRAINTS = {
    "source": [("ck_source_kind", _one_of("kind", SOURCE_KINDS))],
    "forecaster": [("ck_forecaster_kind", _one_of("kind", FORECASTER_KINDS))],
    "question": [("ck_question_kind", _one_of("kind", QUESTION_KINDS))],
    "forecast": [
        ("ck_forecast_probability", "probability >= 0 AND probability <= 1"),
        ("ck_forecast_band", "band_low IS NULL OR (band_low >= 0 AND band_high <= 1 AND band_low <= band_high)"),
        ("ck_forecast_window", "(window_from IS NULL) = (window_to IS NULL) AND (window_from IS NULL OR window_from <= window_to)"),
        ("ck_forecast_voided", "voided_on IS NULL OR voided_reason IS NOT NULL"),
    ],
    "resolution": [("ck_resolution_sequence", "sequence >= 1"), ("ck_resolution_outcome", "outcome <> ''")],
}


def upgrade() -> None:
    for table, checks in CONSTRAINTS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, condition in checks:
                batch_op.create_check_constraint(name, condition)


def downgrade() -> None:
    for table, checks in CONSTRAINTS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _ in checks:
                batch_op.drop_constraint(name, type_="check")
