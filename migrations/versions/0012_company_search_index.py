"""ix_leads_company_id includes id, municipality_id and received_on, so a search's
company branch (app.leads.service.search_branches) finds its leads, their visibility and
their default sort key from the index alone instead of visiting the table once per lead
(PostgreSQL; SQLite ignores INCLUDE)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27 09:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

SEARCH_COLUMNS = ['id', 'municipality_id', 'received_on']


def upgrade():
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_company_id')
        batch_op.create_index('ix_leads_company_id', ['company_id'], unique=False,
                              postgresql_include=SEARCH_COLUMNS)


def downgrade():
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_company_id')
        batch_op.create_index('ix_leads_company_id', ['company_id'], unique=False)
