"""The match weights an admin edits (issue 15): one row of criterion -> weight, stored
empty (every criterion at its documented default) until an admin changes one.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05 03:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    settings = op.create_table(
        'match_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('weights', sa.JSON(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'],
                                name=op.f('fk_match_settings_updated_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_match_settings')),
    )
    op.bulk_insert(settings, [{'id': 1, 'weights': {}, 'version': 1}])


def downgrade():
    op.drop_table('match_settings')
