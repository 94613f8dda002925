"""Job runners: one row per runner process with its last heartbeat, so `doctor` and /metrics see it alive.

Revision ID: 72f7b1a6b8d7
Revises: 91d6a611c4f3
Create Date: 2026-12-06 23:40:00

"""
from alembic import op
import sqlalchemy as sa
import hub.db


# revision identifiers, used by Alembic.
revision = '72f7b1a6b8d7'
down_revision = '91d6a611c4f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'job_runner',
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('started_at', hub.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('beat_at', hub.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_job_runner')),
    )


def downgrade():
    op.drop_table('job_runner')
