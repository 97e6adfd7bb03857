"""The basis of secrecy decisions: a confidential lead records its legal basis, who marked
it and when; a full share of a confidential lead records the company's consent or a
secrecy review (who, when, why)

Existing confidential leads get the default basis (OSL 31:16); who marked them and when
was never recorded and stays unknown (NULL).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confidential_basis', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('confidential_marked_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('confidential_marked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_leads_confidential_marked_by_id_users'), 'users',
                                    ['confidential_marked_by_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('lead_shares', schema=None) as batch_op:
        batch_op.add_column(sa.Column('basis', sa.Enum('consent', 'secrecy_review', name='sharebasis',
                                                       native_enum=False, length=20), nullable=True))
        batch_op.add_column(sa.Column('basis_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('basis_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('basis_reason', sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column('basis_recorded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_lead_shares_basis_recorded_by_id_users'), 'users',
                                    ['basis_recorded_by_id'], ['id'], ondelete='SET NULL')
    op.execute("UPDATE leads SET confidential_basis = 'OSL 31:16' WHERE confidential = true")


def downgrade():
    with op.batch_alter_table('lead_shares', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_lead_shares_basis_recorded_by_id_users'),
                                 type_='foreignkey')
        for column in ('basis_recorded_by_id', 'basis_reason', 'basis_on', 'basis_by', 'basis'):
            batch_op.drop_column(column)
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_leads_confidential_marked_by_id_users'),
                                 type_='foreignkey')
        for column in ('confidential_marked_at', 'confidential_marked_by_id', 'confidential_basis'):
            batch_op.drop_column(column)
