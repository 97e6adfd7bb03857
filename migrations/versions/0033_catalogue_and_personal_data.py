"""The public site catalogue and personal data (issue 19): each municipality's gallring
setting (years after a lead is closed as lost or won), and when a contact was erased or a
closed lead's personal data anonymised. (The sites' `public` and `price_public` flags
exist since 0003.)

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-06 10:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('municipalities') as batch_op:
        batch_op.add_column(sa.Column('retention_lost_years', sa.Integer(), nullable=False,
                                      server_default='3'))
        batch_op.add_column(sa.Column('retention_won_years', sa.Integer(), nullable=False,
                                      server_default='10'))
    with op.batch_alter_table('contacts') as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('leads') as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('leads') as batch_op:
        batch_op.drop_column('anonymised_at')
    with op.batch_alter_table('contacts') as batch_op:
        batch_op.drop_column('erased_at')
    with op.batch_alter_table('municipalities') as batch_op:
        batch_op.drop_column('retention_won_years')
        batch_op.drop_column('retention_lost_years')
