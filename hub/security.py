"""Security headers on every response, and trust in the reverse proxy when configured."""

from urllib.parse import urlsplit

from flask import abort, current_app, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from hub.extensions import csrf

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
#: Sign-in, registration, reset and the second step are never stored either (they carry tokens and emails).
NO_STORE_BLUEPRINTS = frozenset({"accounts"})

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def set_headers(response):
    """Add the baseline headers; HSTS only over HTTPS, where it means something."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    revalidated_file = bool(response.cache_control.private)  # said by the view itself (library files)
    if response.mimetype == "text/html":
        response.vary.add("Cookie")
        headers.setdefault("Cache-Control", "private, no-cache")
    if request.endpoint != "static" and not revalidated_file and (
            request.blueprint in NO_STORE_BLUEPRINTS or current_user.is_authenticated):
        # No page a signed-in person sees is kept, not even in the back/forward cache (Back after sign-out).
        # Library files say `private, max-age=0` themselves: revalidated against the item's visibility on
        # every use, so a repeat view costs a 304 instead of the whole video again.
        headers["Cache-Control"] = "no-store"
    return response


def check_origin():
    """A state change must come from the hub's own pages: a foreign Origin (or Referer) is refused."""
    if request.method in SAFE_METHODS or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return None
    view = current_app.view_functions.get(request.endpoint)
    if view is not None and f"{view.__module__}.{view.__name__}" in csrf._exempt_views:
        return None  # token-authenticated endpoints (RFC 8058 unsubscribe, resumable uploads)
    source = request.headers.get("Origin") or request.headers.get("Referer")
    # The hub's public address, or the address this request was sent to (as Django compares Origin with
    # Host): a page of another site never has either, while http://localhost:5000 still works for the demo.
    own = {_origin(current_app.config["BASE_URL"]), _origin(request.host_url)}
    if source and _origin(source) not in own:  # "null" (a sandbox) too
        abort(403)
    return None


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def register(app) -> None:
    app.after_request(set_headers)
    app.before_request(check_origin)
    proxies = int(app.config["PROXY_COUNT"])
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
