"""Community pages: the list, creating and proposing, the community page, editing, following.

Membership pages (join, leave, requests, invitations, members) are in members.py, nested in this blueprint.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from hub import audit, permissions
from hub.accounts.forms import SPOKEN_LANGUAGES
from hub.communities import membership as memberships
from hub.communities import services
from hub.communities.access import load_community_or_404, require
from hub.communities.forms import CommunityForm, DecisionForm
from hub.communities.members import bp as members_bp
from hub.communities.models import ACTIVE, INVITED, MEMBER, PROPOSED, REQUESTED, Community
from hub.db import made_from_form
from hub.errors import render_error
from hub.extensions import db
from hub.i18n import spoken_language_name
from hub.organisations.countries import REGIONS
from hub.themes import THEMES

bp = Blueprint("communities", __name__, url_prefix="/communities")
bp.register_blueprint(members_bp)
FORM_FIELDS = services.EDITABLE + ("slug", "discoverable", "form_token")
#: What higher features show on the community page: {name in the template: fetch(community)}, added
#: in create_app (communities sit below discussions and the library and do not import them).
PAGE_BLOCKS = {}


def add_page_block(name: str, fetch) -> None:
    """Show `fetch(community)` on every community page, as `name` in communities/show.html."""
    PAGE_BLOCKS[name] = fetch


@bp.route("/", strict_slashes=False)
def index():
    """Every community this person may see, filtered by theme, language and region."""
    choices = {"theme": {k: str(v) for k, v in THEMES.items()},
               "language": {code: spoken_language_name(code) for code in SPOKEN_LANGUAGES},
               "region": {k: str(v) for k, v in REGIONS.items()}}
    filters = {key: value for key in choices if (value := request.args.get(key, "")) in choices[key]}
    communities = services.listed_communities(current_user, filters)
    viewable = {c.id for c in communities if permissions.can_view_community(current_user, c)}
    return render_template("communities/index.html", communities=communities, viewable=viewable,
                           counts=services.member_counts(viewable), filters=filters, choices=choices,
                           proposals=services.proposals_of(current_user),
                           can_create=permissions.can_create_community(current_user))


def _form_data(form) -> dict:
    return {name: field.data for name, field in form._fields.items() if name in FORM_FIELDS}


def _slug_free(form, community=None) -> bool:
    if form.slug and form.slug.data and services.slug_taken(form.slug.data, community):
        form.slug.errors.append(_("Another community already uses this address. Choose another one."))
        return False
    return True


@bp.route("/new", methods=["GET", "POST"])
@login_required
@audit.exempt("a person creating or proposing a community, which they facilitate (approving a proposal is audited)")
def new():
    """The secretariat creates a community; any member proposes one with the same form."""
    creating = permissions.can_create_community(current_user)
    require(creating or permissions.can_propose_community(current_user))
    form = CommunityForm().fill_choices()
    if not permissions.can_set_discoverable(current_user):
        del form.discoverable
    if form.validate_on_submit():
        done = made_from_form(db.session, Community, form.form_token.data)
        if done is not None and done.created_by_id == current_user.id:
            return redirect(url_for("communities.show", slug=done.slug))
        if _slug_free(form):
            community = services.create_community(_form_data(form), current_user, ACTIVE if creating else PROPOSED)
            try:
                db.session.commit()
            except IntegrityError:
                # The same form sent twice at once, or the slug taken meanwhile.
                db.session.rollback()
                done = made_from_form(db.session, Community, form.form_token.data)
                if done is not None:
                    return redirect(url_for("communities.show", slug=done.slug))
                _slug_free(form)
            else:
                flash(_("The community is open.") if creating else
                      _("Thank you: the secretariat will look at your proposal."), "success")
                return redirect(url_for("communities.show", slug=community.slug))
    return render_template("communities/form.html", form=form, community=None, creating=creating)


@bp.route("/proposed")
@login_required
def proposed():
    """Proposals waiting for the secretariat."""
    require(permissions.can_review_proposals(current_user))
    return render_template("communities/proposed.html", proposals=services.proposals(), form=DecisionForm())


@bp.route("/proposed/<slug>", methods=["POST"])
@login_required
def decide_proposal(slug):
    """The secretariat approves (the community opens) or declines a proposal."""
    require(permissions.can_review_proposals(current_user))
    community = services.get_by_slug(slug)
    if community is None or community.status != PROPOSED or community.is_deleted:
        return render_error(404, _("This proposal does not exist or has already been decided."))
    form = DecisionForm()
    if form.validate_on_submit():
        if form.decision.data == "approve":
            services.approve_proposal(community)
            flash(_("“%(title)s” is open.", title=community.title), "success")
        else:
            services.decline_proposal(community)
            flash(_("“%(title)s” was declined.", title=community.title), "success")
        db.session.commit()
    return redirect(url_for("communities.proposed"))


@bp.route("/<slug>")
def show(slug):
    """The community page: about, announcements and discussions, library, members, what is new."""
    community = load_community_or_404(slug)
    membership = permissions.membership_of(current_user, community)
    is_member = membership is not None and membership.status == MEMBER
    new_since = None
    if is_member:
        visited = membership.last_visit_at
        new_since = services.record_visit(membership)
        if membership.last_visit_at != visited:
            db.session.commit()
    can_facilitate = permissions.can_facilitate(current_user, community)
    return render_template(
        "communities/show.html", community=community, membership=membership, is_member=is_member,
        new_since=new_since, new_members=services.new_members_since(community, new_since),
        member_count=services.member_counts([community.id]).get(community.id, 0),
        facilitators=services.facilitators(community), can_facilitate=can_facilitate,
        can_post=permissions.can_post_in(current_user, community),
        can_edit=permissions.can_edit_community(current_user, community),
        can_join=permissions.can_join_community(current_user, community),
        invited=membership is not None and membership.status == INVITED,
        requested=membership is not None and membership.status == REQUESTED,
        following=memberships.is_following(current_user, community),
        pending_requests=services.pending_count(community, REQUESTED) if can_facilitate else 0,
        **{name: fetch(community) for name, fetch in PAGE_BLOCKS.items()})


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug):
    """Facilitators and the secretariat edit the community."""
    community = load_community_or_404(slug)
    require(permissions.can_edit_community(current_user, community))
    form = CommunityForm(obj=community).fill_choices()
    del form.form_token
    if not permissions.is_secretariat(current_user):
        del form.slug
    if not permissions.can_set_discoverable(current_user):
        del form.discoverable
    if form.validate_on_submit() and _slug_free(form, community):
        services.update_community(community, _form_data(form))
        db.session.commit()
        flash(_("The community is saved."), "success")
        return redirect(url_for("communities.show", slug=community.slug))
    return render_template("communities/form.html", form=form, community=community, creating=False)


@bp.route("/<slug>/seen", methods=["POST"])
@login_required
@audit.exempt("a member marks their own community page as seen")
def mark_seen(slug):
    """Mark everything in the community as seen."""
    community = load_community_or_404(slug)
    membership = permissions.membership_of(current_user, community)
    if membership is not None and membership.status == MEMBER:
        services.mark_seen(membership)
        db.session.commit()
    return redirect(url_for("communities.show", slug=community.slug))


@bp.route("/<slug>/follow", methods=["POST"])
@login_required
@audit.exempt("a person follows a community for themselves")
def follow(slug):
    """Follow the community (its news reach the person)."""
    community = load_community_or_404(slug)
    require(permissions.can_follow_community(current_user, community))
    memberships.follow(current_user, community)
    db.session.commit()
    flash(_("You follow this community."), "success")
    return redirect(url_for("communities.show", slug=community.slug))


@bp.route("/<slug>/unfollow", methods=["POST"])
@login_required
@audit.exempt("a person stops following a community for themselves")
def unfollow(slug):
    """Stop following the community."""
    community = load_community_or_404(slug)
    memberships.unfollow(current_user, community)
    db.session.commit()
    flash(_("You no longer follow this community."), "success")
    return redirect(url_for("communities.show", slug=community.slug))
