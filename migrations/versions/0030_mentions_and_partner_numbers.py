"""@mentions in activities as references to users; each partner municipality's own
diarienummer for a matter shared with it (issue 17).

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-05 09:10:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'activity_mentions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('activity_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['activity_id'], ['activities.id'],
                                name=op.f('fk_activity_mentions_activity_id_activities'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_activity_mentions_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_mentions')),
        sa.UniqueConstraint('activity_id', 'user_id',
                            name=op.f('uq_activity_mentions_activity_id_user_id')),
    )
    with op.batch_alter_table('activity_mentions') as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_mentions_user_id'), ['user_id'])
    with op.batch_alter_table('lead_shares') as batch_op:
        batch_op.add_column(sa.Column('registration_number', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('lead_shares') as batch_op:
        batch_op.drop_column('registration_number')
    op.drop_table('activity_mentions')
