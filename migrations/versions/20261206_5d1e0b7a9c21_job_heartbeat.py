"""Jobs: the runner's heartbeat, so a job whose runner is gone is queued again within a minute.

Revision ID: 5d1e0b7a9c21
Revises: 3c1e9a7b5d20
Create Date: 2026-12-06 20:20:00

"""
from alembic import op
import sqlalchemy as sa
import hub.db


# revision identifiers, used by Alembic.
revision = '5d1e0b7a9c21'
down_revision = '3c1e9a7b5d20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', hub.db.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
