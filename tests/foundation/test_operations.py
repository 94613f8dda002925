"""/healthz for monitors, and the database round-tripping the hub's languages and time zones."""

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from hub import create_app
from hub.accounts.models import User
from hub.extensions import db
from hub.organisations.models import Organisation


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.is_json and response.get_json()["database"] == "ok"


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    missing = tmp_path / "no-such-directory" / "hub.sqlite3"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}"},
                     instance_path=str(tmp_path / "instance"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.is_json and response.get_json()["database"] == "unavailable"
    assert "Traceback" not in response.get_data(as_text=True)


def test_text_and_aware_datetimes_round_trip(app, create_org, create_user):
    name = "Coalition sénégalaise pour l'éducation — ائتلاف التعليم"
    description = "Educação, educación, éducation: التعليم للجميع 教育"
    org = create_org(name, "SN", description=description, acronym="ÉDU")
    beirut = timezone(timedelta(hours=3))
    until = datetime(2026, 7, 14, 9, 30, 15, tzinfo=beirut)
    user = create_user(name="Layla Haddād ليلى حداد", organisation=org, suspended_until=until)
    org_id, user_id = org.id, user.id
    db.session.commit()
    db.session.expunge_all()

    org = db.session.get(Organisation, org_id)
    user = db.session.get(User, user_id)
    assert (org.name, org.description, org.acronym) == (name, description, "ÉDU")
    assert user.name == "Layla Haddād ليلى حداد"
    assert user.suspended_until == until
    assert user.suspended_until.utcoffset() == timedelta(0)  # read back in UTC, still aware
    assert user.created_at.tzinfo is not None
    found = db.session.scalar(sa.select(Organisation).where(Organisation.description.contains("التعليم")))
    assert found is not None and found.id == org_id
