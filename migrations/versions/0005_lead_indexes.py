"""lead list index: stage, municipality, received_on, id

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 01:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.create_index('ix_leads_stage_municipality_received', ['stage', 'municipality_id', 'received_on', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_stage_municipality_received')
