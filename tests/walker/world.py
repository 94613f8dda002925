"""The walker's world: the demo content, one signed-in client per role, real values for every URL argument,
the forms each page shows, and a hostile corpus. Every request runs inside a transaction that is rolled
back afterwards, so the world stays as built and each request can be judged on its own."""

import re
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.routing import AnyConverter, IntegerConverter, PathConverter, UnicodeConverter

from hub.accounts.models import SUSPENDED, User
from hub.communities.models import PROPOSED, REQUESTED, Community, Membership
from hub.discussions.models import Discussion, Reply
from hub.db import utcnow
from hub.extensions import db
from hub.learning_sessions.models import PROPOSED as SESSION_PROPOSED
from hub.learning_sessions.models import LearningSession
from hub.library.models import Caption, LibraryItem, MediaFile
from hub.desk.dashboard import BLOCKS
from hub.desk.models import ReplyTemplate
from hub.notifications.models import Notification
from hub.organisations.models import Organisation
from hub.survey.models import Introduction, SurveyRound
from hub.survey.plan_models import PlanAction

DEMO_PASSWORD = "learning-hub-demo"
ROLES = {"anonymous": None, "member": "member@example.org", "facilitator": "facilitator@example.org",
         "focal point": "focal@example.org", "secretariat": "secretariat@example.org",
         "suspended": "joao@example.org"}

# --- Values for URL arguments ----------------------------------------------------------------------------
#: (rule pattern, argument name) → how to find a real value in the world. A rule whose argument matches
#: none of these fails the walker: add a line here when a route brings a new argument.
ARGUMENTS = [
    (r"^/communities/proposed/", "slug", "proposed_community"),
    (r"^/communities/", "slug", "community"),
    (r"^/library/", "slug", "item"),
    (r"^/organisations/", "slug", "organisation"),
    (r"^/capacity/", "slug", "organisation"),
    (r"", "discussion_id", "discussion"),
    (r"", "reply_id", "reply"),
    (r"^/communities/", "user_id", "member"),
    (r"", "user_id", "person"),
    (r"", "membership_id", "join_request"),
    (r"", "round_id", "round"),
    (r"", "intro_id", "introduction"),
    (r"", "caption_id", "caption"),
    (r"", "file_id", "file"),
    (r"", "notification_id", "notification"),
    (r"", "object_id", "discussion"),
    (r"", "kind", "kind"),
    (r"", "block", "block"),
    (r"", "token", "token"),
    (r"", "upload_id", "token"),
    (r"", "filename", "static_file"),
    (r"^/account/devices/", "row_id", "device_session"),
    (r"^/account/two-factor/", "action", "two_factor_action"),
    (r"", "item_id", "item_id"),
    (r"/proposal", "session_id", "session_proposal"),
    (r"/attendance", "session_id", "past_session"),
    (r"", "session_id", "learning_session"),
    (r"^/desk/templates/", "template_id", "reply_template"),
    (r"", "action_id", "plan_action"),
]


def first(statement):
    found = db.session.scalar(statement)
    assert found is not None, f"the demo has no row for {statement}"
    return found


def world_values(app) -> dict:
    """Real values, taken from the demo content: objects the member, facilitator and focal point act on."""
    member = first(sa.select(User).where(User.email == ROLES["member"]))
    facilitated = first(sa.select(Community).join(Membership).join(User).where(
        User.email == ROLES["facilitator"], Membership.is_facilitator, Community.deleted_at.is_(None)))
    discussion = first(sa.select(Discussion).where(Discussion.community_id == facilitated.id,
                                                   Discussion.deleted_at.is_(None)).order_by(Discussion.id))
    reply = first(sa.select(Reply).where(Reply.discussion_id == discussion.id).order_by(Reply.id))
    item = first(sa.select(LibraryItem).join(Caption).order_by(LibraryItem.id))
    focal = first(sa.select(User).where(User.email == ROLES["focal point"]))
    static = next(p for p in sorted(Path(app.static_folder).rglob("*.css")))
    return {
        "community": facilitated.slug,
        "proposed_community": db.session.scalar(sa.select(Community.slug).where(Community.status == PROPOSED))
        or facilitated.slug,
        "item": item.slug,
        "item_id": item.id,
        "organisation": focal.organisation.slug,
        "discussion": discussion.id,
        "reply": reply.id,
        "member": member.id,
        "person": member.id,
        "join_request": db.session.scalar(sa.select(Membership.id).where(Membership.status == REQUESTED)) or 1,
        "round": first(sa.select(SurveyRound.id).order_by(SurveyRound.id.desc())),
        "introduction": db.session.scalar(sa.select(Introduction.id)) or 1,
        "caption": first(sa.select(Caption.id).where(Caption.item_id == item.id)),
        "file": first(sa.select(MediaFile.id).where(MediaFile.item_id == item.id)),
        "notification": db.session.scalar(sa.select(Notification.id).where(Notification.recipient_id == member.id))
        or 1,
        "kind": "discussion",
        "two_factor_action": "recovery-codes",
        "block": next(iter(BLOCKS)),
        "token": "walker-token-0123456789abcdef",
        "static_file": str(static.relative_to(app.static_folder)),
        "organisation_id": focal.organisation_id,
        "learning_session": first(sa.select(LearningSession.id).order_by(
            (LearningSession.community_id != facilitated.id), LearningSession.recording_id.is_(None),
            LearningSession.id)),
        "session_proposal": first(sa.select(LearningSession.id).where(LearningSession.status == SESSION_PROPOSED)),
        "past_session": first(sa.select(LearningSession.id).where(
            LearningSession.community_id == facilitated.id, LearningSession.ends_at < utcnow())),
        "reply_template": first(sa.select(ReplyTemplate.id).order_by(ReplyTemplate.id)),
        "plan_action": first(sa.select(PlanAction.id).order_by(PlanAction.id)),
        "organisations": [o for o in db.session.scalars(sa.select(Organisation.slug))],
    }


def argument_value(rule, name: str, values: dict):
    """The real value for one argument of one rule; fails the test when the walker does not know it."""
    converter = rule._converters[name]
    if isinstance(converter, AnyConverter):
        return converter.regex.strip("(?:)").split("|")[0].replace("\\", "")
    for pattern, argument, key in ARGUMENTS:
        if argument == name and re.search(pattern, rule.rule):
            return values[key]
    pytest.fail(f"The route walker cannot fill <{name}> in {rule.rule} ({rule.endpoint}): add a line for it "
                f"to ARGUMENTS in tests/walker/world.py, so the new route is walked.")


def check_converter(rule, name: str) -> None:
    known = (IntegerConverter, UnicodeConverter, AnyConverter, PathConverter)
    if not isinstance(rule._converters[name], known):
        pytest.fail(f"The route walker does not know the converter of <{name}> in {rule.rule} "
                    f"({type(rule._converters[name]).__name__}): teach tests/walker/world.py its extremes.")


def walked_methods(rule) -> list[str]:
    methods = set(rule.methods) - {"OPTIONS"}
    if "GET" in methods:
        methods.discard("HEAD")
    return sorted(methods) or ["OPTIONS"]


# --- The forms pages show -----------------------------------------------------------------------------------

class FormParser(HTMLParser):
    """Every form on a page: (method, action) and its fields {name: (kind, default, options)}."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"method": (attrs.get("method") or "get").upper(), "action": attrs.get("action") or "",
                          "fields": {}}
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name") or attrs["name"] == "csrf_token":
            return
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and attrs["name"] in self._form["fields"]:
                return
            default = attrs.get("value") or ("walker@example.org" if kind == "email" else
                                             "2026-01-15" if kind == "date" else "7" if kind == "number" else
                                             "https://example.org/walker" if kind == "url" else
                                             "on" if kind in ("checkbox", "radio") else
                                             "" if kind == "file" else "Walker text")
            self._form["fields"][attrs["name"]] = (kind, default, [])
        elif tag == "textarea":
            self._form["fields"][attrs["name"]] = ("textarea", "Walker text, long enough to be a real post.", [])
        elif tag == "select":
            self._select = self._form["fields"][attrs["name"]] = ("select", "", [])
        elif tag == "option" and self._select is not None:
            self._select[2].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_of(html: str, page_path: str) -> dict:
    """{(method, action path): fields} for the POST forms of a page."""
    parser = FormParser()
    parser.feed(html)
    found = {}
    for form in parser.forms:
        if form["method"] != "POST":
            continue
        action = form["action"].split("#")[0].split("?")[0] or page_path
        action = re.sub(r"^https?://[^/]+", "", action)
        fields = {name: (kind, default or (options[0] if options else ""), options)
                  for name, (kind, default, options) in form["fields"].items()}
        found.setdefault(action, {}).update(fields)
    return found


# --- Each request in a transaction that is rolled back ----------------------------------------------------

def table_counts_query():
    return sa.select(*[sa.select(sa.func.count()).select_from(table).scalar_subquery().label(table.name)
                       for table in db.metadata.sorted_tables])


@contextmanager
def rolled_back_requests(app):
    """Point the hub at one connection whose outer transaction is rolled back after each request.

    Views commit as usual: the session works in a SAVEPOINT of that transaction. SQLite's Python driver
    must be told to leave transactions to SQLAlchemy, or releasing the savepoint would commit. No app
    context is held between requests: each request has its own, as in production."""
    with app.app_context():
        engine = db.engines[None]
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_own_transactions)
            sa.event.listen(engine, "begin", _sqlite_begin)
            engine.dispose()
        db.session.remove()
        factory_options = dict(db.session.session_factory.kw)  # db.session outlives this app: restore it
        db.session.configure(join_transaction_mode="create_savepoint")
        connection = engine.connect()
        db.engines[None] = connection

    @contextmanager
    def one_request():
        outer = connection.begin()
        try:
            yield connection
        finally:
            outer.rollback()
    try:
        yield one_request
    finally:
        with app.app_context():
            db.session.remove()
            db.engines[None] = engine
            connection.close()
            db.session.session_factory.kw.clear()
            db.session.session_factory.kw.update(factory_options)
            if engine.dialect.name == "sqlite":
                sa.event.remove(engine, "connect", _sqlite_own_transactions)
                sa.event.remove(engine, "begin", _sqlite_begin)
            engine.dispose()


def _sqlite_own_transactions(dbapi_connection, record):
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection):
    connection.exec_driver_sql("BEGIN")


def suspend(email: str) -> None:
    """The suspended role: signed in while active, then suspended (the session it holds is what is walked)."""
    user = first(sa.select(User).where(User.email == email))
    user.status = SUSPENDED
    db.session.commit()
