"""Translated error pages that never show a stack trace."""

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException, InternalServerError

from hub.extensions import db
from hub.inputs import drain

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try again.")),
    403: (_l("Not allowed"), _l("You do not have permission to do this.")),
    404: (_l("Page not found"), _l("This page does not exist, or you may not see it.")),
    405: (_l("Not allowed"), _l("This action cannot be done this way.")),
    409: (_l("Already done"), _l("The same change was saved a moment ago, perhaps by a second click or another "
                                 "tab. Go back and reload the page to see it.")),
    413: (_l("File too large"), _l("What you sent is larger than the hub accepts.")),
    429: (_l("Too many attempts"),
          _l("You have tried this too often. Please wait a few minutes before trying again.")),
    500: (_l("Something went wrong"),
          _l("An unexpected error happened on our side. It has been logged; please try again later.")),
}


def render_error(code: int, message=None):
    title, default = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title, message=message or default), code


def handle_http(error: HTTPException):
    if error.code not in MESSAGES:
        return error
    if error.code == 413:
        drain(request)  # else the server closes on an unread body and the browser shows a network error
    return render_error(error.code)


def handle_csrf(error: CSRFError):
    return render_error(400, _l("This form has expired or was sent from elsewhere. "
                                "Please go back, reload the page and try again."))


def handle_conflict(error: IntegrityError):
    """The last net under unique rules: two identical requests at once (a double click on a form without
    a one-time token) raced, and the database kept one. Nothing half-written stays: the request is rolled
    back. Writes that know their rule use hub.db.insert_once instead and answer as usual."""
    db.session.rollback()
    current_app.logger.warning("A request lost a race on a unique rule: %s", error.orig)
    return render_error(409)


def handle_500(error):
    db.session.rollback()
    return render_error(500)


def register(app) -> None:
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(IntegrityError, handle_conflict)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(InternalServerError, handle_500)
