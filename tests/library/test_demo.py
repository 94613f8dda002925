"""The demo library: every kind, real media with captions in two languages, and loading twice is harmless."""

import sqlalchemy as sa

from hub.extensions import db
from hub.library.models import LibraryItem


def test_demo_load_is_complete_and_idempotent(runner, stored_files):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    files = stored_files()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    found = db.session.scalars(sa.select(LibraryItem)).all()
    assert {item.kind for item in found} == {"recording", "video", "document", "link"}
    assert len({code for item in found for code in item.languages}) >= 4
    session = next(item for item in found if item.slug == "demo-budget-tracking-session")
    assert [c.language for c in session.captions] == ["en", "fr"]
    assert session.media_status == "done" and session.file("audio") is not None
    assert stored_files() == files and len(found) == 6
