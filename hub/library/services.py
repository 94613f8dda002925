"""Library operations: create, edit, delete, list with filters, attach files and captions.

Services flush; the calling view commits once. Files are checked before any row is written, and a
file kept on disk is removed again if the transaction it belongs to fails (storage.forget_on_rollback).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from hub import markdown, permissions, signals
from hub.audit import record_unless_own
from hub.accounts import export
from hub.communities.models import Community
from hub.db import PENDING, insert_once, side_write, utcnow
from hub.extensions import db
from hub.library import processing, storage, text
from hub.library.filetypes import Refused, check
from hub.library.models import MEDIA_NONE, ORIGINAL, Caption, LibraryItem, MediaFile, Upload
from hub.pagination import paginate
from hub.slugs import unique_slug

EDITABLE = ("kind", "title", "description", "languages", "themes", "countries", "regions", "licence",
            "url", "organisation_id", "community_id", "is_public", "session_date", "speakers", "transcript")
SORTS = {"newest": LibraryItem.created_at.desc(), "oldest": LibraryItem.created_at.asc(),
         "title": LibraryItem.title.asc(), "session": LibraryItem.session_date.desc().nulls_last()}
QUOTA_MESSAGE = _l("This file would take you past your storage allowance (%(quota)s). "
                   "Delete something you uploaded, or ask the secretariat.")
DISK_MESSAGE = _l("The hub has no room for this file right now. Please try again later, or tell the secretariat.")
UNFINISHED_MESSAGE = _l("The resumable upload has not finished or has expired. Please choose the file again.")
CAPTION_READ = text.MAX_CAPTIONS + 1
LIMIT_MESSAGE = _l("This file is larger than %(limit)s, the most this upload accepts.")


def get_by_slug(slug: str) -> LibraryItem | None:
    """The item with this slug (deleted or not), or None."""
    return db.session.scalar(sa.select(LibraryItem).where(LibraryItem.slug == slug))


def listing(user, filters: dict, sort: str, page: int, per_page: int, count: bool = True):
    """A page of the items `user` may see (and their own waiting for review), filtered and sorted;
    count=False skips counting them all (the page then has no total)."""
    shown = permissions.readable_items(user)
    if permissions.is_signed_in(user):
        shown = sa.or_(shown, sa.and_(LibraryItem.owner_id == user.id, LibraryItem.review_status == PENDING,
                                      LibraryItem.deleted_at.is_(None)))
    query = sa.select(LibraryItem).where(shown).options(
        selectinload(LibraryItem.files), selectinload(LibraryItem.community),
        selectinload(LibraryItem.organisation))
    for key, value in filters.items():
        query = query.where(_filter(key, value))
    query = query.order_by(SORTS.get(sort, SORTS["newest"]), LibraryItem.id.desc())
    return paginate(query, page, per_page, count=count)


def _filter(key: str, value):
    if key == "kind":
        return LibraryItem.kind == value
    if key == "year":
        return LibraryItem.year == int(value)
    if key == "community":
        return LibraryItem.community_id == value
    column = {"language": LibraryItem.languages, "theme": LibraryItem.themes, "region": LibraryItem.regions}[key]
    # JSON lists of short codes: match the quoted code in the stored text (portable to SQLite and PostgreSQL).
    return sa.cast(column, sa.String).like(f'%"{value}"%')


def years(user) -> list[int]:
    """The years of the items `user` may see, newest first (the year filter's choices)."""
    return list(db.session.scalars(sa.select(LibraryItem.year).where(permissions.readable_items(user))
                                   .distinct().order_by(LibraryItem.year.desc())))


def create_item(data: dict, owner, review: bool | None = None) -> LibraryItem:
    """A new item owned by `owner` (files are attached separately); it waits for review when `review` is
    True, or (None) when pre-moderation says so."""
    item = LibraryItem(slug=unique_slug(LibraryItem, data["title"]), owner=owner, media_status=MEDIA_NONE)
    update_item(item, data)
    community = db.session.get(Community, item.community_id) if item.community_id else None
    if permissions.needs_review(owner, community, review):
        item.hold_for_review()
    db.session.add(item)
    db.session.flush()
    if item.is_pending:
        signals.review_requested.send(item, author=owner, community=community)
    else:
        publish(item)
    return item


def publish(item: LibraryItem) -> None:
    """An item others can now see (added, or approved): announced (signals.post_published)."""
    signals.post_published.send(item)


def update_item(item: LibraryItem, data: dict) -> None:
    """Change the editable fields; the description is rendered (and sanitised) once, here."""
    for name in EDITABLE:
        if name in data:
            setattr(item, name, data[name])
    if item.community_id is not None:
        item.is_public = False  # the community's visibility decides
    if item.kind != "recording":
        item.session_date, item.speakers = None, ""
    item.description_html = markdown.render(item.description or "")
    when = item.session_date or (item.created_at.date() if item.created_at else date.today())
    item.year = when.year
    if item.id is not None:
        record_unless_own("edit_item", item, item.owner_id)


def delete_item(item: LibraryItem) -> None:
    """Soft delete: the item disappears from the library; its files stay until purged."""
    item.deleted_at = utcnow()
    db.session.flush()
    record_unless_own("delete_item", item, item.owner_id)
    signals.post_withdrawn.send(item)


def hidden(item: LibraryItem) -> None:
    """Moderators hid an item: what was said about it is withdrawn."""
    signals.post_withdrawn.send(item)


def unhidden(item: LibraryItem) -> None:
    """Moderators showed a hidden item again."""
    signals.post_restored.send(item)


def purge(item: LibraryItem) -> None:
    """Delete an item for good: its files (once the transaction commits), captions and row."""
    for stored in list(item.files):
        storage.remove_after_commit(stored.storage_name)
        db.session.delete(stored)
    db.session.execute(sa.delete(Caption).where(Caption.item_id == item.id))
    db.session.flush()
    db.session.delete(item)
    db.session.flush()


def purge_deleted(days: int) -> int:
    """Remove the files of items deleted more than `days` ago (the rows stay); returns how many files."""
    cutoff = utcnow() - timedelta(days=days)
    stale = db.session.scalars(sa.select(MediaFile).join(LibraryItem).where(
        LibraryItem.deleted_at.is_not(None), LibraryItem.deleted_at < cutoff)).all()
    for stored in stale:
        storage.remove_after_commit(stored.storage_name)
        db.session.delete(stored)
    db.session.flush()
    return len(stale)


def used_bytes(user_id: int) -> int:
    """Bytes `user_id` stores: files of their items (not deleted ones) and unfinished uploads."""
    files = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(MediaFile.size), 0)).join(LibraryItem)
                              .where(LibraryItem.owner_id == user_id, LibraryItem.deleted_at.is_(None)))
    uploads = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(Upload.length), 0))
                                .where(Upload.owner_id == user_id))
    return int(files) + int(uploads)


def check_allowance(user_id: int, size: int, limit: int) -> None:
    """Refused when `size` bytes exceed the upload's limit or the person's quota."""
    if size > limit:
        raise Refused(LIMIT_MESSAGE % {"limit": storage.human_size(limit)})
    quota = current_app.config["LIBRARY_QUOTA_BYTES"]
    if used_bytes(user_id) + size > quota:
        raise Refused(QUOTA_MESSAGE % {"quota": storage.human_size(quota)})
    if not storage.free_space_ok(size):
        raise Refused(DISK_MESSAGE)


def keep_file(item: LibraryItem, temp: Path, filename: str, role: str = ORIGINAL,
              kind: str | None = None, extracted: str | None = None) -> MediaFile:
    """Check a temporary file against the item's kind and keep it (Refused, and removed, if not)."""
    try:
        mimetype, extension = check(temp, item.kind if kind is None else kind)
    except Refused:
        storage.remove(temp)
        raise
    size = temp.stat().st_size
    name = storage.keep(temp, extension)
    storage.forget_on_rollback(name)
    stored = MediaFile(item=item, role=role, storage_name=name, size=size, mimetype=mimetype,
                       filename=storage.clean_filename(filename, extension))
    db.session.add(stored)
    if role == ORIGINAL and item.kind == "document":
        item.extracted_text = extracted if extracted is not None else document_text(storage.path_of(name), mimetype)
    db.session.flush()
    return stored


def document_text(path: Path, mimetype: str) -> str:
    """The searchable text of a document file (slow for a big one: call it before any write)."""
    return text.extract(path, mimetype, current_app.config["LIBRARY_TEXT_LIMIT"])


def replace_original(item: LibraryItem, temp: Path, filename: str, extracted: str | None = None) -> MediaFile:
    """Keep a new original and drop the old one and every version derived from it."""
    stored = keep_file(item, temp, filename, extracted=extracted)
    for old in [f for f in item.files if f is not stored]:
        storage.remove_after_commit(old.storage_name)
        db.session.delete(old)
    item.duration, item.codecs, item.media_error = None, "", ""
    db.session.flush()
    processing.queue(item)
    return stored


def attach_upload(item: LibraryItem, upload: Upload, extracted: str | None = None) -> MediaFile:
    """Turn a finished resumable upload into the item's original file."""
    temp = storage.temp_path(upload.id)
    db.session.delete(upload)
    return replace_original(item, temp, upload.filename, extracted)


def finished_upload(upload_id: str, owner_id: int) -> Upload | None:
    """A complete, unexpired upload of this person, or None."""
    upload = db.session.get(Upload, upload_id) if upload_id else None
    if upload is None or upload.owner_id != owner_id or not upload.is_complete or upload.expires_at < utcnow():
        return None
    return upload


def set_caption(item: LibraryItem, language: str, data: bytes) -> Caption:
    """Add or replace the captions in one language (.vtt or .srt; text.CaptionError if malformed)."""
    vtt = text.to_vtt(data)
    caption = next((c for c in item.captions if c.language == language), None)
    if caption is None:  # (or an identical request added it a moment ago)
        insert_once(db.session, Caption, item_id=item.id, language=language, vtt=vtt)
        db.session.expire(item, ["captions"])
        caption = next(c for c in item.captions if c.language == language)
    caption.vtt, caption.text = vtt, text.caption_text(vtt)
    db.session.flush()
    record_unless_own("add_captions", item, item.owner_id, details={"language": language})
    return caption


def remove_caption(caption: Caption) -> None:
    """Remove one language's captions (a moderator doing it is audited)."""
    item = caption.item
    record_unless_own("remove_captions", item, item.owner_id, details={"language": caption.language})
    db.session.delete(caption)
    db.session.flush()


def retry_processing(item: LibraryItem) -> None:
    """Queue the media processing again, after a failure (a moderator doing it is audited)."""
    processing.queue(item)
    record_unless_own("retry_processing", item, item.owner_id)


@dataclass
class Incoming:
    """A checked-for-size file waiting to become an item's original: a temporary file or an upload."""

    filename: str
    temp: Path | None = None
    upload: Upload | None = None
    #: A document's text, extracted in receive(), before the request writes anything (hub.jobs.services).
    text: str | None = None


def receive(file, upload_id: str, user, kind: str) -> Incoming | None:
    """The file sent with the form (streamed to tmp/ in chunks), or the finished upload named; None if neither."""
    if kind == "link":
        return None
    if file is not None and getattr(file, "filename", ""):
        limit = current_app.config["LIBRARY_FORM_UPLOAD_LIMIT"]
        temp = storage.temp_path()
        try:
            size = storage.copy_stream(file.stream, temp, limit)
            check_allowance(user.id, size, limit)
        except Exception:
            storage.remove(temp)
            raise
        return Incoming(filename=file.filename, temp=temp, text=_text_of(temp, kind))
    if upload_id:
        upload = finished_upload(upload_id, user.id)
        if upload is None:
            raise Refused(UNFINISHED_MESSAGE)
        return Incoming(filename=upload.filename, upload=upload, text=_text_of(storage.temp_path(upload.id), kind))
    return None


def _text_of(path: Path, kind: str) -> str | None:
    """A document's text, or None (not a document, or not one attach() will accept: it says why)."""
    if kind != "document":
        return None
    try:
        mimetype, _ = check(path, kind)
    except Refused:
        return None
    return document_text(path, mimetype)


def attach(item: LibraryItem, incoming: Incoming) -> MediaFile:
    """Make the incoming file the item's original (Refused when its content does not fit the kind)."""
    if incoming.upload is not None:
        return attach_upload(item, incoming.upload, incoming.text)
    return replace_original(item, incoming.temp, incoming.filename, incoming.text)


def discard_upload(upload_id: str, owner_id: int) -> None:
    """Forget a person's upload and its bytes (after its content was refused)."""
    upload = db.session.get(Upload, upload_id) if upload_id else None
    if upload is not None and upload.owner_id == owner_id:
        storage.remove(storage.temp_path(upload.id))
        db.session.delete(upload)
        db.session.flush()


def transcript_from_captions(item: LibraryItem) -> str:
    """A transcript taken from the captions: the reader's language if there, else the first."""
    if not item.captions:
        return ""
    locale = str(get_locale() or "")
    chosen = next((c for c in item.captions if c.language == locale), item.captions[0])
    return chosen.text


def bump(item_id: int, counter: str) -> None:
    """Add one to an item's view_count or download_count (who is never stored): one UPDATE on a
    connection of its own, outside the page's transaction; a count that cannot be written within a
    second is logged and lost, never a slow page or a 500."""
    column = getattr(LibraryItem, counter)
    side_write(db.engine, sa.update(LibraryItem).where(LibraryItem.id == item_id)
               .values({column: column + 1, LibraryItem.updated_at: LibraryItem.updated_at}))


def personal_data(user) -> dict:
    """This person's library items, for their data export (hub/accounts/export.py)."""
    return {"library_items": export.rows(LibraryItem, LibraryItem.owner_id == user.id,
                                         ("id", "slug", "title", "description", "created_at", "deleted_at"))}


#: The references to a person whose rows personal_data() exports.
PERSONAL_DATA_COVERS = ("library_item.owner_id",)
