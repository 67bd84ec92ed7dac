"""Initial schema: sources, forecasters, questions with tags, forecasts, append-only resolutions.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('forecaster',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('affiliation', sa.String(), nullable=True),
    sa.Column('kind', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('question',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('text', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('criteria', sa.String(), nullable=True),
    sa.Column('resolve_by', sa.Date(), nullable=True),
    sa.Column('options', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('source',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('publisher', sa.String(), nullable=True),
    sa.Column('url', sa.String(), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('text_path', sa.String(), nullable=True),
    sa.Column('note', sa.String(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('forecast',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('question_id', sa.String(), nullable=False),
    sa.Column('forecaster_id', sa.String(), nullable=False),
    sa.Column('source_id', sa.String(), nullable=True),
    sa.Column('made_on', sa.Date(), nullable=False),
    sa.Column('quote', sa.String(), nullable=True),
    sa.Column('claim', sa.String(), nullable=True),
    sa.Column('probability', sa.Float(), nullable=False),
    sa.Column('phrase', sa.String(), nullable=True),
    sa.Column('scale', sa.String(), nullable=True),
    sa.Column('band_low', sa.Float(), nullable=True),
    sa.Column('band_high', sa.Float(), nullable=True),
    sa.Column('window_from', sa.Date(), nullable=True),
    sa.Column('window_to', sa.Date(), nullable=True),
    sa.Column('option', sa.String(), nullable=True),
    sa.Column('condition', sa.String(), nullable=True),
    sa.Column('voided_reason', sa.String(), nullable=True),
    sa.Column('voided_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['forecaster_id'], ['forecaster.id'], ),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], ),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('forecast', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forecast_forecaster_id'), ['forecaster_id'], unique=False)
        batch_op.create_index('ix_forecast_question_forecaster', ['question_id', 'forecaster_id', 'made_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_forecast_source_id'), ['source_id'], unique=False)

    op.create_table('question_tag',
    sa.Column('question_id', sa.String(), nullable=False),
    sa.Column('tag', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], ),
    sa.PrimaryKeyConstraint('question_id', 'tag')
    )
    with op.batch_alter_table('question_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_tag_tag'), ['tag'], unique=False)

    op.create_table('resolution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=True),
    sa.Column('evidence', sa.String(), nullable=True),
    sa.Column('evidence_quote', sa.String(), nullable=True),
    sa.Column('note', sa.String(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('question_id', 'sequence', name='uq_resolution_question_sequence')
    )


def downgrade() -> None:
    op.drop_table('resolution')
    with op.batch_alter_table('question_tag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_tag_tag'))

    op.drop_table('question_tag')
    with op.batch_alter_table('forecast', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forecast_source_id'))
        batch_op.drop_index('ix_forecast_question_forecaster')
        batch_op.drop_index(batch_op.f('ix_forecast_forecaster_id'))

    op.drop_table('forecast')
    op.drop_table('source')
    op.drop_table('question')
    op.drop_table('forecaster')
