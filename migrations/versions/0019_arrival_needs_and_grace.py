"""what people need on arrival, and each day's grace period before no-shows' places go

Revision ID: 0019
Revises: 0016
Create Date: 2026-11-30 00:45:00
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    # plain ADD COLUMNs: a batch rebuild on SQLite could cascade-delete (see 0014)
    op.add_column('registration', sa.Column('need_now', sa.String(length=16), nullable=True))
    op.add_column(
        'event', sa.Column('grace_minutes', sa.Integer(), nullable=False, server_default='15')
    )


def downgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('grace_minutes')
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_column('need_now')
