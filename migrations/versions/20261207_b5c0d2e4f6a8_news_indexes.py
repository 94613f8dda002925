"""Indexes for the home page: its news (discussions by community and last activity, replies by discussion
and date), unanswered questions (by kind, reply count and date), best practices (by community and recognition
date) and what waits for review (by community and review status).

Revision ID: b5c0d2e4f6a8
Revises: c41d7e2a9b05
Create Date: 2026-12-07 03:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b5c0d2e4f6a8'
down_revision = 'c41d7e2a9b05'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_discussion_activity', 'discussion', ['community_id', 'last_activity_at'])
    op.create_index('ix_reply_discussion_created', 'reply', ['discussion_id', 'created_at'])
    op.create_index('ix_discussion_unanswered', 'discussion', ['kind', 'reply_count', 'created_at'])
    op.create_index('ix_discussion_best_practice', 'discussion', ['community_id', 'best_practice_at'])
    op.create_index('ix_discussion_pending', 'discussion', ['community_id', 'review_status'])


def downgrade():
    op.drop_index('ix_discussion_pending', table_name='discussion')
    op.drop_index('ix_discussion_best_practice', table_name='discussion')
    op.drop_index('ix_discussion_unanswered', table_name='discussion')
    op.drop_index('ix_reply_discussion_created', table_name='reply')
    op.drop_index('ix_discussion_activity', table_name='discussion')
