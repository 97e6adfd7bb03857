"""Notifications in the product (issue 17): one row per event and reader; the shares of a
municipality by age (the start page lists those awaiting its answer, oldest first).

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-05 04:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'notifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('url', sa.String(length=300), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    )
    with op.batch_alter_table('notifications') as batch_op:
        batch_op.create_index('ix_notifications_user_unread', ['user_id', 'read_at'])
    with op.batch_alter_table('lead_shares') as batch_op:
        batch_op.create_index('ix_lead_shares_municipality_created',
                              ['municipality_id', 'created_at'])


def downgrade():
    with op.batch_alter_table('lead_shares') as batch_op:
        batch_op.drop_index('ix_lead_shares_municipality_created')
    op.drop_table('notifications')
