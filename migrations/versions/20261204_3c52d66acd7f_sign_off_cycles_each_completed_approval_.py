"""sign-off cycles: each completed approval cycle, recorded from the history as it completes

The table is filled from the history already there, by the same definition the registry
records each new cycle with (registry/signoff/cycles.py: backfill). The PostgreSQL-only
indexes that served the figures' walk through the history go: the figures read this table.

Revision ID: 3c52d66acd7f
Revises: db68c954f94c
Created: 2026-12-04 18:56:05.680104
"""

import sqlalchemy as sa
from alembic import op

import registry.core.db

revision = '3c52d66acd7f'
down_revision = 'db68c954f94c'
branch_labels = None
depends_on = None

_IN_FORCE = sa.text("action = 'approve' AND to_status = 'approved'")


def upgrade():
    op.create_table('signoff_cycles',
    sa.Column('version_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('first_submitted_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('in_force_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('days', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_signoff_cycles_agreement_id_agreements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['agreement_versions.id'], name=op.f('fk_signoff_cycles_version_id_agreement_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('version_id', name=op.f('pk_signoff_cycles'))
    )
    with op.batch_alter_table('signoff_cycles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signoff_cycles_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index('ix_signoff_cycles_in_force_at_days', ['in_force_at', 'days'], unique=False)

    # The registry's own function, so that the history is summarised exactly as new cycles
    # will be. Should the table change later, freeze a copy of today's function here.
    from registry.signoff.cycles import backfill

    backfill(op.get_bind())

    if op.get_bind().dialect.name == "postgresql":
        for name in ('ix_agreement_events_in_force_version', 'ix_agreement_events_in_force_at',
                     'ix_agreement_events_cycle_ends', 'ix_agreement_events_submissions'):
            op.drop_index(name, table_name='agreement_events')


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.create_index('ix_agreement_events_submissions', 'agreement_events', ['agreement_id', 'id'],
                        postgresql_include=['created_at'], postgresql_where=sa.text("action = 'submit'"))
        op.create_index('ix_agreement_events_cycle_ends', 'agreement_events', ['agreement_id', 'id'],
                        postgresql_where=sa.text("action = 'withdraw' OR (action = 'approve' AND to_status = 'approved')"))
        op.create_index('ix_agreement_events_in_force_at', 'agreement_events', ['created_at'],
                        postgresql_include=['agreement_id', 'id', 'version_id'], postgresql_where=_IN_FORCE)
        op.create_index('ix_agreement_events_in_force_version', 'agreement_events', ['version_id'],
                        postgresql_include=['agreement_id', 'id', 'created_at'], postgresql_where=_IN_FORCE)
    with op.batch_alter_table('signoff_cycles', schema=None) as batch_op:
        batch_op.drop_index('ix_signoff_cycles_in_force_at_days')
        batch_op.drop_index(batch_op.f('ix_signoff_cycles_agreement_id'))

    op.drop_table('signoff_cycles')
