"""Reply templates next to a reason: the menu, and the text each person receives.

A moderator picks one in a menu next to the free-text reason; no JavaScript is needed: the template is
resolved here, on the server, in the language of the person who receives it (English when the template
lacks that language). Free text stays possible, alone or after the template.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from wtforms import SelectChoice
from wtforms.validators import ValidationError

from hub.desk.models import FALLBACK, ReplyTemplate
from hub.extensions import db
from hub.i18n import LANGUAGE_NAMES


def available(purposes) -> list[ReplyTemplate]:
    """The templates moderators may pick for these purposes, by name."""
    return list(db.session.scalars(sa.select(ReplyTemplate).where(
        ReplyTemplate.purpose.in_(list(purposes)), ReplyTemplate.retired_at.is_(None)).order_by(ReplyTemplate.name)))


def offer(field, purposes, locale: str | None = None, found: list[ReplyTemplate] | None = None) -> None:
    """Fill a template menu: "none" first, then the templates for these purposes (or `found`, fetched once for
    many menus); with the reader's `locale`, a template without text in their language says they get English."""
    code = (locale or FALLBACK).split("_")[0]

    def label(template):
        label = f"{template.purpose_label} · {template.name}"
        if code != FALLBACK and template.missing([code]):
            return _("%(template)s (sent in English: no %(language)s text)", template=label,
                     language=LANGUAGE_NAMES.get(code, code))
        return label
    field.choices = [SelectChoice("", _("No template: write the reason below"))] + [
        SelectChoice(str(t.id), label(t)) for t in (available(purposes) if found is None else found)]


def chosen(field) -> ReplyTemplate | None:
    """The template picked in the menu, or None."""
    value = field.data or ""
    if not (value.isdigit() and len(value) <= 9):  # an id the database can hold
        return None
    template = db.session.get(ReplyTemplate, int(value))
    return template if template is not None and template.retired_at is None else None


def message(template: ReplyTemplate | None, free_text: str, locale: str | None) -> str:
    """What the person reads: the template in their language (else English), then the moderator's words."""
    return "\n\n".join(part for part in ((template.text_in(locale) if template else ""), free_text or "") if part)


def validate_offered(field) -> None:
    """A template picked in the menu must still be offered (not retired, not a made-up id)."""
    if field.data and chosen(field) is None:
        raise ValidationError(_("This template is no longer offered: pick another one or write the reason."))


def validate_template_or_reason(form, field) -> None:
    """A reason is needed: a template, free text, or both (used by the desk's forms as validate_reason)."""
    validate_offered(form.template)
    if not (field.data or "").strip() and not form.template.data:
        raise ValidationError(_("Pick a template or write the reason."))
