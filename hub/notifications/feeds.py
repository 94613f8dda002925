"""Atom feeds of public content only: a public community's new discussions, and the public library.

Feeds are read by programs without a session, so they are built for an anonymous visitor: members-only
and private content never appears, whoever asks.
"""

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, url_for
from flask_babel import gettext as _

from hub import permissions
from hub.communities.models import Community
from hub.db import utcnow
from hub.discussions.models import Discussion
from hub.extensions import db
from hub.library.models import LibraryItem

bp = Blueprint("notifications_feeds", __name__)
ENTRIES = 30
ATOM = "application/atom+xml; charset=utf-8"


def _atom(title: str, page_url: str, feed_url: str, entries: list[dict]):
    updated = max((e["updated"] for e in entries), default=utcnow())
    body = render_template("notifications/feed.atom.xml", title=title, page_url=page_url, feed_url=feed_url,
                           entries=entries, updated=updated)
    return body, 200, {"Content-Type": ATOM}


def _summary(text: str, limit: int = 500) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


@bp.route("/communities/<slug>/feed.atom")
def community(slug):
    """New discussions of a public community (404 for any other: feeds are anonymous)."""
    found = db.session.scalar(sa.select(Community).where(Community.slug == slug))
    if found is None or found.visibility != "public" or not permissions.can_view_community(None, found):
        abort(404)
    discussions = db.session.scalars(sa.select(Discussion).where(
        Discussion.community_id == found.id, Discussion.deleted_at.is_(None), Discussion.hidden_at.is_(None))
        .order_by(Discussion.created_at.desc(), Discussion.id.desc()).limit(ENTRIES)).all()
    entries = [{"title": d.title, "url": url_for("discussions.show", discussion_id=d.id, _external=True),
                "updated": d.created_at, "author": d.author.name,
                "summary": _summary(d.body)} for d in discussions if permissions.can_view_discussion(None, d)]
    return _atom(_("%(title)s: new discussions", title=found.title),
                 url_for("communities.show", slug=slug, _external=True),
                 url_for("notifications_feeds.community", slug=slug, _external=True), entries)


@bp.route("/library/feed.atom")
def library():
    """The newest library items anyone may read without signing in."""
    items = db.session.scalars(sa.select(LibraryItem).where(permissions.readable_items(None))
                               .order_by(LibraryItem.created_at.desc(), LibraryItem.id.desc()).limit(ENTRIES)).all()
    entries = [{"title": i.title, "url": url_for("library.detail", slug=i.slug, _external=True),
                "updated": i.created_at, "author": i.owner.name,
                "summary": _summary(i.description)} for i in items if permissions.can_view_item(None, i)]
    return _atom(_("Learning Hub library: new items"), url_for("library.index", _external=True),
                 url_for("notifications_feeds.library", _external=True), entries)
