"""Playback, captions, transcripts and media processing (real ffmpeg), and what happens without it."""

import sqlalchemy as sa

from hub.extensions import db
from hub.jobs.models import Job
from hub.jobs.services import run_one
from hub.library.models import LibraryItem

from tests.library.library_samples import SRT, VTT, items


def add_video(add_item, video_bytes, kind="video", **fields):
    response = add_item(file=(video_bytes, "clip.mp4"), kind=kind, title="Session on budgets", **fields)
    assert response.status_code == 302
    return items()[0]


def run_jobs():
    while run_one("test"):
        pass
    db.session.expire_all()


def test_video_is_processed_into_smaller_versions(client, member, add_item, video_bytes, stored_files):
    item = add_video(add_item, video_bytes)
    assert item.media_status == "pending"
    assert "being prepared" in client.get(f"/library/{item.slug}").get_data(as_text=True)
    assert db.session.scalar(sa.select(Job.kind).where(Job.kind.like("library.%"))) == "library.process_media"
    run_jobs()
    item = items()[0]
    assert item.media_status == "done" and 1.5 < item.duration < 2.5 and "h264" in item.codecs
    assert {f.role for f in item.files} == {"original", "poster", "audio", "360p"}
    assert item.file("audio").mimetype == "audio/ogg" and item.file("360p").mimetype == "video/mp4"
    page = client.get(f"/library/{item.slug}").get_data(as_text=True)
    assert 'preload="none"' in page and "poster=" in page
    assert "Audio only (low bandwidth)" in page and "Smaller video (360p)" in page
    assert "Duration: 0:02" in page
    assert len(stored_files()) == 4


def test_recording_gets_an_audio_version_only(member, add_item, audio_bytes):
    add_item(file=(audio_bytes, "talk.mp3"), kind="recording", title="Talk")
    run_jobs()
    assert {f.role for f in items()[0].files} == {"original", "audio"}


def test_corrupt_video_fails_with_a_reason_and_can_be_retried(client, member, add_item, video_bytes):
    broken = video_bytes[:64] + b"\x00" * 4000  # right magic bytes, nothing playable behind them
    item = add_video(add_item, (broken))
    run_jobs()
    item = items()[0]
    assert item.media_status == "failed" and item.media_error
    page = client.get(f"/library/{item.slug}").get_data(as_text=True)
    assert "could not be processed" in page and "Try again" in page
    assert client.post(f"/library/{item.slug}/process").status_code == 302
    assert db.session.get(LibraryItem, item.id).media_status == "pending"


def test_without_ffmpeg_the_original_plays(app, client, member, add_item, video_bytes):
    app.config["FFMPEG"] = app.config["FFPROBE"] = "no-such-program"
    item = add_video(add_item, video_bytes)
    assert item.media_status == "none" and db.session.scalar(sa.select(Job).where(Job.kind.like("library.%"))) is None
    page = client.get(f"/library/{item.slug}").get_data(as_text=True)
    assert "No smaller version of this file exists" in page and "<video" in page


def test_range_requests_get_206(client, member, add_item, video_bytes):
    item = add_video(add_item, video_bytes)
    url = f"/library/{item.slug}/files/{item.file('original').id}"
    response = client.get(url, headers={"Range": "bytes=10-19"})
    assert response.status_code == 206 and response.data == video_bytes[10:20]
    assert response.headers["Content-Range"] == f"bytes 10-19/{len(video_bytes)}"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert client.get(url, headers={"Range": f"bytes={len(video_bytes) + 5}-"}).status_code == 416
    assert client.get(url + "?download=1").headers["Content-Disposition"].startswith("attachment")


def test_captions_in_two_languages_and_transcript(client, member, add_item, video_bytes):
    item = add_video(add_item, video_bytes)
    for language, data, name in (("en", VTT, "en.vtt"), ("fr", SRT, "fr.srt")):
        response = client.post(f"/library/{item.slug}/captions", data={
            "language": language, "file": (__import__("io").BytesIO(data), name)},
            content_type="multipart/form-data")
        assert response.status_code == 302
    item = items()[0]
    assert [c.language for c in item.captions] == ["en", "fr"]
    french = item.captions[1]
    assert french.vtt.startswith("WEBVTT") and "00:00:01.000 --> 00:00:02.000" in french.vtt
    assert "<i>" not in french.vtt
    page = client.get(f"/library/{item.slug}").get_data(as_text=True)
    assert page.count("<track kind=\"captions\"") == 2 and "Hello and welcome" in page
    track = client.get(f"/library/{item.slug}/captions/{french.id}.vtt")
    assert track.mimetype == "text/vtt" and "Bonjour et bienvenue" in track.get_data(as_text=True)
    again = client.get(f"/library/{item.slug}/captions/{french.id}.vtt", headers={"If-None-Match": track.headers["ETag"]})
    assert again.status_code == 304 and not again.data  # a repeat view does not fetch the track again
    assert "Bonjour et bienvenue" in item.search_text()


def test_malformed_captions_are_refused(client, member, add_item, video_bytes):
    item = add_video(add_item, video_bytes)
    for data in (b"WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nHi\n", b"WEBVTTX\n", b"\xff\xfe\x00bad",
                 b"WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nBackwards\n", b"WEBVTT\n\n"):
        response = client.post(f"/library/{item.slug}/captions", data={
            "language": "en", "file": (__import__("io").BytesIO(data), "en.vtt")},
            content_type="multipart/form-data", follow_redirects=True)
        assert "captions" in response.get_data(as_text=True).lower()
        assert ("not a valid WebVTT" in response.get_data(as_text=True)
                or "must be UTF-8" in response.get_data(as_text=True))
    assert items()[0].captions == []


def test_private_community_file_is_not_served_to_outsiders(client, auth, create_user, create_community, add_item,
                                                          video_bytes):
    insider, outsider = create_user(), create_user()
    community = create_community(visibility="private", members=[insider])
    auth.login(insider.email)
    item = add_video(add_item, video_bytes, community_id=str(community.id))
    client.post(f"/library/{item.slug}/captions", data={"language": "en", "file": (__import__("io").BytesIO(VTT), "a.vtt")},
                content_type="multipart/form-data")
    run_jobs()
    item = items()[0]
    urls = [f"/library/{item.slug}/files/{f.id}" for f in item.files]
    urls.append(f"/library/{item.slug}/captions/{item.captions[0].id}.vtt")
    assert all(client.get(url).status_code in (200, 206) for url in urls)
    auth.logout()
    auth.login(outsider.email)
    for url in urls:
        for headers in ({}, {"Range": "bytes=0-0"}):
            response = client.get(url, headers=headers)
            assert response.status_code == 404 and b"WEBVTT" not in response.data
