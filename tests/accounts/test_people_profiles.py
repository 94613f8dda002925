"""Public profiles: for signed-in members, never to anonymous visitors, never showing the email."""

import pytest

from hub.accounts.models import PENDING


@pytest.fixture
def ada(create_user, create_org):
    return create_user(email="ada@example.org", name="Ada Obi", organisation=create_org("Ghana Coalition"),
                       languages=["en", "sw"], bio="Policy officer in Accra.", expertise="Budget tracking",
                       timezone="Africa/Accra")


def test_members_see_a_profile_without_the_email(app, csrf_off, ada, create_user, helpers):
    create_user(email="bea@example.org")
    bea = app.test_client()
    helpers.login(bea, "bea@example.org")
    response = bea.get(f"/people/{ada.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in ("Ada Obi", "Ghana Coalition", "Policy officer in Accra.", "Budget tracking", "Swahili"):
        assert text in html
    assert "ada@example.org" not in html


def test_profile_speaks_the_readers_language(app, csrf_off, ada, create_user, helpers):
    create_user(email="bea@example.org", locale="fr")
    bea = app.test_client()
    helpers.login(bea, "bea@example.org")
    html = bea.get(f"/people/{ada.id}").get_data(as_text=True)
    assert '<html lang="fr"' in html and "swahili" in html and "anglais" in html


def test_anonymous_visitors_are_asked_to_sign_in_whoever_the_id_names(client, ada):
    known, unknown = client.get(f"/people/{ada.id}"), client.get("/people/999999")
    assert known.status_code == unknown.status_code == 302
    assert known.location.startswith("/login") and unknown.location.startswith("/login")


def test_pending_people_are_not_shown_to_members(app, csrf_off, create_user, helpers):
    waiting = create_user(email="wait@example.org", status=PENDING)
    create_user(email="bea@example.org")
    bea = app.test_client()
    helpers.login(bea, "bea@example.org")
    assert bea.get(f"/people/{waiting.id}").status_code == 404
    create_user(email="desk@example.org", is_secretariat=True)
    desk = app.test_client()
    helpers.login(desk, "desk@example.org")
    assert desk.get(f"/people/{waiting.id}").status_code == 200


def test_member_since_is_in_the_readers_time_zone(app, csrf_off, ada, create_user, helpers):
    from datetime import datetime, timezone

    from hub.extensions import db
    ada.created_at = datetime(2026, 3, 1, 22, 0, tzinfo=timezone.utc)
    db.session.commit()
    create_user(email="tokyo@example.org", timezone="Asia/Tokyo")
    create_user(email="lima@example.org", timezone="America/Lima")
    tokyo, lima = app.test_client(), app.test_client()
    helpers.login(tokyo, "tokyo@example.org")
    helpers.login(lima, "lima@example.org")
    assert "March 2, 2026" in tokyo.get(f"/people/{ada.id}").get_data(as_text=True)
    assert "March 1, 2026" in lima.get(f"/people/{ada.id}").get_data(as_text=True)
