"""Load-or-404 for library items, shared by the pages and the file responses."""

from flask import abort
from flask_login import current_user

from hub import permissions
from hub.library import services
from hub.library.models import LibraryItem
from hub.slugs import redirect_if_renamed


def load_item_or_404(slug: str, edit: bool = False):
    """The item, or 404 when this person may not see it (403 when they may see but not edit it)."""
    item = services.get_by_slug(slug)
    if item is None:
        redirect_if_renamed(LibraryItem, slug, lambda found: permissions.can_view_item(current_user, found))
    if item is None or not permissions.can_view_item(current_user, item):
        abort(404)
    if edit and not permissions.can_edit_item(current_user, item):
        abort(403)
    return item
