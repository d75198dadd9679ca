"""The plan: objectives, actions, dependencies, external dependencies, report text.

Revision ID: 0001
Revises: None
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

# The oldest egov-planner that can open a plan at this revision.
NEEDS_PROGRAM = "0.1.0"


def upgrade() -> None:
    op.create_table('consultation_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=100), nullable=False),
    sa.Column('audience', sa.String(length=200), nullable=False),
    sa.Column('respondents', sa.Integer(), nullable=True),
    sa.Column('respondents_at_least', sa.Boolean(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_evidence'))
    )
    op.create_table('department',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department')),
    sa.UniqueConstraint('name', name=op.f('uq_department_name'))
    )
    op.create_table('external_dependency',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('organisation', sa.String(length=300), nullable=False),
    sa.Column('expected_on', sa.Date(), nullable=True),
    sa.Column('confidence', sa.String(length=10), nullable=False),
    sa.Column('last_checked_on', sa.Date(), nullable=True),
    sa.Column('delivered_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("confidence IN ('high','medium','low')", name=op.f('ck_external_dependency_confidence')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_dependency')),
    sa.UniqueConstraint('name', name=op.f('uq_external_dependency_name'))
    )
    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('committee', sa.String(length=300), nullable=False),
    sa.Column('meets_on', sa.Date(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting'))
    )
    op.create_table('meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_meta'))
    )
    op.create_table('other_implication',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('applies', sa.Boolean(), nullable=False),
    sa.Column('paragraph_refs', sa.String(length=500), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_other_implication')),
    sa.UniqueConstraint('topic', name=op.f('uq_other_implication_topic'))
    )
    op.create_table('plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('authority', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('report_of', sa.String(length=300), nullable=False),
    sa.Column('status_date', sa.Date(), nullable=True),
    sa.Column('due_soon_days', sa.Integer(), nullable=False),
    sa.Column('introduction', sa.Text(), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('recommendations', sa.Text(), nullable=False),
    sa.Column('review_method', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('financial_implications', sa.Text(), nullable=False),
    sa.Column('legal_implications', sa.Text(), nullable=False),
    sa.Column('consultations', sa.Text(), nullable=False),
    sa.Column('officer_name', sa.String(length=200), nullable=False),
    sa.Column('officer_role', sa.String(length=300), nullable=False),
    sa.Column('officer_phone', sa.String(length=100), nullable=False),
    sa.Column('officer_email', sa.String(length=200), nullable=False),
    sa.Column('key_decision', sa.Boolean(), nullable=True),
    sa.Column('key_decision_reason', sa.Text(), nullable=False),
    sa.Column('in_forward_plan', sa.Boolean(), nullable=True),
    sa.Column('decision_maker', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('due_soon_days >= 0', name=op.f('ck_plan_due_soon_days')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan'))
    )
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('job_title', sa.String(length=300), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=100), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_person_department_id_department'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('name', name=op.f('uq_person_name'))
    )
    op.create_table('objective',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=40), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('exempt_paragraph', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('exempt_paragraph BETWEEN 1 AND 7', name=op.f('ck_objective_exempt_paragraph')),
    sa.ForeignKeyConstraint(['lead_id'], ['person.id'], name=op.f('fk_objective_lead_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objective')),
    sa.UniqueConstraint('ref', name=op.f('uq_objective_ref'))
    )
    op.create_table('action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=40), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('start', sa.Date(), nullable=True),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('percent_complete', sa.Integer(), nullable=False),
    sa.Column('success_measure', sa.Text(), nullable=False),
    sa.Column('resources', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('exempt_paragraph', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('not_started','in_progress','complete','deferred','cancelled')", name=op.f('ck_action_status')),
    sa.CheckConstraint('exempt_paragraph BETWEEN 1 AND 7', name=op.f('ck_action_exempt_paragraph')),
    sa.CheckConstraint('percent_complete BETWEEN 0 AND 100', name=op.f('ck_action_percent_complete')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_action_department_id_department'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], name=op.f('fk_action_objective_id_objective'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['owner_id'], ['person.id'], name=op.f('fk_action_owner_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action')),
    sa.UniqueConstraint('ref', name=op.f('uq_action_ref'))
    )
    op.create_index('ix_action_due', 'action', ['due'], unique=False)
    op.create_index(op.f('ix_action_objective_id'), 'action', ['objective_id'], unique=False)
    op.create_index(op.f('ix_action_owner_id'), 'action', ['owner_id'], unique=False)
    op.create_table('action_external',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_action_external_action_id_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['external_id'], ['external_dependency.id'], name=op.f('fk_action_external_external_id_external_dependency'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('action_id', 'external_id', name=op.f('pk_action_external'))
    )
    op.create_index(op.f('ix_action_external_external_id'), 'action_external', ['external_id'], unique=False)
    op.create_table('dependency',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('predecessor_id', sa.Integer(), nullable=False),
    sa.Column('successor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=2), nullable=False),
    sa.Column('lag_days', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('FS','SS','FF','SF')", name=op.f('ck_dependency_kind')),
    sa.CheckConstraint('predecessor_id <> successor_id', name=op.f('ck_dependency_not_self')),
    sa.ForeignKeyConstraint(['predecessor_id'], ['action.id'], name=op.f('fk_dependency_predecessor_id_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['successor_id'], ['action.id'], name=op.f('fk_dependency_successor_id_action'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dependency')),
    sa.UniqueConstraint('predecessor_id', 'successor_id', name='uq_dependency_pair')
    )
    op.create_index(op.f('ix_dependency_predecessor_id'), 'dependency', ['predecessor_id'], unique=False)
    op.create_index(op.f('ix_dependency_successor_id'), 'dependency', ['successor_id'], unique=False)
    op.create_table('progress_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('percent_complete', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('not_started','in_progress','complete','deferred','cancelled')", name=op.f('ck_progress_update_status')),
    sa.CheckConstraint('percent_complete BETWEEN 0 AND 100', name=op.f('ck_progress_update_percent_complete')),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_progress_update_action_id_action'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_update'))
    )
    op.create_index(op.f('ix_progress_update_action_id'), 'progress_update', ['action_id'], unique=False)
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.execute(meta.delete().where(meta.c.key == "needs_program"))
    op.bulk_insert(meta, [{"key": "needs_program", "value": NEEDS_PROGRAM}])
