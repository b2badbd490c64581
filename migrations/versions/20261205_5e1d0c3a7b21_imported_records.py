"""imported records: where each agreement brought in from a spreadsheet came from

Revision ID: 5e1d0c3a7b21
Revises: 5e1f0c0a7d21
Created: 2026-12-05 06:55:00.000000
"""

import sqlalchemy as sa
from alembic import op

import registry.core.db

revision = '5e1d0c3a7b21'
down_revision = '5e1f0c0a7d21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('imported_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('source_file_name', sa.String(length=255), nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('source_row', sa.Integer(), nullable=False),
    sa.Column('original_reference', sa.String(length=100), nullable=False),
    sa.Column('in_force', sa.Boolean(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('imported_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_imported_records_agreement_id_agreements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_imported_records_imported_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imported_records')),
    sa.UniqueConstraint('agreement_id', name=op.f('uq_imported_records_agreement_id')),
    sa.UniqueConstraint('source_sha256', 'source_row', name=op.f('uq_imported_records_source_sha256_source_row'))
    )


def downgrade():
    op.drop_table('imported_records')
