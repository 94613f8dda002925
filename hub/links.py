"""Links to many rows of one kind (each reply's permalink, each author's profile), built with url_for once
per page and filled in per row: url_for costs more than the rest of a row's link."""

from flask import url_for

#: Stands for the changing number while url_for builds the link (within every id converter's bounds).
MARK = 2147483646


class LinkPattern:
    """url_for(endpoint, **values) with `name` left open: pattern(42) is the link for name=42."""

    def __init__(self, endpoint: str, name: str, **values):
        built = url_for(endpoint, **values, **{name: MARK})  # the query string keeps url_for's order
        self.head, found, self.tail = built.partition(str(MARK))
        if not found:
            raise ValueError(f"{endpoint}: {name} does not appear in {built}")

    def __call__(self, value: int) -> str:
        return f"{self.head}{int(value)}{self.tail}"
