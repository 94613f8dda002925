"""Server-side sessions per device, two-factor sign-in (authenticator secret, recovery codes).

Revision ID: 5e2b7c1d9a40
Revises: 5b1e0c7a9d23
Create Date: 2026-12-06 20:40:00

"""
from alembic import op
import sqlalchemy as sa
import hub.db


# revision identifiers, used by Alembic.
revision = '5e2b7c1d9a40'
down_revision = '5b1e0c7a9d23'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('device_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('remember', sa.Boolean(), nullable=False),
    sa.Column('created_at', hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('user_agent', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_device_session_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_device_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_device_session_token_hash'))
    )
    with op.batch_alter_table('device_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_device_session_last_seen_at'), ['last_seen_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_device_session_user_id'), ['user_id'], unique=False)

    op.create_table('recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('used_at', hub.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_recovery_code_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_code'))
    )
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_code_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('two_factor_enabled_at', hub.db.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_code_user_id'))
    op.drop_table('recovery_code')

    with op.batch_alter_table('device_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_device_session_user_id'))
        batch_op.drop_index(batch_op.f('ix_device_session_last_seen_at'))
    op.drop_table('device_session')

    # Plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): batch mode would copy user_account, which every
    # other table references, and SQLite's foreign keys refuse that once there are rows.
    for column in ('two_factor_enabled_at', 'totp_last_step', 'totp_secret'):
        op.execute(f'ALTER TABLE user_account DROP COLUMN {column}')
