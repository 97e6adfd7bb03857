"""Land reservations (issue 16): a site reserved for a lead's company, made from a selected
candidate; at most one in force per site (a partial unique index); the deliveries of the
reminders of its end.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05 03:55:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

IN_FORCE = "status IN ('active', 'extended')"


def upgrade():
    op.create_table(
        'reservations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('lead_id', sa.Integer(), nullable=False),
        sa.Column('candidate_id', sa.Integer(), nullable=True),
        sa.Column('municipality_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('markreservation', 'markanvisning', name='reservationkind',
                                  native_enum=False, length=20), nullable=False),
        sa.Column('decided_on', sa.Date(), nullable=False),
        sa.Column('decided_by', sa.String(length=200), nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.Column('valid_until', sa.Date(), nullable=False),
        sa.Column('agreement_ref', sa.String(length=60), nullable=True),
        sa.Column('fee_sek', sa.Integer(), nullable=True),
        sa.Column('status', sa.Enum('active', 'extended', 'expired', 'converted', 'cancelled',
                                    name='reservationstatus', native_enum=False, length=16),
                  nullable=False),
        sa.Column('note', sa.String(length=2000), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['site_id'], ['sites.id'],
                                name=op.f('fk_reservations_site_id_sites'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['lead_id'], ['leads.id'],
                                name=op.f('fk_reservations_lead_id_leads'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['candidate_id'], ['candidate_sites.id'],
                                name=op.f('fk_reservations_candidate_id_candidate_sites'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'],
                                name=op.f('fk_reservations_municipality_id_municipalities')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_reservations_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reservations')),
    )
    with op.batch_alter_table('reservations') as batch_op:
        batch_op.create_index(batch_op.f('ix_reservations_site_id'), ['site_id'])
        batch_op.create_index(batch_op.f('ix_reservations_lead_id'), ['lead_id'])
        batch_op.create_index(batch_op.f('ix_reservations_municipality_id'), ['municipality_id'])
        batch_op.create_index('uq_reservations_active_site', ['site_id'], unique=True,
                              postgresql_where=sa.text(IN_FORCE),
                              sqlite_where=sa.text(IN_FORCE))

    op.create_table(
        'reservation_reminders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reservation_id', sa.Integer(), nullable=False),
        sa.Column('days_before', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum('sending', 'sent', 'failed', 'skipped', name='deliverystatus',
                                    native_enum=False, length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('message_id', sa.String(length=255), nullable=True),
        sa.Column('mail_message_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['reservation_id'], ['reservations.id'],
                                name=op.f('fk_reservation_reminders_reservation_id_reservations'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_reservation_reminders_user_id_users'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['mail_message_id'], ['mail_messages.id'],
                                name=op.f('fk_reservation_reminders_mail_message_id_mail_messages'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reservation_reminders')),
        sa.UniqueConstraint('reservation_id', 'days_before', 'user_id',
                            name=op.f('uq_reservation_reminders_reservation_id_days_before_user_id')),
    )


def downgrade():
    op.drop_table('reservation_reminders')
    op.drop_table('reservations')
