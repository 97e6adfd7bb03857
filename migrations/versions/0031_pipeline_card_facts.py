"""ix_leads_pipeline also includes what a kanban card now shows of the need (land area,
power, jobs), so /pipeline still reads its cards' leads from the index alone
(PostgreSQL; SQLite ignores INCLUDE).

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-05 09:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None

CARD_COLUMNS = ['municipality_id', 'codename', 'version', 'confidential', 'owner_id',
                'company_id']
FACTS = ['land_min_m2', 'land_max_m2', 'power_mw', 'expected_jobs']


def upgrade():
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_pipeline')
        batch_op.create_index('ix_leads_pipeline', ['stage', 'stage_changed_at', 'id'],
                              unique=False, postgresql_include=CARD_COLUMNS + FACTS)


def downgrade():
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_pipeline')
        batch_op.create_index('ix_leads_pipeline', ['stage', 'stage_changed_at', 'id'],
                              unique=False, postgresql_include=CARD_COLUMNS)
