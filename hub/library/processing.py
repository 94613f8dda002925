"""Media processing as a job: probe, poster frame, audio-only and 360p versions of recordings and videos."""

import logging

from hub.extensions import db
from hub.jobs.services import enqueue, handler
from hub.library import media, storage
from hub.library.filetypes import Refused, check
from hub.library.models import (AUDIO, MEDIA_DONE, MEDIA_FAILED, MEDIA_NONE, MEDIA_PENDING, ORIGINAL, POSTER,
                                VIDEO_360, LibraryItem, MediaFile)

JOB_KIND = "library.process_media"
log = logging.getLogger(__name__)


def queue(item: LibraryItem) -> None:
    """Queue processing of a recording or video (nothing to do for others, or without ffmpeg)."""
    if not item.is_media or item.file(ORIGINAL) is None or not media.available():
        item.media_status, item.media_error = MEDIA_NONE, ""
        return
    item.media_status, item.media_error = MEDIA_PENDING, ""
    db.session.flush()
    enqueue(JOB_KIND, {"item_id": item.id})


@handler(JOB_KIND, max_attempts=2)
def run_job(payload: dict) -> None:
    """The job runner's entry point: whatever goes wrong, the item does not stay "processing" for ever."""
    item_id = int(payload["item_id"])
    try:
        process_media(item_id)
    except Exception as error:  # recorded on the item, which can be retried from its page
        db.session.rollback()
        log.exception("library item %s: media processing crashed", item_id)
        _fail(item_id, None, f"unexpected error ({type(error).__name__})")


def process_media(item_id: int) -> None:
    """Probe the item's original and make its smaller versions; a file ffmpeg rejects marks it failed.

    ffmpeg runs outside any transaction (hub.jobs.services): read, let go of the database, convert,
    then record the results only if the item still waits for exactly this original.
    """
    item = db.session.get(LibraryItem, item_id)
    original = item.file(ORIGINAL) if item is not None else None
    if original is None or item.is_deleted or item.media_status != MEDIA_PENDING:
        db.session.rollback()
        return  # nothing to do, or done already (the demo processes inline; a retry sets it pending)
    source, original_name, filename, kind = (storage.path_of(original.storage_name), original.storage_name,
                                             original.filename, item.kind)
    db.session.rollback()  # the transaction ends here: no lock or snapshot is held while ffmpeg runs
    made, files = {}, {}
    try:
        found = media.probe(source)
        if found.has_video:
            made[POSTER] = media.poster(source, found.duration)
        if found.has_audio:
            made[AUDIO] = media.audio_only(source)
        if found.has_video and kind == "video":
            made[VIDEO_360] = media.video_360p(source)
        for role, temp in made.items():
            files[role] = _keep(temp, role, filename)
    except media.MediaError as error:
        for temp in made.values():
            storage.remove(temp)
        for fields in files.values():
            storage.remove(fields["storage_name"])
        _fail(item_id, original_name, str(error))
        return
    _record(item_id, original_name, found, files)


def _waiting(item_id: int, original_name: str | None) -> LibraryItem | None:
    """The item, re-read, if it still waits for processing of this original (None: any original)."""
    item = db.session.get(LibraryItem, item_id, populate_existing=True)
    original = item.file(ORIGINAL) if item is not None else None
    if (original is None or item.is_deleted or item.media_status != MEDIA_PENDING
            or original_name not in (None, original.storage_name)):
        return None
    return item


def _keep(temp, role: str, filename: str) -> dict:
    """Check an output of ffmpeg and move it into storage (no database work): the MediaFile's fields."""
    family = {POSTER: "image", AUDIO: "audio", VIDEO_360: "video"}[role]
    try:
        mimetype, extension = check(temp, None) if family != "image" else ("image/jpeg", "jpg")
    except Refused:
        storage.remove(temp)
        raise media.MediaError(f"unexpected {role} output") from None
    name = storage.keep(temp, extension)
    stem = filename.rsplit(".", 1)[0]
    suffix = {POSTER: "poster", AUDIO: "audio", VIDEO_360: "360p"}[role]
    return {"role": role, "storage_name": name, "mimetype": mimetype, "size": storage.path_of(name).stat().st_size,
            "filename": storage.clean_filename(f"{stem}-{suffix}.{extension}", extension)}


def _record(item_id: int, original_name: str, found: media.Probe, files: dict) -> None:
    """The short write at the end: the new versions replace the old, unless the item changed meanwhile."""
    item = _waiting(item_id, original_name)
    if item is None:  # deleted, retried or given a new original while ffmpeg ran: these versions are stale
        db.session.rollback()
        for fields in files.values():
            storage.remove(fields["storage_name"])
        return
    for fields in files.values():
        storage.forget_on_rollback(fields["storage_name"])
    item.duration, item.codecs = found.duration, found.codecs
    _drop_derived(item)
    for fields in files.values():
        db.session.add(MediaFile(item=item, **fields))
    item.media_status, item.media_error = MEDIA_DONE, ""
    db.session.flush()


def _drop_derived(item: LibraryItem) -> None:
    """A retried job starts again from the original."""
    for old in [f for f in item.files if f.role != ORIGINAL]:
        storage.remove_after_commit(old.storage_name)
        db.session.delete(old)
    db.session.flush()


def _fail(item_id: int, original_name: str | None, reason: str) -> None:
    item = _waiting(item_id, original_name)
    if item is None:
        return
    item.media_status, item.media_error = MEDIA_FAILED, reason[:500]
    db.session.flush()
    log.warning("library item %s: media processing failed: %s", item_id, reason)
