"""Exports made by a job of the task queue: who asked, what, its status and its file

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 01:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'exports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('municipality_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('leads', 'sites', name='exportkind', native_enum=False,
                                  create_constraint=False, length=16), nullable=False),
        sa.Column('filters', sa.JSON(), nullable=False),
        sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', 'expired',
                                    name='exportstatus', native_enum=False,
                                    create_constraint=False, length=16), nullable=False),
        sa.Column('row_count', sa.Integer(), nullable=True),
        sa.Column('file_name', sa.String(length=200), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'],
                                name=op.f('fk_exports_municipality_id_municipalities')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                name=op.f('fk_exports_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_exports')),
    )
    with op.batch_alter_table('exports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exports_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_exports_municipality_id'), ['municipality_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_exports_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('exports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exports_user_id'))
        batch_op.drop_index(batch_op.f('ix_exports_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_exports_expires_at'))
    op.drop_table('exports')
