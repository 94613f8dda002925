"""Forms of the secretariat's desk: report, moderate, confirm a deletion, act on a person."""


from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, RadioField, SelectChoice, SelectField, StringField, SubmitField,
                     TextAreaField)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, ValidationError

from hub.desk.models import REASONS
from hub.desk.reply_templates import validate_offered, validate_template_or_reason
from hub.db import utcnow
from hub.inputs import strip

REQUIRED = _l("This field is required.")
LONG = _l("Use at most 2000 characters.")
#: The word a moderator types to confirm a permanent deletion.
CONFIRM_WORD = "DELETE"

ACTIONS = {
    "dismiss": _l("Dismiss the reports (no action needed)"),
    "hide": _l("Hide (reversible; the author is told why)"),
    "restore": _l("Restore hidden content"),
    "revise": _l("Ask the author to revise (the author is told why)"),
    "lock": _l("Lock the discussion"),
}
PERSON_ACTIONS = {
    "silence": _l("Silence (read-only: can read, cannot post, reply, upload, react or report)"),
    "unsilence": _l("Lift the silence"),
    "suspend": _l("Suspend (cannot sign in)"),
    "reinstate": _l("Reinstate (lift the suspension)"),
    "make_focal_point": _l("Make focal point"),
    "remove_focal_point": _l("Remove focal point role"),
    "make_secretariat": _l("Make secretariat"),
    "remove_secretariat": _l("Remove secretariat role"),
    "approve": _l("Approve registration"),
    "decline": _l("Decline registration"),
    "anonymise": _l("Anonymise a departed member (cannot be undone)"),
    "reset_two_factor": _l("Reset two-factor sign-in (lost phone)"),
}


def _options(pairs):
    return [SelectChoice(value, label) for value, label in pairs]


class ReportForm(FlaskForm):
    reason = RadioField(_l("Why are you reporting this?"), [InputRequired(message=REQUIRED)],
                        choices=_options(REASONS.items()))
    note = TextAreaField(_l("What should the moderators know?"), [Length(max=2000, message=LONG)],
                         filters=[strip])
    submit = SubmitField(_l("Send the report"))


class ActionForm(FlaskForm):
    action = SelectField(_l("Action"), [InputRequired(message=REQUIRED)])
    template = SelectField(_l("Reply template (sent in the author's language)"), validate_choice=False)
    reason = TextAreaField(_l("Reason (shown to the author when hiding or asking to revise)"),
                           [Length(max=2000, message=LONG)], filters=[strip])
    submit = SubmitField(_l("Apply"))

    def validate_reason(self, field):
        validate_template_or_reason(self, field)

    def set_choices(self, allowed) -> None:
        self.action.choices = _options((key, label) for key, label in ACTIONS.items() if key in allowed)


class ReviewForm(FlaskForm):
    """Approve or reject a post waiting for review: the pressed button names the decision."""

    decision = StringField(_l("Decision"), [AnyOf(("approve", "reject"), message=_l("Choose approve or reject."))])
    template = SelectField(_l("Reply template (sent in the author's language)"), validate_choice=False)
    reason = TextAreaField(_l("Reason (required to reject; the author is told)"),
                           [Length(max=2000, message=LONG)], filters=[strip])

    def validate_reason(self, field):
        if self.decision.data == "reject" and not field.data and not self.template.data:
            raise ValidationError(_l("Say why the post is rejected: its author is told."))
        if self.decision.data == "reject":
            validate_template_or_reason(self, field)


class DeleteForm(FlaskForm):
    understood = BooleanField(_l("I understand this cannot be undone"),
                              [DataRequired(message=_l("Tick the box to confirm."))])
    word = StringField(_l("Type the word shown above"), [DataRequired(message=REQUIRED)], filters=[strip])
    reason = TextAreaField(_l("Reason"), [DataRequired(message=REQUIRED), Length(max=2000, message=LONG)],
                           filters=[strip])
    submit = SubmitField(_l("Delete permanently"))


class PersonForm(FlaskForm):
    action = SelectField(_l("Action"), [InputRequired(message=REQUIRED)],
                         choices=_options(PERSON_ACTIONS.items()))
    until = DateField(_l("Silenced or suspended until (leave empty: until lifted)"), [Optional()])
    template = SelectField(_l("Reply template (sent in the person's language)"), validate_choice=False)
    reason = TextAreaField(_l("Reason (the person is told when silenced, suspended or declined)"),
                           [Length(max=2000, message=LONG)], filters=[strip])
    submit = SubmitField(_l("Apply"))

    def validate_until(self, field):
        if field.data is not None and self.action.data in ("silence", "suspend") and field.data <= utcnow().date():
            raise ValidationError(_l("The end date is in the past (or today): choose a later day, or leave it "
                                     "empty for a sanction until lifted."))

    def validate_reason(self, field):
        validate_template_or_reason(self, field)


class ExportForm(FlaskForm):
    """A data request: the secretariat downloads everything the hub holds about a person (audited)."""
    request_note = TextAreaField(_l("The request (who asked, when, how: recorded in the audit log)"),
                                 [DataRequired(message=REQUIRED), Length(max=2000, message=LONG)], filters=[strip])
    submit = SubmitField(_l("Download this person's data"))


NOTE_ABOUT = {"case": _l("This case"), "author": _l("The author (a note on the person)")}
BULK_ACTIONS = {
    "approve": _l("Approve (posts waiting for review)"),
    "hide": _l("Hide (reported content; rejects posts waiting for review)"),
    "dismiss": _l("Dismiss the reports (no action needed)"),
}


class NoteForm(FlaskForm):
    """An internal note of the moderators: never shown to the people concerned."""

    about = RadioField(_l("The note is about"), [InputRequired(message=REQUIRED)], default="case",
                       choices=_options(NOTE_ABOUT.items()))
    body = TextAreaField(_l("Internal note (moderators only)"),
                         [DataRequired(message=REQUIRED), Length(max=2000, message=LONG)], filters=[strip])
    submit = SubmitField(_l("Add the note"))


class ClaimForm(FlaskForm):
    """Take a case, or give it back (the pressed button says which)."""

    submit = SubmitField(_l("Claim this case"))
    release = SubmitField(_l("Give the case back"))


class BulkForm(FlaskForm):
    """One action on many cases: chosen on the queue, confirmed on a second page."""

    action = SelectField(_l("Action on the selected cases"), [InputRequired(message=REQUIRED)],
                         choices=_options(BULK_ACTIONS.items()))
    reason = TextAreaField(_l("Reason (the authors of hidden or rejected posts are told)"),
                           [Length(max=2000, message=LONG)], filters=[strip])
    submit = SubmitField(_l("Review the selection"))
    confirm = SubmitField(_l("Apply to all of them"))

    def validate_reason(self, field):
        if self.action.data == "hide" and not field.data:
            raise ValidationError(_l("Say why the content is hidden: its authors are told."))


class RegistrationForm(FlaskForm):
    """Approve or decline a registration (a focal point's or the secretariat's): the pressed button says which."""

    template = SelectField(_l("Reply template for a decline (sent in the person's language)"), validate_choice=False)
    message = TextAreaField(_l("Message to the person (optional)"),
                            [Length(max=1000, message=_l("Use at most 1000 characters."))], filters=[strip])
    approve = SubmitField(_l("Approve"))
    decline = SubmitField(_l("Decline"))

    def validate_template(self, field):
        if self.decline.data:
            validate_offered(field)
