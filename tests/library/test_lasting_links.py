"""Links to library items outlive a change of slug: notifications link by id, old slugs redirect."""

from hub.extensions import db
from hub.notifications.services import describe
from hub.slugs import rename

from tests.library.library_samples import items


def test_notifications_link_by_id_and_an_old_slug_redirects(client, member, add_item, a_pdf, create_user, auth):
    assert add_item(file=a_pdf, is_public="y").status_code == 302
    item = items()[0]
    old, link = item.slug, describe("new_item", item)["link"]
    assert link == f"/library/items/{item.id}"
    rename(item, "budget-guide-2026")
    db.session.commit()
    assert client.get(link).location == "/library/budget-guide-2026"
    assert client.get(f"/library/{old}").location == "/library/budget-guide-2026"
    assert client.get("/library/budget-guide-2026").status_code == 200
    auth.logout()
    stranger = create_user()
    auth.login(stranger.email)
    assert client.get("/library/items/999999").status_code == 404
