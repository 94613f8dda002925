"""What people do to a discussion besides writing: helpful, follow, answer; facilitators pin, lock, move,
and mark best practices; and the hub-wide Best practices page."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from hub import audit, permissions
from hub.accounts.models import User
from hub.communities.models import Community
from hub.discussions import services
from hub.discussions.forms import BestPracticeForm, MoveForm
from hub.discussions.models import Discussion
from hub.discussions.views import load_discussion_or_404, load_reply_or_404
from hub.extensions import db
from hub.organisations.countries import REGIONS
from hub.themes import THEMES

bp = Blueprint("discussions_actions", __name__)


def back_to(discussion, reply=None):
    if reply is not None:
        return redirect(url_for("discussions.permalink", discussion_id=discussion.id, reply_id=reply.id))
    return redirect(url_for("discussions.show", discussion_id=discussion.id))


def facilitated(discussion):
    """403 unless the person facilitates the discussion's community (or is the secretariat)."""
    if not permissions.can_facilitate(current_user, discussion.community):
        abort(403)
    return discussion


@bp.route("/discussions/<int:discussion_id>/helpful", methods=["POST"])
@bp.route("/discussions/<int:discussion_id>/replies/<int:reply_id>/helpful", methods=["POST"])
@login_required
@audit.exempt("a person's own helpful mark on a post")
def helpful(discussion_id, reply_id=None):
    """Mark a post as helpful, or take the mark back (one per person per post)."""
    discussion = load_discussion_or_404(discussion_id)
    post = load_reply_or_404(discussion, reply_id) if reply_id else None
    if not permissions.can_post_in(current_user, discussion.community) or (post or discussion).is_deleted:
        abort(403)
    wanted = request.form.get("marked")
    services.set_helpful(current_user, discussion, post, {"1": True, "0": False}.get(wanted))
    db.session.commit()
    return back_to(discussion, post)


@bp.route("/discussions/<int:discussion_id>/follow", methods=["POST"])
@login_required
@audit.exempt("a person follows or stops following a discussion for themselves")
def follow(discussion_id):
    """Follow the discussion, or stop following it."""
    discussion = load_discussion_or_404(discussion_id)
    if services.is_following(current_user, discussion):
        services.unfollow(current_user, discussion)
        flash(_("You no longer follow this discussion."), "success")
    else:
        services.follow(current_user, discussion)
        flash(_("You follow this discussion."), "success")
    db.session.commit()
    return back_to(discussion)


@bp.route("/discussions/<int:discussion_id>/replies/<int:reply_id>/answer", methods=["POST"])
@login_required
@audit.exempt("the question's author choosing the answer of their own question; "
              "a facilitator's choice is audited by discussions.services.toggle_answer")
def answer(discussion_id, reply_id):
    """The question's author or a facilitator marks a reply as the answer (or unmarks it)."""
    discussion = load_discussion_or_404(discussion_id)
    post = load_reply_or_404(discussion, reply_id)
    if not permissions.can_mark_answer(current_user, discussion) or post.is_deleted:
        abort(403)
    marked = services.toggle_answer(discussion, post, current_user)
    db.session.commit()
    flash(_("Marked as the answer.") if marked else _("No longer marked as the answer."), "success")
    return back_to(discussion, post)


@bp.route("/discussions/<int:discussion_id>/pin", methods=["POST"])
@bp.route("/discussions/<int:discussion_id>/lock", methods=["POST"], endpoint="lock")
@login_required
def pin(discussion_id):
    """Facilitators pin a discussion to the top of the list, or lock it against new replies (toggles)."""
    discussion = facilitated(load_discussion_or_404(discussion_id))
    if request.endpoint.endswith("lock"):
        services.set_locked(discussion, not discussion.is_locked, current_user)
        flash(_("The discussion is locked.") if discussion.is_locked else _("The discussion is open again."),
              "success")
    else:
        services.set_pinned(discussion, not discussion.is_pinned, current_user)
        flash(_("The discussion is pinned.") if discussion.is_pinned else _("The discussion is unpinned."),
              "success")
    db.session.commit()
    return back_to(discussion)


def move_targets(discussion):
    """The other communities this person facilitates (the secretariat: every open community)."""
    query = sa.select(Community).where(Community.id != discussion.community_id, Community.deleted_at.is_(None),
                                       Community.status == "active").order_by(Community.title)
    if not permissions.is_secretariat(current_user):
        query = query.where(Community.id.in_(permissions.facilitated_communities(current_user)))
    return list(db.session.scalars(query))


@bp.route("/discussions/<int:discussion_id>/move", methods=["GET", "POST"])
@login_required
def move(discussion_id):
    """Move a discussion to another community the facilitator also facilitates."""
    discussion = facilitated(load_discussion_or_404(discussion_id))
    targets = {str(c.id): c for c in move_targets(discussion)}
    form = MoveForm()
    form.community.choices = [(key, c.title) for key, c in targets.items()]
    if form.validate_on_submit():
        target = targets.get(form.community.data)
        if target is None:
            form.community.errors.append(_("Choose a community you facilitate."))
        else:
            services.move_discussion(discussion, target, current_user)
            db.session.commit()
            flash(_("The discussion is now in %(title)s.", title=target.title), "success")
            return back_to(discussion)
    return render_template("discussions/move.html", form=form, discussion=discussion)


@bp.route("/discussions/<int:discussion_id>/best-practice", methods=["GET", "POST"])
@login_required
def best_practice(discussion_id):
    """A facilitator or the secretariat marks the discussion as a best practice, with a short summary."""
    discussion = facilitated(load_discussion_or_404(discussion_id))
    form = BestPracticeForm()
    if request.method == "GET":
        form.summary.data = discussion.best_practice_summary or ""
    elif form.remove.data:  # CSRFProtect has already checked the token of every POST.
        services.mark_best_practice(discussion, current_user, None)
        db.session.commit()
        flash(_("This discussion is no longer a best practice."), "success")
        return back_to(discussion)
    if form.validate_on_submit():
        services.mark_best_practice(discussion, current_user, form.summary.data)
        db.session.commit()
        flash(_("This discussion is now a best practice."), "success")
        return back_to(discussion)
    return render_template("discussions/best_practice.html", form=form, discussion=discussion)


@bp.route("/best-practices")
def best_practices():
    """Best practices from every community the visitor may read, by theme, filterable by region."""
    theme = request.args.get("theme", "")
    region = request.args.get("region", "")
    rows = db.session.scalars(sa.select(Discussion).options(
        joinedload(Discussion.community), joinedload(Discussion.author).joinedload(User.organisation))
        .where(Discussion.best_practice_at.is_not(None), Discussion.deleted_at.is_(None),
               Discussion.hidden_at.is_(None))
        .order_by(Discussion.best_practice_at.desc()))
    visible = [d for d in rows if d.community.is_open and permissions.can_view_discussion(current_user, d)]
    items = [(d, region_of(d)) for d in visible]
    region_counts = {key: sum(1 for _, r in items if r == key) for key in REGIONS}
    if region in REGIONS:
        items = [(d, r) for d, r in items if r == region]
    by_theme = {}
    for key in THEMES:
        if theme in ("", key):
            found = [(d, r) for d, r in items if key in themes_of(d)]
            if found:
                by_theme[key] = found
    other = [(d, r) for d, r in items if not themes_of(d)] if not theme else []
    return render_template("discussions/best_practices.html", by_theme=by_theme, other=other, theme=theme,
                           region=region, regions=REGIONS, themes=THEMES,
                           region_counts=region_counts)


def themes_of(discussion) -> list:
    """A discussion's themes, or its community's when it names none."""
    return discussion.themes or discussion.community.themes or []


def region_of(discussion) -> str | None:
    """The community's region, or else the author's organisation's region."""
    organisation = discussion.author.organisation if discussion.author else None
    return discussion.community.region or (organisation.region if organisation else None)
