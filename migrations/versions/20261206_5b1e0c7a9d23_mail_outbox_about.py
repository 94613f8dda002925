"""All mail through one outbox: what each message is about (re-checked at send time) and its template.

Revision ID: 5b1e0c7a9d23
Revises: 9b3f61c2d4e8
Create Date: 2026-12-06 20:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1e0c7a9d23'
down_revision = '9b3f61c2d4e8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('email_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template', sa.String(length=60), server_default='', nullable=False))
        batch_op.add_column(sa.Column('about', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('email_outbox', schema=None) as batch_op:
        batch_op.drop_column('about')
        batch_op.drop_column('template')
