"""ix_sites_name_id: the site list and the sites API read their pages in name order

Without it PostgreSQL sorted every site (wide rows) for each page of 50.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 04:05:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.create_index('ix_sites_name_id', ['name', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.drop_index('ix_sites_name_id')
