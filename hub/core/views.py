"""The home page, the language switcher and the health check."""

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user

from hub import audit
from hub.accounts.views import safe_next
from hub.core import home as home_blocks
from hub.extensions import db
from hub.organisations.models import Organisation
from hub.search.indexing import index_usable

bp = Blueprint("core", __name__)


@bp.route("/")
def home():
    """A signed-in person's news and what waits for them; for visitors, what the hub is and how to join."""
    organisations = db.session.scalar(sa.select(sa.func.count()).select_from(Organisation).where(
        Organisation.status == "active", Organisation.deleted_at.is_(None)))
    if current_user.is_authenticated:
        blocks = home_blocks.for_person(current_user)
    else:
        blocks = home_blocks.for_visitor(current_user)
    return render_template("core/home.html", organisation_count=organisations, **blocks)


@bp.route("/language", methods=["POST"])
@audit.exempt("a person choosing the language of their own pages")
def set_language():
    """Remember the chosen language in this browser, and for a signed-in person in their profile."""
    code = request.form.get("lang", "")
    if code in current_app.config["LANGUAGES"]:
        session["locale"] = code
        if current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
    return redirect(safe_next(request.form.get("next")))


@bp.route("/healthz")
def healthz():
    """JSON for monitors: is the database reachable, is the search index usable?"""
    try:
        db.session.execute(sa.text("SELECT 1"))
        database = "ok"
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        database = "unavailable"
    search = "ok" if index_usable() else "unavailable"  # the site still works; search says "rebuilding"
    status = 200 if database == "ok" else 503
    healthy = status == 200 and search == "ok"
    return jsonify(status="ok" if healthy else "degraded", database=database, search=search), status
