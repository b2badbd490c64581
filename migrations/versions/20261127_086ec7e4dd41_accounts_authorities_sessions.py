"""accounts, authorities, sessions

Revision ID: 086ec7e4dd41
Revises: (none: the first migration)
Created: 2026-11-27 01:17:33.978697
"""

import sqlalchemy as sa
from alembic import op

import registry.core.db

revision = '086ec7e4dd41'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('authorities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('short_name', sa.String(length=200), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('gss_code', sa.String(length=9), nullable=True),
    sa.Column('ods_code', sa.String(length=10), nullable=True),
    sa.Column('nation', sa.String(length=40), nullable=True),
    sa.Column('region', sa.String(length=60), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('created_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint("type IN ('CTY', 'NMD', 'MD', 'UA', 'LBO', 'CC', 'SRA', 'COMB', 'SCO', 'WPA', 'NID', 'NHS_TRUST', 'NHS_ICB', 'POLICE', 'FIRE', 'SCHOOL', 'CHARITY', 'OTHER')", name=op.f('ck_authorities_known_type')),
    sa.CheckConstraint('end_date IS NULL OR start_date IS NULL OR start_date <= end_date', name=op.f('ck_authorities_dates_in_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_authorities')),
    sa.UniqueConstraint('code', name=op.f('uq_authorities_code')),
    sa.UniqueConstraint('ods_code', name=op.f('uq_authorities_ods_code'))
    )
    with op.batch_alter_table('authorities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_authorities_gss_code'), ['gss_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_authorities_type'), ['type'], unique=False)

    op.create_table('sign_in_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email_hash', sa.String(length=64), nullable=False),
    sa.Column('client_address', sa.String(length=45), nullable=False),
    sa.Column('failed_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_failures'))
    )
    with op.batch_alter_table('sign_in_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_failures_client_address'), ['client_address'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_failures_email_hash'), ['email_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_failures_failed_at'), ['failed_at'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('system_role', sa.String(length=20), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('deactivated_at', registry.core.db.UTCDateTime(), nullable=True),
    sa.CheckConstraint("system_role IN ('auditor', 'admin')", name=op.f('ck_users_known_system_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('created_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('last_used_at', registry.core.db.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', registry.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('authority_successors',
    sa.Column('predecessor_id', sa.Integer(), nullable=False),
    sa.Column('successor_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('predecessor_id <> successor_id', name=op.f('ck_authority_successors_not_own_successor')),
    sa.ForeignKeyConstraint(['predecessor_id'], ['authorities.id'], name=op.f('fk_authority_successors_predecessor_id_authorities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['successor_id'], ['authorities.id'], name=op.f('fk_authority_successors_successor_id_authorities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('predecessor_id', 'successor_id', name=op.f('pk_authority_successors'))
    )
    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('created_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint("role IN ('viewer', 'contributor', 'approver')", name=op.f('ck_memberships_known_role')),
    sa.ForeignKeyConstraint(['authority_id'], ['authorities.id'], name=op.f('fk_memberships_authority_id_authorities')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_memberships_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
    sa.UniqueConstraint('user_id', 'authority_id', name=op.f('uq_memberships_user_id_authority_id'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_authority_id'), ['authority_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_memberships_user_id'), ['user_id'], unique=False)

    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('last_seen_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('ended_at', registry.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_sessions_token_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))

    op.drop_table('user_sessions')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_user_id'))
        batch_op.drop_index(batch_op.f('ix_memberships_authority_id'))

    op.drop_table('memberships')
    op.drop_table('authority_successors')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    op.drop_table('users')
    with op.batch_alter_table('sign_in_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_failures_failed_at'))
        batch_op.drop_index(batch_op.f('ix_sign_in_failures_email_hash'))
        batch_op.drop_index(batch_op.f('ix_sign_in_failures_client_address'))

    op.drop_table('sign_in_failures')
    with op.batch_alter_table('authorities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_authorities_type'))
        batch_op.drop_index(batch_op.f('ix_authorities_gss_code'))

    op.drop_table('authorities')
