"""Sanctions with words (a suspension's reason; silence: read-only with a reason and an end) and reply
templates in five languages.

Revision ID: e914ee332f8e
Revises: 2db5e2ec53d5
Create Date: 2026-12-06 23:40:00

"""
from alembic import op
import sqlalchemy as sa

import hub.db


# revision identifiers, used by Alembic.
revision = 'e914ee332f8e'
down_revision = '2db5e2ec53d5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suspension_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('silenced_at', hub.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('silenced_until', hub.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('silence_reason', sa.Text(), server_default='', nullable=False))
    op.create_table(
        'reply_template',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('texts', sa.JSON(), nullable=False),
        sa.Column('retired_at', hub.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('created_at', hub.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', hub.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reply_template')),
    )
    with op.batch_alter_table('reply_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reply_template_purpose'), ['purpose'], unique=False)


def downgrade():
    op.drop_table('reply_template')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('silence_reason')
        batch_op.drop_column('silenced_until')
        batch_op.drop_column('silenced_at')
        batch_op.drop_column('suspension_reason')
