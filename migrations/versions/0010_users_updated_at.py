"""users.updated_at: a revision of the user directory, so lists built from it (the lead
list's owner filter) are cached per process and still change at once

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 06:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True),
                                      server_default=sa.func.current_timestamp(),
                                      nullable=False))
        batch_op.create_index('ix_users_updated_at', ['updated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_updated_at')
        batch_op.drop_column('updated_at')
