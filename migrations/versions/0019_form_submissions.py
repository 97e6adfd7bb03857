"""One-time submission tokens of the create forms (issue 13, idempotent submits)

form_submissions holds a create form's token with the object it created, written in the
same transaction, so a double click or a resubmit finds the object instead of creating
a second. Unique per user; rows older than 7 days are pruned (app/submissions).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 02:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('form_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('endpoint', sa.String(length=80), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_form_submissions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_submissions')),
    sa.UniqueConstraint('user_id', 'token', name=op.f('uq_form_submissions_user_id_token'))
    )


def downgrade():
    op.drop_table('form_submissions')
