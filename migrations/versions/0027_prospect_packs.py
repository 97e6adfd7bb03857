"""Prospect packs (issue 16): chosen candidates of a lead for its company, behind a secret
link (only its hash stored), with every opening logged (the network, not the address).

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-05 04:10:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'prospect_packs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('lead_id', sa.Integer(), nullable=False),
        sa.Column('municipality_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['lead_id'], ['leads.id'],
                                name=op.f('fk_prospect_packs_lead_id_leads'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'],
                                name=op.f('fk_prospect_packs_municipality_id_municipalities')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_prospect_packs_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_prospect_packs')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_prospect_packs_token_hash')),
    )
    with op.batch_alter_table('prospect_packs') as batch_op:
        batch_op.create_index(batch_op.f('ix_prospect_packs_lead_id'), ['lead_id'])
        batch_op.create_index(batch_op.f('ix_prospect_packs_municipality_id'), ['municipality_id'])
    op.create_table(
        'pack_candidates',
        sa.Column('pack_id', sa.Integer(), nullable=False),
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['pack_id'], ['prospect_packs.id'],
                                name=op.f('fk_pack_candidates_pack_id_prospect_packs'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['candidate_id'], ['candidate_sites.id'],
                                name=op.f('fk_pack_candidates_candidate_id_candidate_sites'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('pack_id', 'candidate_id', name=op.f('pk_pack_candidates')),
    )
    op.create_table(
        'pack_openings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pack_id', sa.Integer(), nullable=False),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('network', sa.String(length=50), nullable=True),
        sa.ForeignKeyConstraint(['pack_id'], ['prospect_packs.id'],
                                name=op.f('fk_pack_openings_pack_id_prospect_packs'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pack_openings')),
    )
    with op.batch_alter_table('pack_openings') as batch_op:
        batch_op.create_index(batch_op.f('ix_pack_openings_pack_id'), ['pack_id'])


def downgrade():
    op.drop_table('pack_openings')
    op.drop_table('pack_candidates')
    op.drop_table('prospect_packs')
