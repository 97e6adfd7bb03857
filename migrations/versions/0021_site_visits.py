"""Site visits (issue 15): follow-ups gain a time of day; a visit links a follow-up to the
candidate sites visited and the participants

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 00:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('follow_ups') as batch_op:
        batch_op.add_column(sa.Column('due_time', sa.Time(), nullable=True))
    op.create_table('site_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('followup_id', sa.Integer(), nullable=False),
    sa.Column('external_participants', sa.String(length=500), nullable=True),
    sa.Column('held_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'],
                            name=op.f('fk_site_visits_lead_id_leads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['followup_id'], ['follow_ups.id'],
                            name=op.f('fk_site_visits_followup_id_follow_ups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_visits')),
    sa.UniqueConstraint('followup_id', name=op.f('uq_site_visits_followup_id'))
    )
    with op.batch_alter_table('site_visits') as batch_op:
        batch_op.create_index(batch_op.f('ix_site_visits_lead_id'), ['lead_id'])
    op.create_table('site_visit_candidates',
    sa.Column('site_visit_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['site_visit_id'], ['site_visits.id'],
                            name=op.f('fk_site_visit_candidates_site_visit_id_site_visits'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate_sites.id'],
                            name=op.f('fk_site_visit_candidates_candidate_id_candidate_sites'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('site_visit_id', 'candidate_id', name=op.f('pk_site_visit_candidates'))
    )
    op.create_table('site_visit_participants',
    sa.Column('site_visit_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['site_visit_id'], ['site_visits.id'],
                            name=op.f('fk_site_visit_participants_site_visit_id_site_visits'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_site_visit_participants_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('site_visit_id', 'user_id', name=op.f('pk_site_visit_participants'))
    )


def downgrade():
    op.drop_table('site_visit_participants')
    op.drop_table('site_visit_candidates')
    op.drop_table('site_visits')
    with op.batch_alter_table('follow_ups') as batch_op:
        batch_op.drop_column('due_time')
