"""Request ids in logs (X-Request-Id honoured when sane, else made up, always echoed) and JSON logs.

Every log line of the hub's loggers carries the id of the request it was written in, so one failing
request can be followed from the proxy's access log (nginx `$request_id`, gunicorn's
`%({x-request-id}o)s`) to the hub's lines. LOG_FORMAT = "json" writes one JSON object per line.
"""

import json
import logging
import re
import sys
import uuid

from flask import g, has_request_context, request

HEADER = "X-Request-Id"
SANE = re.compile(r"[A-Za-z0-9._:-]{1,128}")
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"


def register(app) -> None:
    app.before_request(_take_request_id)
    app.after_request(_echo_request_id)
    configure_logging(app)


def _take_request_id():
    given = request.headers.get(HEADER, "")
    g.request_id = given if SANE.fullmatch(given) else uuid.uuid4().hex


def _echo_request_id(response):
    response.headers[HEADER] = g.get("request_id") or uuid.uuid4().hex
    return response


def current_request_id() -> str:
    return (g.get("request_id") or "-") if has_request_context() else "-"


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id()
        return True


class StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (a test runner swaps it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and the traceback if any."""

    def format(self, record):
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname,
                 "logger": record.name, "message": record.getMessage(),
                 "request_id": getattr(record, "request_id", "-")}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(app) -> None:
    """One handler on the hub's loggers ("hub", "hub.*"), replaced when another app is built."""
    logger = logging.getLogger("hub")
    for old in [h for h in logger.handlers if getattr(h, "hub_request_log", False)]:
        logger.removeHandler(old)
    handler = StderrHandler()
    handler.hub_request_log = True
    handler.addFilter(RequestIdFilter())
    json_logs = app.config["LOG_FORMAT"] == "json"
    handler.setFormatter(JsonFormatter() if json_logs else logging.Formatter(TEXT_FORMAT))
    logger.addHandler(handler)
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
