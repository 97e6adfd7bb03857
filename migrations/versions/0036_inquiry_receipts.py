"""The receipt of a web or API inquiry as a delivery (issue 19): queued with the lead,
claimed before sending and retried until sent, like the other e-mails that must not be
lost (app/deliveries.py). The address stays in the contact: the queue holds which
contact and in which language.

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-05 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0036'
down_revision = '0035'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'inquiry_receipts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('lead_id', sa.Integer(), nullable=False),
        sa.Column('contact_id', sa.Integer(), nullable=True),
        sa.Column('locale', sa.String(length=2), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'],
                                name=op.f('fk_inquiry_receipts_contact_id_contacts'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['lead_id'], ['leads.id'],
                                name=op.f('fk_inquiry_receipts_lead_id_leads'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inquiry_receipts')),
        sa.UniqueConstraint('lead_id', name=op.f('uq_inquiry_receipts_lead_id')))
    with op.batch_alter_table('inquiry_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inquiry_receipts_created_at'), ['created_at'],
                              unique=False)
    op.create_table(
        'inquiry_receipt_deliveries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('receipt_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum('sending', 'sent', 'failed', 'skipped', name='deliverystatus',
                                    native_enum=False, length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('message_id', sa.String(length=255), nullable=True),
        sa.Column('mail_message_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['mail_message_id'], ['mail_messages.id'],
                                name=op.f('fk_inquiry_receipt_deliveries_mail_message_id_mail_messages'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['receipt_id'], ['inquiry_receipts.id'],
                                name=op.f('fk_inquiry_receipt_deliveries_receipt_id_inquiry_receipts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inquiry_receipt_deliveries')),
        sa.UniqueConstraint('receipt_id', name=op.f('uq_inquiry_receipt_deliveries_receipt_id')))


def downgrade():
    op.drop_table('inquiry_receipt_deliveries')
    with op.batch_alter_table('inquiry_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inquiry_receipts_created_at'))
    op.drop_table('inquiry_receipts')
