"""Site facts for matching (issue 15): the largest contiguous area, power obtainable on
top of today's and how soon, readiness, and the detaljplan's stage (planbesked, samråd,
granskning, antagen, laga kraft) with the plan's designation and date of legal force.
Existing stages migrate: in force -> laga_kraft, in progress -> samrad, none -> none.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 01:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sites') as batch_op:
        batch_op.add_column(sa.Column('detaljplan_id', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('detaljplan_in_force_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('readiness', sa.Enum(
            'ready', 'planned', 'idea', name='readiness', native_enum=False, length=16),
            nullable=True))
        batch_op.add_column(sa.Column('contiguous_area_m2', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('power_expandable_mw', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('power_lead_time_months', sa.Integer(), nullable=True))
    op.execute("UPDATE sites SET detaljplan_status = 'laga_kraft' "
               "WHERE detaljplan_status = 'in_force'")
    op.execute("UPDATE sites SET detaljplan_status = 'samrad' "
               "WHERE detaljplan_status = 'in_progress'")


def downgrade():
    op.execute("UPDATE sites SET detaljplan_status = 'in_force' "
               "WHERE detaljplan_status IN ('laga_kraft', 'antagen')")
    op.execute("UPDATE sites SET detaljplan_status = 'in_progress' "
               "WHERE detaljplan_status IN ('planbesked', 'samrad', 'granskning')")
    with op.batch_alter_table('sites') as batch_op:
        batch_op.drop_column('power_lead_time_months')
        batch_op.drop_column('power_expandable_mw')
        batch_op.drop_column('contiguous_area_m2')
        batch_op.drop_column('readiness')
        batch_op.drop_column('detaljplan_in_force_on')
        batch_op.drop_column('detaljplan_id')
