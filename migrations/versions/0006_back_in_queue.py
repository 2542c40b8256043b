"""a pairing can end with the person back in the queue

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 10:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('help_record', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('back_in_queue', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table('help_record', schema=None) as batch_op:
        batch_op.drop_column('back_in_queue')
