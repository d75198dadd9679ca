"""The owner's expected completion date of an open action.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# The oldest egov-planner that can open a plan at this revision.
NEEDS_PROGRAM = "0.2.0"  # plans with an expected date: 0.1.0 would not know the column


def upgrade() -> None:
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expected', sa.Date(), nullable=True))
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.execute(meta.delete().where(meta.c.key == "needs_program"))
    op.bulk_insert(meta, [{"key": "needs_program", "value": NEEDS_PROGRAM}])
