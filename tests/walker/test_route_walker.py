"""The route walker: every rule of app.url_map, every method, for every role, with real objects, extreme ids and
page numbers, wrong methods and content types, and every form field in turn set to hostile values.

Asserts: never a 5xx, never a traceback in the page, and nothing written when the request is refused.
Nobody lists routes here: a route added later is walked, and one whose arguments the walker cannot fill
fails `test_every_rule_can_be_walked` until tests/walker/world.py learns them. Run it alone with
`.venv/bin/python -m pytest tests/walker -q` (see the README).
"""

import json
import re
import time
from dataclasses import dataclass, field

import pytest
from werkzeug.datastructures import MultiDict

import sqlalchemy as sa

from hub import create_app
from hub.accounts.models import DeviceSession, User
from hub.extensions import db
from tests.conftest import Auth, fresh_database
from tests.walker.world import (DEMO_PASSWORD, ROLES, argument_value, check_converter, first, forms_of,
                                rolled_back_requests, suspend, table_counts_query, walked_methods,
                                world_values)

IDS = ["0", str(2**31), "-1", str(2**63), str(10**20), "abc"]
SLUGS = ["a%00b", "x" * 2000, "%00", "%E2%80%AEevil", "..%2F..%2Fetc"]
PAGES = ["0", str(2**31), str(10**20), "abc%00"]
#: Each form field in turn takes each of these (the others keep the values the page offers): all fields
#: the first, fields people type in the second, fields offering choices or numbers the third.
ANY_FIELD = {"empty": "", "nul": "before\x00after"}
TYPED = {
    "rtl override": "\u202egnp.exe\u202c",
    "10,000-char word": "w" * 10_000,
    "html and markdown": "<script>alert(1)</script><img src=x onerror=alert(1)> [x](javascript:alert(1)) **_",
}
CHOSEN = {"unknown choice": "__not-a-choice__", "huge number": str(10**20), "number past int": str(2**31)}
TYPED_KINDS = {"text", "textarea", "email", "url", "search", "password", "tel"}
QUERY_ARGUMENTS = ("page", "round", "quote", "actor", "q", "sort", "since", "per_page")


@dataclass
class Walk:
    app: object
    values: dict
    cookies: dict
    one_request: object
    baseline: tuple
    failures: list = field(default_factory=list)
    sent: dict = field(default_factory=dict)
    #: (method, path) whose fields were fuzzed already: by the first role allowed to send the form.
    fuzzed: set = field(default_factory=set)

    def send(self, role, label, method, path, **options):
        """One request as `role`, judged: no exception, no 5xx, no trace, nothing written if refused."""
        self.sent[label] = self.sent.get(label, 0) + 1
        client = self.app.test_client()
        if self.cookies.get(role):
            client.set_cookie("session", self.cookies[role])
        where = f"{role} {method} {path[:120]} [{label}]"
        with self.one_request() as connection:
            try:
                response = client.open(path, method=method, **options)
                body = response.get_data()
                response.close()
            except Exception as error:  # the test client re-raises what would have been a 500
                self.failures.append(f"{where}: raised {type(error).__name__}: {str(error)[:300]}")
                return None
            if response.status_code >= 500:
                self.failures.append(f"{where}: answered {response.status_code}")
            if b"Traceback (most recent call last)" in body:
                self.failures.append(f"{where}: a traceback in the page")
            if response.status_code >= 400:
                counts = tuple(connection.execute(table_counts_query()).one())
                if counts != self.baseline:
                    changed = [t.name for t, a, b in zip(db.metadata.sorted_tables, self.baseline, counts) if a != b]
                    self.failures.append(f"{where}: refused with {response.status_code} but wrote to {changed}")
        return response.status_code, body, response.headers.get("Location", "")


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    folder = tmp_path_factory.mktemp("walker")
    with fresh_database(folder, prefix="hub_walker") as url:
        app = create_app({
            "TESTING": True, "SECRET_KEY": "walker-secret", "SQLALCHEMY_DATABASE_URI": url, "SERVER_NAME": None,
            "BASE_URL": "http://localhost", "PASSWORD_HASH_METHOD": "scrypt:1024:8:1", "PREMODERATION_FIRST_POSTS": 0,
            # CSRF and rate limits have their own tests; here they would refuse everything after a while.
            "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
        }, instance_path=str(folder / "instance"))
        with app.app_context():
            db.create_all()
            result = app.test_cli_runner().invoke(args=["demo", "load"])
            assert result.exit_code == 0, result.output
            values = world_values(app)
        cookies = {}
        for role, email in ROLES.items():
            if email:
                client = app.test_client()
                with app.app_context():  # the demo secretariat types its second factor too
                    Auth(client).login(email, DEMO_PASSWORD)
                cookie = client.get_cookie("session")
                assert cookie is not None, f"{role} could not sign in"
                cookies[role] = cookie.value
        with app.app_context():
            values["device_session"] = first(sa.select(DeviceSession.id).join(User).where(
                User.email == ROLES["member"]))
            suspend(ROLES["suspended"])
        app.config["SEARCH_SYNC"] = False  # requests are rolled back: leave the index as the demo made it
        with rolled_back_requests(app) as one_request:
            with one_request() as connection:
                baseline = tuple(connection.execute(table_counts_query()).one())
            yield Walk(app, values, cookies, one_request, baseline)


def rule_path(rule, values, **replace) -> str:
    """The rule's URL with real values, or with `replace` for some arguments (raw, already quoted)."""
    def fill(match):
        name = match.group(1)
        return replace[name] if name in replace else str(argument_value(rule, name, values))
    return re.sub(r"<(?:[^<>:]+:)?(\w+)>", fill, rule.rule)


def rules(app):
    return sorted(app.url_map.iter_rules(), key=lambda r: r.rule)


def test_every_rule_can_be_walked(walk):
    """A route added later fails here (with what to add) until the walker can fill its arguments."""
    for rule in rules(walk.app):
        for name in rule.arguments:
            check_converter(rule, name)
            argument_value(rule, name, walk.values)


GENERIC_FIELDS = {"body": ("textarea", "Walker text", []), "title": ("text", "Walker", []),
                  "action": ("text", "hide", []), "reason": ("text", "spam", [])}


def walk_role(walk, role):
    values, app = walk.values, walk.app
    forms = {}
    targets = [(rule, method) for rule in rules(app) for method in walked_methods(rule)]
    # Pages first: they show the forms (and so the fields) this role may send.
    for rule, method in targets:
        if method != "GET":
            continue
        path = rule_path(rule, values)
        answer = walk.send(role, "page", "GET", path)
        if answer and answer[0] == 200 and answer[1][:200].lstrip().lower().startswith(b"<!doctype html"):
            for action, fields in forms_of(answer[1].decode("utf-8", "replace"), path).items():
                forms.setdefault(action, {}).update(fields)
        if role in ("member", "secretariat"):  # between them they see every page with a list
            for value in PAGES:
                query = "&".join(f"{name}={value}" for name in QUERY_ARGUMENTS)
                walk.send(role, "query extremes", "GET", f"{path}?{query}")
    for rule, method in targets:
        path = rule_path(rule, values)
        if role in ("anonymous", "member", "secretariat"):
            for name in rule.arguments:
                converter = type(rule._converters[name]).__name__
                extremes = IDS if "Int" in converter else SLUGS if "Text" in converter else []
                extremes = extremes if role == "anonymous" else extremes[:2]
                for value in extremes:
                    walk.send(role, "argument extremes", method, rule_path(rule, values, **{name: value}))
        if role == "anonymous":
            wrong = next(m for m in ("PUT", "DELETE", "PATCH", "POST") if m not in rule.methods)
            walk.send(role, "wrong method", wrong, path)
        if method in ("GET", "HEAD", "OPTIONS"):
            continue
        fields = forms.get(path) or GENERIC_FIELDS
        data = {name: default for name, (kind, default, options) in fields.items() if kind != "file"}
        answer = walk.send(role, "form as shown", method, path, data=data)
        walk.send(role, "json with a lone surrogate", method, path,
                  data=json.dumps({name: "\ud800" for name in data}), content_type="application/json")
        if answer is None or answer[0] in (401, 403, 404, 405) or "/login" in answer[2]:
            continue  # refused: the hostile fields would meet the same refusal
        if (method, path, tuple(sorted(data))) in walk.fuzzed:
            continue  # another role sent these fields already: the form parses them the same way
        walk.fuzzed.add((method, path, tuple(sorted(data))))
        walk.send(role, "invalid utf-8 body", method, path, data=b"&".join(
            name.encode() + b"=%FF%FE\xff\xfe\xed\xa0\x80" for name in data) or b"\xff\xfe",
            content_type="application/x-www-form-urlencoded")
        walk.send(role, "text/plain body", method, path, data="plain words", content_type="text/plain")
        walk.send(role, "1 MB field", method, path, data={**data, next(iter(data), "body"): "x" * 1_000_000})
        for name in data:
            walk.send(role, "missing field", method, path, data={k: v for k, v in data.items() if k != name})
            walk.send(role, "duplicated field", method, path, data=MultiDict([*data.items(), (name, "second value")]))
            kind = fields[name][0]
            hostile = {**ANY_FIELD, **(TYPED if kind in TYPED_KINDS | {"hidden"} else {}),
                       **(CHOSEN if kind not in TYPED_KINDS else {})}
            for label, value in hostile.items():
                walk.send(role, label, method, path, data={**data, name: value})


@pytest.mark.parametrize("role", list(ROLES))
def test_walk_every_route(walk, role):
    started, before = time.perf_counter(), sum(walk.sent.values())
    walk.failures.clear()
    walk_role(walk, role)
    took, count = time.perf_counter() - started, sum(walk.sent.values()) - before
    print(f"\nroute walker, {role}: {count} requests in {took:.1f} s")
    assert not walk.failures, f"{len(walk.failures)} problems:\n" + "\n".join(sorted(set(walk.failures))[:80])


def test_walker_numbers(walk):
    """Not a check: prints routes × roles × inputs (run with -s to read them)."""
    routes = len(list(walk.app.url_map.iter_rules()))
    print(f"\nroute walker: {routes} rules × {len(ROLES)} roles; requests by input: {dict(sorted(walk.sent.items()))}; "
          f"total {sum(walk.sent.values())}")
