"""an index on each pairing's booking, for the floor's queue on a crowded day

Revision ID: 0028
Revises: 0027
Create Date: 2026-11-30 04:00:00
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_help_record_booking_id", "help_record", ["booking_id"])


def downgrade():
    op.drop_index("ix_help_record_booking_id", table_name="help_record")
