"""A tus 1.0 server for resumable uploads: core, creation, termination, expiration and checksum (sha1).

Mounted at /library/uploads/. The endpoints are exempt from CSRF tokens (tus clients cannot send
them) but demand a signed-in session and the Tus-Resumable header, which a cross-site page cannot
send without a CORS preflight the hub never grants. Each upload belongs to its creator: anyone else
gets 404. Bytes go to tmp/<upload id>; the upload becomes an item's file when the item form is saved.
"""

import base64
import binascii
import fcntl
import hashlib
import uuid
from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import ClientDisconnected
from werkzeug.http import http_date

from hub import audit, permissions
from hub.db import utcnow
from hub.extensions import csrf, db
from hub.library import storage
from hub.library.filetypes import Refused, check
from hub.library.models import KINDS, Upload
from hub.library.services import check_allowance

bp = Blueprint("uploads", __name__, url_prefix="/uploads")
VERSION = "1.0.0"
EXTENSIONS = "creation,termination,expiration,checksum"
CHUNK = 1024 * 1024


def _answer(status: int, message: str = "", **headers) -> Response:
    """A plain-text tus response carrying the protocol headers."""
    response = Response(message, status=status, mimetype="text/plain")
    response.headers["Tus-Resumable"] = VERSION
    response.headers["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response.headers[name.replace("_", "-")] = str(value)
    return response


def _refuse_request() -> Response | None:
    """Who may speak tus here: signed-in people, with the protocol header."""
    if not permissions.can_add_item(current_user):
        return _answer(401, _("Please sign in to upload."))
    if request.headers.get("Tus-Resumable") != VERSION:
        return _answer(412, "Tus-Resumable 1.0.0 required", Tus_Version=VERSION)
    return None


def _expires(upload: Upload) -> str:
    return http_date(upload.expires_at)


def _own_upload(upload_id: str) -> Upload | None:
    """This person's unexpired upload, or None (someone else's looks exactly like a missing one)."""
    upload = db.session.get(Upload, upload_id) if len(upload_id) == 32 else None
    if upload is None or upload.owner_id != current_user.id or upload.expires_at < utcnow():
        return None
    return upload


@bp.route("/", methods=["OPTIONS"])
@csrf.exempt
def options():
    """Discovery: version, extensions, size limit and checksum algorithms."""
    return _answer(204, Tus_Version=VERSION, Tus_Extension=EXTENSIONS, Tus_Checksum_Algorithm="sha1",
                   Tus_Max_Size=current_app.config["LIBRARY_TUS_LIMIT"])


def parse_metadata(header: str) -> dict:
    """Upload-Metadata: comma-separated 'key base64value' pairs (undecodable values are dropped)."""
    found = {}
    for pair in (header or "").split(","):
        key, _sep, value = pair.strip().partition(" ")
        try:
            found[key] = base64.b64decode(value, validate=True).decode("utf-8") if value else ""
        except (binascii.Error, UnicodeDecodeError):
            continue
    return {k: v[:500] for k, v in found.items() if k}


@bp.route("/", methods=["POST"])
@csrf.exempt
@audit.exempt("a person starting their own upload (the item is made by library.create)")
def create():
    """Creation: reserve an upload of Upload-Length bytes, within the limit and the person's quota."""
    refused = _refuse_request()
    if refused:
        return refused
    length = request.headers.get("Upload-Length", "")
    if not length.isdigit():
        return _answer(400, _("The upload must say its length (Upload-Length)."))
    if int(length) == 0:
        return _answer(400, _("The file is empty."))
    try:
        check_allowance(current_user.id, int(length), current_app.config["LIBRARY_TUS_LIMIT"])
    except Refused as error:
        return _answer(413, str(error))
    metadata = parse_metadata(request.headers.get("Upload-Metadata", ""))
    upload = Upload(id=uuid.uuid4().hex, owner_id=current_user.id, length=int(length), offset=0,
                    filename=storage.clean_filename(metadata.get("filename") or metadata.get("name") or ""),
                    metadata_={"kind": metadata.get("kind") if metadata.get("kind") in KINDS else None},
                    expires_at=utcnow() + timedelta(seconds=current_app.config["LIBRARY_TUS_EXPIRY"]))
    storage.temp_path(upload.id).touch()
    db.session.add(upload)
    db.session.commit()
    return _answer(201, Location=url_for("library.uploads.upload", upload_id=upload.id, _external=True),
                   Upload_Expires=_expires(upload))


@bp.route("/<upload_id>", methods=["HEAD"])
@csrf.exempt
def upload(upload_id):
    """Where to resume: the offset received so far."""
    refused = _refuse_request()
    if refused:
        return refused
    found = _own_upload(upload_id)
    if found is None:
        return _answer(404)
    return _answer(200, Upload_Offset=found.offset, Upload_Length=found.length, Upload_Expires=_expires(found))


@bp.route("/<upload_id>", methods=["DELETE"])
@csrf.exempt
def terminate(upload_id):
    """Termination: forget the upload and its bytes."""
    refused = _refuse_request()
    if refused:
        return refused
    found = _own_upload(upload_id)
    if found is None:
        return _answer(404)
    storage.remove(storage.temp_path(found.id))
    db.session.delete(found)
    db.session.commit()
    return _answer(204)


def _expected_checksum() -> tuple[bool, bytes | None]:
    """(valid header?, expected sha1 digest or None when no checksum was sent)."""
    header = request.headers.get("Upload-Checksum")
    if header is None:
        return True, None
    algorithm, _sep, value = header.strip().partition(" ")
    try:
        digest = base64.b64decode(value, validate=True)
    except binascii.Error:
        return False, None
    return algorithm.lower() == "sha1" and len(digest) == 20, digest


@bp.route("/<upload_id>", methods=["PATCH"])
@csrf.exempt
def patch(upload_id):
    """Core: append bytes at Upload-Offset, verifying the sha1 checksum when one is sent."""
    refused = _refuse_request()
    if refused:
        return refused
    found = _own_upload(upload_id)
    if found is None:
        return _answer(404)
    if request.mimetype != "application/offset+octet-stream":
        return _answer(415, "Content-Type must be application/offset+octet-stream")
    valid, expected = _expected_checksum()
    if not valid:
        return _answer(400, _("Only sha1 checksums are accepted."))
    offset = request.headers.get("Upload-Offset", "")
    if not offset.isdigit() or int(offset) != found.offset:
        return _answer(409, _("The upload is at byte %(offset)d; send from there.", offset=found.offset),
                       Upload_Offset=found.offset)
    start, length = found.offset, found.length
    if request.content_length is not None and request.content_length > length - start:
        return _answer(413, _("More bytes were sent than the upload's length."))
    db.session.commit()  # no transaction stays open while the bytes arrive
    result = _receive(upload_id, start, length, expected)
    return result if isinstance(result, Response) else _advance(upload_id, start, result)


def _receive(upload_id: str, start: int, length: int, expected: bytes | None):
    """Write the body at `start`; the new offset, or a Response when the bytes are refused."""
    path, received = storage.temp_path(upload_id), start
    digest = hashlib.sha1() if expected is not None else None
    request.max_content_length = length - start + CHUNK  # this request's body, not the app's default
    with open(path, "r+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return _answer(423, _("This upload is already receiving data."))
        handle.seek(start)
        handle.truncate()
        try:
            while chunk := request.stream.read(CHUNK):
                received += len(chunk)
                if received > length:
                    handle.truncate(start)
                    return _answer(413, _("More bytes were sent than the upload's length."))
                if digest is not None:
                    digest.update(chunk)
                handle.write(chunk)
        except ClientDisconnected:
            if expected is not None:  # a checksummed chunk is all or nothing
                handle.truncate(start)
                return start
        if digest is not None and digest.digest() != expected:
            handle.truncate(start)
            return _answer(460, _("The data arrived damaged (checksum mismatch); please send it again."))
    return received


def _advance(upload_id: str, start: int, offset: int) -> Response:
    """Record the new offset; a finished upload is checked by content and dropped if refused."""
    expires = utcnow() + timedelta(seconds=current_app.config["LIBRARY_TUS_EXPIRY"])
    db.session.execute(sa.update(Upload).where(Upload.id == upload_id, Upload.offset == start)
                       .values(offset=offset, expires_at=expires))
    db.session.commit()
    found = db.session.get(Upload, upload_id, populate_existing=True)
    if found is not None and found.is_complete:
        try:
            check(storage.temp_path(upload_id), found.metadata_.get("kind"))
        except Refused as error:
            storage.remove(storage.temp_path(upload_id))
            db.session.delete(found)
            db.session.commit()
            return _answer(415, str(error))
    return _answer(204, Upload_Offset=offset, Upload_Expires=http_date(expires))


def clean() -> int:
    """Remove expired uploads and stray temporary files; returns how many uploads went."""
    expired = db.session.scalars(sa.select(Upload).where(Upload.expires_at < utcnow())).all()
    for upload in expired:
        storage.remove(storage.temp_path(upload.id))
        db.session.delete(upload)
    db.session.flush()
    live = set(db.session.scalars(sa.select(Upload.id)))
    cutoff = (utcnow() - timedelta(seconds=current_app.config["LIBRARY_TUS_EXPIRY"])).timestamp()
    for path in (storage.root() / "tmp").iterdir():
        if path.name not in live and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
    return len(expired)
