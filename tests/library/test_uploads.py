"""Bad files through the plain form: each refused with a clear message, nothing left on disk or in the database."""

import pytest

from hub.library.models import MediaFile

from tests.library.library_samples import HTML, docx_bytes, items, odt_bytes

WRONG_TYPE = "is not an accepted type for this kind of item"


def refused(response, message):
    page = response.get_data(as_text=True)
    return response.status_code == 200 and message in page


@pytest.mark.parametrize("name", ["talk.mp4", "talk.mp4.html", "talk.html.mp4"])
def test_html_behind_a_media_name_is_refused(member, add_item, stored_files, name):
    assert refused(add_item(file=(HTML, name), kind="video"), WRONG_TYPE)
    assert items() == [] and stored_files() == []


def test_a_video_is_not_a_document(member, add_item, video_bytes, stored_files):
    assert refused(add_item(file=(video_bytes, "notes.pdf")), WRONG_TYPE)
    assert items() == [] and stored_files() == []


def test_empty_file_is_refused(member, add_item, stored_files):
    assert refused(add_item(file=(b"", "empty.pdf")), "The file is empty.")
    assert items() == [] and stored_files() == []


def test_file_over_the_form_limit_is_refused(app, member, add_item, a_pdf, stored_files):
    app.config["LIBRARY_FORM_UPLOAD_LIMIT"] = 100
    assert refused(add_item(file=a_pdf), "the most this upload accepts")
    assert items() == [] and stored_files() == []


def test_body_over_the_form_limit_gets_a_clear_413(app, member, add_item, stored_files):
    app.config["LIBRARY_FORM_UPLOAD_LIMIT"] = 1000
    response = add_item(file=(b"%PDF-1.4" + b"x" * 6 * 1024 * 1024, "big.pdf"))
    assert response.status_code == 413
    assert "the most this form accepts" in response.get_data(as_text=True)
    assert items() == [] and stored_files() == []


def test_upload_past_the_quota_is_refused(app, member, add_item, a_pdf, stored_files):
    app.config["LIBRARY_QUOTA_BYTES"] = len(a_pdf[0]) + 10
    assert add_item(file=a_pdf).status_code == 302
    assert refused(add_item(file=a_pdf, title="Second"), "past your storage allowance")
    assert len(items()) == 1 and len(stored_files()) == 1


@pytest.mark.parametrize("sent, kept", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\boot.ini.pdf", "boot.ini.pdf"),
    ("report.pdf.exe", "report.pdf"),
    ("bad\x00name\x1b[31m\x7f\t.pdf", "badname[31m.pdf"),
    ("x" * 300 + ".pdf", "x" * 176 + ".pdf"),
    ("no extension", "no extension.pdf"),
])
def test_file_names_are_cleaned(client, member, add_item, a_pdf, stored_files, sent, kept):
    assert add_item(file=(a_pdf[0], sent)).status_code == 302
    stored = items()[0].file("original")
    assert stored.filename == kept
    assert len(stored_files()) == 1 and stored_files()[0] == stored.storage_name
    assert stored.storage_name.endswith(".pdf") and len(stored.storage_name) == 36
    response = client.get(f"/library/{items()[0].slug}/files/{stored.id}")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "/" not in disposition and "\n" not in disposition


def test_unicode_names_use_rfc5987(client, member, add_item, a_pdf):
    add_item(file=(a_pdf[0], "éducation لتعليم.pdf"))
    stored = items()[0].file("original")
    disposition = client.get(f"/library/{items()[0].slug}/files/{stored.id}").headers["Content-Disposition"]
    assert "filename*=UTF-8''%C3%A9ducation%20" in disposition


@pytest.mark.parametrize("data, name, words", [(docx_bytes(), "teachers.docx", "Teachers in Senegal"),
                                               (odt_bytes(), "inclusion.odt", "Éducation inclusive"),
                                               ("Plain notes ✓".encode(), "notes.txt", "Plain notes ✓")])
def test_word_opendocument_and_text_are_read_for_search(member, add_item, data, name, words):
    assert add_item(file=(data, name)).status_code == 302
    assert words in items()[0].extracted_text


def test_files_are_never_served_as_html(client, member, add_item):
    add_item(file=("Just <b>text</b>".encode(), "notes.txt"))
    stored = items()[0].file("original")
    response = client.get(f"/library/{items()[0].slug}/files/{stored.id}")
    assert response.mimetype == "text/plain"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "private" in response.headers["Cache-Control"]


def test_replacing_a_file_removes_the_old_one(client, member, add_item, a_pdf, stored_files):
    add_item(file=a_pdf)
    item = items()[0]
    old = item.file("original").storage_name
    response = client.post(f"/library/{item.slug}/edit", data={
        "title": "Budget tracking guide", "kind": "document", "licence": "cc-by", "organisation_id": "0",
        "community_id": "0", "file": (__import__("io").BytesIO(docx_bytes()), "v2.docx")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    assert stored_files() == [items()[0].file("original").storage_name] != [old]
    assert len(MediaFile.query.all()) == 1
