"""The desk's triage (claimed cases, internal notes) and an audit log the database itself keeps append-only.

Triggers on SQLite and PostgreSQL refuse every DELETE of an audit entry, and every UPDATE except the
anonymisation's rewrite of reason, details and address while it holds an audit_rewrite permit.

Revision ID: 2db5e2ec53d5
Revises: 4f562dbf03b0
Create Date: 2026-12-06 23:30:00

"""
from alembic import op
import sqlalchemy as sa

import hub.db


# revision identifiers, used by Alembic.
revision = '2db5e2ec53d5'
down_revision = '4f562dbf03b0'
branch_labels = None
depends_on = None

REFUSAL = "audit entries cannot be changed or deleted"
FIXED = ("id", "actor_id", "action", "object_type", "object_id", "created_at")
TRIGGERS = {
    "sqlite": [
        f"CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry "
        f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
        "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry "
        "WHEN NOT EXISTS (SELECT 1 FROM audit_rewrite) OR "
        + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FIXED)
        + f" BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$ BEGIN "
        "IF TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM audit_rewrite) AND "
        + " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in FIXED)
        + f" THEN RETURN NEW; END IF; RAISE EXCEPTION '{REFUSAL}'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry "
        "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()",
    ],
}
DROPS = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_entry_no_update", "DROP TRIGGER IF EXISTS audit_entry_no_delete"],
    "postgresql": ["DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry",
                   "DROP FUNCTION IF EXISTS audit_entry_append_only()"],
}


def upgrade():
    op.create_table(
        'audit_rewrite',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_rewrite')),
    )
    op.create_table(
        'case_claim',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('object_id', sa.Integer(), nullable=False),
        sa.Column('claimed_by_id', sa.Integer(), nullable=True),
        sa.Column('claimed_at', hub.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['claimed_by_id'], ['user_account.id'],
                                name=op.f('fk_case_claim_claimed_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_claim')),
        sa.UniqueConstraint('kind', 'object_id', name='uq_case_claim_case'),
    )
    with op.batch_alter_table('case_claim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_claim_claimed_by_id'), ['claimed_by_id'], unique=False)
    op.create_table(
        'moderation_note',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subject', sa.String(length=12), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('community_id', sa.Integer(), nullable=True),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', hub.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['user_account.id'],
                                name=op.f('fk_moderation_note_author_id_user_account')),
        sa.ForeignKeyConstraint(['community_id'], ['community.id'],
                                name=op.f('fk_moderation_note_community_id_community')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_note')),
    )
    with op.batch_alter_table('moderation_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_note_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_note_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_moderation_note_subject', ['subject', 'subject_id'], unique=False)
    for statement in TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in DROPS.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    with op.batch_alter_table('moderation_note', schema=None) as batch_op:
        batch_op.drop_index('ix_moderation_note_subject')
        batch_op.drop_index(batch_op.f('ix_moderation_note_community_id'))
        batch_op.drop_index(batch_op.f('ix_moderation_note_author_id'))
    op.drop_table('moderation_note')
    with op.batch_alter_table('case_claim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_claim_claimed_by_id'))
    op.drop_table('case_claim')
    op.drop_table('audit_rewrite')
