"""The committee cycle: reports as issued (recorded_report, reported_action) and revised target dates.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# The oldest egov-planner that can open a plan at this revision.
NEEDS_PROGRAM = "0.3.0"  # recorded reports and revisions: 0.2.0 would move a reported date without a reason


def upgrade() -> None:
    op.create_table('recorded_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('taken_at', sa.DateTime(), nullable=False),
    sa.Column('taken_by', sa.String(length=200), nullable=False),
    sa.Column('with_pack', sa.Boolean(), nullable=False),
    sa.Column('report_text', sa.Text(), nullable=False),
    sa.Column('meetings', sa.Text(), nullable=False),
    sa.Column('bvpi', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recorded_report')),
    sa.UniqueConstraint('label', name=op.f('uq_recorded_report_label'))
    )
    op.create_table('reported_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=40), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('objective_ref', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('forecast', sa.Date(), nullable=False),
    sa.Column('flag', sa.String(length=20), nullable=True),
    sa.Column('rag', sa.String(length=1), nullable=False),
    sa.Column('percent_complete', sa.Integer(), nullable=False),
    sa.Column('latest_note', sa.Text(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_reported_action_action_id_action'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['report_id'], ['recorded_report.id'], name=op.f('fk_reported_action_report_id_recorded_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reported_action')),
    sa.UniqueConstraint('report_id', 'ref', name='uq_reported_action_ref')
    )
    op.create_index(op.f('ix_reported_action_action_id'), 'reported_action', ['action_id'], unique=False)
    op.create_index(op.f('ix_reported_action_report_id'), 'reported_action', ['report_id'], unique=False)
    op.create_table('revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('from_due', sa.Date(), nullable=False),
    sa.Column('to_due', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('agreed_by', sa.String(length=300), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_revision_action_id_action'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revision'))
    )
    op.create_index(op.f('ix_revision_action_id'), 'revision', ['action_id'], unique=False)
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.execute(meta.delete().where(meta.c.key == "needs_program"))
    op.bulk_insert(meta, [{"key": "needs_program", "value": NEEDS_PROGRAM}])
