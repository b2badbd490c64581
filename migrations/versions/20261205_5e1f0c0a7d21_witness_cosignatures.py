"""witnesses: what each witness last cosigned, and the cosignature lines they returned

Revision ID: 5e1f0c0a7d21
Revises: 5d0c1e7a9b21
Created: 2026-12-05 07:15:00
"""

import sqlalchemy as sa
from alembic import op

import registry.core.db

revision = '5e1f0c0a7d21'
down_revision = '5d0c1e7a9b21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_witnesses',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('last_cosigned_at', registry.core.db.UTCDateTime(), nullable=True),
    sa.Column('last_asked_at', registry.core.db.UTCDateTime(), nullable=True),
    sa.Column('last_problem', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_audit_witnesses'))
    )
    op.create_table('audit_cosignatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('witness_name', sa.String(length=100), nullable=False),
    sa.Column('line', sa.Text(), nullable=False),
    sa.Column('cosigned_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_cosignatures')),
    sa.UniqueConstraint('size', 'witness_name', name=op.f('uq_audit_cosignatures_size_witness_name'))
    )
    with op.batch_alter_table('audit_cosignatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_cosignatures_size'), ['size'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_cosignatures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_cosignatures_size'))
    op.drop_table('audit_cosignatures')
    op.drop_table('audit_witnesses')
