"""outbox messages that cannot be sent are given up on, with why

Revision ID: 3c1f0a9e7d21
Revises: 67a4da890c49
Created: 2026-12-03 08:40:00
"""

import sqlalchemy as sa
from alembic import op

import registry.core.db

revision = '3c1f0a9e7d21'
down_revision = '67a4da890c49'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('given_up_at', registry.core.db.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('given_up_at')
