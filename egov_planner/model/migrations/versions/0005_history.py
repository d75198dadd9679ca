"""History: every change to the plan, one row a field (change_log).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# The oldest egov-planner that can open a plan at this revision.
NEEDS_PROGRAM = "0.3.0"  # an older program would change the plan without recording it


def upgrade() -> None:
    op.create_table('change_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by', sa.String(length=200), nullable=False),
    sa.Column('what', sa.String(length=40), nullable=False),
    sa.Column('ref', sa.String(length=300), nullable=False),
    sa.Column('field', sa.String(length=100), nullable=False),
    sa.Column('from_value', sa.Text(), nullable=False),
    sa.Column('to_value', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_log'))
    )
    op.create_index(op.f('ix_change_log_ref'), 'change_log', ['ref'], unique=False)
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.execute(meta.delete().where(meta.c.key == "needs_program"))
    op.bulk_insert(meta, [{"key": "needs_program", "value": NEEDS_PROGRAM}])
