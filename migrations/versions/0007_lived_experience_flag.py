"""role tags say whether they mean lived experience

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21 11:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('role_tag', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'means_lived_experience', sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    # until now the matching went by the name; keep what it found
    role_tag = sa.table('role_tag', sa.column('name'), sa.column('means_lived_experience'))
    op.get_bind().execute(
        sa.update(role_tag)
        .where(sa.func.lower(role_tag.c.name).like('%lived experience%'))
        .values(means_lived_experience=True)
    )


def downgrade():
    with op.batch_alter_table('role_tag', schema=None) as batch_op:
        batch_op.drop_column('means_lived_experience')
