"""outbox messages name the booking or surgeon slot they are about

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 21:10:00

A message's invite is written when it is sent, from its booking or slot as it is then.
Messages queued before name theirs through the UID of the calendar they carried; each is
linked to its row here, so it too is sent as things are now. One whose row is gone keeps
the calendar it was queued with.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('booking_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('slot_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_message_booking_id'), ['booking_id'])
        batch_op.create_index(batch_op.f('ix_outbox_message_slot_id'), ['slot_id'])
        batch_op.create_foreign_key(
            batch_op.f('fk_outbox_message_booking_id_booking'),
            'booking', ['booking_id'], ['id'], ondelete='SET NULL',
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_outbox_message_slot_id_surgeon_session'),
            'surgeon_session', ['slot_id'], ['id'], ondelete='SET NULL',
        )
    link_queued_messages()


def link_queued_messages():
    """Name the booking or slot of each message queued before, by its calendar's UID."""
    bind = op.get_bind()
    uids = {}
    for table, column in (('booking', 'booking_id'), ('surgeon_session', 'slot_id')):
        rows = sa.table(table, sa.column('id', sa.Integer), sa.column('ical_uid'))
        for row_id, uid in bind.execute(sa.select(rows.c.id, rows.c.ical_uid)):
            uids[uid] = (column, row_id)
    outbox = sa.table(
        'outbox_message',
        sa.column('id', sa.Integer),
        sa.column('payload', sa.JSON),
        sa.column('booking_id', sa.Integer),
        sa.column('slot_id', sa.Integer),
    )
    for message_id, payload in bind.execute(sa.select(outbox.c.id, outbox.c.payload)).all():
        found = uids.get(((payload or {}).get('calendar') or {}).get('uid'))
        if found:
            column, row_id = found
            bind.execute(
                sa.update(outbox).where(outbox.c.id == message_id).values({column: row_id})
            )


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_outbox_message_slot_id_surgeon_session'), type_='foreignkey'
        )
        batch_op.drop_constraint(
            batch_op.f('fk_outbox_message_booking_id_booking'), type_='foreignkey'
        )
        batch_op.drop_index(batch_op.f('ix_outbox_message_slot_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_message_booking_id'))
        batch_op.drop_column('slot_id')
        batch_op.drop_column('booking_id')
