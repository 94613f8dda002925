"""The results page: /search?q=… works without JavaScript."""

from collections import Counter
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from hub.communities.models import Community
from hub.discussions import unread
from hub.extensions import db
from hub.i18n import spoken_language_name
from hub.organisations.countries import REGIONS
from hub.pagination import page_arg
from hub.search import services
from hub.search.kinds import KINDS, OLD_NAMES
from hub.themes import theme_label

bp = Blueprint("search", __name__)
#: Characters url_for leaves as they are in a query string (werkzeug's, after the URL standard).
URL_SAFE = "!$'()*,/:;?@"


def facet_label(facet: str, value: str) -> str:
    """A human name for a filter value (kind, language, community, theme, region, year)."""
    if facet == "kind":
        return str(KINDS[value].label) if value in KINDS else value
    if facet == "theme":
        return theme_label(value)
    if facet == "region":
        return str(REGIONS.get(value, value))
    if facet == "language":
        return spoken_language_name(value)
    if facet == "community" and value.isdigit():
        community = db.session.get(Community, int(value))
        return community.title if community is not None else value
    return value


def search_url(base: str, args: dict, changes: dict) -> str:
    """This search's URL with some parameters changed (None removes one), from the page's
    url_for("search.results"): a page has some forty of these links, and url_for cost more than the rest."""
    merged = [(key, value) for key, value in (args | changes).items() if value not in (None, "")]
    return f"{base}?{urlencode(merged, safe=URL_SAFE)}" if merged else base


def load_facet_communities(found) -> None:
    """The communities the facet lists name, in one query (facet_label then finds them loaded)."""
    ids = {int(value) for value, _ in found.counts.get("community", Counter()).most_common(12) if value.isdigit()}
    if ids:
        db.session.scalars(sa.select(Community).where(Community.id.in_(ids))).all()


@bp.route("/search")
def results():
    if request.args.get("kind") in OLD_NAMES:  # a link from before the kinds had one word each
        args = request.args.to_dict() | {"kind": OLD_NAMES[request.args["kind"]]}
        return redirect(url_for("search.results", **args), code=301)
    query = request.args.get("q", "")
    filters = {facet: request.args.get(facet, "") for facet in services.FACETS}
    sort = request.args.get("sort") if request.args.get("sort") in services.SORTS else "relevance"
    found = services.search(query, current_user, filters, sort, page_arg())
    if found.unavailable:
        db.session.commit()  # the rebuild job queued by search()
    args = {k: v for k, v in filters.items() if v} | {"q": found.query, "sort": sort}
    new_replies = unread.unread_in(current_user, [hit.object_id for hit in found.hits if hit.kind == "discussion"])
    load_facet_communities(found)
    base = url_for("search.results")
    return render_template("search/results.html", found=found, filters=filters, sort=sort, args=args,
                           facet_label=facet_label, kinds=KINDS, new_replies=new_replies,
                           search_url=lambda changes: search_url(base, args, changes))
