"""notifications: an inbox per person and how each hears of each kind

Revision ID: c027fbcb1656
Revises: 97d50e8e7aff
Created: 2026-12-04 16:48:37.322774
"""

import sqlalchemy as sa
from alembic import op

import registry.core.db

# The kinds of notification when this was written (registry/notifications/kinds.py).
KINDS = "kind IN ('proposals', 'approvals', 'in_force', 'changes_requested', 'endings', 'reviews', 'attestations', 'waiting_too_long', 'review_reminders', 'obligation_reminders', 'overdue_reminders')"

revision = 'c027fbcb1656'
down_revision = '97d50e8e7aff'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('delivery', sa.String(length=10), nullable=False),
    sa.Column('updated_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint("delivery IN ('email', 'digest', 'inbox', 'off')", name=op.f('ck_notification_preferences_known_delivery')),
    sa.CheckConstraint(KINDS, name=op.f('ck_notification_preferences_known_kind')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_notification_preferences'))
    )
    op.create_table('notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('agreement_reference', sa.String(length=40), nullable=True),
    sa.Column('created_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint(KINDS, name=op.f('ck_notices_known_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices')),
    sa.UniqueConstraint('key', name=op.f('uq_notices_key'))
    )
    op.create_table('notifications',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('read_at', registry.core.db.UTCDateTime(), nullable=True),
    sa.Column('digest_waiting', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['notice_id'], ['notices.id'], name=op.f('fk_notifications_notice_id_notices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'notice_id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_digest_waiting', ['user_id'], unique=False, postgresql_where=sa.text('digest_waiting'), sqlite_where=sa.text('digest_waiting'))
        batch_op.create_index('ix_notifications_unread', ['user_id'], unique=False, postgresql_where=sa.text('read_at IS NULL'), sqlite_where=sa.text('read_at IS NULL'))


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_unread', postgresql_where=sa.text('read_at IS NULL'), sqlite_where=sa.text('read_at IS NULL'))
        batch_op.drop_index('ix_notifications_digest_waiting', postgresql_where=sa.text('digest_waiting'), sqlite_where=sa.text('digest_waiting'))

    op.drop_table('notifications')
    op.drop_table('notices')
    op.drop_table('notification_preferences')
