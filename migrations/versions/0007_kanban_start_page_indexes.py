"""indexes for the kanban and the start page

- ix_leads_pipeline (stage, stage_changed_at, id, INCLUDE municipality_id) replaces
  ix_leads_stage_changed: each kanban column reads its newest visible leads from the
  index alone (PostgreSQL; SQLite ignores INCLUDE).
- ix_follow_ups_assignee_open gains INCLUDE lead_id: the overdue count reads the lead ids
  from the index alone.
- ix_sites_updated_at: the sites' revision (max updated_at) without a scan.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 03:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_stage_changed')
        batch_op.create_index('ix_leads_pipeline', ['stage', 'stage_changed_at', 'id'],
                              unique=False, postgresql_include=['municipality_id'])
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_ups_assignee_open')
        batch_op.create_index('ix_follow_ups_assignee_open', ['assignee_id', 'done_at', 'due_on'],
                              unique=False, postgresql_include=['lead_id'])
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.create_index('ix_sites_updated_at', ['updated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.drop_index('ix_sites_updated_at')
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_ups_assignee_open')
        batch_op.create_index('ix_follow_ups_assignee_open', ['assignee_id', 'done_at', 'due_on'],
                              unique=False)
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_pipeline')
        batch_op.create_index('ix_leads_stage_changed', ['stage', 'stage_changed_at'],
                              unique=False)
