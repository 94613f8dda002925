"""Load-or-404 for session pages (like flaskr's get_post), shared by every session view module."""

from flask import abort
from flask_login import current_user

from hub import permissions
from hub.learning_sessions import services


def load_session_or_404(session_id: int):
    """The session if this person may see it; 404 otherwise (no existence leak, a proposal included)."""
    session = services.get_session(session_id)
    if session is None or not permissions.can_view_session(current_user, session):
        abort(404)
    return session
