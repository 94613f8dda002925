"""The directory of member organisations, one page per organisation, and editing them."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hub import permissions
from hub.accounts.forms import SPOKEN_LANGUAGES
from hub.accounts.models import ACTIVE, User
from hub.extensions import db
from hub.i18n import spoken_language_name
from hub.organisations import services
from hub.organisations.countries import NORTH_SOUTH, REGIONS, country_choices
from hub.organisations.forms import OrganisationForm
from hub.organisations.models import ORGANISATION_TYPES

bp = Blueprint("organisations", __name__, url_prefix="/organisations")
FILTERS = {"region": REGIONS, "type": ORGANISATION_TYPES, "north_south": NORTH_SOUTH}


def get_organisation(slug: str):
    """The organisation, or 404 (also for ones this person may not see)."""
    org = services.get_by_slug(slug)
    if org is None or not permissions.can_view_organisation(current_user, org):
        abort(404)
    return org


@bp.route("/")
def directory():
    countries = dict(country_choices())
    filters = {key: value for key in ("region", "type", "north_south", "country")
               if (value := request.args.get(key, "")) and (value in FILTERS.get(key, countries))}
    page = request.args.get("page", 1, type=int)
    pagination = services.directory(filters, max(page, 1), 30)
    return render_template("organisations/directory.html", pagination=pagination, filters=filters,
                           choices=FILTERS, countries=countries)


@bp.route("/<slug>")
def detail(slug):
    org = get_organisation(slug)
    members = []
    if permissions.is_signed_in(current_user):
        members = db.session.scalars(sa.select(User).where(
            User.organisation_id == org.id, User.status == ACTIVE, User.deleted_at.is_(None)).order_by(User.name))
    return render_template("organisations/detail.html", org=org, members=list(members),
                           can_edit=permissions.can_edit_organisation(current_user, org))


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug):
    org = get_organisation(slug)
    if not permissions.can_edit_organisation(current_user, org):
        abort(403)
    form = OrganisationForm(obj=org)
    form.type.choices = [(k, str(v)) for k, v in ORGANISATION_TYPES.items()]
    form.country.choices = country_choices()
    form.region.choices = [(k, str(v)) for k, v in REGIONS.items()]
    form.north_south.choices = [(k, str(v)) for k, v in NORTH_SOUTH.items()]
    form.working_languages.choices = [(code, spoken_language_name(code)) for code in SPOKEN_LANGUAGES]
    if not permissions.is_secretariat(current_user):
        # Only the secretariat classifies organisations.
        del form.type, form.region, form.north_south
    if form.validate_on_submit():
        services.update_organisation(org, {name: field.data for name, field in form._fields.items()
                                           if name in services.EDITABLE})
        db.session.commit()
        flash(_("The organisation is saved."), "success")
        return redirect(url_for("organisations.detail", slug=org.slug))
    return render_template("organisations/edit.html", form=form, org=org)
