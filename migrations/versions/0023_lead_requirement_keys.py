"""The lead's further requirements for matching (issue 15): the largest contiguous piece
of land, the distance to a cargo airport, a price ceiling, each with its must; whether a
site where a rail siding is possible will do; how long the company can wait for more power.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 03:10:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('leads') as batch_op:
        batch_op.add_column(sa.Column('contiguous_m2', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('contiguous_must', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('rail_accept_possible', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('airport_km_max', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('airport_must', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('power_lead_time_months', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('price_max_sek_m2', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('price_must', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('leads') as batch_op:
        for column in ('price_must', 'price_max_sek_m2', 'power_lead_time_months',
                       'airport_must', 'airport_km_max', 'rail_accept_possible',
                       'contiguous_must', 'contiguous_m2'):
            batch_op.drop_column(column)
