"""Suspending someone ends their sessions at once; a suspension with an end lifts itself."""

from datetime import timedelta

from hub.accounts import services
from hub.db import utcnow
from hub.extensions import db


def test_suspension_signs_the_person_out_everywhere(app, client, csrf_off, create_user, helpers):
    ada = create_user(email="ada@example.org")
    phone = app.test_client()
    helpers.login(client, "ada@example.org")
    helpers.login(phone, "ada@example.org", remember="y")
    assert client.get("/account/").status_code == 200

    services.suspend(ada)
    db.session.commit()
    for device in (client, phone):
        assert device.get("/account/").status_code == 302
        assert "Sign out" not in device.get("/").get_data(as_text=True)
    refused = helpers.login(app.test_client(), "ada@example.org")
    assert refused.status_code == 200 and "Your account is suspended." in refused.get_data(as_text=True)


def test_a_suspension_until_a_date_ends_by_itself(app, csrf_off, create_user, helpers):
    ada = create_user(email="ada@example.org")
    services.suspend(ada, until=utcnow() + timedelta(days=7))
    db.session.commit()
    assert "Your account is suspended." in helpers.login(app.test_client(), "ada@example.org").get_data(as_text=True)

    ada.suspended_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert helpers.login(app.test_client(), "ada@example.org").status_code == 302
