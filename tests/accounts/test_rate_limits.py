"""Sign-in and reset are rate limited per address, with a translated 429 page; nobody can lock out another."""

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
