"""outbox mailings: one email to many, its text once, made into messages by the sender

Revision ID: 9fb59eb62e70
Revises: 305326162a1a
Created: 2026-12-04 18:25:30.687513
"""

import sqlalchemy as sa
from alembic import op

import registry.core.db

revision = '9fb59eb62e70'
down_revision = '305326162a1a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox_mailings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=True),
    sa.Column('thread', sa.String(length=200), nullable=True),
    sa.Column('unsubscribe_url', sa.String(length=2000), nullable=True),
    sa.Column('recipients', sa.JSON(), nullable=False),
    sa.Column('created_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('expanded_at', registry.core.db.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_mailings'))
    )
    with op.batch_alter_table('outbox_mailings', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_mailings_unexpanded', ['id'], unique=False, sqlite_where=sa.text('expanded_at IS NULL'), postgresql_where=sa.text('expanded_at IS NULL'))

    if op.get_bind().dialect.name == 'postgresql':
        # A mailing wakes the mail worker as a message does (the function is the outbox's, 97d50e8e7aff).
        op.execute("""
            CREATE TRIGGER outbox_mailings_notify AFTER INSERT ON outbox_mailings
            FOR EACH STATEMENT EXECUTE FUNCTION outbox_messages_notify()
        """)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER outbox_mailings_notify ON outbox_mailings")
    with op.batch_alter_table('outbox_mailings', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_mailings_unexpanded', sqlite_where=sa.text('expanded_at IS NULL'), postgresql_where=sa.text('expanded_at IS NULL'))

    op.drop_table('outbox_mailings')
