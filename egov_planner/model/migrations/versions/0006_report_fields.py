"""Report fields a committee paper carries: background papers, wards affected, agenda item, report date.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# The oldest egov-planner that can open a plan at this revision.
NEEDS_PROGRAM = "0.3.0"  # new plan columns only: 0.3.0 reads the plan row by name and leaves them alone


def upgrade() -> None:
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('background_papers', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('wards_affected', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('agenda_item', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('report_date', sa.Date(), nullable=True))
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.execute(meta.delete().where(meta.c.key == "needs_program"))
    op.bulk_insert(meta, [{"key": "needs_program", "value": NEEDS_PROGRAM}])
