"""Sign-in and reset are rate limited per address, with a translated 429 page; nobody can lock out another."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

STRANGER = {"REMOTE_ADDR": "203.0.113.9"}
OWNER = {"REMOTE_ADDR": "198.51.100.7"}


def test_many_failed_sign_ins_answer_429_and_the_owner_still_gets_in(app, client, csrf_off, create_user, helpers):
    create_user(email="ada@example.org")
    codes = [client.post("/login", data={"email": "ada@example.org", "password": f"guess number {n}"},
                         environ_base=STRANGER).status_code for n in range(11)]
    assert codes == [200] * 10 + [429]

    blocked = client.post("/login", data={"email": "ada@example.org", "password": "one more guess"},
                          environ_base=STRANGER, headers={"Accept-Language": "fr"})
    html = blocked.get_data(as_text=True)
    assert blocked.status_code == 429 and blocked.headers.get("Retry-After")
    assert '<html lang="fr" dir="ltr">' in html
    assert "<title>Too many attempts" in html or "<title>Trop" in html
    assert "Traceback" not in html
    assert client.get("/login", environ_base=STRANGER).status_code == 200  # reading the page is not limited

    owner = app.test_client()
    assert helpers.login(owner, "ada@example.org", environ_base=OWNER).status_code == 302


def test_reset_requests_are_limited(client, csrf_off, create_user, outbox):
    create_user(email="ada@example.org")
    codes = [client.post("/password/forgot", data={"email": "ada@example.org"}, environ_base=STRANGER).status_code
             for _n in range(6)]
    assert codes == [302] * 5 + [429]
    assert len(outbox.to("ada@example.org")) == 5
    other = client.post("/password/forgot", data={"email": "ada@example.org"}, environ_base=OWNER)
    assert other.status_code == 302



def _serve(settings: dict, port: int) -> subprocess.Popen:
    """One worker: the hub in a process of its own, configured through HUB_* variables."""
    env = {**os.environ, **{f"HUB_{key}": json.dumps(value) for key, value in settings.items()}}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "hub", "run", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str):
    deadline = time.monotonic() + 60  # importing the hub takes seconds on a busy 2-core machine
    while time.monotonic() < deadline:
        try:
            return urllib.request.urlopen(url, timeout=2)
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not start")


def _post(url: str, data: dict) -> int:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), method="POST")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        return opener.open(request, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.slow  # starts two hub processes
def test_two_workers_sharing_redis_count_sign_ins_together(app, create_user):
    """Each gunicorn worker is a process with its own memory: with Redis, a guesser cannot double the limit."""
    create_user(email="ada@example.org")
    settings = {"TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
                "RATELIMIT_KEY_PREFIX": f"hub-test-{uuid.uuid4().hex}"}
    ports = [_free_port(), _free_port()]
    workers = [_serve(settings, port) for port in ports]
    try:
        for port in ports:
            _wait_for(f"http://127.0.0.1:{port}/healthz")
        codes = [_post(f"http://127.0.0.1:{ports[n % 2]}/login",
                       {"email": "ada@example.org", "password": f"guess number {n}"}) for n in range(11)]
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=10)
    assert codes == [200] * 10 + [429]
