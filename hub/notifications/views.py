"""The notifications page, marking read, email settings and the one-click unsubscribe."""

from flask import Blueprint, abort, flash, g, has_request_context, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hub import audit, permissions
from hub.accounts.models import User
from hub.extensions import csrf, db
from hub.notifications import digest, services
from hub.notifications.emails import DIGEST, read_unsubscribe_token
from hub.notifications.forms import kind_fields, settings_form
from hub.notifications.models import KINDS, REPORT, REVIEW
from hub.pagination import page_arg

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def header_unread() -> dict:
    """The header's unread count, fetched for the page (not by it): one COUNT per request, only for
    signed-in people."""
    if not has_request_context() or not permissions.is_signed_in(current_user):
        return {"unread_count": 0}
    if "unread_notifications" not in g:
        g.unread_notifications = services.unread_count(current_user)
    return {"unread_count": g.unread_notifications}


@bp.route("")
@login_required
def index():
    """The person's notifications, newest first, paginated."""
    page = services.inbox(current_user, page_arg())
    return render_template("notifications/index.html", page=page)


@bp.route("/<int:notification_id>/read", methods=["POST"])
@bp.route("/read", methods=["POST"], endpoint="read_all")
@login_required
@audit.exempt("a person marks their own notifications as read")
def read(notification_id=None):
    """Mark one notification read, or all of them; back to the same page of the list."""
    services.mark_read(current_user, notification_id)
    db.session.commit()
    if notification_id is None:
        flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.index", page=request.form.get("page", 1, type=int)))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
@audit.exempt("a person's own notification settings")
def settings():
    """Per kind: email at once, in the digest, or never; and how often the digest comes."""
    # Only moderators are ever asked to review posts: nobody else is offered that choice.
    kinds = [kind for kind in KINDS if kind not in (REVIEW, REPORT) or permissions.can_use_desk(current_user)]
    form = settings_form(services.preferences_of(current_user), digest.frequency_of(current_user.id), kinds)
    if form.validate_on_submit():
        for kind, field in kind_fields(form):
            services.set_preference(current_user.id, kind, field.data)
        digest.set_frequency(current_user.id, form.digest.data)
        db.session.commit()
        flash(_("Your email settings are saved."), "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form, kinds=kind_fields(form))


def _unsubscribe_target(token: str):
    """(person, what) for a valid token; otherwise the translated refusal page is returned."""
    found = read_unsubscribe_token(token)
    if found == "expired":
        message = _("This unsubscribe link has expired. Sign in to change your email settings.")
    elif found == "invalid":
        message = _("This unsubscribe link is not valid. Sign in to change your email settings.")
    else:
        person = db.session.get(User, found[0])
        if person is not None and (found[1] == DIGEST or found[1] in KINDS):
            return person, found[1]
        message = _("This unsubscribe link is not valid. Sign in to change your email settings.")
    abort(make_response(render_template("notifications/unsubscribe.html", refusal=message), 400))


def _what_label(what: str) -> str:
    return _("the digest") if what == DIGEST else str(KINDS[what][0])


@bp.route("/unsubscribe/<token>", methods=["GET"])
def unsubscribe(token):
    """Confirm before stopping (a GET never changes anything: mail scanners open links)."""
    person, what = _unsubscribe_target(token)
    return render_template("notifications/unsubscribe.html", token=token, what=_what_label(what))


@bp.route("/unsubscribe/<token>", methods=["POST"])
@csrf.exempt  # RFC 8058: mail clients post here without a session; the signed token is the proof
@audit.exempt("a person stopping their own emails from a signed link")
def unsubscribe_now(token):
    """Stop this kind of email (or the digest) for the token's person, with one click."""
    person, what = _unsubscribe_target(token)
    if what == DIGEST:
        digest.set_frequency(person.id, "off")
    else:
        services.set_preference(person.id, what, "never")
    db.session.commit()
    return render_template("notifications/unsubscribe.html", done=True, what=_what_label(what))
