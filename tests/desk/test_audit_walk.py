"""The audit walk: every POST rule of app.url_map, sent as each privileged role with the form its page shows,
either writes an audit entry, changes nothing (refused, or nothing to do), or its view says why not with
`@audit.exempt("…")`. Nobody lists routes here: a route added later is walked too.

It reuses the route walker's world (tests/walker/world.py): the demo, one signed-in client per role, real
argument values and the forms each page shows; every request is rolled back afterwards.
"""

import time

import pytest
import sqlalchemy as sa

from tests.walker.test_route_walker import GENERIC_FIELDS, rule_path, rules, walk  # noqa: F401 (a fixture)
from tests.walker.world import forms_of

PRIVILEGED = ("facilitator", "focal point", "secretariat")
#: Tables written as a side effect of any request, not a state change someone decided: the session's
#: last-seen time and the rate limiter's counters.
BOOKKEEPING = {"device_session"}


class Writes:
    """The tables a request changed for good: rows written, minus what a rollback to a savepoint undid."""

    def __init__(self):
        self.stack = [set()]

    def cursor(self, conn, cursor, statement, parameters, context, executemany):
        verb, _, rest = statement.lstrip().partition(" ")
        verb = verb.upper()
        if verb not in ("INSERT", "UPDATE", "DELETE") or cursor.rowcount == 0:
            return
        words = rest.split()
        table = words[1] if verb in ("INSERT", "DELETE") else words[0]  # INSERT INTO t / DELETE FROM t / UPDATE t
        self.stack[-1].add(table.strip('"'))

    def savepoint(self, conn, name):
        self.stack.append(set())

    def release(self, conn, name, context):
        if len(self.stack) > 1:
            top = self.stack.pop()
            self.stack[-1] |= top

    def rollback_savepoint(self, conn, name, context):
        if len(self.stack) > 1:
            self.stack.pop()

    def tables(self) -> set:
        return set().union(*self.stack)


def exemption(view) -> str | None:
    """The reason a view (or a view it wraps) gives for writing no audit entry."""
    while view is not None:
        if getattr(view, "audit_exempt", None):
            return view.audit_exempt
        view = getattr(view, "__wrapped__", None)
    return None


def send(walk, role, method, path, data):
    """One request as `role` in a rolled-back transaction: (status, tables changed for good)."""
    client = walk.app.test_client()
    client.set_cookie("session", walk.cookies[role])
    writes = Writes()
    with walk.one_request() as connection:
        events = [("after_cursor_execute", writes.cursor), ("savepoint", writes.savepoint),
                  ("release_savepoint", writes.release), ("rollback_savepoint", writes.rollback_savepoint)]
        for name, listener in events:
            sa.event.listen(connection, name, listener)
        try:
            response = client.open(path, method=method, data=data)
            body = response.get_data()
            response.close()
        finally:
            for name, listener in events:
                sa.event.remove(connection, name, listener)
    return response.status_code, body, writes.tables()


def pages_forms(walk, role) -> dict:
    """The POST forms every page shows this role: {action path: fields}."""
    forms = {}
    for rule in rules(walk.app):
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        path = rule_path(rule, walk.values)
        status, body, _ = send(walk, role, "GET", path, None)
        if status == 200 and body[:200].lstrip().lower().startswith(b"<!doctype html"):
            for action, fields in forms_of(body.decode("utf-8", "replace"), path).items():
                forms.setdefault(action, {}).update(fields)
    return forms


@pytest.mark.parametrize("role", PRIVILEGED)
def test_every_state_change_by_a_privileged_role_is_audited(walk, role):  # noqa: F811
    started = time.perf_counter()
    forms, failures, walked = pages_forms(walk, role), [], 0
    for rule in rules(walk.app):
        if "POST" not in rule.methods:
            continue
        path = rule_path(rule, walk.values)
        fields = forms.get(path) or GENERIC_FIELDS
        data = {name: default for name, (kind, default, options) in fields.items() if kind != "file"}
        status, _, changed = send(walk, role, "POST", path, data)
        walked += 1
        changed -= BOOKKEEPING
        if not changed or "audit_entry" in changed:
            continue
        if exemption(walk.app.view_functions[rule.endpoint]) is None:
            failures.append(f"{rule.endpoint} POST {path} ({status}): changed {sorted(changed)}, no audit entry, "
                            f"no @audit.exempt")
    print(f"\naudit walk, {role}: {walked} POST rules in {time.perf_counter() - started:.1f} s")
    assert not failures, f"{len(failures)} unaudited state changes:\n" + "\n".join(failures)


def test_every_exemption_gives_a_reason(walk):  # noqa: F811
    for endpoint, view in walk.app.view_functions.items():
        reason = exemption(view)
        assert reason is None or len(reason.split()) >= 3, f"{endpoint}: say why, in words ({reason!r})"
