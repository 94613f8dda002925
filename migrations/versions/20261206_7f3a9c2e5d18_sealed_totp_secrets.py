"""Two-factor secrets stored sealed: the column widens and existing secrets are sealed.

Revision ID: 7f3a9c2e5d18
Revises: 4a7d2c9e1b53
Create Date: 2026-12-06 23:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7f3a9c2e5d18'
down_revision = '4a7d2c9e1b53'
branch_labels = None
depends_on = None


def _rewrite(convert):
    """Apply `convert` to every stored secret (needs the application's keys: Flask-Migrate runs in its context)."""
    from flask import current_app
    if not current_app:
        return
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, totp_secret FROM user_account WHERE totp_secret IS NOT NULL")).all()
    for row_id, stored in rows:
        bind.execute(sa.text("UPDATE user_account SET totp_secret = :value WHERE id = :id"),
                     {"value": convert(stored), "id": row_id})


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=64), type_=sa.String(length=255),
                              existing_nullable=True)
    from hub.accounts.sealing import PREFIX, seal
    _rewrite(lambda stored: stored if stored.startswith(PREFIX) else seal(stored))


def downgrade():
    from hub.accounts.sealing import unseal
    _rewrite(unseal)
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=255), type_=sa.String(length=64),
                              existing_nullable=True)
