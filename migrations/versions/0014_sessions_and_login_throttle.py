"""Sessions end when they should; login throttling without an attacker's lock (issue 12)

users.session_generation is part of the login id, so raising it ends every session and
remember-me cookie. The account lock (failed_logins, failed_window_started_at,
locked_until) goes; failed logins are rows of login_failures, counted per submitted
e-mail and per client address (app/auth/throttle.py).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 01:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_window_started_at')
        batch_op.drop_column('failed_logins')

    op.create_table('login_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email_key', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failures'))
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index('ix_login_failures_email_key_failed_at', ['email_key', 'failed_at'],
                              unique=False)
        batch_op.create_index('ix_login_failures_address_failed_at', ['address', 'failed_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_login_failures_failed_at'), ['failed_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failures_failed_at'))
        batch_op.drop_index('ix_login_failures_address_failed_at')
        batch_op.drop_index('ix_login_failures_email_key_failed_at')

    op.drop_table('login_failures')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('failed_window_started_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_column('session_generation')
