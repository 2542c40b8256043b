"""a session remembers when it last changed

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 21:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
    # a session never changed since it was made: its last change is its making
    session = sa.table(
        'event_session', sa.column('created_at', sa.DateTime), sa.column('updated_at', sa.DateTime)
    )
    op.get_bind().execute(sa.update(session).values(updated_at=session.c.created_at))
    with op.batch_alter_table('event_session', schema=None) as batch_op:
        batch_op.alter_column(
            'updated_at', existing_type=sa.DateTime(timezone=True), nullable=False
        )


def downgrade():
    with op.batch_alter_table('event_session', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
