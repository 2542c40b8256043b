"""resources shared from a day (links and notes, checked by an organiser), and the day's
private link for workshop facilitators

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-30 03:30:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "facilitator_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("seed", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_facilitator_link_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facilitator_link")),
    )
    op.create_index(
        op.f("ix_facilitator_link_event_id"), "facilitator_link", ["event_id"], unique=False
    )
    op.create_table(
        "resource",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("surgeon_id", sa.Integer(), nullable=True),
        sa.Column("facilitator_link_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("moderated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("moderated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_resource_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["event_session.id"],
            name=op.f("fk_resource_session_id_event_session"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["surgeon_id"],
            ["surgeon.id"],
            name=op.f("fk_resource_surgeon_id_surgeon"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["facilitator_link_id"],
            ["facilitator_link.id"],
            name=op.f("fk_resource_facilitator_link_id_facilitator_link"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["moderated_by_id"],
            ["organiser.id"],
            name=op.f("fk_resource_moderated_by_id_organiser"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource")),
    )
    op.create_index(op.f("ix_resource_event_id"), "resource", ["event_id"], unique=False)
    op.create_index(op.f("ix_resource_status"), "resource", ["status"], unique=False)
    op.create_index(op.f("ix_resource_surgeon_id"), "resource", ["surgeon_id"], unique=False)


def downgrade():
    op.drop_table("resource")
    op.drop_table("facilitator_link")
