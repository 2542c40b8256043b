"""how long data is kept: the settings, and each day's numbers and removals

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 01:00:00
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'retention_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sensitive_days', sa.Integer(), nullable=False),
        sa.Column('identity_days', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_settings')),
    )
    op.create_table(
        'day_retention',
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('numbers', sa.JSON(), nullable=False),
        sa.Column('numbers_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sensitive_removed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('identity_removed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['event_id'], ['event.id'], name=op.f('fk_day_retention_event_id_event'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('event_id', name=op.f('pk_day_retention')),
    )


def downgrade():
    op.drop_table('day_retention')
    op.drop_table('retention_settings')
