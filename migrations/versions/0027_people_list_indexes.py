"""indexes in the order the organiser's people list reads: sessions by start, bookings
by list and place, so a page is read without sorting the whole day; reminders by answer,
so a day's answers are counted from the index

Revision ID: 0027
Revises: 0025
Create Date: 2026-11-30 04:00:00
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0027"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade():
    # (session_id, status) is the start of the new index, which serves what the old one did
    op.drop_index("ix_booking_session_status", table_name="booking")
    op.create_index(
        "ix_booking_session_status_queue", "booking", ["session_id", "status", "queue_key"]
    )
    op.create_index("ix_event_session_event_starts", "event_session", ["event_id", "starts_at"])
    op.create_index("ix_reminder_event_answer", "reminder", ["event_id", "answer", "booking_id"])


def downgrade():
    op.drop_index("ix_reminder_event_answer", table_name="reminder")
    op.drop_index("ix_event_session_event_starts", table_name="event_session")
    op.drop_index("ix_booking_session_status_queue", table_name="booking")
    op.create_index("ix_booking_session_status", "booking", ["session_id", "status"])
