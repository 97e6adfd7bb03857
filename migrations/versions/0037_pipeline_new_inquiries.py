"""ix_leads_pipeline also includes `web_inquiry_new`: a kanban card shows "Ny
webbförfrågan" on an inquiry its municipality has not opened, and /pipeline still reads
its cards' leads from the index alone (PostgreSQL; SQLite ignores INCLUDE).

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-05 18:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0037'
down_revision = '0036'
branch_labels = None
depends_on = None

INCLUDED = ['municipality_id', 'codename', 'version', 'confidential', 'owner_id',
            'company_id', 'land_min_m2', 'land_max_m2', 'power_mw', 'expected_jobs']


def upgrade():
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_pipeline')
        batch_op.create_index('ix_leads_pipeline', ['stage', 'stage_changed_at', 'id'],
                              unique=False, postgresql_include=INCLUDED + ['web_inquiry_new'])


def downgrade():
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_pipeline')
        batch_op.create_index('ix_leads_pipeline', ['stage', 'stage_changed_at', 'id'],
                              unique=False, postgresql_include=INCLUDED)
