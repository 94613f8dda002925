"""Old slugs of renamed communities and library items, so their links redirect to the new ones.

Revision ID: 9b3f61c2d4e8
Revises: 5d1e0b7a9c21
Create Date: 2026-12-06 20:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9b3f61c2d4e8'
down_revision = '5d1e0b7a9c21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('old_slug',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_old_slug')),
    sa.UniqueConstraint('kind', 'slug', name=op.f('uq_old_slug_kind'))
    )


def downgrade():
    op.drop_table('old_slug')
