"""pairs on the floor: pairings started by hand, surgeons' check-in codes, same surgeon again

Revision ID: 0018
Revises: 0016
Create Date: 2026-11-30 01:30:00
"""

import secrets

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def upgrade():
    # plain add_column, no batch rebuild: on SQLite a rebuild can cascade-delete (see 0014)
    op.add_column(
        "help_record",
        sa.Column("by_hand", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "registration",
        sa.Column("wants_same_surgeon", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("surgeon", sa.Column("checkin_code", sa.String(length=12), nullable=True))
    surgeon = sa.table("surgeon", sa.column("id", sa.Integer), sa.column("checkin_code"))
    connection = op.get_bind()
    for (surgeon_id,) in connection.execute(sa.select(surgeon.c.id)).all():
        code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        connection.execute(
            surgeon.update().where(surgeon.c.id == surgeon_id).values(checkin_code=code)
        )
    op.create_index(op.f("ix_surgeon_checkin_code"), "surgeon", ["checkin_code"], unique=True)


def downgrade():
    op.drop_index(op.f("ix_surgeon_checkin_code"), table_name="surgeon")
    op.drop_column("surgeon", "checkin_code")
    op.drop_column("registration", "wants_same_surgeon")
    op.drop_column("help_record", "by_hand")
