"""outbox messages keep the seed of a private link, not the link

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 18:30:00

Messages queued or sent before kept whole private links (the manage link, the feedback
link, and the manage link again in the invite's description). Each becomes the seed the
link is rebuilt from when the email is written; a link whose booking is gone is dropped.
"""
import hashlib
import re

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

IN_DESCRIPTION = re.compile(r"\n\nChange or cancel: \S+")


def upgrade():
    bind = op.get_bind()
    seeds = {}
    for table, holder in (('registration', 'booking'), ('surgeon', 'surgeon')):
        rows = sa.table(table, sa.column('token_hash'), sa.column('token_seed'))
        for token_hash, seed in bind.execute(sa.select(rows.c.token_hash, rows.c.token_seed)):
            seeds[token_hash] = {'holder': holder, 'seed': seed}
    outbox = sa.table('outbox_message', sa.column('id', sa.Integer), sa.column('payload', sa.JSON))
    changed = []
    for message_id, payload in bind.execute(sa.select(outbox.c.id, outbox.c.payload)).all():
        cleaned = without_links(payload or {}, seeds)
        if cleaned != payload:
            changed.append({'message_id': message_id, 'cleaned': cleaned})
    if changed:
        bind.execute(
            sa.update(outbox)
            .where(outbox.c.id == sa.bindparam('message_id'))
            .values(payload=sa.bindparam('cleaned')),
            changed,
        )


def without_links(payload, seeds):
    """The payload with each private link replaced by the seed it is rebuilt from."""
    cleaned = dict(payload)
    if 'manage_url' in cleaned:
        cleaned['manage'] = seeds.get(_hash_of(cleaned.pop('manage_url')))
    action = cleaned.get('action')
    if action and 'url' in action:
        found = seeds.get(_hash_of(action['url']))
        cleaned['action'] = found and {
            'text': action['text'], 'endpoint': 'day_reports.feedback', 'seed': found['seed']
        }
    calendar = cleaned.get('calendar')
    if calendar and calendar.get('description'):
        description = IN_DESCRIPTION.sub('', calendar['description'])
        cleaned['calendar'] = {**calendar, 'description': description}
    return cleaned


def _hash_of(url):
    """The stored hash of the token a link ends with."""
    token = (url or '').rstrip('/').rsplit('/', 1)[-1]
    return hashlib.sha256(token.encode()).hexdigest()


def downgrade():
    pass  # the links are not put back: emails written from now on build them as before
