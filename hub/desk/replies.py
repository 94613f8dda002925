"""The desk's reply-template pages: the secretariat writes each template in the five languages.

The list flags languages a template lacks (those readers receive English). Picking and resolving a
template next to a reason is hub/desk/reply_templates.py.
"""

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from hub import permissions
from hub.audit import record
from hub.db import utcnow
from hub.desk.models import TEMPLATE_PURPOSES, ReplyTemplate
from hub.desk.views import bp, staff_only
from hub.extensions import db
from hub.i18n import LANGUAGE_NAMES
from hub.inputs import strip

REQUIRED = _l("This field is required.")
LONG = _l("Use at most 2000 characters.")


class TemplateForm(FlaskForm):
    purpose = SelectField(_l("Used for"), [InputRequired(message=REQUIRED)],
                          choices=[SelectChoice(key, label) for key, label in TEMPLATE_PURPOSES.items()])
    name = StringField(_l("Name (how moderators find it in the menu)"),
                       [DataRequired(message=REQUIRED), Length(max=120)], filters=[strip])
    retired = BooleanField(_l("Retired (no longer offered; kept for the record)"))
    submit = SubmitField(_l("Save the template"))


def template_form(template: ReplyTemplate | None):
    """The form with one text box per hub language; English is required (the fallback)."""
    class Form(TemplateForm):
        pass
    for code in current_app.config["LANGUAGES"]:
        checks = [Length(max=2000, message=LONG)]
        if code == "en":
            checks.insert(0, DataRequired(message=_l("Write the English text: it is what other languages fall back to.")))
        setattr(Form, f"text_{code}", TextAreaField(LANGUAGE_NAMES.get(code, code), checks, filters=[strip]))
    form = Form(obj=template)
    if template is not None and not form.is_submitted():
        form.retired.data = template.retired_at is not None
        for code in current_app.config["LANGUAGES"]:
            form[f"text_{code}"].data = (template.texts or {}).get(code, "")
    return form


def save(template: ReplyTemplate | None, form, actor) -> ReplyTemplate:
    """Create or change a template from the form and audit it; flushes."""
    action = "edit_reply_template" if template is not None else "create_reply_template"
    if template is None:
        template = ReplyTemplate()
        db.session.add(template)
    template.purpose, template.name = form.purpose.data, form.name.data
    template.texts = {code: form[f"text_{code}"].data for code in current_app.config["LANGUAGES"]
                      if form[f"text_{code}"].data}
    template.retired_at = (template.retired_at or utcnow()) if form.retired.data else None
    db.session.flush()
    record(action, template, details={"name": template.name, "purpose": template.purpose,
                                      "languages": sorted(template.texts)}, actor=actor)
    return template


@bp.route("/desk/templates")
@staff_only(permissions.can_manage_people)
def templates():
    """Every reply template, with the languages it lacks flagged."""
    rows = list(db.session.scalars(sa.select(ReplyTemplate).order_by(
        ReplyTemplate.retired_at.is_not(None), ReplyTemplate.purpose, ReplyTemplate.name)))
    return render_template("desk/templates.html", templates=rows, languages=current_app.config["LANGUAGES"],
                           names=LANGUAGE_NAMES)


@bp.route("/desk/templates/new", methods=["GET", "POST"])
@staff_only(permissions.can_manage_people)
def new_template():
    """Write a new template in the five languages (English required)."""
    return _template_page(None)


@bp.route("/desk/templates/<int:template_id>", methods=["GET", "POST"])
@staff_only(permissions.can_manage_people)
def edit_template(template_id):
    """Change a template's texts, or retire it."""
    return _template_page(db.session.get(ReplyTemplate, template_id) or abort(404))


def _template_page(template: ReplyTemplate | None):
    form = template_form(template)
    if form.validate_on_submit():
        save(template, form, current_user)
        db.session.commit()
        flash(_("The template is saved."), "success")
        return redirect(url_for(".templates"))
    return render_template("desk/template.html", form=form, template=template,
                           languages=current_app.config["LANGUAGES"]), 400 if form.errors else 200
