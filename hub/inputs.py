"""What the hub takes from a request, made safe once for every route.

- Ids in URLs are bounded to what the database holds: `<int:…>` beyond PostgreSQL's integer → 404.
- URL parts never carry a NUL byte (404), which no PostgreSQL text can hold.
- Form fields, uploaded files' names, query strings and JSON bodies lose their NUL bytes, and an
  unpaired surrogate (only JSON can carry one: `"\\ud800"`) becomes U+FFFD, the replacement character
  invalid UTF-8 already becomes. Nothing a person meant to write is lost that way, and no feature needs
  to think about it.
- A body over MAX_CONTENT_LENGTH is read to its end before the 413 page is sent, so the browser shows
  that page instead of "connection reset".
"""

import re

from flask import Request
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter

from hub.pagination import MAX_ID

_UNSAFE = re.compile("[\x00\ud800-\udfff]")
#: A 413 body larger than this is not read to its end (the connection is closed on it instead).
DRAIN_LIMIT = 64 * 1024 * 1024


def clean_text(value: str) -> str:
    """The text without NUL bytes, each unpaired surrogate replaced by U+FFFD (pairs are joined)."""
    if not _UNSAFE.search(value):
        return value
    value = value.replace("\x00", "")
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def clean_json(value):
    """clean_text() applied to every string (keys too) in decoded JSON."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_json(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(key): clean_json(item) for key, item in value.items()}
    return value


def _clean_multidict(data, storage_class):
    if not any(_UNSAFE.search(key) or (isinstance(value, str) and _UNSAFE.search(value))
               for key, value in data.items(multi=True)):
        return data
    return storage_class(MultiDict((clean_text(key), clean_text(value) if isinstance(value, str) else value)
                                   for key, value in data.items(multi=True)))


_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def form_token(value):
    """WTForms filter for a form's one-time token: what the hub made (URL-safe, at most 64 characters),
    else no token at all (a forged or mangled one must not reach a 64-character column)."""
    return value if isinstance(value, str) and _TOKEN.fullmatch(value) else ""


def strip(value):
    """WTForms filter for what people type: stray spaces go, so "   " counts as empty."""
    return value.strip() if isinstance(value, str) else value


class HubRequest(Request):
    """Flask's request, with text inputs cleaned (see the module docstring)."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _clean_multidict(self.__dict__["form"], self.parameter_storage_class)
        for upload in self.__dict__["files"].values():
            if upload.filename:
                upload.filename = clean_text(upload.filename)  # a name is text the hub stores too

    @property
    def args(self):
        if "_clean_args" not in self.__dict__:
            self.__dict__["_clean_args"] = _clean_multidict(super().args, self.parameter_storage_class)
        return self.__dict__["_clean_args"]

    def get_json(self, force=False, silent=False, cache=True):
        return clean_json(super().get_json(force=force, silent=silent, cache=cache))


class DatabaseIntConverter(IntegerConverter):
    """`<int:…>` as Flask has it, but never beyond the database's integer: a larger id is a 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class TextConverter(UnicodeConverter):
    """The default converter (slugs, names) without NUL bytes."""

    def __init__(self, map, minlength=1, maxlength=None, length=None):
        super().__init__(map, minlength=minlength, maxlength=maxlength, length=length)
        self.regex = self.regex.replace("[^/]", "[^/\x00]")


class SafePathConverter(PathConverter):
    regex = "[^/\x00][^\x00]*?"
    part_isolating = False


def drain(request) -> None:
    """Read the rest of an oversized body (up to DRAIN_LIMIT), so the client gets to read the answer."""
    left, stream = request.content_length, request.environ.get("wsgi.input")
    if not left or left > DRAIN_LIMIT or stream is None:
        return  # without a length (chunked) reading on could wait forever
    try:
        while left > 0:
            chunk = stream.read(min(left, 256 * 1024))
            if not chunk:
                break
            left -= len(chunk)
    except (OSError, ValueError):
        pass  # the client went away: nothing left to answer


def register(app) -> None:
    """Install the request class and the converters (before any blueprint adds its rules)."""
    app.request_class = HubRequest
    app.url_map.converters.update(int=DatabaseIntConverter, default=TextConverter, string=TextConverter,
                                  path=SafePathConverter)
