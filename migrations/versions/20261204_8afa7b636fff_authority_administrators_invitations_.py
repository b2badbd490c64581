"""authority administrators, invitations, password resets, outbox messages that hold a secret

Revision ID: 8afa7b636fff
Revises: 3c52d66acd7f
Created: 2026-12-04 19:02:13.988194
"""

import sqlalchemy as sa
from alembic import op

import registry.core.db

revision = '8afa7b636fff'
down_revision = '3c52d66acd7f'
branch_labels = None
depends_on = None


def upgrade():
    # Counts of reset requests per email hash and client address, for throttling.
    op.create_table('password_reset_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email_hash', sa.String(length=64), nullable=False),
    sa.Column('client_address', sa.String(length=45), nullable=False),
    sa.Column('requested_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset_requests'))
    )
    with op.batch_alter_table('password_reset_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_reset_requests_client_address'), ['client_address'], unique=False)
        batch_op.create_index(batch_op.f('ix_password_reset_requests_email_hash'), ['email_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_password_reset_requests_requested_at'), ['requested_at'], unique=False)

    # Administrators for an authority: a grant of its own, apart from the roles in memberships.
    op.create_table('authority_administrators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('created_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authorities.id'], name=op.f('fk_authority_administrators_authority_id_authorities')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_authority_administrators_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_authority_administrators')),
    sa.UniqueConstraint('user_id', 'authority_id', name=op.f('uq_authority_administrators_user_id_authority_id'))
    )
    with op.batch_alter_table('authority_administrators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_authority_administrators_authority_id'), ['authority_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_authority_administrators_user_id'), ['user_id'], unique=False)

    # Invitations, known by their link's token's hash; one open invitation per address and authority.
    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('administrator', sa.Boolean(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('sent_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('times_sent', sa.Integer(), nullable=False),
    sa.Column('expires_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('accepted_at', registry.core.db.UTCDateTime(), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', registry.core.db.UTCDateTime(), nullable=True),
    sa.CheckConstraint("role IN ('viewer', 'contributor', 'approver')", name=op.f('ck_invitations_known_role')),
    sa.CheckConstraint('accepted_at IS NULL OR cancelled_at IS NULL', name=op.f('ck_invitations_accepted_or_cancelled')),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_invitations_accepted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['authority_id'], ['authorities.id'], name=op.f('fk_invitations_authority_id_authorities')),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitations_token_hash'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_authority_id'), ['authority_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_invited_by_id'), ['invited_by_id'], unique=False)
        batch_op.create_index('uq_invitations_open_email_authority', ['email', 'authority_id'], unique=True, sqlite_where=sa.text('accepted_at IS NULL AND cancelled_at IS NULL'), postgresql_where=sa.text('accepted_at IS NULL AND cancelled_at IS NULL'))

    # Password reset links, known by their token's hash.
    op.create_table('password_resets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('expires_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('used_at', registry.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_password_resets_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_resets')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_resets_token_hash'))
    )
    with op.batch_alter_table('password_resets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_resets_user_id'), ['user_id'], unique=False)

    # Messages whose text holds a secret link: hidden on the outbox pages, wiped once delivered.
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('holds_secret', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('holds_secret')

    with op.batch_alter_table('password_resets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_resets_user_id'))

    op.drop_table('password_resets')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index('uq_invitations_open_email_authority', sqlite_where=sa.text('accepted_at IS NULL AND cancelled_at IS NULL'), postgresql_where=sa.text('accepted_at IS NULL AND cancelled_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_invitations_invited_by_id'))
        batch_op.drop_index(batch_op.f('ix_invitations_email'))
        batch_op.drop_index(batch_op.f('ix_invitations_authority_id'))

    op.drop_table('invitations')
    with op.batch_alter_table('authority_administrators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_authority_administrators_user_id'))
        batch_op.drop_index(batch_op.f('ix_authority_administrators_authority_id'))

    op.drop_table('authority_administrators')
    with op.batch_alter_table('password_reset_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_reset_requests_requested_at'))
        batch_op.drop_index(batch_op.f('ix_password_reset_requests_email_hash'))
        batch_op.drop_index(batch_op.f('ix_password_reset_requests_client_address'))

    op.drop_table('password_reset_requests')
