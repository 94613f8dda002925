"""Security baseline: headers on every response, cookie flags, no inline script or style in any page."""

import re
from pathlib import Path

import pytest

from hub import create_app


def csp_directives(response):
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


@pytest.mark.parametrize("path", ["/", "/organisations/", "/login", "/healthz", "/nowhere", "/static/css/hub.css"])
def test_headers_on_every_response(client, path):
    response = client.get(path)
    csp = csp_directives(response)
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["default-src"] == ["'self'"] and csp["script-src"] == ["'self'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP: HSTS would mean nothing
    response.close()


def test_headers_on_redirects_and_posts(client, csrf_off):
    response = client.post("/language", data={"lang": "fr", "next": "/"})
    assert response.status_code == 302
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_hsts_over_https(client):
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_hsts_behind_a_trusted_proxy(database_url, tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "PROXY_COUNT": 1},
                     instance_path=str(tmp_path / "instance"))
    response = app.test_client().get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in response.headers


def session_cookie_header(response):
    cookies = [value for value in response.headers.getlist("Set-Cookie") if value.startswith("session=")]
    assert cookies, "the response sets the session cookie"
    return cookies[0]


def test_session_cookie_flags_in_tests(client):
    cookie = session_cookie_header(client.get("/login"))  # the CSRF token lives in the session
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # tests and debug run over plain HTTP


def test_session_cookie_is_secure_in_production(database_url, tmp_path, monkeypatch):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("HUB_SECRET_KEY", "a-real-secret-key-for-production-use")
    monkeypatch.setenv("HUB_SQLALCHEMY_DATABASE_URI", database_url)
    app = create_app(None, instance_path=str(tmp_path / "instance"))
    assert not app.debug and not app.testing
    cookie = session_cookie_header(app.test_client().get("/login", base_url="https://localhost"))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


@pytest.fixture
def site(create_org, create_user, auth):
    org = create_org("Coalition sénégalaise", "SN")
    create_org("Proposed Coalition", "KE", status="proposed")
    user = create_user(email="sec@example.org", organisation=org, is_secretariat=True, is_focal_point=True)
    return {"org": org, "user": user, "auth": auth}


def test_no_inline_script_or_style_anywhere(client, site):
    anonymous = ["/", "/organisations/", f"/organisations/{site['org'].slug}", "/login", "/register",
                 "/nowhere"]
    signed_in = ["/", "/organisations/new", "/organisations/proposed", f"/organisations/{site['org'].slug}/edit",
                 f"/organisations/{site['org'].slug}", "/organisations/proposed-coalition"]
    pages = [(path, client.get(path, headers={"Accept-Language": "ar"})) for path in anonymous]
    site["auth"].login(site["user"].email)
    pages += [(path, client.get(path)) for path in signed_in]
    for path, response in pages:
        html = response.get_data(as_text=True)
        assert response.mimetype == "text/html", path
        assert not INLINE_SCRIPT.search(html), path
        assert " style=" not in html and "<style" not in html, path
        assert not INLINE_HANDLER.search(html), path
        assert "javascript:" not in html, path


def test_no_template_has_inline_script_or_style():
    """The Content-Security-Policy would block them: every page keeps script and style in files.
    (Emails are exempt: mail clients need inline styles and no CSP applies there.)"""
    root = Path(__file__).resolve().parents[2] / "templates"
    offenders = []
    for template in sorted(root.rglob("*.html")):
        if template.parent.name == "email":
            continue
        text = template.read_text(encoding="utf-8")
        if (INLINE_SCRIPT.search(text) or " style=" in text or "<style" in text or INLINE_HANDLER.search(text)
                or "javascript:" in text):
            offenders.append(str(template.relative_to(root)))
    assert offenders == []
