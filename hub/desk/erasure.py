"""Anonymising a person, or deleting content for good, reaches every copy, not only the row itself.

Deleting a post or library item permanently (forget_content) deletes the notifications about it
(a discussion's: its whole thread) and every mail rendered from them, sent or not; the moderation
notices to its author and reporters stay (they were the ones who saw it), and so does the audit
entry with its title (the record of who deleted what).

Anonymising a person (erase_copies):

What goes and what stays, decided once:

- Their account row: name, address, handle, bio, expertise … replaced (people.anonymise).
- What was theirs alone goes: the notifications they received, and every mail addressed to them in
  the outbox (queued or already sent: the rendered copy holds their name and address).
- Copies elsewhere are rewritten: in every text, JSON and binary column of every table (so a table
  added later is covered too), the address becomes the placeholder address; in the tables that hold
  what the hub derived or recorded (not what people wrote: DERIVED below), the name becomes
  "former member" as a whole word. A queued mail to someone else that names them is sent that way.
- Moderators' internal notes (moderation_note) are records about people: the name is replaced there too.
- What others wrote stays as written: a post that names them is content, edited or hidden on request.
- The audit log keeps the actor id (who did what stays accountable: the id now names "former member")
  but loses personal data: the name and address in reason and details are replaced, and the IP
  address of entries the person made is dropped. This is the one rewrite of the append-only log,
  done with a Core UPDATE (the ORM refuses any change to an entry) inside a permit (an audit_rewrite row,
  removed before the transaction ends): the database's trigger refuses any other UPDATE, any change of
  who, what, which object or when, and every DELETE.
- Search: their person document leaves the index after commit (deleted_at is a watched field).
- Exports (survey answers, audit log, dashboard) are built from the database on request: they follow.
"""

import email
import json
import re
from email.policy import SMTP, default

import sqlalchemy as sa

from hub.audit import AuditEntry, AuditRewrite
from hub.extensions import db
from hub.mail import EmailOutbox

PLACEHOLDER_NAME = "former member"
#: Tables of records and derived copies, where the person's name is replaced too (see docstring).
DERIVED = {"audit_entry", "notification", "email_outbox", "job", "moderation_note"}


def placeholder_email(person_id: int) -> str:
    return f"former-member-{person_id}@anonymised.invalid"


class Scrubber:
    """Replaces one person's address (any case) and, where asked, their name (whole words) in text."""

    def __init__(self, person_id: int, name: str, address: str):
        self.person_id, self.name, self.address = person_id, name.strip(), address.strip()
        self._address = re.compile(re.escape(self.address), re.IGNORECASE)
        self._name = re.compile(r"(?<!\w)" + re.escape(self.name) + r"(?!\w)") if len(self.name) > 1 else None

    def text(self, value: str, names: bool) -> str:
        value = self._address.sub(placeholder_email(self.person_id), value)
        return self._name.sub(PLACEHOLDER_NAME, value) if names and self._name else value

    def data(self, value, names: bool):
        """The same inside JSON: strings in lists and dicts, keys included."""
        if isinstance(value, str):
            return self.text(value, names)
        if isinstance(value, list):
            return [self.data(v, names) for v in value]
        if isinstance(value, dict):
            return {self.text(k, names): self.data(v, names) for k, v in value.items()}
        return value

    def needles(self, names: bool) -> list[str]:
        """What a column is searched for in SQL (as stored: JSON escapes non-ASCII)."""
        found = [self.address, json.dumps(self.address)[1:-1]]
        if names and self._name:
            found += [self.name, json.dumps(self.name)[1:-1]]
        return list(dict.fromkeys(found))

    def message(self, raw: bytes, names: bool) -> bytes:
        """A stored mail with the address and name replaced in its headers and every text part."""
        msg = email.message_from_bytes(raw, policy=default)
        for key, value in list(msg.items()):
            new = self.text(str(value), names)
            if new != str(value):
                msg.replace_header(key, new)
        for part in msg.walk():
            if part.get_content_maintype() == "text" and not part.is_multipart():
                content = part.get_content()
                new = self.text(content, names)
                if new != content:
                    part.set_content(new, subtype=part.get_content_subtype())
        return msg.as_bytes(policy=SMTP.clone(max_line_length=998))

    def mentions(self, raw: bytes, names: bool) -> bool:
        msg = email.message_from_bytes(raw, policy=default)
        texts = [str(v) for v in msg.values()] + [part.get_content() for part in msg.walk()
                                                  if part.get_content_maintype() == "text" and not part.is_multipart()]
        return any(self.text(t, names) != t for t in texts)


def _column_kind(column) -> str | None:
    kind = column.type
    if isinstance(kind, sa.JSON):
        return "json"
    if isinstance(kind, sa.LargeBinary):
        return "binary"
    if isinstance(kind, sa.String):  # Text is a String
        return "text"
    return None


def _rewrite_table(table, scrub: Scrubber) -> None:
    names = table.name in DERIVED
    columns = [(c, kind) for c in table.columns if (kind := _column_kind(c)) and not c.primary_key]
    if not columns or not list(table.primary_key.columns):
        return
    conditions = [sa.cast(c, sa.Text).ilike(f"%{needle}%") for c, kind in columns if kind != "binary"
                  for needle in scrub.needles(names)]
    binary = [c for c, kind in columns if kind == "binary"]
    query = sa.select(table)
    if not binary:
        query = query.where(sa.or_(*conditions))
    key = list(table.primary_key.columns)
    for row in db.session.execute(query).mappings().all():
        changes = {}
        for column, kind in columns:
            value = row[column.name]
            if value is None:
                continue
            if kind == "binary":
                new = scrub.message(value, names) if scrub.mentions(value, names) else value
            elif kind == "json":
                new = scrub.data(value, names)
            else:
                new = scrub.text(value, names)
            if new != value:
                changes[column.name] = new
        if changes:
            # A Core UPDATE on the table: no ORM event (the audit log's guard) and no version check.
            db.session.execute(sa.update(table).where(*[c == row[c.name] for c in key]).values(**changes))


def erase_copies(person_id: int, name: str, address: str) -> None:
    """Delete what was the person's alone, then rewrite their name and address everywhere else; flushes."""
    db.session.flush()
    # By table, not model: moderation sits below notifications in the package graph.
    notification = db.metadata.tables["notification"]
    own_notifications = sa.select(notification.c.id).where(notification.c.recipient_id == person_id)
    db.session.execute(sa.delete(EmailOutbox).where(sa.or_(
        EmailOutbox.user_id == person_id, sa.func.lower(EmailOutbox.recipient) == address.lower(),
        EmailOutbox.notification_id.in_(own_notifications))).execution_options(synchronize_session=False))
    db.session.execute(sa.delete(notification).where(notification.c.recipient_id == person_id))
    permit = db.session.execute(sa.insert(AuditRewrite).values(reason=f"anonymise person {person_id}")
                                .returning(AuditRewrite.id)).scalar_one()
    db.session.execute(sa.update(AuditEntry.__table__).where(AuditEntry.__table__.c.actor_id == person_id)
                       .values(ip_address=""))
    scrub = Scrubber(person_id, name, address)
    for table in db.metadata.sorted_tables:
        if table.name != AuditRewrite.__tablename__:
            _rewrite_table(table, scrub)
    db.session.execute(sa.delete(AuditRewrite).where(AuditRewrite.id == permit))
    db.session.expire_all()
