"""Plan actions can be deleted softly; a profile's time zone may be unset (NULL), so an explicit UTC stays UTC.

Revision ID: c41d7e2a9b05
Revises: c3e18a5d90b4
Create Date: 2026-12-07 03:00:00

"""
from alembic import op
import sqlalchemy as sa
import hub.db


# revision identifiers, used by Alembic.
revision = 'c41d7e2a9b05'
down_revision = 'c3e18a5d90b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey_plan_action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', hub.db.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('timezone', existing_type=sa.String(length=64), nullable=True)
    # Until now UTC also meant "never chosen" (the default): those readers keep their organisation's zone.
    op.execute("UPDATE user_account SET timezone = NULL WHERE timezone = 'UTC'")


def downgrade():
    op.execute("UPDATE user_account SET timezone = 'UTC' WHERE timezone IS NULL")
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('timezone', existing_type=sa.String(length=64), nullable=False)
    with op.batch_alter_table('survey_plan_action', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
