"""organiser accounts: session tokens, and emailed links to choose a password

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 18:10:00

"""
import secrets

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('account_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organiser_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organiser_id'], ['organiser.id'], name=op.f('fk_account_link_organiser_id_organiser'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_account_link_token_hash'))
    )
    with op.batch_alter_table('account_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_link_organiser_id'), ['organiser_id'], unique=False)

    with op.batch_alter_table('organiser', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=32), nullable=True))
    give_session_tokens()
    with op.batch_alter_table('organiser', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=32), nullable=False)


def give_session_tokens():
    """Every existing account gets its own token (everyone signs in again once)."""
    rows = sa.table("organiser", sa.column("id"), sa.column("session_token"))
    connection = op.get_bind()
    for (row_id,) in connection.execute(sa.select(rows.c.id)).all():
        token = secrets.token_urlsafe(16)
        connection.execute(sa.update(rows).where(rows.c.id == row_id).values(session_token=token))


def downgrade():
    with op.batch_alter_table('organiser', schema=None) as batch_op:
        batch_op.drop_column('session_token')

    with op.batch_alter_table('account_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_link_organiser_id'))

    op.drop_table('account_link')
