"""Read marks: how far each person has read each discussion ("3 new", open at the first unread reply).

Revision ID: 4a7d2c9e1b53
Revises: 7c2d4e8f1a36
Create Date: 2026-12-06 21:20:00

"""
from alembic import op
import sqlalchemy as sa

import hub.db


# revision identifiers, used by Alembic.
revision = '4a7d2c9e1b53'
down_revision = '7c2d4e8f1a36'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'read_mark',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('discussion_id', sa.Integer(), nullable=False),
        sa.Column('last_reply_id', sa.Integer(), nullable=False),
        sa.Column('read_at', hub.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['discussion_id'], ['discussion.id'], name=op.f('fk_read_mark_discussion_id_discussion'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_read_mark_user_id_user_account'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_read_mark')),
        sa.UniqueConstraint('user_id', 'discussion_id', name='uq_read_mark_person_discussion'),
    )
    with op.batch_alter_table('read_mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_read_mark_discussion_id'), ['discussion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_read_mark_user_id'), ['user_id'], unique=False)


def downgrade():
    op.drop_table('read_mark')
