"""Intake of web and API inquiries (issue 19): each municipality's intake advisor; a
lead's inquiry reference, "new web inquiry" marker and first-answer time; the intake
clients (partner systems) with their idempotency keys; the bots turned away per day;
the reminder of an inquiry unanswered after two working days.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-06 09:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0034'
down_revision = '0033'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('municipalities') as batch_op:
        batch_op.add_column(sa.Column('intake_user_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_municipalities_intake_user_id_users'), 'users',
                                    ['intake_user_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('leads') as batch_op:
        batch_op.add_column(sa.Column('inquiry_reference', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('web_inquiry_new', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('first_answered_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.create_unique_constraint(op.f('uq_leads_inquiry_reference'),
                                          ['inquiry_reference'])
    op.create_table(
        'intake_clients',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_clients')),
        sa.UniqueConstraint('name', name=op.f('uq_intake_clients_name')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_intake_clients_token_hash')),
    )
    op.create_table(
        'intake_idempotency_keys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('body_hash', sa.String(length=64), nullable=False),
        sa.Column('lead_id', sa.Integer(), nullable=True),
        sa.Column('response', sa.JSON(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['client_id'], ['intake_clients.id'],
                                name=op.f('fk_intake_idempotency_keys_client_id_intake_clients'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['lead_id'], ['leads.id'],
                                name=op.f('fk_intake_idempotency_keys_lead_id_leads'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_idempotency_keys')),
        sa.UniqueConstraint('client_id', 'key',
                            name=op.f('uq_intake_idempotency_keys_client_id_key')),
    )
    with op.batch_alter_table('intake_idempotency_keys') as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_idempotency_keys_created_at'),
                              ['created_at'], unique=False)
    op.create_table(
        'intake_bot_counts',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('day', 'reason', name=op.f('pk_intake_bot_counts')),
    )
    op.create_table(
        'intake_unanswered_reminders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('lead_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum('sending', 'sent', 'failed', 'skipped', name='deliverystatus',
                                    native_enum=False, length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('message_id', sa.String(length=255), nullable=True),
        sa.Column('mail_message_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['lead_id'], ['leads.id'],
                                name=op.f('fk_intake_unanswered_reminders_lead_id_leads'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(
            ['mail_message_id'], ['mail_messages.id'],
            name=op.f('fk_intake_unanswered_reminders_mail_message_id_mail_messages'),
            ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_unanswered_reminders')),
        sa.UniqueConstraint('lead_id', name=op.f('uq_intake_unanswered_reminders_lead_id')),
    )


def downgrade():
    op.drop_table('intake_unanswered_reminders')
    op.drop_table('intake_bot_counts')
    with op.batch_alter_table('intake_idempotency_keys') as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_idempotency_keys_created_at'))
    op.drop_table('intake_idempotency_keys')
    op.drop_table('intake_clients')
    with op.batch_alter_table('leads') as batch_op:
        batch_op.drop_constraint(op.f('uq_leads_inquiry_reference'), type_='unique')
        batch_op.drop_column('first_answered_at')
        batch_op.drop_column('web_inquiry_new')
        batch_op.drop_column('inquiry_reference')
    with op.batch_alter_table('municipalities') as batch_op:
        batch_op.drop_constraint(op.f('fk_municipalities_intake_user_id_users'),
                                 type_='foreignkey')
        batch_op.drop_column('intake_user_id')
