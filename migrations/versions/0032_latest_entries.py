"""ix_activities_at: the start page lists the latest timeline entries of a
municipality's leads, newest first; without it PostgreSQL sorted every entry of the
municipality (130 ms over 500,000 entries, make bench "start page").

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-05 13:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('ix_activities_at_id', ['at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_at_id')
