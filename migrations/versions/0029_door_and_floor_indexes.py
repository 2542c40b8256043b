"""indexes for the door and the floor on a crowded day: the check-in list in its order, a
person's earlier days by email, and a session's pairings by when they ended

Revision ID: 0029
Revises: 0028
Create Date: 2026-11-30 10:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_registration_door_order",
        "registration",
        ["event_id", sa.text("(checked_in_at IS NOT NULL)"), sa.text("lower(name)"), "id"],
    )
    op.create_index("ix_registration_email", "registration", ["email"])
    # (session_id, ended_at) begins with what the old index held, so it serves its queries too
    op.drop_index("ix_help_record_session_id", table_name="help_record")
    op.create_index("ix_help_record_session_ended", "help_record", ["session_id", "ended_at"])


def downgrade():
    op.drop_index("ix_help_record_session_ended", table_name="help_record")
    op.create_index("ix_help_record_session_id", "help_record", ["session_id"])
    op.drop_index("ix_registration_email", table_name="registration")
    op.drop_index("ix_registration_door_order", table_name="registration")
