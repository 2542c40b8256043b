"""the audit log: who viewed or exported sensitive data, and who changed what

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 00:20:00
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'audit_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('organiser_id', sa.Integer(), nullable=True),
        sa.Column('actor', sa.String(length=120), nullable=False),
        sa.Column('action', sa.String(length=60), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('subject', sa.String(length=80), nullable=False),
        sa.Column('detail', sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry')),
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entry_at', ['at'])
        batch_op.create_index(batch_op.f('ix_audit_entry_organiser_id'), ['organiser_id'])
        batch_op.create_index(batch_op.f('ix_audit_entry_action'), ['action'])
        batch_op.create_index(batch_op.f('ix_audit_entry_event_id'), ['event_id'])


def downgrade():
    op.drop_table('audit_entry')
