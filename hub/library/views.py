"""The library: the hub-wide list with filters, one page per item, adding, editing and deleting items."""

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from hub import audit, permissions
from hub.communities.models import Community
from hub.extensions import csrf, db
from hub.library import downloads, services, storage, tus
from hub.library.access import load_item_or_404
from hub.library.filetypes import Refused
from hub.library.forms import CaptionForm, ItemForm, choices, language_choices
from hub.library.models import KINDS, MEDIA_FAILED, LibraryItem
from hub.library.text import CaptionError
from hub.organisations.countries import REGIONS, country_name
from hub.organisations.services import listed_organisations
from hub.pagination import page_arg
from hub.themes import THEMES, theme_label

bp = Blueprint("library", __name__, url_prefix="/library")
bp.register_blueprint(tus.bp)
bp.register_blueprint(downloads.bp)
#: Form fields and multipart overhead on top of the file itself.
FORM_OVERHEAD = 4 * 1024 * 1024


def _filters() -> dict:
    """The filters in the query string; unknown values are ignored."""
    known = {"kind": KINDS, "theme": THEMES, "region": REGIONS, "language": dict(language_choices())}
    filters = {key: value for key, choices in known.items() if (value := request.args.get(key, "")) in choices}
    year = request.args.get("year", "")
    if year.isdigit() and 1900 < int(year) < 3000:
        filters["year"] = int(year)
    community = request.args.get("community", "")
    if community:
        found = db.session.scalar(sa.select(Community).where(Community.slug == community))
        if found is None or not permissions.can_view_community(current_user, found):
            abort(404)
        filters["community"] = found.id
    return filters


@bp.route("/")
def index():
    """Every item this person may see; ?community=<slug> is that community's library."""
    filters = _filters()
    sort = request.args.get("sort", "newest")
    pagination = services.listing(current_user, filters, sort, page_arg(), current_app.config["LIBRARY_PER_PAGE"])
    community = db.session.get(Community, filters["community"]) if "community" in filters else None
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("library/index.html", pagination=pagination, filters=filters, sort=sort,
                           community=community, args=args, kinds=KINDS, themes=THEMES, regions=REGIONS,
                           languages=language_choices(), years=services.years(current_user),
                           communities=_readable_communities(), can_add=permissions.can_add_item(current_user))


def _readable_communities():
    return db.session.scalars(sa.select(Community).where(permissions.readable_communities(current_user))
                              .order_by(Community.title)).all()


def _postable_communities(current=None):
    communities = [c for c in _readable_communities() if permissions.can_add_item_to(current_user, c)]
    if current is not None and current not in communities:
        communities.append(current)
    return communities


def _form(item=None) -> ItemForm:
    form = ItemForm(obj=item)
    form.set_choices(listed_organisations(), _postable_communities(item.community if item else None), item)
    if item is not None:
        form.kind.choices = choices([(item.kind, item.kind_label)])
        if callable(form.file.data) and not hasattr(form.file.data, "filename"):
            form.file.data = None  # obj=item put the item's file() method here, not a file
    elif request.method == "GET":
        form.organisation_id.data = current_user.organisation_id or 0
        slug = request.args.get("community", "")
        form.community_id.data = next((c.id for c in _postable_communities() if c.slug == slug), 0)
    return form


def _allow_large_body() -> None:
    """This route takes files: raise the body limit before anything reads the form (CSRF included)."""
    request.max_content_length = current_app.config["LIBRARY_FORM_UPLOAD_LIMIT"] + FORM_OVERHEAD
    request.max_form_memory_size = FORM_OVERHEAD


@bp.errorhandler(413)
def too_large(error):
    limit = storage.human_size(current_app.config["LIBRARY_FORM_UPLOAD_LIMIT"])
    message = _("The file is larger than %(limit)s, the most this form accepts. With JavaScript on, the "
                "resumable uploader accepts larger files.", limit=limit)
    return render_template("errors/error.html", code=413, title=_("File too large"), message=message), 413


@bp.route("/new", methods=["GET", "POST"])
@csrf.exempt  # the form still checks its CSRF token: see _allow_large_body
@login_required
@audit.exempt("a person adding their own library item")
def create():
    """Add an item: a file from this form, a finished resumable upload, or a link."""
    _allow_large_body()
    if not permissions.can_add_item(current_user):
        abort(403)
    form = _form()
    if form.validate_on_submit():
        item = _save(form, None)
        if item is not None:
            if item.is_pending:
                flash(_("Thank you. The item is waiting for review: others will see it once a moderator "
                        "approves it."), "info")
            else:
                flash(_("The item is in the library."), "success")
            return redirect(url_for("library.detail", slug=item.slug))
    return render_template("library/edit.html", form=form, item=None, limits=_limits())


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@csrf.exempt  # the form still checks its CSRF token: see _allow_large_body
@login_required
@audit.exempt("the owner changing their own item; a moderator's change is audited by hub.library.services")
def edit(slug):
    _allow_large_body()
    item = load_item_or_404(slug, edit=True)
    form = _form(item)
    if form.validate_on_submit():
        if _save(form, item) is not None:
            flash(_("The item is saved."), "success")
            return redirect(url_for("library.detail", slug=item.slug))
    return render_template("library/edit.html", form=form, item=item, limits=_limits())


def _limits() -> dict:
    cfg = current_app.config
    return {"form": cfg["LIBRARY_FORM_UPLOAD_LIMIT"], "tus": cfg["LIBRARY_TUS_LIMIT"]}


def _save(form: ItemForm, item):
    """Create or update the item with its file; None (and errors on the form) when the file is refused."""
    data = form.data_for_item()
    try:
        incoming = services.receive(form.file.data, form.upload_id.data, current_user, data["kind"])
        if item is None and incoming is None and data["kind"] != "link":
            form.file.errors.append(_("Choose a file to upload."))
            return None
        if item is None:
            item = services.create_item(data, current_user)
        else:
            services.update_item(item, data)
        if incoming is not None:
            services.attach(item, incoming)
        db.session.commit()
    except Refused as refused:
        db.session.rollback()
        services.discard_upload(form.upload_id.data, current_user.id)
        db.session.commit()
        form.file.errors.append(str(refused))
        return None
    return item


@bp.route("/items/<int:item_id>")
def by_id(item_id):
    """An address that never changes (notifications link here): redirects to the item's page."""
    item = db.session.get(LibraryItem, item_id)
    if item is None or not permissions.can_view_item(current_user, item):
        abort(404)
    return redirect(url_for("library.detail", slug=item.slug))


@bp.route("/<slug>")
def detail(slug):
    item = load_item_or_404(slug)
    services.bump(item.id, "view_count")
    can_edit = permissions.can_edit_item(current_user, item)
    caption_form = None
    if can_edit and item.is_media:
        caption_form = CaptionForm()
        caption_form.language.choices = choices(language_choices())
    return render_template("library/detail.html", item=item, can_edit=can_edit, caption_form=caption_form,
                           failed=item.media_status == MEDIA_FAILED)


@bp.route("/<slug>/captions", methods=["POST"])
@login_required
@audit.exempt("the owner changing their own item; a moderator's change is audited by hub.library.services")
def add_captions(slug):
    item = load_item_or_404(slug, edit=True)
    form = CaptionForm()
    form.language.choices = choices(language_choices())
    if not item.is_media:
        abort(404)
    if form.validate_on_submit() and form.file.data:
        try:
            services.set_caption(item, form.language.data, form.file.data.read(services.CAPTION_READ))
        except CaptionError as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(url_for("library.detail", slug=item.slug, _anchor="captions"))
        db.session.commit()
        flash(_("The captions are added."), "success")
    else:
        flash(_("Choose a language and a .vtt or .srt file."), "error")
    return redirect(url_for("library.detail", slug=item.slug, _anchor="captions"))


@bp.route("/<slug>/captions/<int:caption_id>/delete", methods=["POST"])
@login_required
@audit.exempt("the owner changing their own item; a moderator's change is audited by hub.library.services")
def remove_captions(slug, caption_id):
    item = load_item_or_404(slug, edit=True)
    caption = next((c for c in item.captions if c.id == caption_id), None) or abort(404)
    services.remove_caption(caption)
    db.session.commit()
    flash(_("The captions are removed."), "success")
    return redirect(url_for("library.detail", slug=item.slug, _anchor="captions"))


@bp.route("/<slug>/process", methods=["POST"])
@login_required
@audit.exempt("the owner retrying their own item's processing; a moderator's retry is audited by hub.library.services")
def retry(slug):
    """Try the media processing again (after a failure)."""
    item = load_item_or_404(slug, edit=True)
    services.retry_processing(item)
    db.session.commit()
    flash(_("The file will be processed again."), "success")
    return redirect(url_for("library.detail", slug=item.slug))


@bp.route("/<slug>/delete", methods=["POST"])
@login_required
@audit.exempt("the owner deleting their own item; a moderator's deletion is audited by hub.library.services")
def delete(slug):
    item = load_item_or_404(slug, edit=True)
    services.delete_item(item)
    db.session.commit()
    flash(_("“%(title)s” is deleted.", title=item.title), "success")
    return redirect(url_for("library.index"))


ROLE_LABELS = {"original": _l("The file as uploaded"), "audio": _l("Audio only (low bandwidth)"),
               "360p": _l("Smaller video (360p)"), "poster": _l("Poster image")}


@bp.context_processor
def library_helpers():
    return {"role_labels": ROLE_LABELS, "theme_label": theme_label, "country_name": country_name,
            "region_labels": REGIONS, "transcript_from_captions": services.transcript_from_captions}


def recent_library_items(community, limit: int = 5):
    """The community's latest items this person may see (the community page's library/_community_items.html)."""
    return services.listing(current_user, {"community": community.id}, "newest", 1, limit, count=False).items


@bp.app_template_filter("filesize")
def filesize(size):
    return storage.human_size(size)


@bp.app_template_filter("duration")
def duration(seconds):
    """1:02:03 or 4:05."""
    if not seconds:
        return ""
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
