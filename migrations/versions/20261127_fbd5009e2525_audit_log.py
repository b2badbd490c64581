"""audit log

Revision ID: fbd5009e2525
Revises: 086ec7e4dd41
Created: 2026-11-27 01:29:34.954368
"""

import sqlalchemy as sa
from alembic import op

import registry.core.db

# Tables that only ever grow: a bug, or anyone without database superuser rights, cannot
# rewrite history. (A superuser can drop the triggers; verification catches what they do.)
APPEND_ONLY = ("audit_entries", "audit_entry_authorities", "audit_hashes", "audit_keys")

revision = 'fbd5009e2525'
down_revision = '086ec7e4dd41'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_entries',
    sa.Column('index', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('entry', sa.LargeBinary(), nullable=False),
    sa.Column('key_id', sa.String(length=8), nullable=False),
    sa.Column('signature', sa.LargeBinary(), nullable=False),
    sa.Column('checkpoint', sa.Text(), nullable=False),
    sa.Column('time', registry.core.db.UTCDateTime(), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_ref', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('index', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entries_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_actor_user_id'), ['actor_user_id'], unique=False)
        batch_op.create_index('ix_audit_entries_object', ['object_type', 'object_ref'], unique=False)
        batch_op.create_index('ix_audit_entries_time', ['time'], unique=False, postgresql_using='brin')

    op.create_table('audit_hashes',
    sa.Column('index', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('hash', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('index', name=op.f('pk_audit_hashes'))
    )
    op.create_table('audit_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=10), nullable=False),
    sa.Column('key_id', sa.String(length=8), nullable=False),
    sa.Column('verifier_key', sa.Text(), nullable=False),
    sa.Column('published_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint("purpose IN ('log', 'entry')", name=op.f('ck_audit_keys_known_purpose')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_keys')),
    sa.UniqueConstraint('verifier_key', name=op.f('uq_audit_keys_verifier_key'))
    )
    head = op.create_table('audit_log_head',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('frontier', sa.LargeBinary(), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_audit_log_head_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log_head'))
    )
    op.create_table('audit_entry_authorities',
    sa.Column('entry_index', sa.BigInteger(), nullable=False),
    sa.Column('authority_code', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['entry_index'], ['audit_entries.index'], name=op.f('fk_audit_entry_authorities_entry_index_audit_entries')),
    sa.PrimaryKeyConstraint('entry_index', 'authority_code', name=op.f('pk_audit_entry_authorities'))
    )
    with op.batch_alter_table('audit_entry_authorities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_authorities_authority_code'), ['authority_code'], unique=False)

    # The empty log: size 0, no subtrees.
    op.bulk_insert(head, [{"id": 1, "size": 0, "frontier": b""}])
    _create_append_only_triggers()


def _create_append_only_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
                    USING ERRCODE = 'insufficient_privilege';
            END $$
            """
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()"
            )
    else:
        for table in APPEND_ONLY:
            for operation in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: {operation} on {table} refused'); END"
                )


def _drop_append_only_triggers():
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION audit_refuse_change()")
    else:
        for table in APPEND_ONLY:
            for operation in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_no_{operation}")


def downgrade():
    _drop_append_only_triggers()
    with op.batch_alter_table('audit_entry_authorities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_authorities_authority_code'))

    op.drop_table('audit_entry_authorities')
    op.drop_table('audit_log_head')
    op.drop_table('audit_keys')
    op.drop_table('audit_hashes')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_time')
        batch_op.drop_index('ix_audit_entries_object')
        batch_op.drop_index(batch_op.f('ix_audit_entries_actor_user_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_action'))

    op.drop_table('audit_entries')
