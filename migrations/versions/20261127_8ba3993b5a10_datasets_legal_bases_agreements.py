"""datasets, legal bases, agreements

Revision ID: 8ba3993b5a10
Revises: fbd5009e2525
Created: 2026-11-27 02:09:21.290148
"""

import sqlalchemy as sa
from alembic import op

import registry.core.db

revision = '8ba3993b5a10'
down_revision = 'fbd5009e2525'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('legal_bases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('citation', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=300), nullable=False),
    sa.Column('commenced', sa.Date(), nullable=True),
    sa.Column('part', sa.Integer(), nullable=True),
    sa.Column('paragraph', sa.Integer(), nullable=True),
    sa.Column('needs_schedule1', sa.Boolean(), nullable=False),
    sa.Column('special_category', sa.Boolean(), nullable=False),
    sa.Column('criminal_offence', sa.Boolean(), nullable=False),
    sa.Column('mandatory', sa.Boolean(), nullable=True),
    sa.Column('public_authority_may_rely', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint("kind <> 'gateway' OR mandatory IS NOT NULL", name=op.f('ck_legal_bases_gateway_says_if_mandatory')),
    sa.CheckConstraint("kind <> 'schedule1' OR (part IS NOT NULL AND paragraph IS NOT NULL)", name=op.f('ck_legal_bases_schedule1_cited')),
    sa.CheckConstraint("kind IN ('article6', 'article9', 'article10', 'schedule1', 'gateway')", name=op.f('ck_legal_bases_known_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_bases')),
    sa.UniqueConstraint('code', name=op.f('uq_legal_bases_code'))
    )
    with op.batch_alter_table('legal_bases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legal_bases_kind'), ['kind'], unique=False)

    # agreements and agreement_versions refer to each other. SQLite accepts a foreign key to
    # a table not yet created; PostgreSQL gets those two keys once both tables exist.
    on_postgresql = op.get_bind().dialect.name == "postgresql"
    version_links = [] if on_postgresql else [
        sa.ForeignKeyConstraint(['current_version_id'], ['agreement_versions.id'], name='fk_agreements_current_version_id_agreement_versions'),
        sa.ForeignKeyConstraint(['latest_version_id'], ['agreement_versions.id'], name='fk_agreements_latest_version_id_agreement_versions'),
    ]
    op.create_table('agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('lead_authority_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('current_version_id', sa.Integer(), nullable=True),
    sa.Column('latest_version_id', sa.Integer(), nullable=True),
    sa.Column('shown_version_id', sa.Integer(), sa.Computed('coalesce(current_version_id, latest_version_id)', persisted=True), nullable=True),
    sa.Column('review_due', sa.Date(), nullable=True),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.Column('suspended_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'proposed', 'approved', 'active', 'under_review', 'suspended', 'terminated', 'expired', 'withdrawn')", name=op.f('ck_agreements_known_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_agreements_created_by_id_users')),
    sa.ForeignKeyConstraint(['lead_authority_id'], ['authorities.id'], name=op.f('fk_agreements_lead_authority_id_authorities')),
    sa.ForeignKeyConstraint(['suspended_by_id'], ['users.id'], name=op.f('fk_agreements_suspended_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreements')),
    sa.UniqueConstraint('reference', name=op.f('uq_agreements_reference')),
    *version_links
    )
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreements_lead_authority_id'), ['lead_authority_id'], unique=False)
        batch_op.create_index('ix_agreements_review_due_id', ['review_due', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreements_shown_version_id'), ['shown_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreements_status'), ['status'], unique=False)
        batch_op.create_index('ix_agreements_updated_at_id', ['updated_at', 'id'], unique=False)

    op.create_table('datasets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('data_subjects', sa.String(length=500), nullable=False),
    sa.Column('security_classification', sa.String(length=30), nullable=False),
    sa.Column('system_of_record', sa.String(length=200), nullable=False),
    sa.Column('owner_contact', sa.String(length=200), nullable=False),
    sa.Column('created_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint("security_classification IN ('OFFICIAL', 'OFFICIAL-SENSITIVE')", name=op.f('ck_datasets_known_classification')),
    sa.ForeignKeyConstraint(['authority_id'], ['authorities.id'], name=op.f('fk_datasets_authority_id_authorities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_datasets')),
    sa.UniqueConstraint('authority_id', 'name', name=op.f('uq_datasets_authority_id_name'))
    )
    with op.batch_alter_table('datasets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_datasets_authority_id'), ['authority_id'], unique=False)

    op.create_table('agreement_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('based_on_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('agreement_type', sa.String(length=30), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('functions_served', sa.Text(), nullable=False),
    sa.Column('benefits', sa.Text(), nullable=False),
    sa.Column('necessity', sa.Text(), nullable=False),
    sa.Column('retention', sa.Text(), nullable=False),
    sa.Column('security_measures', sa.Text(), nullable=False),
    sa.Column('rights_handling', sa.Text(), nullable=False),
    sa.Column('breach_notification_hours', sa.Integer(), nullable=True),
    sa.Column('onward_sharing_allowed', sa.Boolean(), nullable=True),
    sa.Column('onward_sharing_conditions', sa.Text(), nullable=False),
    sa.Column('commercial_use_allowed', sa.Boolean(), nullable=True),
    sa.Column('international_transfers', sa.Boolean(), nullable=True),
    sa.Column('international_transfer_details', sa.Text(), nullable=False),
    sa.Column('termination_arrangements', sa.Text(), nullable=False),
    sa.Column('dpia_status', sa.String(length=20), nullable=True),
    sa.Column('dpia_reference', sa.String(length=100), nullable=False),
    sa.Column('dpia_date', sa.Date(), nullable=True),
    sa.Column('dpo_consulted', sa.Boolean(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('review_date', sa.Date(), nullable=True),
    sa.Column('review_interval_months', sa.Integer(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', registry.core.db.UTCDateTime(), nullable=True),
    sa.CheckConstraint("agreement_type IN ('information_sharing', 'disclosure', 'joint_controller')", name=op.f('ck_agreement_versions_known_type')),
    sa.CheckConstraint("state = 'draft' OR (number IS NOT NULL AND content_hash IS NOT NULL)", name=op.f('ck_agreement_versions_frozen_when_submitted')),
    sa.CheckConstraint("state IN ('draft', 'proposed', 'changes_requested', 'approved', 'current', 'superseded', 'withdrawn')", name=op.f('ck_agreement_versions_known_state')),
    sa.CheckConstraint('breach_notification_hours IS NULL OR breach_notification_hours > 0', name=op.f('ck_agreement_versions_breach_hours_positive')),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_agreement_versions_agreement_id_agreements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['based_on_id'], ['agreement_versions.id'], name=op.f('fk_agreement_versions_based_on_id_agreement_versions')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_agreement_versions_created_by_id_users')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_agreement_versions_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_versions')),
    sa.UniqueConstraint('agreement_id', 'number', name=op.f('uq_agreement_versions_agreement_id_number'))
    )
    with op.batch_alter_table('agreement_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_versions_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index('uq_agreement_versions_one_current', ['agreement_id'], unique=True, sqlite_where=sa.text("state = 'current'"), postgresql_where=sa.text("state = 'current'"))
        if on_postgresql:
            # The agreements search, word by word (see registry/agreements/queries.py).
            batch_op.create_index('ix_agreement_versions_search', [sa.text("to_tsvector('english', title || ' ' || purpose)")], postgresql_using='gin')
        batch_op.create_index('uq_agreement_versions_one_pending', ['agreement_id'], unique=True, sqlite_where=sa.text("state IN ('draft', 'proposed')"), postgresql_where=sa.text("state IN ('draft', 'proposed')"))
    if on_postgresql:
        op.create_foreign_key('fk_agreements_current_version_id_agreement_versions', 'agreements', 'agreement_versions', ['current_version_id'], ['id'])
        op.create_foreign_key('fk_agreements_latest_version_id_agreement_versions', 'agreements', 'agreement_versions', ['latest_version_id'], ['id'])

    op.create_table('data_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dataset_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('personal', sa.Boolean(), nullable=False),
    sa.Column('special_category', sa.Boolean(), nullable=False),
    sa.Column('criminal_offence', sa.Boolean(), nullable=False),
    sa.CheckConstraint('personal OR NOT (special_category OR criminal_offence)', name=op.f('ck_data_items_categories_are_personal')),
    sa.ForeignKeyConstraint(['dataset_id'], ['datasets.id'], name=op.f('fk_data_items_dataset_id_datasets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_items')),
    sa.UniqueConstraint('dataset_id', 'name', name=op.f('uq_data_items_dataset_id_name'))
    )
    with op.batch_alter_table('data_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_items_dataset_id'), ['dataset_id'], unique=False)

    op.create_table('agreement_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('authority_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('audit_index', sa.BigInteger(), nullable=True),
    sa.Column('created_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint("action IN ('submit', 'approve', 'request_changes', 'withdraw', 'start', 'start_review', 'complete_review', 'amend', 'suspend', 'resume', 'terminate', 'expire', 'create', 'edit')", name=op.f('ck_agreement_events_known_action')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_agreement_events_actor_id_users')),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_agreement_events_agreement_id_agreements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['authority_id'], ['authorities.id'], name=op.f('fk_agreement_events_authority_id_authorities')),
    sa.ForeignKeyConstraint(['version_id'], ['agreement_versions.id'], name=op.f('fk_agreement_events_version_id_agreement_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_events'))
    )
    with op.batch_alter_table('agreement_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_events_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('approver_id', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('approved_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['approver_id'], ['users.id'], name=op.f('fk_approvals_approver_id_users')),
    sa.ForeignKeyConstraint(['authority_id'], ['authorities.id'], name=op.f('fk_approvals_authority_id_authorities')),
    sa.ForeignKeyConstraint(['version_id'], ['agreement_versions.id'], name=op.f('fk_approvals_version_id_agreement_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approvals')),
    sa.UniqueConstraint('version_id', 'authority_id', name=op.f('uq_approvals_version_id_authority_id'))
    )
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approvals_version_id'), ['version_id'], unique=False)

    op.create_table('parties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('sharing_role', sa.String(length=20), nullable=False),
    sa.Column('controller_role', sa.String(length=20), nullable=False),
    sa.CheckConstraint("controller_role IN ('controller', 'joint_controller', 'processor')", name=op.f('ck_parties_known_controller_role')),
    sa.CheckConstraint("sharing_role IN ('provider', 'recipient', 'both')", name=op.f('ck_parties_known_sharing_role')),
    sa.ForeignKeyConstraint(['authority_id'], ['authorities.id'], name=op.f('fk_parties_authority_id_authorities')),
    sa.ForeignKeyConstraint(['version_id'], ['agreement_versions.id'], name=op.f('fk_parties_version_id_agreement_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parties')),
    sa.UniqueConstraint('version_id', 'authority_id', name=op.f('uq_parties_version_id_authority_id'))
    )
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parties_authority_id'), ['authority_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_parties_version_id'), ['version_id'], unique=False)

    op.create_table('flows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('from_party_id', sa.Integer(), nullable=False),
    sa.Column('to_party_id', sa.Integer(), nullable=False),
    sa.Column('dataset_id', sa.Integer(), nullable=False),
    sa.Column('frequency', sa.String(length=20), nullable=False),
    sa.Column('method', sa.String(length=200), nullable=False),
    sa.Column('volume', sa.String(length=200), nullable=False),
    sa.CheckConstraint("frequency IN ('one_off', 'periodic', 'on_request', 'continuous')", name=op.f('ck_flows_known_frequency')),
    sa.CheckConstraint('from_party_id <> to_party_id', name=op.f('ck_flows_between_two_parties')),
    sa.ForeignKeyConstraint(['dataset_id'], ['datasets.id'], name=op.f('fk_flows_dataset_id_datasets')),
    sa.ForeignKeyConstraint(['from_party_id'], ['parties.id'], name=op.f('fk_flows_from_party_id_parties'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_party_id'], ['parties.id'], name=op.f('fk_flows_to_party_id_parties'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['agreement_versions.id'], name=op.f('fk_flows_version_id_agreement_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flows'))
    )
    with op.batch_alter_table('flows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flows_dataset_id'), ['dataset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_flows_version_id'), ['version_id'], unique=False)

    op.create_table('party_legal_bases',
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('legal_basis_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['legal_basis_id'], ['legal_bases.id'], name=op.f('fk_party_legal_bases_legal_basis_id_legal_bases')),
    sa.ForeignKeyConstraint(['party_id'], ['parties.id'], name=op.f('fk_party_legal_bases_party_id_parties'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('party_id', 'legal_basis_id', name=op.f('pk_party_legal_bases'))
    )
    with op.batch_alter_table('party_legal_bases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_legal_bases_legal_basis_id'), ['legal_basis_id'], unique=False)

    op.create_table('flow_data_items',
    sa.Column('flow_id', sa.Integer(), nullable=False),
    sa.Column('data_item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['data_item_id'], ['data_items.id'], name=op.f('fk_flow_data_items_data_item_id_data_items')),
    sa.ForeignKeyConstraint(['flow_id'], ['flows.id'], name=op.f('fk_flow_data_items_flow_id_flows'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('flow_id', 'data_item_id', name=op.f('pk_flow_data_items'))
    )
    with op.batch_alter_table('flow_data_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flow_data_items_data_item_id'), ['data_item_id'], unique=False)



def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint('fk_agreements_current_version_id_agreement_versions', 'agreements', type_='foreignkey')
        op.drop_constraint('fk_agreements_latest_version_id_agreement_versions', 'agreements', type_='foreignkey')
    with op.batch_alter_table('flow_data_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flow_data_items_data_item_id'))

    op.drop_table('flow_data_items')
    with op.batch_alter_table('party_legal_bases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_legal_bases_legal_basis_id'))

    op.drop_table('party_legal_bases')
    with op.batch_alter_table('flows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flows_version_id'))
        batch_op.drop_index(batch_op.f('ix_flows_dataset_id'))

    op.drop_table('flows')
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parties_version_id'))
        batch_op.drop_index(batch_op.f('ix_parties_authority_id'))

    op.drop_table('parties')
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approvals_version_id'))

    op.drop_table('approvals')
    with op.batch_alter_table('agreement_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_events_agreement_id'))

    op.drop_table('agreement_events')
    with op.batch_alter_table('data_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_items_dataset_id'))

    op.drop_table('data_items')
    with op.batch_alter_table('agreement_versions', schema=None) as batch_op:
        batch_op.drop_index('uq_agreement_versions_one_pending', sqlite_where=sa.text("state IN ('draft', 'proposed')"), postgresql_where=sa.text("state IN ('draft', 'proposed')"))
        batch_op.drop_index('uq_agreement_versions_one_current', sqlite_where=sa.text("state = 'current'"), postgresql_where=sa.text("state = 'current'"))
        batch_op.drop_index(batch_op.f('ix_agreement_versions_agreement_id'))

    op.drop_table('agreement_versions')
    with op.batch_alter_table('datasets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_datasets_authority_id'))

    op.drop_table('datasets')
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_index('ix_agreements_updated_at_id')
        batch_op.drop_index(batch_op.f('ix_agreements_status'))
        batch_op.drop_index(batch_op.f('ix_agreements_shown_version_id'))
        batch_op.drop_index('ix_agreements_review_due_id')
        batch_op.drop_index(batch_op.f('ix_agreements_lead_authority_id'))

    op.drop_table('agreements')
    with op.batch_alter_table('legal_bases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legal_bases_kind'))

    op.drop_table('legal_bases')
