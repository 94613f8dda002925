"""Five languages: which locale wins, the switcher without JavaScript, direction, time zones, `flask translate`."""

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from flask_babel import format_datetime
from flask_login import login_user

from hub import i18n
from hub.extensions import db

pytestmark = pytest.mark.usefixtures("csrf_off")


def lang_of(response):
    html = response.get_data(as_text=True)
    start = html.index("<html lang=\"") + len("<html lang=\"")
    return html[start:html.index('"', start)]


def test_accept_language_when_nothing_else(client):
    assert lang_of(client.get("/", headers={"Accept-Language": "pt-BR,pt;q=0.9,en;q=0.5"})) == "pt"
    assert lang_of(client.get("/", headers={"Accept-Language": "de, fr;q=0.5"})) == "fr"
    assert lang_of(client.get("/", headers={"Accept-Language": "de"})) == "en"
    assert lang_of(client.get("/")) == "en"


def test_browser_choice_beats_accept_language(client):
    response = client.post("/language", data={"lang": "es", "next": "/organisations/"},
                           headers={"Accept-Language": "fr"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/organisations/")
    assert lang_of(client.get("/", headers={"Accept-Language": "fr"})) == "es"


def test_saved_preference_beats_browser_choice(client, auth, create_user):
    create_user(email="ar@example.org", locale="ar")
    with client.session_transaction() as session:
        session["locale"] = "es"
    auth.login("ar@example.org")
    assert lang_of(client.get("/", headers={"Accept-Language": "fr"})) == "ar"


def test_person_without_preference_gets_browser_choice(client, auth, create_user):
    create_user(email="none@example.org", locale=None)
    auth.login("none@example.org")
    with client.session_transaction() as session:
        session["locale"] = "pt"
    assert lang_of(client.get("/", headers={"Accept-Language": "fr"})) == "pt"


def test_switching_while_signed_in_saves_the_preference(client, auth, create_user):
    user = create_user(email="switch@example.org", locale="fr")
    auth.login(user.email)
    client.post("/language", data={"lang": "pt", "next": "/"})
    db.session.refresh(user)
    assert user.locale == "pt"
    assert lang_of(client.get("/")) == "pt"


@pytest.mark.parametrize("lang", ["xx", "", "../etc", "EN"])
def test_unknown_language_is_ignored(client, lang):
    response = client.post("/language", data={"lang": lang, "next": "/"}, headers={"Accept-Language": "fr"})
    assert response.status_code == 302
    assert lang_of(client.get("/", headers={"Accept-Language": "fr"})) == "fr"


def test_switcher_never_redirects_elsewhere(client):
    response = client.post("/language", data={"lang": "fr", "next": "https://evil.example.org/"})
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_switcher_is_a_plain_form_that_needs_csrf(app, client):
    html = client.get("/organisations/?region=africa").get_data(as_text=True)
    assert '<form method="post" action="/language"' in html
    assert 'name="csrf_token"' in html
    assert '<input type="hidden" name="next" value="/organisations/?region=africa">' in html
    for code in ("en", "fr", "es", "pt", "ar"):
        assert f'name="lang" value="{code}"' in html
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/language", data={"lang": "ar"}).status_code == 400


@pytest.mark.parametrize("lang, direction", [("ar", "rtl"), ("fr", "ltr"), ("en", "ltr")])
def test_html_lang_and_dir(client, lang, direction):
    client.post("/language", data={"lang": lang, "next": "/"})
    for path in ("/", "/organisations/", "/no-such-page"):
        assert f'<html lang="{lang}" dir="{direction}">' in client.get(path).get_data(as_text=True)


def test_times_are_shown_in_the_persons_time_zone(app, create_user):
    moment = datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc)
    tokyo = create_user(email="tokyo@example.org", timezone="Asia/Tokyo", locale="en")
    lima = create_user(email="lima@example.org", timezone="America/Lima", locale="en")
    shown = {}
    for person in (tokyo, lima, None):
        with app.test_request_context("/"):
            if person:
                login_user(person)
            shown[person.email if person else "anonymous"] = format_datetime(moment, "yyyy-MM-dd HH:mm")
    assert shown == {"tokyo@example.org": "2026-03-02 08:30", "lima@example.org": "2026-03-01 18:30",
                     "anonymous": "2026-03-01 23:30"}


def test_time_zone_on_a_page(client, auth, create_user, create_org):
    secretariat = create_user(email="sec@example.org", is_secretariat=True, timezone="Asia/Tokyo", locale="en")
    proposal = create_org("Proposed Coalition", "KE", status="proposed")
    proposal.created_at = datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc)
    db.session.commit()
    auth.login(secretariat.email)
    html = client.get("/organisations/proposed").get_data(as_text=True)
    assert "Mar 2, 2026, 8:30" in html  # 23:30 UTC is the next morning in Tokyo


def test_translate_commands_exist(runner):
    result = runner.invoke(args=["translate", "--help"])
    assert result.exit_code == 0
    for command in ("extract", "compile", "init"):
        assert command in result.output


@pytest.fixture
def project_copy(tmp_path, monkeypatch):
    """A copy of what pybabel reads, so the real translations/ is never touched."""
    root = Path(i18n.ROOT)
    for name in ("hub", "templates", "translations"):
        shutil.copytree(root / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(root / "babel.cfg", tmp_path / "babel.cfg")
    monkeypatch.setattr(i18n, "ROOT", tmp_path)
    return tmp_path


def test_translate_compile_init_and_extract(runner, project_copy):
    result = runner.invoke(args=["translate", "compile"])
    assert result.exit_code == 0, result.output
    for lang in ("fr", "es", "pt", "ar"):
        assert (project_copy / "translations" / lang / "LC_MESSAGES" / "messages.mo").stat().st_size > 0
    assert runner.invoke(args=["translate", "init", "de"]).exit_code == 0
    assert (project_copy / "translations" / "de" / "LC_MESSAGES" / "messages.po").exists()
    (project_copy / "templates" / "core" / "extra.html").write_text('{{ _("A brand new sentence to translate") }}')
    assert runner.invoke(args=["translate", "extract"]).exit_code == 0
    assert "A brand new sentence to translate" in (project_copy / "translations" / "messages.pot").read_text()
    assert "A brand new sentence to translate" in (
        project_copy / "translations" / "fr" / "LC_MESSAGES" / "messages.po").read_text()


def test_strings_follow_a_locale_switched_within_one_request(app):
    """Catalogs are kept per request (a speed-up): a mail in another language (force_locale) still gets its own
    words, in templates and in Python, and the page's language comes back after it."""
    from flask import render_template_string
    from flask_babel import force_locale, gettext
    page = "{{ _('Search') }}"
    with app.test_request_context(headers={"Accept-Language": "es"}):
        assert render_template_string(page) == gettext("Search") == "Buscar"
        with force_locale("fr"):
            assert render_template_string(page) == gettext("Search") == "Rechercher"
        assert render_template_string(page) == gettext("Search") == "Buscar"
