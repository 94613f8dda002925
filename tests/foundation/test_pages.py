"""Error pages (translated, never a stack trace), versioned static files, a layout without JavaScript."""

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import abort
from markupsafe import escape

from hub import create_app
from hub.errors import MESSAGES
from hub.extensions import babel

ERROR_TITLES = {400: "Bad request", 403: "Not allowed", 404: "Page not found", 413: "File too large",
                429: "Too many attempts", 500: "Something went wrong"}


@pytest.fixture
def failing_app(app):
    """Routes that fail the way real views can; 500s are handled as in production."""
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/test/abort/<int:code>")
    def abort_with(code):
        abort(code)

    @app.route("/test/crash")
    def crash():
        raise ZeroDivisionError("secret internals: password=hunter2")
    return app


@pytest.mark.parametrize("code", sorted(ERROR_TITLES))
def test_error_pages(failing_app, code):
    client = failing_app.test_client()
    english = client.get(f"/test/abort/{code}").get_data(as_text=True)
    assert ERROR_TITLES[code] in english and f"Error {code}" in english
    response = client.get(f"/test/abort/{code}", headers={"Accept-Language": "ar"})
    html = response.get_data(as_text=True)
    assert response.status_code == code
    assert '<html lang="ar" dir="rtl">' in html  # the page speaks the reader's language
    with failing_app.test_request_context(headers={"Accept-Language": "ar"}):
        assert f"<h1>{escape(MESSAGES[code][0])}</h1>" in html  # in Arabic once the catalog has it
    assert "Traceback" not in html


def test_500_never_shows_the_stack_trace(failing_app):
    response = failing_app.test_client().get("/test/crash")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in html
    for leak in ("Traceback", "ZeroDivisionError", "hunter2", "File \"", "werkzeug"):
        assert leak not in html


def test_404_for_unknown_pages(client):
    response = client.get("/nowhere/at/all")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)


def test_400_for_a_form_without_csrf_token(client):
    response = client.post("/language", data={"lang": "fr"})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)


def test_413_for_a_request_too_large(app, client, csrf_off):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/language", data={"lang": "fr", "next": "x" * 5000})
    assert response.status_code == 413 and "File too large" in response.get_data(as_text=True)


@pytest.fixture
def fresh_catalogs():
    """Flask-Babel caches loaded catalogs per process: start and end this test without them."""
    def clear():
        if "domain_instance" in vars(babel):
            vars(babel)["domain_instance"].cache.clear()
    clear()
    yield
    clear()


def test_error_pages_are_translated(database_url, tmp_path, fresh_catalogs):
    catalog = Catalog(locale="fr")
    catalog.add("Page not found", "Page introuvable")
    catalog.add("Go to the home page", "Aller à l'accueil")
    folder = tmp_path / "translations" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "messages.mo", "wb") as mo:
        write_mo(mo, catalog)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                      "BABEL_TRANSLATION_DIRECTORIES": str(tmp_path / "translations")},
                     instance_path=str(tmp_path / "instance"))
    html = app.test_client().get("/nowhere", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Page introuvable" in html and "Aller à l'accueil" in html


def test_catalogs_are_read_from_the_projects_translations_folder(app):
    folder = app.extensions["babel"].translation_directories[0]
    assert folder.endswith("translations")
    for lang in ("fr", "es", "pt", "ar"):
        assert (Path(folder) / lang / "LC_MESSAGES" / "messages.po").exists()


def test_static_files_have_versioned_urls_and_long_cache(client):
    html = client.get("/").get_data(as_text=True)
    match = re.search(r'href="(/static/css/hub\.css\?v=([0-9a-f]{12}))"', html)
    assert match, "the stylesheet URL carries a content hash"
    response = client.get(match.group(1))
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "no-cache" not in response.headers["Cache-Control"]
    response.close()
    assert client.get("/static/favicon.svg").status_code == 200


def test_pages_are_not_cached_by_shared_caches(client):
    cache = client.get("/").headers["Cache-Control"]
    assert "private" in cache or "no-store" in cache


def test_layout_works_without_javascript(client):
    """Navigation is links, language switching and signing out are plain forms."""
    html = client.get("/").get_data(as_text=True)
    assert "<script" not in html
    assert 'class="skip-link" href="#main"' in html and '<main id="main"' in html
    assert re.search(r'<nav aria-label="[^"]+" class="main-nav">', html)
    assert '<a href="/organisations/">' in html
    assert '<form method="post" action="/language"' in html
