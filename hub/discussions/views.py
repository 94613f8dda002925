"""Discussion pages: read, start, reply (with quote and preview), permalinks, edit, delete and undo."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from hub import audit, permissions
from hub.communities.access import load_community_or_404
from hub.discussions import services, unanswered, unread
from hub.discussions.forms import DiscussionForm, EditDiscussionForm, EditReplyForm, ReplyForm
from hub.extensions import db
from hub.pagination import int_arg, page_arg, paginate
from hub.themes import theme_label

bp = Blueprint("discussions", __name__)


def load_discussion_or_404(discussion_id: int):
    """The discussion, or 404 for one this person may not see (so nothing leaks that it exists)."""
    discussion = services.get_discussion(discussion_id)
    if discussion is None or not permissions.can_view_discussion(current_user, discussion):
        abort(404)
    return discussion


def load_reply_or_404(discussion, reply_id: int):
    """A reply of a visible discussion, or 404."""
    reply = services.get_reply(discussion, reply_id)
    if reply is None or not permissions.can_view_reply(current_user, reply, discussion.community):
        abort(404)
    return reply


def load_own(post, community):
    """403 unless the person may change this post (they can already see it)."""
    if not permissions.can_edit_post(current_user, post, community):
        abort(403)
    return post


bp.add_app_template_global(theme_label, "theme_label")


def community_page_discussions(community):
    """The page of discussions the community page shows (discussions/_community_list.html)."""
    return services.community_discussions(community, page_arg(), viewer=current_user)


@bp.route("/discussions/<int:discussion_id>")
def show(discussion_id):
    """The discussion page; ?quote=<reply id> pre-fills the reply form with a quote (no JavaScript needed)."""
    discussion = load_discussion_or_404(discussion_id)
    page = page_arg()
    form = ReplyForm(formdata=None) if permissions.can_reply(current_user, discussion) else None
    quote = int_arg("quote")
    if form is not None and quote:
        form.body.data = quote_of(discussion, quote)
    return render_discussion(discussion, page, form)


def quote_of(discussion, reply_id: int) -> str:
    """A Markdown quote of a visible reply, ready to answer below it."""
    reply = services.get_reply(discussion, reply_id)
    if reply is None or reply.is_deleted or reply.is_hidden:
        return ""
    quoted = "\n".join("> " + line for line in reply.body.splitlines())
    return _("%(name)s wrote:", name=reply.author.display_name) + "\n" + quoted + "\n\n"


def render_discussion(discussion, page, form, status=200, preview=None, refusal=None):
    """The discussion page: opening post, the accepted answer first, a page of replies, the reply form."""
    pagination = services.replies_page(discussion, page, current_user)
    if page > 1 and page > pagination.pages:
        abort(404)
    ids = [reply.id for reply in pagination.items]
    community = discussion.community
    context = dict(
        discussion=discussion, community=community, pagination=pagination, form=form, preview=preview,
        refusal=refusal, answer=services.accepted_answer(discussion) if page == 1 else None,
        helpful=services.helpful_marks(current_user, discussion, ids),
        following=services.is_following(current_user, discussion),
        can_post=permissions.can_post_in(current_user, community),
        can_facilitate=permissions.can_facilitate(current_user, community),
        can_mark_answer=permissions.can_mark_answer(current_user, discussion))
    page_html = render_template("discussions/show.html", **context)
    if request.method == "GET" and unread.mark_read(current_user, discussion, ids):
        db.session.commit()  # only when the reader got further than before
    return page_html, status


@bp.route("/discussions/<int:discussion_id>/replies", methods=["POST"])
@login_required
@audit.exempt("a member's own reply")
def reply(discussion_id):
    """Post a reply (or preview it); a refusal re-renders the page with the typed text kept."""
    discussion = load_discussion_or_404(discussion_id)
    form = ReplyForm()
    last = services.last_page(discussion, current_user)
    refusal = reply_refusal(discussion)
    if refusal:
        return render_discussion(discussion, last, form, status=403, refusal=refusal)
    if not form.validate_on_submit():
        return render_discussion(discussion, last, form, status=400 if form.errors else 200)
    if form.wants_preview:
        return render_discussion(discussion, last, form, preview=services.render_body(form.body.data))
    done = services.find_submission(current_user, form.once.data)
    if done is None:
        new = commit_once(lambda: services.add_reply(discussion, current_user, form.body.data, form.once.data))
        if new is None:
            return redirect_to_submission(form.once.data)
        if new.is_pending:
            flash(_("Thank you. Your reply is waiting for review: others will see it once a moderator "
                    "approves it."), "info")
        return redirect(url_for(".permalink", discussion_id=discussion.id, reply_id=new.id))
    return redirect_to_submission(form.once.data)


def reply_refusal(discussion) -> str | None:
    """Why this person cannot reply here, in their language, or None."""
    if discussion.is_locked:
        return _("This discussion is locked: no new replies can be added. Your text is kept below.")
    if not permissions.can_contribute(current_user):
        return _("Your account is read-only for now: you cannot reply. Your text is kept below.")
    if not permissions.can_reply(current_user, discussion):
        return _("You cannot reply in this community. Your text is kept below.")
    return None


def commit_once(make):
    """Make a new post and commit it; None when the same form was already submitted (its token is taken:
    PostgreSQL reports that when the token is flushed, SQLite at commit)."""
    try:
        new = make()
        db.session.commit()
        return new
    except IntegrityError:
        db.session.rollback()
        return None


def redirect_to_submission(token: str):
    """A second submission of the same form lands on the post the first one made."""
    done = services.find_submission(current_user, token)
    if done is None:
        abort(409)
    flash(_("This was already posted."), "info")
    if done.reply_id:
        return redirect(url_for(".permalink", discussion_id=done.discussion_id, reply_id=done.reply_id))
    return redirect(url_for(".show", discussion_id=done.discussion_id))


@bp.route("/discussions/<int:discussion_id>/replies/<int:reply_id>")
def permalink(discussion_id, reply_id):
    """A reply's permanent address: the page of the discussion it is on, scrolled to it."""
    discussion = load_discussion_or_404(discussion_id)
    found = load_reply_or_404(discussion, reply_id)
    page = services.page_of_reply(found, current_user)
    return redirect(url_for(".show", discussion_id=discussion.id, page=page if page > 1 else None,
                            _anchor=f"reply-{found.id}"))


@bp.route("/communities/<slug>/discussions/new", methods=["GET", "POST"])
@login_required
@audit.exempt("a member's own new discussion")
def start(slug):
    """Start a discussion in a community (with a preview)."""
    community = load_community_or_404(slug)
    if not permissions.can_post_in(current_user, community):
        abort(403)
    form = DiscussionForm()
    form.set_choices()
    if request.method == "GET":
        form.language.data = (current_user.locale or "en")
    preview = None
    if form.validate_on_submit():
        if form.wants_preview:
            preview = services.render_body(form.body.data)
        elif services.find_submission(current_user, form.once.data):
            return redirect_to_submission(form.once.data)
        else:
            discussion = commit_once(lambda: services.start_discussion(community, current_user, form.data,
                                                                       form.once.data))
            if discussion is None:
                return redirect_to_submission(form.once.data)
            if discussion.is_pending:
                flash(_("Thank you. Your discussion is waiting for review: others will see it once a "
                        "moderator approves it."), "info")
            else:
                flash(_("Your discussion has started."), "success")
            return redirect(url_for(".show", discussion_id=discussion.id))
    return render_template("discussions/edit.html", form=form, community=community, preview=preview,
                           heading=_("Start a discussion"), discussion=None)


@bp.route("/discussions/<int:discussion_id>/edit", methods=["GET", "POST"])
@login_required
@audit.exempt("only the author edits their own discussion")
def edit(discussion_id):
    """The author edits the opening post; the previous version is kept."""
    discussion = load_discussion_or_404(discussion_id)
    load_own(discussion, discussion.community)
    form = EditDiscussionForm(obj=discussion)
    form.set_choices()
    preview = None
    if form.validate_on_submit():
        if form.wants_preview:
            preview = services.render_body(form.body.data)
        else:
            services.edit_post(discussion, form.body.data, form.title.data, language=form.language.data,
                               themes=list(form.themes.data or []), kind=form.kind.data)
            db.session.commit()
            flash(_("Your changes are saved."), "success")
            return redirect(url_for(".show", discussion_id=discussion.id))
    return render_template("discussions/edit.html", form=form, community=discussion.community, preview=preview,
                           heading=_("Edit the discussion"), discussion=discussion)


@bp.route("/discussions/<int:discussion_id>/replies/<int:reply_id>/edit", methods=["GET", "POST"])
@login_required
@audit.exempt("only the author edits their own reply")
def edit_reply(discussion_id, reply_id):
    """The author edits a reply; the previous version is kept."""
    discussion = load_discussion_or_404(discussion_id)
    post = load_own(load_reply_or_404(discussion, reply_id), discussion.community)
    form = EditReplyForm(obj=post)
    preview = None
    if form.validate_on_submit():
        if form.wants_preview:
            preview = services.render_body(form.body.data)
        else:
            services.edit_post(post, form.body.data)
            db.session.commit()
            flash(_("Your changes are saved."), "success")
            return redirect(url_for(".permalink", discussion_id=discussion.id, reply_id=post.id))
    return render_template("discussions/edit_reply.html", form=form, discussion=discussion, reply=post,
                           preview=preview)


@bp.route("/discussions/<int:discussion_id>/delete", methods=["POST"])
@bp.route("/discussions/<int:discussion_id>/restore", methods=["POST"], endpoint="restore")
@login_required
@audit.exempt("only the author deletes or restores their own discussion")
def delete(discussion_id):
    """The author deletes the discussion (soft) or undoes that."""
    discussion = load_discussion_or_404(discussion_id)
    load_own(discussion, discussion.community)
    if request.endpoint.endswith("restore"):
        services.restore_post(discussion)
        flash(_("The discussion is back."), "success")
    else:
        services.delete_post(discussion)
        flash(_("The discussion is deleted. You can undo this from its page."), "success")
    db.session.commit()
    return redirect(url_for(".show", discussion_id=discussion.id))


@bp.route("/discussions/<int:discussion_id>/replies/<int:reply_id>/delete", methods=["POST"])
@bp.route("/discussions/<int:discussion_id>/replies/<int:reply_id>/restore", methods=["POST"],
          endpoint="restore_reply")
@login_required
@audit.exempt("only the author deletes or restores their own reply")
def delete_reply(discussion_id, reply_id):
    """The author deletes a reply (soft) or undoes that."""
    discussion = load_discussion_or_404(discussion_id)
    post = load_own(load_reply_or_404(discussion, reply_id), discussion.community)
    if request.endpoint.endswith("restore_reply"):
        services.restore_post(post)
        flash(_("The reply is back."), "success")
    else:
        services.delete_post(post)
        flash(_("The reply is deleted."), "success")
    db.session.commit()
    return redirect(url_for(".permalink", discussion_id=discussion.id, reply_id=post.id))


@bp.route("/discussions/<int:discussion_id>/revisions")
@bp.route("/discussions/<int:discussion_id>/replies/<int:reply_id>/revisions", endpoint="reply_revisions")
@login_required
def revisions(discussion_id, reply_id=None):
    """Earlier versions: for the author, the community's facilitators and the secretariat."""
    discussion = load_discussion_or_404(discussion_id)
    post = load_reply_or_404(discussion, reply_id) if reply_id else discussion
    if not permissions.can_view_revisions(current_user, post, discussion.community):
        abort(403)
    return render_template("discussions/revisions.html", discussion=discussion, post=post,
                           is_reply=reply_id is not None,
                           revisions=services.revisions(discussion, post if reply_id else None))


@bp.route("/questions/unanswered")
@login_required
def unanswered_questions():
    """Every question waiting for a first reply in the person's communities and on their expertise's
    themes (the home page shows the newest few), paged."""
    questions = paginate(unanswered.unanswered_for(current_user), page_arg())
    return render_template("discussions/unanswered.html", questions=questions,
                           themes=unanswered.expertise_themes(current_user))
