"""Comments, evidence and confirmations on any answer, and the reviewers a focal point names.
Services flush; the view commits."""

import re

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from hub import kinds, signals
from hub.accounts.models import ACTIVE as ACCOUNT_ACTIVE
from hub.accounts.models import User
from hub.audit import record
from hub.communities.models import MEMBER, Membership
from hub.extensions import db
from hub.organisations.models import Organisation
from hub.survey import questionnaire as q
from hub.survey.plan_models import AnswerNote, AnswerReviewer

_ITEM_PATH = re.compile(r"/library/(?:by-id/)?([^/?#]+)")


class NoteError(ValueError):
    """A note the hub refuses; str() is the translated message."""


def reviewers(survey_round, organisation) -> list[AnswerReviewer]:
    """The peer organisations and facilitators named to confirm this organisation's answers."""
    return db.session.scalars(sa.select(AnswerReviewer).options(
        selectinload(AnswerReviewer.reviewer_organisation), selectinload(AnswerReviewer.reviewer_user))
        .where(AnswerReviewer.round_id == survey_round.id, AnswerReviewer.organisation_id == organisation.id)
        .order_by(AnswerReviewer.id)).all()


def notes(survey_round, organisation) -> dict[str, list[AnswerNote]]:
    """{question id: [notes, oldest first]} for the organisation's answers to the round."""
    found = {}
    for note in db.session.scalars(sa.select(AnswerNote).options(selectinload(AnswerNote.author),
                                                                 selectinload(AnswerNote.item))
                                   .where(AnswerNote.round_id == survey_round.id,
                                          AnswerNote.organisation_id == organisation.id,
                                          AnswerNote.deleted_at.is_(None))
                                   .order_by(AnswerNote.created_at, AnswerNote.id)):
        found.setdefault(note.question_id, []).append(note)
    return found


def answerable_questions(survey_round) -> list[tuple[str, str]]:
    """(question id, label) of every scale and choice question: any answer can carry a note."""
    return [(question["id"], q.question_label(question)) for question in q.questions(survey_round.questionnaire)
            if question["type"] in (q.SCALE, q.SINGLE, q.MULTIPLE)]


def find_item(reference: str, person):
    """The library item named by its address or short name, if this person may see it; else NoteError."""
    reference = reference.strip()
    match = _ITEM_PATH.search(reference)
    key = match.group(1) if match else reference
    model = kinds.KINDS["item"].model
    item = db.session.scalar(sa.select(model).where(model.slug == key))
    if item is None and key.isdigit() and len(key) < 10:
        item = db.session.get(model, int(key))
    if item is None or not kinds.can_view(person, item):
        raise NoteError(_("No library item you can see has this address or short name."))
    return item


def add_note(survey_round, organisation, data: dict, by, role: str) -> AnswerNote:
    """A comment, evidence or confirmation about one answer."""
    if data["question"] not in dict(answerable_questions(survey_round)):
        raise NoteError(_("Choose one of the questions listed."))
    document = (data.get("document_url") or "").strip()
    if document and not document.lower().startswith(("https://", "http://")):
        raise NoteError(_("Give a full address, starting with https://"))
    item = find_item(data["item"], by) if data.get("item") else None
    if not (data["text"].strip() or item or data.get("document_url")) and data["kind"] == "comment":
        raise NoteError(_("Write a comment, or give a library item or a document."))
    note = AnswerNote(round_id=survey_round.id, organisation_id=organisation.id, question_id=data["question"],
                      kind=data["kind"], text=data["text"].strip(), item=item,
                      document_url=document, author_id=by.id, role=role)
    db.session.add(note)
    db.session.flush()
    record("answer_note", note, details={"question": note.question_id, "kind": note.kind, "role": role})
    return note


def name_reviewer(survey_round, organisation, by, reviewer_org_id=None, reviewer_user_id=None) -> AnswerReviewer:
    """Ask a peer organisation (its focal points) or a facilitator to confirm or comment."""
    if reviewer_org_id == organisation.id:
        raise NoteError(_("Name another organisation: yours already sees its answers."))
    if reviewer_org_id is None and reviewer_user_id is None:
        raise NoteError(_("Choose an organisation or a facilitator."))
    reviewer = AnswerReviewer(round_id=survey_round.id, organisation_id=organisation.id, named_by_id=by.id,
                              reviewer_organisation_id=reviewer_org_id, reviewer_user_id=reviewer_user_id)
    db.session.add(reviewer)
    db.session.flush()
    record("name_reviewer", reviewer, details={"organisation": reviewer_org_id, "person": reviewer_user_id})
    signals.reviewer_named.send(reviewer, actor=by)
    return reviewer


def peer_choices(organisation) -> list[tuple[str, str]]:
    """Listed organisations other than this one, by name."""
    return [(str(o.id), o.display_name) for o in db.session.scalars(sa.select(Organisation).where(
        Organisation.status == "active", Organisation.deleted_at.is_(None), Organisation.id != organisation.id)
        .order_by(Organisation.name))]


def facilitator_choices() -> list[tuple[str, str]]:
    """Active people who facilitate a community, by name."""
    facilitates = sa.select(Membership.user_id).where(Membership.is_facilitator.is_(True), Membership.status == MEMBER)
    return [(str(u.id), u.name) for u in db.session.scalars(sa.select(User).where(
        User.id.in_(facilitates), User.status == ACCOUNT_ACTIVE, User.deleted_at.is_(None)).order_by(User.name))]
