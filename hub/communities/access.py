"""Load-or-404 helpers shared by the community views (like flaskr's get_post)."""

from flask import abort
from flask_login import current_user

from hub import permissions
from hub.communities import services
from hub.communities.models import Community
from hub.slugs import redirect_if_renamed


def load_community_or_404(slug: str):
    """The community if this person may read it; 404 otherwise (no existence leak)."""
    community = services.get_by_slug(slug)
    if community is None:
        redirect_if_renamed(Community, slug, lambda found: permissions.can_view_community(current_user, found))
    if community is None or not permissions.can_view_community(current_user, community):
        abort(404)
    return community


def load_listed_community_or_404(slug: str):
    """The community if this person may at least see its title (a discoverable private one); else 404."""
    community = services.get_by_slug(slug)
    if community is None:
        redirect_if_renamed(Community, slug, lambda found: permissions.can_list_community(current_user, found))
    if community is None or not permissions.can_list_community(current_user, community):
        abort(404)
    return community


def require(allowed: bool) -> None:
    """403 when the person may see the object but not do this to it."""
    if not allowed:
        abort(403)
