"""single sign-on: identities, sign-in attempts waiting for their provider, authorities with password sign-in off

Revision ID: 5d0c1e7a9b21
Revises: 8afa7b636fff
Created: 2026-12-05 06:50:00.000000
"""

import sqlalchemy as sa
from alembic import op

import registry.core.db

revision = '5d0c1e7a9b21'
down_revision = '8afa7b636fff'
branch_labels = None
depends_on = None


def upgrade():
    # A person's account at an identity provider: (issuer, tenant, oid) or (issuer, "", sub).
    op.create_table('identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=40), nullable=False),
    sa.Column('issuer', sa.String(length=300), nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('created_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('last_signed_in_at', registry.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_identities_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identities')),
    sa.UniqueConstraint('issuer', 'tenant_id', 'subject', name=op.f('uq_identities_issuer_tenant_id_subject'))
    )
    with op.batch_alter_table('identities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identities_user_id'), ['user_id'], unique=False)

    # Sign-ins sent to a provider, known by their state's hash, each finished at most once.
    op.create_table('sign_in_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('state_hash', sa.String(length=64), nullable=False),
    sa.Column('provider', sa.String(length=40), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('code_verifier', sa.String(length=128), nullable=False),
    sa.Column('next_path', sa.String(length=500), nullable=False),
    sa.Column('link_user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('finished_at', registry.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['link_user_id'], ['users.id'], name=op.f('fk_sign_in_attempts_link_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_attempts')),
    sa.UniqueConstraint('state_hash', name=op.f('uq_sign_in_attempts_state_hash'))
    )
    with op.batch_alter_table('sign_in_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_attempts_created_at'), ['created_at'], unique=False)

    # A row per authority whose people may no longer sign in with a password.
    op.create_table('password_sign_in_off',
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('turned_off_by_id', sa.Integer(), nullable=True),
    sa.Column('turned_off_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authorities.id'], name=op.f('fk_password_sign_in_off_authority_id_authorities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['turned_off_by_id'], ['users.id'], name=op.f('fk_password_sign_in_off_turned_off_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('authority_id', name=op.f('pk_password_sign_in_off'))
    )


def downgrade():
    op.drop_table('password_sign_in_off')
    with op.batch_alter_table('sign_in_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_attempts_created_at'))
    op.drop_table('sign_in_attempts')
    with op.batch_alter_table('identities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identities_user_id'))
    op.drop_table('identities')
