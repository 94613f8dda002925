"""Library fixtures: people, communities, a form poster and small real media files."""

import io
from pathlib import Path

import pytest

from hub.extensions import db

from tests.library.library_samples import make_audio, make_video, pdf_bytes


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("media")
    make_video(folder)
    make_audio(folder)
    return folder


@pytest.fixture
def video_bytes(media_dir):
    return (media_dir / "clip.mp4").read_bytes()


@pytest.fixture
def audio_bytes(media_dir):
    return (media_dir / "talk.mp3").read_bytes()


@pytest.fixture
def member(create_user, auth):
    """A signed-in member."""
    user = create_user()
    auth.login(user.email)
    return user


@pytest.fixture
def add_item(client):
    """Post the add form; returns the response (file=(bytes, name) for a file)."""
    def post(file=None, **fields):
        data = {"kind": "document", "title": "Budget tracking guide", "licence": "cc-by",
                "organisation_id": "0", "community_id": "0", **fields}
        if file is not None:
            data["file"] = (io.BytesIO(file[0]), file[1])
        return client.post("/library/new", data=data, content_type="multipart/form-data")
    return post


@pytest.fixture
def stored_files(app):
    """Names of the files in storage (kept and temporary)."""
    def listing():
        root = Path(app.instance_path) / "library"
        return sorted(p.name for p in root.glob("*/*")) if root.exists() else []
    return listing


@pytest.fixture
def a_pdf():
    return pdf_bytes(), "guide.pdf"
