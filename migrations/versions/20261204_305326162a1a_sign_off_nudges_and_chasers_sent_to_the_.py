"""sign-off: nudges and chasers sent to the parties still to approve, and indexes for sign-off speed

The indexes on agreement_events and agreement_versions exist on PostgreSQL only (see
registry/signoff/models.py): they serve the national figures and lists.

Revision ID: 305326162a1a
Revises: c027fbcb1656
Created: 2026-12-04 17:17:29.304916
"""

import sqlalchemy as sa
from alembic import op

import registry.core.db

revision = '305326162a1a'
down_revision = 'c027fbcb1656'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('signoff_chases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('created_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint("kind <> 'nudge' OR sent_by_id IS NOT NULL", name=op.f('ck_signoff_chases_nudge_has_a_sender')),
    sa.CheckConstraint("kind IN ('nudge', 'reminder', 'escalation')", name=op.f('ck_signoff_chases_known_kind')),
    sa.ForeignKeyConstraint(['authority_id'], ['authorities.id'], name=op.f('fk_signoff_chases_authority_id_authorities')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_signoff_chases_sent_by_id_users')),
    sa.ForeignKeyConstraint(['version_id'], ['agreement_versions.id'], name=op.f('fk_signoff_chases_version_id_agreement_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signoff_chases'))
    )
    with op.batch_alter_table('signoff_chases', schema=None) as batch_op:
        batch_op.create_index('ix_signoff_chases_version_authority', ['version_id', 'authority_id', 'sent_on'], unique=False)
        batch_op.create_index('uq_signoff_chases_once', ['version_id', 'authority_id', 'kind'], unique=True, sqlite_where=sa.text("kind <> 'nudge'"), postgresql_where=sa.text("kind <> 'nudge'"))

    if op.get_bind().dialect.name == "postgresql":
        in_force = sa.text("action = 'approve' AND to_status = 'approved'")
        op.create_index('ix_agreement_events_submissions', 'agreement_events', ['agreement_id', 'id'],
                        postgresql_include=['created_at'], postgresql_where=sa.text("action = 'submit'"))
        op.create_index('ix_agreement_events_cycle_ends', 'agreement_events', ['agreement_id', 'id'],
                        postgresql_where=sa.text("action = 'withdraw' OR (action = 'approve' AND to_status = 'approved')"))
        op.create_index('ix_agreement_events_in_force_at', 'agreement_events', ['created_at'],
                        postgresql_include=['agreement_id', 'id', 'version_id'], postgresql_where=in_force)
        op.create_index('ix_agreement_events_in_force_version', 'agreement_events', ['version_id'],
                        postgresql_include=['agreement_id', 'id', 'created_at'], postgresql_where=in_force)
        op.create_index('ix_agreement_versions_proposed', 'agreement_versions', ['submitted_at'],
                        postgresql_include=['id'], postgresql_where=sa.text("state = 'proposed'"))


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name, table in (('ix_agreement_versions_proposed', 'agreement_versions'),
                            ('ix_agreement_events_in_force_version', 'agreement_events'),
                            ('ix_agreement_events_in_force_at', 'agreement_events'),
                            ('ix_agreement_events_cycle_ends', 'agreement_events'),
                            ('ix_agreement_events_submissions', 'agreement_events')):
            op.drop_index(name, table_name=table)
    with op.batch_alter_table('signoff_chases', schema=None) as batch_op:
        batch_op.drop_index('uq_signoff_chases_once', sqlite_where=sa.text("kind <> 'nudge'"), postgresql_where=sa.text("kind <> 'nudge'"))
        batch_op.drop_index('ix_signoff_chases_version_authority')

    op.drop_table('signoff_chases')
