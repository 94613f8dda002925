"""Numbers people type in a query string (?page=, ?round=, ?quote=), read once and bounded, and the one
way every list is paged: no number someone types reaches the database as an error."""

from flask import current_app, request

from hub.extensions import db

#: Far beyond any real list, small enough that (page - 1) × per page stays a valid SQL OFFSET.
MAX_PAGE = 100_000
#: The largest id an `integer` column holds on PostgreSQL (the URL converter uses the same bound).
MAX_ID = 2**31 - 1


def int_arg(name: str, default=None, maximum: int = MAX_ID):
    """A whole number from 1 to `maximum` in ?name=, else `default` (never an error: a bad link is a bad link)."""
    raw = request.args.get(name, "").strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(maximum)):
        return default
    value = int(raw)
    return value if 1 <= value <= maximum else default


def page_arg(name: str = "page") -> int:
    """The page asked for: 1 when missing or not a number, at most MAX_PAGE (paginate() then clamps it)."""
    raw = request.args.get(name, "").strip()
    if raw.isascii() and raw.isdigit() and len(raw) > len(str(MAX_PAGE)):
        return MAX_PAGE
    return int_arg(name, 1, MAX_PAGE)


def paginate(query, page: int, per_page: int | None = None, **options):
    """A page of `query` (PER_PAGE rows unless told): a page past the end shows the last page."""
    per_page = per_page or current_app.config["PER_PAGE"]
    page = min(max(page, 1), MAX_PAGE)
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False, **options)
    if page > 1 and pagination.total is not None and page > pagination.pages:
        pagination = db.paginate(query, page=max(pagination.pages, 1), per_page=per_page, error_out=False,
                                 **options)
    return pagination
