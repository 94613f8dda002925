"""People's profiles (registrations are reviewed on the desk: hub/desk/registrations.py)."""

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from hub import permissions
from hub.accounts.models import User
from hub.extensions import db

bp = Blueprint("accounts_people", __name__)


def load_person_or_404(user_id: int) -> User:
    """The person, or 404 when they do not exist or may not be seen (never 403: no existence leak)."""
    person = db.session.get(User, user_id)
    if person is None or not permissions.can_view_profile(current_user, person):
        abort(404)
    return person


@bp.route("/people/<int:user_id>")
@login_required
def profile(user_id):
    """Signed-out visitors are asked to sign in, whoever the id names (no existence leak): an author's
    name or an @mention on a public page then leads somewhere; signed-in people who may not see the
    person get 404."""
    return render_template("accounts/profile.html", person=load_person_or_404(user_id))


bp.add_app_template_global(permissions.can_view_profile, "can_view_profile")
