"""Reports over many leads (issue 20): the funnel finds each lead's changes of skede
through a partial index of the stage changes alone (it read every timeline entry:
make bench "reports (100,000 leads)", 28 of 43 ms), and the share answered within two
working days reads the first answer the product keeps on the lead (`first_answered_at`,
since 0034) instead of searching each lead's timeline. Leads from before 0034 get it
here: their first timeline entry or change of skede by an advisor of the owning
municipality, as app.leads.inquiries.record_first_answer notes it since.

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-05 17:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0035'
down_revision = '0034'
branch_labels = None
depends_on = None

STAGE_CHANGES = "kind = 'stage_change'"


def upgrade():
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('ix_activities_stage_changes', ['lead_id', 'to_stage'],
                              unique=False, postgresql_where=sa.text(STAGE_CHANGES),
                              sqlite_where=sa.text(STAGE_CHANGES))
    op.execute(sa.text(
        "UPDATE leads SET first_answered_at = ("
        " SELECT min(activities.at) FROM activities"
        " JOIN users ON users.id = activities.author_id"
        " WHERE activities.lead_id = leads.id"
        " AND users.role = 'advisor' AND users.municipality_id = leads.municipality_id"
        " AND activities.kind NOT IN ('share_change', 'partner_answer'))"
        " WHERE first_answered_at IS NULL"))


def downgrade():
    # first_answered_at stays: 0034 added it and its downgrade removes it
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_stage_changes', postgresql_where=sa.text(STAGE_CHANGES),
                            sqlite_where=sa.text(STAGE_CHANGES))
