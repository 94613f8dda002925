"""The tus 1.0 server: creation, offsets, checksums, termination, expiry, ownership, and tuspy against it."""

import base64
import hashlib
import http.client
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import requests
import sqlalchemy as sa
from tusclient import client as tus_client

from hub.db import utcnow
from hub.extensions import db
from hub.library.models import Upload

from tests.library.library_samples import HTML, items

TUS = {"Tus-Resumable": "1.0.0"}


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.fixture
def create(client):
    def post(length, name="talk.mp3", kind="recording"):
        return client.post("/library/uploads/", headers={
            **TUS, "Upload-Length": str(length), "Upload-Metadata": f"filename {b64(name)},kind {b64(kind)}"})
    return post


def patch(client, location, data, offset, **headers):
    return client.patch(location, data=data, headers={
        **TUS, "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream", **headers})


def test_discovery(client):
    response = client.options("/library/uploads/")
    assert response.status_code == 204
    assert response.headers["Tus-Version"] == "1.0.0"
    assert set(response.headers["Tus-Extension"].split(",")) == {"creation", "termination", "expiration", "checksum"}
    assert response.headers["Tus-Checksum-Algorithm"] == "sha1"


def test_signed_out_people_cannot_upload(client):
    assert client.post("/library/uploads/", headers={**TUS, "Upload-Length": "10"}).status_code == 401


def test_the_protocol_header_is_required(member, client):
    response = client.post("/library/uploads/", headers={"Upload-Length": "10"})
    assert response.status_code == 412 and db.session.scalar(sa.select(Upload)) is None


def test_cut_at_half_then_resumed_then_attached(client, member, create, audio_bytes, stored_files):
    location = create(len(audio_bytes)).headers["Location"]
    half = len(audio_bytes) // 2
    assert patch(client, location, audio_bytes[:half], 0).status_code == 204
    head = client.head(location, headers=TUS)
    assert head.status_code == 200 and head.headers["Upload-Offset"] == str(half)
    assert head.headers["Upload-Length"] == str(len(audio_bytes)) and head.headers["Cache-Control"] == "no-store"
    done = patch(client, location, audio_bytes[half:], half)
    assert done.status_code == 204 and done.headers["Upload-Offset"] == str(len(audio_bytes))
    upload_id = location.rsplit("/", 1)[1]
    response = client.post("/library/new", data={"kind": "recording", "title": "Session one", "licence": "cc-by",
                                                 "organisation_id": "0", "community_id": "0", "upload_id": upload_id})
    assert response.status_code == 302
    original = items()[0].file("original")
    assert original.filename == "talk.mp3" and original.size == len(audio_bytes)
    assert db.session.scalar(sa.select(Upload)) is None
    assert stored_files() == [original.storage_name]


def test_wrong_offset_is_a_conflict(client, member, create):
    location = create(100).headers["Location"]
    response = patch(client, location, b"x" * 10, 5)
    assert response.status_code == 409 and "byte 0" in response.get_data(as_text=True)


def test_wrong_checksum_is_refused_and_nothing_kept(client, member, create):
    location = create(100).headers["Location"]
    wrong = base64.b64encode(hashlib.sha1(b"other").digest()).decode()
    response = patch(client, location, b"x" * 10, 0, **{"Upload-Checksum": f"sha1 {wrong}"})
    assert response.status_code == 460
    assert client.head(location, headers=TUS).headers["Upload-Offset"] == "0"
    right = base64.b64encode(hashlib.sha1(b"x" * 10).digest()).decode()
    assert patch(client, location, b"x" * 10, 0, **{"Upload-Checksum": f"sha1 {right}"}).status_code == 204
    assert patch(client, location, b"x", 10, **{"Upload-Checksum": "md5 abc="}).status_code == 400


def test_someone_elses_upload_is_not_found(client, auth, member, create, create_user):
    location = create(100).headers["Location"]
    auth.logout()
    auth.login(create_user().email)
    assert client.head(location, headers=TUS).status_code == 404
    assert patch(client, location, b"x" * 10, 0).status_code == 404
    assert client.delete(location, headers=TUS).status_code == 404
    upload_id = location.rsplit("/", 1)[1]
    response = client.post("/library/new", data={"kind": "recording", "title": "Stolen", "licence": "cc-by",
                                                 "organisation_id": "0", "community_id": "0", "upload_id": upload_id})
    assert "has not finished or has expired" in response.get_data(as_text=True) and items() == []


def test_termination_removes_the_bytes(client, member, create, stored_files):
    location = create(100).headers["Location"]
    patch(client, location, b"x" * 10, 0)
    assert client.delete(location, headers=TUS).status_code == 204
    assert client.head(location, headers=TUS).status_code == 404
    assert stored_files() == [] and db.session.scalar(sa.select(Upload)) is None


def test_limits_quota_and_empty(app, client, member, create):
    app.config["LIBRARY_TUS_LIMIT"] = 1000
    assert create(0).status_code == 400
    assert "the most this upload accepts" in create(1001).get_data(as_text=True)
    app.config["LIBRARY_QUOTA_BYTES"] = 1500
    assert create(900).status_code == 201
    response = create(900)  # the unfinished upload counts against the quota
    assert response.status_code == 413 and "storage allowance" in response.get_data(as_text=True)


def test_more_bytes_than_announced_are_refused(client, member, create):
    location = create(5).headers["Location"]
    assert patch(client, location, b"x" * 10, 0).status_code == 413


def test_finished_upload_with_wrong_content_is_dropped(client, member, create, stored_files):
    location = create(len(HTML), name="talk.mp4", kind="video").headers["Location"]
    response = patch(client, location, HTML, 0)
    assert response.status_code == 415 and "not an accepted type" in response.get_data(as_text=True)
    assert stored_files() == [] and db.session.scalar(sa.select(Upload)) is None


def test_expired_uploads_are_gone_and_cleaned(client, runner, member, create, stored_files):
    location = create(100).headers["Location"]
    assert create(100).headers["Upload-Expires"].endswith("GMT")
    db.session.execute(sa.update(Upload).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert client.head(location, headers=TUS).status_code == 404
    result = runner.invoke(args=["library", "clean"])
    assert "2 expired upload(s) removed" in result.output
    assert stored_files() == [] and db.session.scalar(sa.select(Upload)) is None


def test_tuspy_interoperates(app, csrf_off, live_server, create_user, video_bytes, tmp_path):
    person = create_user()
    session = requests.Session()
    session.post(f"{live_server}/login", data={"email": person.email, "password": "correct horse battery staple"})
    cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
    source = tmp_path / "clip.mp4"
    source.write_bytes(video_bytes)
    tus = tus_client.TusClient(f"{live_server}/library/uploads/", headers={"Cookie": cookie})
    uploader = tus.uploader(str(source), chunk_size=16 * 1024, metadata={"filename": "clip.mp4", "kind": "video"},
                            upload_checksum=True)
    uploader.upload_chunk()  # a first chunk, as if the connection then dropped
    resumed = tus.uploader(str(source), url=uploader.url, chunk_size=16 * 1024, upload_checksum=True)
    assert resumed.offset == 16 * 1024
    resumed.upload()
    upload = db.session.scalar(sa.select(Upload))
    assert upload.is_complete and upload.filename == "clip.mp4"
    session.close()


def test_a_dropped_connection_keeps_what_arrived(app, csrf_off, live_server, create_user, audio_bytes):
    person = create_user()
    session = requests.Session()
    session.post(f"{live_server}/login", data={"email": person.email, "password": "correct horse battery staple"})
    headers = {**TUS, "Cookie": "; ".join(f"{k}={v}" for k, v in session.cookies.items())}
    location = session.post(f"{live_server}/library/uploads/", headers={
        **headers, "Upload-Length": str(len(audio_bytes))}).headers["Location"]
    half = len(audio_bytes) // 2
    parts = urlsplit(location)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.putrequest("PATCH", parts.path)
    for name, value in {**headers, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream",
                        "Content-Length": str(len(audio_bytes))}.items():
        connection.putheader(name, value)
    connection.endheaders()
    connection.send(audio_bytes[:half])
    connection.close()  # the line drops half-way
    for _ in range(50):
        offset = int(session.head(location, headers=headers).headers["Upload-Offset"])
        if offset:
            break
        time.sleep(0.1)
    assert offset == half
    finish = session.patch(location, data=audio_bytes[half:], headers={
        **headers, "Upload-Offset": str(half), "Content-Type": "application/offset+octet-stream"})
    assert finish.status_code == 204 and finish.headers["Upload-Offset"] == str(len(audio_bytes))
    session.close()
