"""Text for search and reading: document text (PDF, Word, OpenDocument, plain), captions (WebVTT, SRT)."""

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from flask_babel import lazy_gettext as _l
from pypdf import PdfReader
from pypdf.errors import PdfReadError

MAX_PAGES = 300
#: Larger documents are kept but not read: parsing them could take the server's memory.
MAX_FILE = 50 * 1024 * 1024
#: Bytes of XML read from a docx/odt at most (a "zip bomb" stops here).
MAX_XML = 20 * 1024 * 1024
MAX_CAPTIONS = 2 * 1024 * 1024
TIMING = re.compile(r"^\s*((?:\d{1,3}:)?\d{2}:\d{2}[.,]\d{3})\s+-->\s+((?:\d{1,3}:)?\d{2}:\d{2}[.,]\d{3})(.*)$")
CAPTION_ERRORS = {
    "encoding": _l("The captions file must be UTF-8 text."),
    "format": _l("This is not a valid WebVTT or SRT captions file: %(detail)s"),
    "size": _l("The captions file is too large (2 MB at most)."),
}


def extract(path: Path, mimetype: str, limit: int) -> str:
    """The readable text of a document, at most `limit` characters ('' when there is none)."""
    if path.stat().st_size > MAX_FILE:
        return ""
    try:
        if mimetype == "application/pdf":
            text = _pdf(path, limit)
        elif mimetype.endswith("wordprocessingml.document"):
            text = _zip_xml(path, "word/document.xml", limit)
        elif mimetype.startswith("application/vnd.oasis.opendocument"):
            text = _zip_xml(path, "content.xml", limit)
        elif mimetype == "text/plain":
            with open(path, encoding="utf-8", errors="replace") as handle:
                text = handle.read(limit)
        else:
            return ""
    except (PdfReadError, zipfile.BadZipFile, ElementTree.ParseError, KeyError, ValueError, OSError):
        return ""
    return re.sub(r"[ \t]+", " ", text).strip()[:limit]


def _pdf(path: Path, limit: int) -> str:
    reader, parts, size = PdfReader(path), [], 0
    for page in reader.pages[:MAX_PAGES]:
        part = page.extract_text() or ""
        parts.append(part)
        size += len(part)
        if size >= limit:
            break
    return "\n".join(parts)


def _zip_xml(path: Path, member: str, limit: int) -> str:
    """Paragraph texts of an Office Open XML or OpenDocument file, without any XML library extras."""
    with zipfile.ZipFile(path) as archive:
        with archive.open(member) as handle:
            data = handle.read(MAX_XML)
    root = ElementTree.fromstring(data)  # stdlib parser: no external entities are fetched
    paragraphs, size = [], 0
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("p", "h"):
            text = "".join(element.itertext())
            if text.strip():
                paragraphs.append(text)
                size += len(text)
                if size >= limit:
                    break
    return "\n".join(paragraphs)


class CaptionError(ValueError):
    """A captions file that cannot be used; str() is the translated reason."""


def to_vtt(data: bytes) -> str:
    """A clean WebVTT document from an uploaded .vtt or .srt file, or CaptionError."""
    if len(data) > MAX_CAPTIONS:
        raise CaptionError(str(CAPTION_ERRORS["size"]))
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaptionError(str(CAPTION_ERRORS["encoding"])) from None
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    is_vtt = source.startswith("WEBVTT")
    if is_vtt and not re.match(r"WEBVTT([ \t].*)?(\n|$)", source):
        raise CaptionError(_error(_l("the first line must be WEBVTT.")))
    cues = _cues(source.split("\n", 1)[1] if is_vtt else source, is_vtt)
    if not cues:
        raise CaptionError(_error(_l("no captions with timings were found.")))
    lines = ["WEBVTT", ""]
    for start, end, text in cues:
        lines += [f"{start} --> {end}", *text, ""]
    return "\n".join(lines)


def _error(detail) -> str:
    return str(CAPTION_ERRORS["format"]) % {"detail": str(detail)}


def _cues(body: str, is_vtt: bool) -> list[tuple[str, str, list[str]]]:
    """(start, end, text lines) of each cue; numbers, notes and styles are dropped."""
    cues = []
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = [line for line in block.split("\n")]
        if not lines or (is_vtt and lines[0].startswith(("NOTE", "STYLE", "REGION"))):
            continue
        timing = next((i for i, line in enumerate(lines[:2]) if "-->" in line), None)
        if timing is None:
            raise CaptionError(_error(_l("a block has no timing line (“00:00:01.000 --> 00:00:04.000”).")))
        match = TIMING.match(lines[timing])
        if match is None:
            raise CaptionError(_error(_l("this timing line is not valid: %(line)s", line=lines[timing][:80])))
        start, end = (_timestamp(value) for value in match.group(1, 2))
        if _seconds(end) < _seconds(start):
            raise CaptionError(_error(_l("a caption ends before it starts: %(line)s", line=lines[timing][:80])))
        text = [re.sub(r"<[^>]*>", "", line) for line in lines[timing + 1:] if line.strip()]
        cues.append((start, end, text))
    return cues


def _timestamp(value: str) -> str:
    value = value.replace(",", ".")
    return value if value.count(":") == 2 else "00:" + value


def _seconds(value: str) -> float:
    hours, minutes, seconds = value.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def caption_text(vtt: str) -> str:
    """The words of a WebVTT document, one cue per line (a transcript derived from captions)."""
    words = []
    for block in vtt.split("\n\n")[1:]:
        lines = block.strip().split("\n")
        if lines and "-->" in lines[0]:
            words.append(" ".join(lines[1:]))
    return "\n".join(w for w in words if w)
