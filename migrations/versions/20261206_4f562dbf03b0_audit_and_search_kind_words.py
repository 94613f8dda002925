"""The audit log and the search outbox store the kinds' words (hub/kinds.py): 'item', 'person', 'introduction'.

Run BEFORE any migration that makes audit_entry append-only in the database (it rewrites old entries).
The search index keeps the old 'library' documents until `flask --app hub search reindex`.

Revision ID: 4f562dbf03b0
Revises: 7f3a9c2e5d18
Create Date: 2026-12-06 23:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4f562dbf03b0'
down_revision = '7f3a9c2e5d18'
branch_labels = None
depends_on = None

#: (table, column, old word, new word); no row held a new word before, so the way back is exact.
RENAMES = [
    ("audit_entry", "object_type", "library_item", "item"),
    ("audit_entry", "object_type", "user_account", "person"),
    ("audit_entry", "object_type", "survey_introduction", "introduction"),
    ("search_change", "kind", "library", "item"),
]


def _rename(pairs):
    for table, column, old, new in pairs:
        op.execute(sa.text(f"UPDATE {table} SET {column} = :new WHERE {column} = :old").bindparams(old=old, new=new))


def upgrade():
    _rename(RENAMES)


def downgrade():
    _rename([(table, column, new, old) for table, column, old, new in RENAMES])
