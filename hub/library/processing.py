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
        _fail(item_id, f"unexpected error ({type(error).__name__})")


def process_media(item_id: int) -> None:
    """Probe the item's original and make its smaller versions; a file ffmpeg rejects marks it failed."""
    item = db.session.get(LibraryItem, item_id)
    original = item.file(ORIGINAL) if item is not None else None
    if original is None or item.is_deleted or item.media_status != MEDIA_PENDING:
        return  # nothing to do, or done already (the demo processes inline; a retry sets it pending)
    source = storage.path_of(original.storage_name)
    try:
        found = media.probe(source)
        item.duration, item.codecs = found.duration, found.codecs
        _drop_derived(item)
        if found.has_video:
            _derive(item, media.poster(source, found.duration), POSTER, original.filename, "image")
        if found.has_audio:
            _derive(item, media.audio_only(source), AUDIO, original.filename, "audio")
        if found.has_video and item.kind == "video":
            _derive(item, media.video_360p(source), VIDEO_360, original.filename, "video")
    except media.MediaError as error:
        db.session.rollback()
        _fail(item_id, str(error))
        return
    item.media_status, item.media_error = MEDIA_DONE, ""
    db.session.flush()


def _derive(item: LibraryItem, temp, role: str, filename: str, family: str) -> None:
    try:
        mimetype, extension = check(temp, None) if family != "image" else ("image/jpeg", "jpg")
    except Refused:
        storage.remove(temp)
        raise media.MediaError(f"unexpected {role} output") from None
    name = storage.keep(temp, extension)
    storage.forget_on_rollback(name)
    stem = filename.rsplit(".", 1)[0]
    suffix = {POSTER: "poster", AUDIO: "audio", VIDEO_360: "360p"}[role]
    db.session.add(MediaFile(item=item, role=role, storage_name=name, mimetype=mimetype,
                             size=storage.path_of(name).stat().st_size,
                             filename=storage.clean_filename(f"{stem}-{suffix}.{extension}", extension)))


def _drop_derived(item: LibraryItem) -> None:
    """A retried job starts again from the original."""
    for old in [f for f in item.files if f.role != ORIGINAL]:
        storage.remove_after_commit(old.storage_name)
        db.session.delete(old)
    db.session.flush()


def _fail(item_id: int, reason: str) -> None:
    item = db.session.get(LibraryItem, item_id)
    item.media_status, item.media_error = MEDIA_FAILED, reason[:500]
    db.session.flush()
    log.warning("library item %s: media processing failed: %s", item_id, reason)

