"""BVPI 157: services and their service x interaction rows.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# The oldest egov-planner that can open a plan at this revision.
NEEDS_PROGRAM = "0.1.0"


def upgrade() -> None:
    op.create_table('service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('lgsl', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_service_department_id_department'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service')),
    sa.UniqueConstraint('name', name=op.f('uq_service_name'))
    )
    op.create_table('service_interaction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('interaction', sa.Integer(), nullable=False),
    sa.Column('permissible', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('enabled_on', sa.Date(), nullable=True),
    sa.Column('forecast_on', sa.Date(), nullable=True),
    sa.Column('channels', sa.String(length=300), nullable=False),
    sa.Column('external_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('interaction BETWEEN 0 AND 9', name=op.f('ck_service_interaction_interaction')),
    sa.ForeignKeyConstraint(['external_id'], ['external_dependency.id'], name=op.f('fk_service_interaction_external_id_external_dependency'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_service_interaction_service_id_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_interaction')),
    sa.UniqueConstraint('service_id', 'interaction', name='uq_service_interaction_pair')
    )
    op.create_index(op.f('ix_service_interaction_service_id'), 'service_interaction', ['service_id'], unique=False)
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.execute(meta.delete().where(meta.c.key == "needs_program"))
    op.bulk_insert(meta, [{"key": "needs_program", "value": NEEDS_PROGRAM}])
