"""A community given a new web address: links made with the old one keep working (for those who may see it)."""

from hub.communities.models import Community
from hub.extensions import db

from .test_communities import FORM


def test_old_addresses_redirect_to_the_new_one_but_never_reveal_a_private_community(
        client, csrf_off, person, make_community, sign_in):
    secretariat, outsider = person(is_secretariat=True), person()
    community = make_community(secretariat, visibility="private", slug="circle")
    sign_in(secretariat)
    response = client.post("/communities/circle/edit", data={**FORM, "slug": "sahel-circle", "visibility": "private"})
    assert response.status_code == 302
    assert db.session.get(Community, community.id).slug == "sahel-circle"
    moved = client.get("/communities/circle?page=2")
    assert moved.status_code == 301 and moved.location.startswith("/communities/sahel-circle")
    assert "page=2" in moved.location
    assert client.get("/communities/circle/edit").location == "/communities/sahel-circle/edit"
    sign_in(outsider)
    assert client.get("/communities/circle").status_code == 404
    sign_in(secretariat)
    client.post("/communities/sahel-circle/edit", data={**FORM, "slug": "circle", "visibility": "private"})
    assert client.get("/communities/circle").status_code == 200
    assert client.get("/communities/sahel-circle").status_code == 301
