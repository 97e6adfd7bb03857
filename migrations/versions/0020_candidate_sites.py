"""Candidate sites of a lead (issue 15)

candidate_sites links a lead to a site proposed for it, with the proposer, a status
(proposed, visited, rejected with a reason, selected), a note and a version for
optimistic locking. municipality_id is the site's municipality (who sees the row:
app/candidates/access.py). One row per lead and site.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 00:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('candidate_sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'visited', 'rejected', 'selected',
                                name='candidatestatus', native_enum=False, length=16),
              nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('note', sa.String(length=2000), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'],
                            name=op.f('fk_candidate_sites_lead_id_leads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'],
                            name=op.f('fk_candidate_sites_site_id_sites'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'],
                            name=op.f('fk_candidate_sites_municipality_id_municipalities')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'],
                            name=op.f('fk_candidate_sites_proposed_by_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate_sites')),
    sa.UniqueConstraint('lead_id', 'site_id', name=op.f('uq_candidate_sites_lead_id_site_id'))
    )
    with op.batch_alter_table('candidate_sites') as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_sites_lead_id'), ['lead_id'])
        batch_op.create_index(batch_op.f('ix_candidate_sites_site_id'), ['site_id'])
        batch_op.create_index(batch_op.f('ix_candidate_sites_municipality_id'),
                              ['municipality_id'])


def downgrade():
    op.drop_table('candidate_sites')
