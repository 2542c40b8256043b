"""reminders before a session, and the follow-up four weeks after the day

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 02:00:00
"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    # plain add_column: a batch rebuild of these tables could cascade-delete (see 0014)
    op.add_column(
        "event", sa.Column("reminder_days", sa.Integer(), nullable=False, server_default="2")
    )
    op.add_column(
        "registration",
        sa.Column("wants_follow_up", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("slot_id", sa.Integer(), nullable=True),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
            name=op.f("fk_reminder_booking_id_booking"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_reminder_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"],
            ["surgeon_session.id"],
            name=op.f("fk_reminder_slot_id_surgeon_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder")),
        sa.UniqueConstraint("booking_id", name=op.f("uq_reminder_booking_id")),
        sa.UniqueConstraint("slot_id", name=op.f("uq_reminder_slot_id")),
    )
    op.create_index(op.f("ix_reminder_event_id"), "reminder", ["event_id"], unique=False)
    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.Column("seed", sa.String(length=64), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_follow_up_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_follow_up_registration_id_registration"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
        sa.UniqueConstraint("registration_id", name=op.f("uq_follow_up_registration_id")),
    )
    op.create_index(op.f("ix_follow_up_event_id"), "follow_up", ["event_id"], unique=False)
    op.create_table(
        "follow_up_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("used", sa.String(length=16), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.Column("share", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_follow_up_answer_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_answer")),
    )
    op.create_index(
        op.f("ix_follow_up_answer_event_id"), "follow_up_answer", ["event_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_follow_up_answer_event_id"), table_name="follow_up_answer")
    op.drop_table("follow_up_answer")
    op.drop_index(op.f("ix_follow_up_event_id"), table_name="follow_up")
    op.drop_table("follow_up")
    op.drop_index(op.f("ix_reminder_event_id"), table_name="reminder")
    op.drop_table("reminder")
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_column("wants_follow_up")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("reminder_days")
