"""One "helpful" per person on an opening post too (the unique constraint over reply_id skips NULLs).

Revision ID: 3c1e9a7b5d20
Revises: 08d22f8db77b
Create Date: 2026-12-06 20:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c1e9a7b5d20'
down_revision = '08d22f8db77b'
branch_labels = None
depends_on = None


def upgrade():
    # Double clicks may already have left two marks on one opening post: keep the first.
    op.execute("DELETE FROM reaction WHERE reply_id IS NULL AND id NOT IN ("
               "SELECT min(id) FROM reaction WHERE reply_id IS NULL GROUP BY user_id, discussion_id)")
    op.execute("UPDATE discussion SET helpful_count = (SELECT count(*) FROM reaction "
               "WHERE reaction.discussion_id = discussion.id AND reaction.reply_id IS NULL)")
    with op.batch_alter_table('reaction', schema=None) as batch_op:
        batch_op.create_index('uq_reaction_opening_post', ['user_id', 'discussion_id'], unique=True,
                              sqlite_where=sa.text('reply_id IS NULL'),
                              postgresql_where=sa.text('reply_id IS NULL'))


def downgrade():
    with op.batch_alter_table('reaction', schema=None) as batch_op:
        batch_op.drop_index('uq_reaction_opening_post', sqlite_where=sa.text('reply_id IS NULL'),
                            postgresql_where=sa.text('reply_id IS NULL'))
