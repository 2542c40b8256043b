"""messages organisers send to a day's people: what they said, to whom, how many got it

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-30 04:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "day_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("audiences", sa.JSON(), nullable=False),
        sa.Column("subject", sa.String(length=150), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sent_count", sa.Integer(), nullable=False),
        sa.Column("without_email", sa.Integer(), nullable=False),
        sa.Column("organiser_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_day_message_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organiser_id"],
            ["organiser.id"],
            name=op.f("fk_day_message_organiser_id_organiser"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_day_message")),
    )
    op.create_index(op.f("ix_day_message_event_id"), "day_message", ["event_id"])


def downgrade():
    op.drop_index(op.f("ix_day_message_event_id"), table_name="day_message")
    op.drop_table("day_message")
