"""a change counter per day for live screens, and an accent-free search key per person

Revision ID: 0020
Revises: 0016
Create Date: 2026-11-30 01:00:00
"""

import sqlalchemy as sa
from alembic import op

from surgery.domain.search_key import key

# revision identifiers, used by Alembic.
revision = "0020"
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "day_change",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("counter", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_day_change_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_day_change")),
    )
    # plain add_column (no batch rebuild): see 0014
    op.add_column(
        "registration",
        sa.Column("search_key", sa.String(length=400), nullable=False, server_default=""),
    )
    registration = sa.table(
        "registration",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("email", sa.String),
        sa.column("search_key", sa.String),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(registration.c.id, registration.c.name, registration.c.email)
    )
    for row_id, name, email in rows.all():
        connection.execute(
            registration.update()
            .where(registration.c.id == row_id)
            .values(search_key=key(name, email))
        )


def downgrade():
    # a plain DROP COLUMN, not a batch copy of the table (see upgrade, and 0014)
    op.drop_column('registration', 'search_key')
    op.drop_table('day_change')
