"""reminder choices are notification choices: reminder_preferences moved into notification_preferences

Each reminder a person turned off becomes that reminder kind chosen "off" (reviews →
review_reminders, obligations → obligation_reminders, overdue → overdue_reminders); one left
on needs no row, as on is the default. Where the person already chose that kind on the
notifications page, their choice there stays: it is what that page, the one kept, shows them.

Downgrading puts back a reminder_preferences row for each person with a reminder kind
chosen "off"; any other choice (email, digest, inbox) was on. The notification choices stay,
as they were valid before this revision too.

Revision ID: db68c954f94c
Revises: 9fb59eb62e70
Created: 2026-12-04 18:58:58.742981
"""

import sqlalchemy as sa
from alembic import op

import registry.core.db

revision = 'db68c954f94c'
down_revision = '9fb59eb62e70'
branch_labels = None
depends_on = None

# Each of reminder_preferences' columns, and the kind of notification it became.
MOVES = (("reviews", "review_reminders"), ("obligations", "obligation_reminders"), ("overdue", "overdue_reminders"))

reminder_preferences = sa.table(
    "reminder_preferences",
    sa.column("user_id", sa.Integer()),
    *(sa.column(column, sa.Boolean()) for column, _ in MOVES),
    sa.column("updated_at", registry.core.db.UTCDateTime()),
)
notification_preferences = sa.table(
    "notification_preferences",
    sa.column("user_id", sa.Integer()),
    sa.column("kind", sa.String(40)),
    sa.column("delivery", sa.String(10)),
    sa.column("updated_at", registry.core.db.UTCDateTime()),
)


def upgrade():
    old, new = reminder_preferences, notification_preferences
    for column, kind in MOVES:
        op.execute(new.insert().from_select(
            ["user_id", "kind", "delivery", "updated_at"],
            sa.select(old.c.user_id, sa.literal(kind, sa.String(40)), sa.literal("off", sa.String(10)), old.c.updated_at)
            .where(old.c[column] == sa.false())
            .where(~sa.exists().where(new.c.user_id == old.c.user_id, new.c.kind == kind)),
        ))
    op.drop_table('reminder_preferences')


def downgrade():
    op.create_table('reminder_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reviews', sa.Boolean(), nullable=False),
    sa.Column('obligations', sa.Boolean(), nullable=False),
    sa.Column('overdue', sa.Boolean(), nullable=False),
    sa.Column('updated_at', registry.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminder_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_reminder_preferences'))
    )
    person = notification_preferences.alias("person")

    def still_on(kind: str):
        choice = notification_preferences.alias(f"chosen_{kind}")
        return ~sa.exists().where(choice.c.user_id == person.c.user_id, choice.c.kind == kind, choice.c.delivery == "off")

    op.execute(reminder_preferences.insert().from_select(
        ["user_id", *(column for column, _ in MOVES), "updated_at"],
        sa.select(person.c.user_id, *(still_on(kind) for _, kind in MOVES), sa.func.max(person.c.updated_at))
        .where(person.c.kind.in_([kind for _, kind in MOVES]), person.c.delivery == "off")
        .group_by(person.c.user_id),
    ))
