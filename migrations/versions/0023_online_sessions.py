"""a session may take place online or both in person and online, with a video link

Revision ID: 0023
Revises: 0020
Create Date: 2026-11-30 02:00:00
"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    # plain ADD COLUMNs: a batch rebuild on SQLite could cascade-delete (see 0014)
    op.add_column(
        "event_session",
        sa.Column("mode", sa.String(length=16), nullable=False, server_default="in_person"),
    )
    op.add_column(
        "event_session",
        sa.Column("online_url", sa.String(length=500), nullable=False, server_default=""),
    )


def downgrade():
    with op.batch_alter_table("event_session", schema=None) as batch_op:
        batch_op.drop_column("online_url")
        batch_op.drop_column("mode")
