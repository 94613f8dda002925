"""One word per kind (hub/kinds.py): notifications and reports store 'item', 'person', 'introduction'.

Revision ID: 7c2d4e8f1a36
Revises: 5e2b7c1d9a40
Create Date: 2026-12-06 20:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c2d4e8f1a36'
down_revision = '5e2b7c1d9a40'
branch_labels = None
depends_on = None

#: (table, column, old word, new word)
RENAMES = [
    ("notification", "object_type", "library_item", "item"),
    ("notification", "object_type", "user_account", "person"),
    ("notification", "object_type", "survey_introduction", "introduction"),
    ("moderation_report", "kind", "profile", "person"),
]


def _rename(pairs):
    for table, column, old, new in pairs:
        op.execute(sa.text(f"UPDATE {table} SET {column} = :new WHERE {column} = :old").bindparams(old=old, new=new))


def upgrade():
    _rename(RENAMES)


def downgrade():
    _rename([(table, column, new, old) for table, column, old, new in RENAMES])
