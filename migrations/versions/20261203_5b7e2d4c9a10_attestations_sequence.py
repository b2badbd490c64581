"""a due date stays open until an attestation says met: number each date's attestations

Revision ID: 5b7e2d4c9a10
Revises: 3c1f0a9e7d21
Created: 2026-12-03 09:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = '5b7e2d4c9a10'
down_revision = '3c1f0a9e7d21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attestations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), server_default='1', nullable=False))
        batch_op.drop_index('uq_attestations_lineage_due_on',
                            postgresql_where=sa.text('due_on IS NOT NULL'), sqlite_where=sa.text('due_on IS NOT NULL'))
        batch_op.create_index('uq_attestations_lineage_due_on_sequence', ['lineage', 'due_on', 'sequence'], unique=True,
                              postgresql_where=sa.text('due_on IS NOT NULL'), sqlite_where=sa.text('due_on IS NOT NULL'))


def downgrade():
    with op.batch_alter_table('attestations', schema=None) as batch_op:
        batch_op.drop_index('uq_attestations_lineage_due_on_sequence',
                            postgresql_where=sa.text('due_on IS NOT NULL'), sqlite_where=sa.text('due_on IS NOT NULL'))
        batch_op.create_index('uq_attestations_lineage_due_on', ['lineage', 'due_on'], unique=True,
                              postgresql_where=sa.text('due_on IS NOT NULL'), sqlite_where=sa.text('due_on IS NOT NULL'))
        batch_op.drop_column('sequence')
