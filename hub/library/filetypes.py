"""What each kind of item may hold, judged by the file's content (magic bytes), never by its name."""

from pathlib import Path

import filetype
from flask_babel import lazy_gettext as _l

from hub.library import storage

AUDIO = {"audio/mpeg": "mp3", "audio/mp4": "m4a", "audio/ogg": "ogg", "audio/x-wav": "wav",
         "audio/x-flac": "flac", "audio/aac": "aac"}
VIDEO = {"video/mp4": "mp4", "video/webm": "webm", "video/quicktime": "mov", "video/x-matroska": "mkv",
         "video/3gpp": "3gp", "video/x-m4v": "m4v"}
DOCUMENTS = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/rtf": "rtf",
    "text/plain": "txt",
}
ALLOWED = {"recording": {**AUDIO, **VIDEO}, "video": VIDEO, "document": DOCUMENTS, "link": {}}
ANY = {**AUDIO, **VIDEO, **DOCUMENTS}
#: Text files are recognised by having no magic number, decoding as UTF-8 and not looking like markup.
_MARKUP = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<head", b"<iframe")

MESSAGES = {
    "empty": _l("The file is empty."),
    "type": _l("This file's content is not an accepted type for this kind of item "
               "(its name does not matter: we look at what is inside)."),
}


class Refused(Exception):
    """A file or upload the hub will not keep; str() is the translated reason."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _plain_text(head: bytes) -> bool:
    lowered = head.lstrip().lower()
    if b"\x00" in head or any(lowered.startswith(tag) or tag in lowered[:2048] for tag in _MARKUP):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start > len(head) - 4  # a character cut by the 8 KB boundary
    return True


def detect(path: Path) -> str | None:
    """The file's MIME type from its content, 'text/plain' for plain text, or None."""
    head = storage.head(path)
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    return "text/plain" if head and _plain_text(head) else None


def check(path: Path, kind: str | None) -> tuple[str, str]:
    """(mimetype, extension) when the file may be kept for `kind` (None: any kind); else Refused."""
    if path.stat().st_size == 0:
        raise Refused(MESSAGES["empty"])
    mimetype = detect(path)
    allowed = ANY if kind is None else ALLOWED.get(kind, {})
    if mimetype not in allowed:
        raise Refused(MESSAGES["type"])
    return mimetype, allowed[mimetype]
