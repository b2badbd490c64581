"""outbox messages: an HTML body, a thread, an unsubscribe link, and how each was delivered; workers are told of new ones

Revision ID: 97d50e8e7aff
Revises: 5b7e2d4c9a10
Created: 2026-12-04 16:46:28.287366

On PostgreSQL, a statement-level trigger calls pg_notify('outbox_messages') after each
INSERT into the outbox, so that `flask mail worker` (LISTEN outbox_messages) wakes when the
inserting transaction commits. Once per statement, not per row: enqueue_many() writing 150
messages notifies once, and PostgreSQL folds the notifications of one transaction into one.
SQLite has no such thing; its worker polls.
"""

import sqlalchemy as sa
from alembic import op

revision = '97d50e8e7aff'
down_revision = '5b7e2d4c9a10'
branch_labels = None
depends_on = None

CHANNEL = 'outbox_messages'


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('html_body', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('thread', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('unsubscribe_url', sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column('sent_via', sa.String(length=20), nullable=True))
        batch_op.create_check_constraint('sent_via', "sent_via IN ('smtp', 'notify', 'mailbox')")
    # Everything sent before this revision went over SMTP: the only way there was.
    op.execute("UPDATE outbox_messages SET sent_via = 'smtp' WHERE sent_at IS NOT NULL")

    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"""
            CREATE FUNCTION outbox_messages_notify() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('{CHANNEL}', '');
                RETURN NULL;
            END
            $$
        """)
        op.execute("""
            CREATE TRIGGER outbox_messages_notify AFTER INSERT ON outbox_messages
            FOR EACH STATEMENT EXECUTE FUNCTION outbox_messages_notify()
        """)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER outbox_messages_notify ON outbox_messages")
        op.execute("DROP FUNCTION outbox_messages_notify()")
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint('sent_via', type_='check')
        batch_op.drop_column('sent_via')
        batch_op.drop_column('unsubscribe_url')
        batch_op.drop_column('thread')
        batch_op.drop_column('html_body')
