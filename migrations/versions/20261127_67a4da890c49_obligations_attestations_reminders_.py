"""obligations, attestations, reminders, calendar feeds, register withholding

Revision ID: 67a4da890c49
Revises: 8ba3993b5a10
Created: 2026-11-27 03:47:53.617263
"""

import sqlalchemy as sa
from alembic import op

import registry.core.db

revision = '67a4da890c49'
down_revision = '8ba3993b5a10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('revoked_at', registry.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['authority_id'], ['authorities.id'], name=op.f('fk_calendar_feeds_authority_id_authorities')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feeds_token_hash'))
    )
    with op.batch_alter_table('calendar_feeds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_feeds_user_id'), ['user_id'], unique=False)

    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('sent_at', registry.core.db.UTCDateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('next_attempt_at', registry.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_outbox_messages_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    sa.UniqueConstraint('key', name=op.f('uq_outbox_messages_key'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_user_id'), ['user_id'], unique=False)
        batch_op.create_index('ix_outbox_messages_unsent', ['id'], unique=False,
                              postgresql_where=sa.text('sent_at IS NULL'), sqlite_where=sa.text('sent_at IS NULL'))

    op.create_table('reminder_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reviews', sa.Boolean(), nullable=False),
    sa.Column('obligations', sa.Boolean(), nullable=False),
    sa.Column('overdue', sa.Boolean(), nullable=False),
    sa.Column('updated_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminder_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_reminder_preferences'))
    )
    op.create_table('obligations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('lineage', sa.String(length=32), nullable=False),
    sa.Column('owed_by_party_id', sa.Integer(), nullable=False),
    sa.Column('owed_to_party_id', sa.Integer(), nullable=True),
    sa.Column('type', sa.String(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('due_kind', sa.String(length=20), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('every_months', sa.Integer(), nullable=True),
    sa.Column('event', sa.String(length=200), nullable=False),
    sa.Column('within_hours', sa.Integer(), nullable=True),
    sa.CheckConstraint("due_kind <> 'date' OR due_date IS NOT NULL", name=op.f('ck_obligations_date_has_a_date')),
    sa.CheckConstraint("due_kind <> 'event' OR (event <> '' AND within_hours > 0)", name=op.f('ck_obligations_event_has_a_limit')),
    sa.CheckConstraint("due_kind <> 'recurring' OR (due_date IS NOT NULL AND every_months > 0)", name=op.f('ck_obligations_recurring_has_a_period')),
    sa.CheckConstraint("due_kind IN ('date', 'recurring', 'event')", name=op.f('ck_obligations_known_due_kind')),
    sa.CheckConstraint("type IN ('retention', 'breach_notification', 'security_standard', 'onward_sharing', 'subject_rights', 'data_quality', 'review_participation', 'other')", name=op.f('ck_obligations_known_type')),
    sa.CheckConstraint('owed_to_party_id IS NULL OR owed_to_party_id <> owed_by_party_id', name=op.f('ck_obligations_owed_to_another')),
    sa.ForeignKeyConstraint(['owed_by_party_id'], ['parties.id'], name=op.f('fk_obligations_owed_by_party_id_parties'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owed_to_party_id'], ['parties.id'], name=op.f('fk_obligations_owed_to_party_id_parties'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['agreement_versions.id'], name=op.f('fk_obligations_version_id_agreement_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_obligations'))
    )
    with op.batch_alter_table('obligations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_obligations_lineage'), ['lineage'], unique=False)
        batch_op.create_index(batch_op.f('ix_obligations_version_id'), ['version_id'], unique=False)

    op.create_table('attestations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('obligation_id', sa.Integer(), nullable=False),
    sa.Column('lineage', sa.String(length=32), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('evidence_reference', sa.String(length=200), nullable=False),
    sa.Column('attested_by_id', sa.Integer(), nullable=False),
    sa.Column('attested_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('audit_index', sa.BigInteger(), nullable=True),
    sa.CheckConstraint("status IN ('met', 'partly_met', 'not_met')", name=op.f('ck_attestations_known_status')),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_attestations_agreement_id_agreements')),
    sa.ForeignKeyConstraint(['attested_by_id'], ['users.id'], name=op.f('fk_attestations_attested_by_id_users')),
    sa.ForeignKeyConstraint(['authority_id'], ['authorities.id'], name=op.f('fk_attestations_authority_id_authorities')),
    sa.ForeignKeyConstraint(['obligation_id'], ['obligations.id'], name=op.f('fk_attestations_obligation_id_obligations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attestations'))
    )
    with op.batch_alter_table('attestations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attestations_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attestations_authority_id'), ['authority_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attestations_lineage'), ['lineage'], unique=False)
        batch_op.create_index(batch_op.f('ix_attestations_obligation_id'), ['obligation_id'], unique=False)
        batch_op.create_index('uq_attestations_lineage_due_on', ['lineage', 'due_on'], unique=True,
                              postgresql_where=sa.text('due_on IS NOT NULL'), sqlite_where=sa.text('due_on IS NOT NULL'))

    with op.batch_alter_table('agreement_versions', schema=None) as batch_op:
        # Existing versions were all published in the register: the defaults say so.
        batch_op.add_column(sa.Column('withhold_from_register', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('withholding_reason', sa.Text(), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('agreement_versions', schema=None) as batch_op:
        batch_op.drop_column('withholding_reason')
        batch_op.drop_column('withhold_from_register')

    with op.batch_alter_table('attestations', schema=None) as batch_op:
        batch_op.drop_index('uq_attestations_lineage_due_on')
        batch_op.drop_index(batch_op.f('ix_attestations_obligation_id'))
        batch_op.drop_index(batch_op.f('ix_attestations_lineage'))
        batch_op.drop_index(batch_op.f('ix_attestations_authority_id'))
        batch_op.drop_index(batch_op.f('ix_attestations_agreement_id'))

    op.drop_table('attestations')
    with op.batch_alter_table('obligations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_obligations_version_id'))
        batch_op.drop_index(batch_op.f('ix_obligations_lineage'))

    op.drop_table('obligations')
    op.drop_table('reminder_preferences')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_unsent')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_user_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_messages_created_at'))

    op.drop_table('outbox_messages')
    with op.batch_alter_table('calendar_feeds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_feeds_user_id'))

    op.drop_table('calendar_feeds')
