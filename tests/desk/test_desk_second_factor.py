"""The desk asks for two-factor sign-in first: every desk route, for the roles TWO_FACTOR_REQUIRED_FOR names."""

from hub.accounts import two_factor
from hub.extensions import db

from .test_routes_by_role import desk_urls


def test_no_desk_route_serves_the_secretariat_without_a_second_factor(app, client, auth, world):
    app.config["TWO_FACTOR_REQUIRED_FOR"] = ["secretariat"]
    auth.login("secretariat@example.org")
    urls = desk_urls(app, world)
    assert len(urls) > 10
    for endpoint, method, path in urls:
        response = client.open(path, method=method, data={"action": "suspend", "reason": "test"})
        assert response.status_code == 302 and response.location == "/account/two-factor", (endpoint, method)
    assert db.session.get(type(world["people"]["author"]), world["people"]["author"].id).status == "active"


def test_a_setting_requires_it_of_facilitators_too(app, client, auth, world):
    auth.login("facilitator@example.org")
    assert client.get("/desk/queue").status_code == 200  # by default, facilitators choose
    app.config["TWO_FACTOR_REQUIRED_FOR"] = ["secretariat", "facilitators"]
    assert client.get("/desk/queue").location == "/account/two-factor"
    facilitator = world["people"]["facilitator"]
    two_factor.enable(facilitator, two_factor.new_secret(), 0)
    db.session.commit()
    assert client.get("/desk/queue").status_code == 200
