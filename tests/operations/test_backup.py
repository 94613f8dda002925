"""`flask --app hub backup create|verify|restore`: what an operator sees, on the suite's database."""

import io
import json

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from hub import create_app
from hub.discussions import services as discussions
from hub.discussions.models import Reply
from hub.extensions import db
from hub.library import storage
from hub.library.models import LibraryItem, MediaFile
from hub.operations import backup
from tests.conftest import fresh_database
from tests.library.library_samples import pdf_bytes



def other_hub(instance, url, **settings):
    """A second hub (its own instance folder and database), as the suite's app is configured."""
    return create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": url,
                       "WTF_CSRF_ENABLED": False, "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
                       "PREMODERATION_FIRST_POSTS": 0, "TWO_FACTOR_REQUIRED_FOR": [], **settings},
                      instance_path=str(instance))


@pytest.fixture
def content(app, client, csrf_off, sign_in, create_user, create_community):
    """A public community with a discussion and a reply, and a library item with a PDF; returns the PDF."""
    author = sign_in(create_user(email="author@example.org"))
    community = create_community(creator=author)
    discussion = discussions.start_discussion(community, author, {"title": "Teachers' pay", "body": "How?",
                                                                  "language": "en"})
    discussions.add_reply(discussion, author, "Salary scales compared across coalitions")
    db.session.commit()
    pdf = pdf_bytes("Budget tracking in Kenya")
    response = client.post("/library/new", content_type="multipart/form-data", data={
        "kind": "document", "title": "Budget tracking guide", "licence": "cc-by", "is_public": "y",
        "organisation_id": "0", "community_id": "0", "file": (io.BytesIO(pdf), "guide.pdf")})
    assert response.status_code == 302
    return pdf


def test_backup_verify_and_restore_into_an_empty_hub(app, runner, content, tmp_path):
    folder = tmp_path / "backup"
    result = runner.invoke(args=["backup", "create", "--to", str(folder)])
    assert result.exit_code == 0, result.output
    assert "1 library file(s)" in result.output
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["counts"]["reply"] == 1 and manifest["counts"]["library_item"] == 1
    assert manifest["index"] is None and not (folder / "index").exists()  # rebuildable: left out
    assert "every checksum matches" in runner.invoke(args=["backup", "verify", str(folder)]).output

    with fresh_database(tmp_path, "restored") as url:
        target = other_hub(tmp_path / "restored", url)
        with target.app_context():
            result = target.test_cli_runner().invoke(args=["backup", "restore", str(folder)])
            assert result.exit_code == 0, result.output
            assert "indexed" in result.output
            assert db.session.scalar(sa.select(Reply.body)) == "Salary scales compared across coalitions"
            stored = db.session.scalar(sa.select(MediaFile))
            assert storage.path_of(stored.storage_name).read_bytes() == content
            page = target.test_client().get("/search?q=salary").get_data(as_text=True)
            assert "Teachers" in page  # the index was rebuilt from the restored database

            again = target.test_cli_runner().invoke(args=["backup", "restore", str(folder)])
            assert again.exit_code != 0 and "not empty" in again.output and "--force" in again.output
            forced = target.test_cli_runner().invoke(args=["backup", "restore", "--force", str(folder)])
            assert forced.exit_code == 0, forced.output
            assert db.session.scalar(sa.select(sa.func.count()).select_from(LibraryItem)) == 1
            db.session.remove()
            db.engine.dispose()


def test_the_index_is_copied_only_when_asked(app, runner, content, tmp_path):
    result = runner.invoke(args=["backup", "create", "--with-index", "--to", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["index"]["files"] and all((tmp_path / "b" / "index" / name).is_file()
                                              for name in manifest["index"]["files"])


def test_verify_finds_a_damaged_file_and_a_missing_manifest(app, runner, content, tmp_path):
    folder = tmp_path / "backup"
    assert runner.invoke(args=["backup", "create", "--to", str(folder)]).exit_code == 0
    name = next((folder / "files").iterdir())
    name.write_bytes(name.read_bytes()[:-1] + b"!")
    result = runner.invoke(args=["backup", "verify", str(folder)])
    assert result.exit_code == 1 and f"library file {name.name} does not match its checksum" in result.output
    (folder / "manifest.json").unlink()
    result = runner.invoke(args=["backup", "verify", str(folder)])
    assert result.exit_code != 0 and "not a complete backup" in result.output


def test_a_failed_backup_leaves_no_folder_behind(app, runner, content, tmp_path):
    item = db.session.scalar(sa.select(LibraryItem))
    db.session.add(MediaFile(item=item, role="audio", storage_name="../not-a-storage-name", filename="x",
                             mimetype="audio/ogg", size=1))
    db.session.commit()
    with pytest.raises(ValueError):
        backup.create(tmp_path / "backup")
    assert list(tmp_path.iterdir()) == [tmp_path / "instance"]  # neither the folder nor a half-built one


def test_a_backup_never_overwrites_a_folder_in_use(app, runner, tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    result = runner.invoke(args=["backup", "create", "--to", str(tmp_path / "taken")])
    assert result.exit_code != 0 and "not empty" in result.output
    assert (tmp_path / "taken" / "notes.txt").read_text() == "mine"


def test_a_sqlite_backup_restores_into_the_suites_database(tmp_path, create_user):
    """The demo's SQLite hub moves into production: into PostgreSQL when the suite runs on it (the second CI
    run), into a fresh SQLite file otherwise."""
    source = other_hub(tmp_path / "demo", f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    with source.app_context():
        upgrade()  # a real hub's schema, with its revision
        author = create_user(email="mover@example.org", name="Amani Mover")
        assert backup.create(tmp_path / "backup")["database"]["dialect"] == "sqlite"
        author_id = author.id
        db.session.remove()
        db.engine.dispose()
    with fresh_database(tmp_path, "moved") as url:
        target = other_hub(tmp_path / "production", url)
        with target.app_context():
            result = target.test_cli_runner().invoke(args=["backup", "restore", str(tmp_path / "backup")])
            assert result.exit_code == 0, result.output
            moved = create_user(email="next@example.org")  # the id sequence continues after the copied ids
            assert moved.id > author_id
            names = db.session.scalars(sa.text("SELECT name FROM user_account ORDER BY id")).all()
            assert names[0] == "Amani Mover"
            db.session.remove()
            db.engine.dispose()
