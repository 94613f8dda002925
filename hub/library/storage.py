"""One storage for every library file: instance/library/files by generated names, with a tmp/ beside it.

Files arrive in tmp/ (form uploads, tus uploads in progress, ffmpeg output) and are moved into
files/ with os.replace only once they are checked, so a refused file never reaches files/.

Beyond one machine the kept files move to S3-compatible object storage behind `FileStore` (below);
tmp/ stays on each machine's local disk, because tus appends to it and ffmpeg reads and writes it.
"""

import os
import re
import shutil
import unicodedata
import uuid
from pathlib import Path
from typing import BinaryIO, Protocol

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_decimal
from sqlalchemy.orm import Session

from hub.extensions import db

CHUNK = 1024 * 1024
MAX_FILENAME = 180


def root() -> Path:
    """The library's folder under the instance folder (created on first use)."""
    folder = Path(current_app.config.get("LIBRARY_STORAGE") or Path(current_app.instance_path) / "library")
    for sub in ("files", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return folder


def path_of(storage_name: str) -> Path:
    """The path of a stored file; names are generated, but refuse anything that is not one."""
    if not re.fullmatch(r"[0-9a-f]{32}(\.[a-z0-9]{1,5})?", storage_name):
        raise ValueError("not a storage name")
    return root() / "files" / storage_name


def temp_path(name: str | None = None) -> Path:
    """A path in tmp/ (a fresh generated one unless a generated name is given)."""
    name = name or uuid.uuid4().hex
    if not re.fullmatch(r"[0-9a-f]{32}(\.[a-z0-9]{1,5})?", name):
        raise ValueError("not a temporary name")
    return root() / "tmp" / name


def keep(temp: Path, extension: str) -> str:
    """Move a checked temporary file into files/ under a new generated name; returns that name."""
    name = f"{uuid.uuid4().hex}.{extension}" if extension else uuid.uuid4().hex
    os.replace(temp, path_of(name))
    return name


def remove(path: Path | str | None) -> None:
    """Delete a stored or temporary file if it is there."""
    if path is None:
        return
    path = path_of(path) if isinstance(path, str) else path
    path.unlink(missing_ok=True)


def copy_stream(stream, destination: Path, limit: int) -> int:
    """Copy a readable stream to a new file in chunks; stops (returns limit + 1) past `limit` bytes."""
    written = 0
    with open(destination, "wb") as out:
        while chunk := stream.read(CHUNK):
            written += len(chunk)
            if written > limit:
                return limit + 1
            out.write(chunk)
    return written


def head(path: Path, size: int = 8192) -> bytes:
    """The first bytes of a file, enough for magic-byte detection (docx needs 8 KB)."""
    with open(path, "rb") as handle:
        return handle.read(size)


def clean_filename(name: str, extension: str = "") -> str:
    """A display/download name: no folders, no control characters, bounded, ending in `extension`."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip(" .") or "file"
    if extension and not name.lower().endswith("." + extension):
        stem = name.rpartition(".")[0] if "." in name else name
        name = stem if stem.lower().endswith("." + extension) else f"{stem}.{extension}"
    if len(name) > MAX_FILENAME:
        base, dot, ext = name.rpartition(".")
        name = base[:MAX_FILENAME - len(ext) - 1] + dot + ext if dot and len(ext) <= 5 else name[:MAX_FILENAME]
    return name


def free_space_ok(size: int) -> bool:
    """Whether the disk can take `size` more bytes with room to spare."""
    return shutil.disk_usage(root()).free > size + 512 * 1024 * 1024


def human_size(size: int | None) -> str:
    """'1.4 MB' and the like (1 MB = 1024 KB, as the size settings count)."""
    if size is None:
        return ""
    value, units = float(size), ["B", "KB", "MB", "GB", "TB"]
    for unit in units:
        if value < 1024 or unit == units[-1]:
            return f"{format_decimal(value, format='#,##0' if unit == 'B' else '#,##0.0')} {unit}"
        value /= 1024
    return ""


def forget_on_rollback(name: str) -> None:
    """Remove a file just kept if the transaction that records it is rolled back."""
    db.session.info.setdefault("library_kept", []).append(name)


def remove_after_commit(name: str) -> None:
    """Remove a file once the transaction that stops referring to it is committed."""
    db.session.info.setdefault("library_drop", []).append(name)


@sa.event.listens_for(Session, "after_commit")
def _after_commit(session):
    for name in session.info.pop("library_drop", []):
        remove(name)
    session.info.pop("library_kept", None)


@sa.event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session, transaction):
    """Rolled back or closed without a commit: the files it kept go too (commit cleared the list)."""
    if transaction.parent is None:
        for name in session.info.pop("library_kept", []):
            remove(name)
        session.info.pop("library_drop", None)


class FileStore(Protocol):
    """Where kept library files live, by generated name (what `library_file.storage_name` holds).

    The hub's code reaches kept files only through these operations, so that a second implementation
    can put them in S3-compatible object storage when the web servers are several machines:

    - `keep(temp, extension)`: the checked file leaves local tmp/. S3: multipart `PutObject` of
      `files/<name>` (then the temp file is removed); the name is new each time, so no overwrite races.
    - `open(name)`: a readable binary stream (text extraction, ffmpeg input, backups). S3: `GetObject`
      streamed; ffmpeg gets a local copy in tmp/ first (it seeks).
    - `size(name)`, `exists(name)`: S3 `HeadObject`.
    - `remove(name)`: S3 `DeleteObject` (after commit, as now: `remove_after_commit`).
    - `download_url(name, filename, mimetype)`: None means "serve it yourself" (local disk: send_file
      with Range support); S3 answers a presigned GET URL valid a few minutes with the download name in
      `response-content-disposition`, so bytes never pass through the hub and Range requests go to S3.
      The permission check stays in the hub's view, before the redirect.
    - `names()`: every kept name (`library clean` and the backup's completeness check). S3: `ListObjectsV2`.

    Backups on S3: versioning on the bucket, or `backup create` copying the objects the snapshot names
    (it already reads the list of names from the database snapshot, not from the folder).
    """

    def keep(self, temp: Path, extension: str) -> str: ...
    def open(self, name: str) -> BinaryIO: ...
    def size(self, name: str) -> int: ...
    def exists(self, name: str) -> bool: ...
    def remove(self, name: str) -> None: ...
    def download_url(self, name: str, filename: str, mimetype: str) -> str | None: ...
    def names(self) -> list[str]: ...


class LocalDiskStore:
    """`FileStore` on this machine's disk (LIBRARY_STORAGE or instance/library/files): the only one shipped."""

    def keep(self, temp: Path, extension: str) -> str:
        return keep(temp, extension)

    def open(self, name: str) -> BinaryIO:
        return open(path_of(name), "rb")

    def size(self, name: str) -> int:
        return path_of(name).stat().st_size

    def exists(self, name: str) -> bool:
        return path_of(name).is_file()

    def remove(self, name: str) -> None:
        remove(name)

    def download_url(self, name: str, filename: str, mimetype: str) -> str | None:
        return None  # downloads.py sends the file itself, answering Range requests

    def names(self) -> list[str]:
        return sorted(p.name for p in (root() / "files").iterdir() if p.is_file())


def file_store() -> FileStore:
    """The configured store (only the local disk one exists; see FileStore for S3)."""
    return LocalDiskStore()
