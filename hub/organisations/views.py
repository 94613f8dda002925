"""The directory of member organisations, one page per organisation, creating, editing and reviewing them."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from hub import permissions
from hub.accounts.models import ACTIVE, User
from hub.extensions import db
from hub.organisations import services
from hub.organisations.countries import NORTH_SOUTH, REGIONS, country_name
from hub.organisations.forms import DeclineForm, OrganisationForm
from hub.organisations.models import ORGANISATION_TYPES
from hub.pagination import page_arg

bp = Blueprint("organisations", __name__, url_prefix="/organisations")
FILTERS = {"region": REGIONS, "type": ORGANISATION_TYPES, "north_south": NORTH_SOUTH}


def load_organisation_or_404(slug: str):
    """The organisation, or 404 (also for ones this person may not see)."""
    org = services.get_by_slug(slug)
    if org is None or not permissions.can_view_organisation(current_user, org):
        abort(404)
    return org


@bp.route("/")
def directory():
    """Listed organisations; unknown filter values are ignored."""
    counts = services.directory_counts()
    countries = dict(sorted(((code, country_name(code)) for code in counts["country"]),
                            key=lambda item: item[1].casefold()))
    known = {**FILTERS, "country": countries}
    filters = {key: value for key in services.FILTER_KEYS
               if (value := request.args.get(key, "")) and value in known[key]}
    pagination = services.directory(filters, page_arg())
    return render_template("organisations/directory.html", pagination=pagination, filters=filters,
                           choices=FILTERS, countries=countries, counts=counts)


@bp.route("/<slug>")
def detail(slug):
    """One organisation; its active members are listed to signed-in people."""
    org = load_organisation_or_404(slug)
    members = []
    if permissions.is_signed_in(current_user):
        members = db.session.scalars(sa.select(User).where(
            User.organisation_id == org.id, User.status == ACTIVE, User.deleted_at.is_(None)).order_by(User.name))
    return render_template("organisations/detail.html", org=org, members=list(members),
                           can_edit=permissions.can_edit_organisation(current_user, org),
                           can_review=permissions.can_review_organisations(current_user))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """The secretariat adds an organisation to the directory."""
    if not permissions.can_create_organisation(current_user):
        abort(403)
    form = OrganisationForm()
    form.set_choices()
    del form.publish
    if form.validate_on_submit():
        data = {name: field.data for name, field in form._fields.items() if name in services.EDITABLE}
        org = services.create_organisation(data.pop("name"), data.pop("country"), **data)
        db.session.commit()
        flash(_("The organisation is in the directory."), "success")
        return redirect(url_for("organisations.detail", slug=org.slug))
    return render_template("organisations/edit.html", form=form, org=None)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug):
    """The secretariat edits everything; a focal point their organisation's description, website, languages."""
    org = load_organisation_or_404(slug)
    if not permissions.can_edit_organisation(current_user, org):
        abort(403)
    form = OrganisationForm(obj=org)
    form.set_choices(org.working_languages)
    if not permissions.can_classify_organisation(current_user, org):
        form.keep_only(services.FOCAL_POINT_EDITABLE)
    if org.status != services.PROPOSED or not permissions.can_review_organisations(current_user):
        del form.publish
    if form.validate_on_submit():
        services.update_organisation(org, {name: field.data for name, field in form._fields.items()
                                           if name in services.EDITABLE})
        publishing = "publish" in form and form.publish.data
        if publishing:
            services.publish(org)
        db.session.commit()
        flash(_("The organisation is in the directory.") if publishing else _("The organisation is saved."), "success")
        return redirect(url_for("organisations.detail", slug=org.slug))
    return render_template("organisations/edit.html", form=form, org=org)


@bp.route("/proposed")
@login_required
def proposed():
    """Organisations proposed at registration ("my organisation is not listed"), for the secretariat."""
    if not permissions.can_review_organisations(current_user):
        abort(403)
    form = DeclineForm()
    form.merge_into.choices = [("", _("Nobody: just decline"))] + [
        (o.slug, o.display_name) for o in services.listed_organisations()]
    return render_template("organisations/proposed.html", organisations=services.proposed_organisations(),
                           form=form)


def load_proposal_or_404(slug: str):
    """A proposed organisation the secretariat may review, or 404/403."""
    org = load_organisation_or_404(slug)
    if not permissions.can_review_organisations(current_user):
        abort(403)
    if org.status != services.PROPOSED or org.is_deleted:
        abort(404)
    return org


@bp.route("/<slug>/publish", methods=["POST"])
@login_required
def publish(slug):
    """Accept a proposed organisation into the directory as it stands."""
    org = load_proposal_or_404(slug)
    services.publish(org)
    db.session.commit()
    flash(_("%(name)s is now in the directory.", name=org.name), "success")
    return redirect(url_for("organisations.proposed"))


@bp.route("/<slug>/decline", methods=["POST"])
@login_required
def decline(slug):
    """Decline a proposal; optionally move its people to the listed organisation it duplicates."""
    org = load_proposal_or_404(slug)
    target_slug = request.form.get("merge_into", "")
    target = services.get_by_slug(target_slug) if target_slug else None
    if target_slug and (target is None or not target.is_listed):
        flash(_("Choose an organisation from the directory."), "error")
        return redirect(url_for("organisations.proposed"))
    moved = services.decline(org, merge_into=target)
    db.session.commit()
    if target is not None:
        flash(ngettext("%(name)s was declined; %(num)d person moved to %(target)s.",
                       "%(name)s was declined; %(num)d people moved to %(target)s.",
                       moved, name=org.name, target=target.name), "success")
    else:
        flash(_("%(name)s was declined.", name=org.name), "success")
    return redirect(url_for("organisations.proposed"))
