"""Mail after a crash: a delivery keeps its Message-ID and the mail-log row of its latest
attempt (recorded before the mail server is contacted); the mail log keeps the Message-ID
sent and marks a message sent again after a crash mid-send as a possible duplicate

Existing deliveries get a Message-ID at their next claim; existing log rows are no
possible duplicates.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 01:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

DELIVERY_TABLES = ('digest_deliveries', 'reminder_deliveries')


def upgrade():
    with op.batch_alter_table('mail_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('possible_duplicate', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    for table in DELIVERY_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('message_id', sa.String(length=255), nullable=True))
            batch_op.add_column(sa.Column('mail_message_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_mail_message_id_mail_messages'),
                                        'mail_messages', ['mail_message_id'], ['id'],
                                        ondelete='SET NULL')


def downgrade():
    for table in DELIVERY_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_mail_message_id_mail_messages'),
                                     type_='foreignkey')
            batch_op.drop_column('mail_message_id')
            batch_op.drop_column('message_id')
    with op.batch_alter_table('mail_messages', schema=None) as batch_op:
        batch_op.drop_column('possible_duplicate')
        batch_op.drop_column('message_id')
