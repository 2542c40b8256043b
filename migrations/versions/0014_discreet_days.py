"""a day may ask for neutral email subjects and calendar titles

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 22:55:00
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    # a plain ADD COLUMN: on SQLite a batch would copy the table and drop the old one, and
    # with foreign keys on, dropping it would delete every session and booking in cascade
    op.add_column(
        'event', sa.Column('discreet', sa.Boolean(), nullable=False, server_default='0')
    )


def downgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('discreet')
