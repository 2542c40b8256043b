"""feedback asked once

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 10:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('feedback_requested_at', sa.DateTime(timezone=True), nullable=True)
        )
    # whoever has answered was asked: the first press after this upgrade skips them
    registration = sa.table(
        'registration', sa.column('id'), sa.column('feedback_requested_at', sa.DateTime)
    )
    feedback = sa.table(
        'feedback', sa.column('registration_id'), sa.column('created_at', sa.DateTime)
    )
    answered_at = (
        sa.select(feedback.c.created_at)
        .where(feedback.c.registration_id == registration.c.id)
        .scalar_subquery()
    )
    op.get_bind().execute(
        sa.update(registration)
        .where(registration.c.id.in_(sa.select(feedback.c.registration_id)))
        .values(feedback_requested_at=answered_at)
    )


def downgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_column('feedback_requested_at')
