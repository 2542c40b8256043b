"""versions on the rows organisers edit, and the one-time keys of create forms

Revision ID: 0011
Revises: 0009
Create Date: 2026-11-29 21:30:00

A save from an edit form that showed an older version of its row is refused, so two
organisers cannot undo each other's work; a create form pressed twice makes one row.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0009'
branch_labels = None
depends_on = None

VERSIONED = ('event', 'event_session', 'role_tag', 'topic')


def upgrade():
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column('version', sa.Integer(), server_default='1', nullable=False)
            )
    op.create_table(
        'create_key',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('made', sa.String(length=32), nullable=False),
        sa.Column('row_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )


def downgrade():
    op.drop_table('create_key')
    for table in reversed(VERSIONED):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('version')
