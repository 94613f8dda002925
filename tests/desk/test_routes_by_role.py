"""Every desk page refuses everyone who is not allowed: anonymous → sign in, others → 403."""

import re

import pytest

from hub.discussions import services as discussions
from hub.extensions import db
from hub.desk import services

SECRETARIAT_ONLY = ("desk.audit_log", "desk.audit_csv", "desk.delete",
                    "desk.people", "desk.person", "desk.merge_page",
                    "desk.dashboard", "desk.dashboard_csv", "desk.templates", "desk.edit_template", "desk.new_template",
                    "desk.export_data", "desk.merge_confirm", "desk.add_person_note")
#: Registrations are reviewed by focal points and the secretariat: a facilitator is refused them too.
REVIEWERS_ONLY = ("desk.registrations", "desk.decide_registration")


def desk_urls(app, world):
    """Every desk route, with its arguments filled in (the reporting page is not a staff page)."""
    values = {"kind": "discussion", "object_id": world["discussion"].id, "user_id": world["people"]["author"].id,
              "block": "flows-region", "template_id": world["template"].id}
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("desk.") and rule.endpoint != "desk.report":
            path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((rule.endpoint, method, path))
    return found


def test_the_desk_has_routes_to_check(app, world):
    endpoints = {endpoint for endpoint, _, _ in desk_urls(app, world)}
    assert {"desk.queue", "desk.case", "desk.audit_log", "desk.people"} <= endpoints


def test_anonymous_visitors_are_sent_to_sign_in(app, client, world, csrf_off):
    for endpoint, method, path in desk_urls(app, world):
        response = client.open(path, method=method, data={"action": "hide", "reason": "x"})
        assert response.status_code == 302, (endpoint, method)
        assert "/login" in response.headers["Location"], (endpoint, method)


@pytest.mark.parametrize("role", ["member", "author"])
def test_members_are_refused_everywhere(app, client, auth, world, role):
    auth.login(world["people"][role].email)
    for endpoint, method, path in desk_urls(app, world):
        response = client.open(path, method=method, data={"action": "hide", "reason": "x"})
        assert response.status_code == 403, (endpoint, method)
    assert world["discussion"].hidden_at is None


def test_facilitators_are_refused_secretariat_pages(app, client, auth, world):
    auth.login(world["people"]["facilitator"].email)
    for endpoint, method, path in desk_urls(app, world):
        response = client.open(path, method=method, data={})
        if endpoint.startswith(SECRETARIAT_ONLY + REVIEWERS_ONLY):
            assert response.status_code == 403, (endpoint, method)
        else:
            assert response.status_code in (200, 400), (endpoint, method)


def test_facilitator_of_another_community_cannot_act_by_hand(client, auth, world):
    auth.login(world["people"]["other_facilitator"].email)
    path = f"/desk/queue/discussion/{world['discussion'].id}"
    assert client.get(path).status_code == 403
    assert client.post(path, data={"action": "hide", "reason": "because"}).status_code == 403
    db.session.expire_all()
    assert world["discussion"].hidden_at is None


def test_secretariat_opens_every_page(app, client, auth, world):
    services.hide("discussion", world["discussion"], world["people"]["secretariat"], "for the delete page")
    db.session.commit()
    auth.login(world["people"]["secretariat"].email)
    for endpoint, method, path in desk_urls(app, world):
        if method == "GET":
            assert client.get(path).status_code == 200, endpoint


def test_desk_link_shows_only_to_staff(client, auth, world):
    auth.login(world["people"]["member"].email)
    assert ">Desk<" not in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login(world["people"]["facilitator"].email)
    assert ">Desk<" in client.get("/").get_data(as_text=True)


def test_only_the_secretariat_moderates_the_secretariat(client, auth, world):
    staff_post = discussions.start_discussion(world["first"], world["people"]["secretariat"], {
        "title": "A word from the secretariat", "body": "Hello", "language": "en"})
    db.session.commit()
    auth.login(world["people"]["facilitator"].email)
    response = client.post(f"/desk/queue/discussion/{staff_post.id}", data={"action": "hide", "reason": "no"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(type(staff_post), staff_post.id).hidden_at is None
