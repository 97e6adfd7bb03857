"""Notifications by e-mail (issue 17): each reader's choice per topic, each notification's
channel and lead, the e-mail of a notification sent at once as a delivery claim; the
timeline's share changes and partner answers keep their details in `activities.params`.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-05 08:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None

CHANNEL = sa.Enum('now', 'digest', 'off', name='channel', native_enum=False, length=10)


def upgrade():
    with op.batch_alter_table('notifications') as batch_op:
        batch_op.add_column(sa.Column('lead_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('email', CHANNEL, nullable=True))
        batch_op.create_foreign_key(op.f('fk_notifications_lead_id_leads'), 'leads',
                                    ['lead_id'], ['id'], ondelete='CASCADE')
        batch_op.create_index('ix_notifications_lead_id', ['lead_id'])
        batch_op.create_index('ix_notifications_email_created', ['email', 'created_at'])
    op.create_table(
        'notification_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('topic', sa.String(length=20), nullable=False),
        sa.Column('channel', CHANNEL, nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_notification_settings_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_settings')),
        sa.UniqueConstraint('user_id', 'topic',
                            name=op.f('uq_notification_settings_user_id_topic')),
    )
    op.create_table(
        'notification_deliveries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('notification_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum('sending', 'sent', 'failed', 'skipped',
                                    name='deliverystatus', native_enum=False, length=16),
                  nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('message_id', sa.String(length=255), nullable=True),
        sa.Column('mail_message_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'],
                                name=op.f('fk_notification_deliveries_notification_id_notifications'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['mail_message_id'], ['mail_messages.id'],
                                name=op.f('fk_notification_deliveries_mail_message_id_mail_messages'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_deliveries')),
        sa.UniqueConstraint('notification_id',
                            name=op.f('uq_notification_deliveries_notification_id')),
    )
    with op.batch_alter_table('activities') as batch_op:
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('activities') as batch_op:
        batch_op.drop_column('params')
    op.drop_table('notification_deliveries')
    op.drop_table('notification_settings')
    with op.batch_alter_table('notifications') as batch_op:
        batch_op.drop_index('ix_notifications_email_created')
        batch_op.drop_index('ix_notifications_lead_id')
        batch_op.drop_constraint(op.f('fk_notifications_lead_id_leads'), type_='foreignkey')
        batch_op.drop_column('email')
        batch_op.drop_column('lead_id')
