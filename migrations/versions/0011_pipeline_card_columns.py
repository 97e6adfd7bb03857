"""ix_leads_pipeline includes what a kanban card shows of a lead (codename, version,
confidential, owner, company), so /pipeline reads its 400 cards' leads from the index
alone instead of visiting the table once per card (PostgreSQL; SQLite ignores INCLUDE)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 08:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

CARD_COLUMNS = ['municipality_id', 'codename', 'version', 'confidential', 'owner_id',
                'company_id']


def upgrade():
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_pipeline')
        batch_op.create_index('ix_leads_pipeline', ['stage', 'stage_changed_at', 'id'],
                              unique=False, postgresql_include=CARD_COLUMNS)


def downgrade():
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_pipeline')
        batch_op.create_index('ix_leads_pipeline', ['stage', 'stage_changed_at', 'id'],
                              unique=False, postgresql_include=['municipality_id'])
