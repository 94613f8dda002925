"""Learning sessions: members' proposals (community setting, decline reason, one-time form token),
attendance marks, and session emails that follow each person's email choice.

Until now the four session notification kinds defaulted to "no email" while the sessions feature emailed
everyone anyway, so a saved choice for them changed nothing; they now default to "at once" and a choice
stops or sends the sessions' own mail. Saved choices for them are forgotten, so everyone keeps receiving
exactly the session mail they received before (and a duplicate notification email some had goes).

Revision ID: c3e18a5d90b4
Revises: 72f7b1a6b8d7
Create Date: 2026-12-07 03:00:00

"""
from alembic import op
import sqlalchemy as sa
import hub.db


# revision identifiers, used by Alembic.
revision = 'c3e18a5d90b4'
down_revision = '72f7b1a6b8d7'
branch_labels = None
depends_on = None

SESSION_KINDS = ("session_changed", "session_material", "session_seat", "session_reminder")


def upgrade():
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.add_column(sa.Column('members_propose_sessions', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    with op.batch_alter_table('learning_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decline_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('form_token', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('attendance_marked_at', hub.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_learning_session_form_token'), ['form_token'])
    with op.batch_alter_table('session_registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attended', sa.Boolean(), nullable=True))
    preference = sa.table('email_preference', sa.column('kind', sa.String))
    op.execute(preference.delete().where(preference.c.kind.in_(SESSION_KINDS)))


def downgrade():
    with op.batch_alter_table('session_registration', schema=None) as batch_op:
        batch_op.drop_column('attended')
    with op.batch_alter_table('learning_session', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_learning_session_form_token'), type_='unique')
        batch_op.drop_column('attendance_marked_at')
        batch_op.drop_column('form_token')
        batch_op.drop_column('decline_reason')
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.drop_column('members_propose_sessions')
