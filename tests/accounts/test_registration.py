"""Joining the hub: register, confirm the email, wait for approval, be approved or declined."""

import threading

import sqlalchemy as sa

from hub.accounts import services
from hub.accounts.models import ACTIVE, DECLINED, PENDING, User
from hub.extensions import db
from hub.organisations.models import Organisation


def test_register_verify_approve_and_sign_in(app, client, register, outbox, create_org, create_user, helpers):
    org = create_org("Kenya Education Coalition")
    focal = create_user(organisation=org, is_focal_point=True)
    secretariat = create_user(is_secretariat=True)

    response = register(email="Amina@Example.org", organisation=org, headers={"Accept-Language": "es"})
    assert response.status_code == 302 and response.location == "/check-email"
    assert "We sent a link to amina@example.org" in client.get("/check-email").get_data(as_text=True)
    user = helpers.user("amina@example.org")
    assert user.status == PENDING and not user.is_verified and user.locale == "es"
    assert user.organisation_id == org.id

    message = outbox.last_to("amina@example.org")
    assert message["Content-Language"] == "es"
    path = helpers.link_path(message, "/verify/")
    page = client.get(path)
    assert page.status_code == 200 and "<form method=\"post\">" in page.get_data(as_text=True)
    assert not helpers.user("amina@example.org").is_verified  # GET never verifies
    assert outbox.to(focal.email) == []

    confirmed = client.post(path, follow_redirects=True).get_data(as_text=True)
    assert "Thank you, your email address is confirmed." in confirmed and "waits for approval" in confirmed
    assert helpers.user("amina@example.org").is_verified
    waiting = outbox.last_to(focal.email)
    assert "Amina Diallo" in waiting["Subject"]
    assert "/registrations" in helpers.text(waiting)
    assert outbox.to(secretariat.email) == []  # the focal point reviews, not the secretariat

    refused = helpers.login(client, "amina@example.org")
    assert refused.status_code == 200
    assert "waiting for approval" in refused.get_data(as_text=True)

    reviewer = app.test_client()
    helpers.login(reviewer, focal.email)
    listing = reviewer.get("/registrations").get_data(as_text=True)
    assert "Amina Diallo" in listing and "amina@example.org" in listing
    applicant = helpers.user("amina@example.org")
    answer = reviewer.post(f"/registrations/{applicant.id}", data={"approve": "Approve", "message": "Karibu!"})
    assert answer.status_code == 302
    applicant = helpers.user("amina@example.org")
    assert applicant.status == ACTIVE and applicant.approved_by_id == focal.id

    approved = outbox.last_to("amina@example.org")
    assert approved["Content-Language"] == "es"
    assert 'lang="es"' in helpers.html(approved)
    assert "Karibu!" in helpers.text(approved)

    signed_in = helpers.login(client, "amina@example.org")
    assert signed_in.status_code == 302
    assert client.get("/account/").status_code == 200


def test_other_focal_points_and_members_may_not_approve(app, client, verified_applicant, create_org, create_user,
                                                        helpers):
    org = create_org()
    create_user(organisation=org, is_focal_point=True)
    applicant = verified_applicant(organisation=org)
    stranger_focal = create_user(is_focal_point=True)  # focal point of another organisation
    colleague = create_user(organisation=org)  # a plain member of the same organisation

    other = app.test_client()
    helpers.login(other, stranger_focal.email)
    assert "Amina Diallo" not in other.get("/registrations").get_data(as_text=True)
    assert other.post(f"/registrations/{applicant.id}", data={"approve": "Approve"}).status_code == 403

    member = app.test_client()
    helpers.login(member, colleague.email)
    assert member.get("/registrations").status_code == 403
    assert member.post(f"/registrations/{applicant.id}", data={"approve": "Approve"}).status_code == 403
    assert helpers.user("amina@example.org").status == PENDING

    assert client.get("/registrations").status_code == 302  # anonymous: asked to sign in


def test_without_focal_point_the_secretariat_is_asked(verified_applicant, create_org, create_user, outbox):
    secretariat = create_user(is_secretariat=True)
    verified_applicant(organisation=create_org())
    assert "Amina Diallo" in outbox.last_to(secretariat.email)["Subject"]


def test_decline(app, verified_applicant, create_user, outbox, helpers):
    secretariat = create_user(is_secretariat=True)
    applicant = verified_applicant()
    desk = app.test_client()
    helpers.login(desk, secretariat.email)
    response = desk.post(f"/registrations/{applicant.id}", data={"decline": "Decline", "message": "Unknown to us."})
    assert response.status_code == 302
    assert helpers.user("amina@example.org").status == DECLINED
    message = outbox.last_to("amina@example.org")
    assert "not approved" in helpers.text(message) and "Unknown to us." in helpers.text(message)
    # Handled once: a second decision changes nothing.
    again = desk.post(f"/registrations/{applicant.id}", data={"approve": "Approve"}, follow_redirects=True)
    assert "already handled" in again.get_data(as_text=True)
    assert helpers.user("amina@example.org").status == DECLINED

    refused = helpers.login(app.test_client(), "amina@example.org")
    assert "declined" in refused.get_data(as_text=True)


def test_organisation_not_listed_is_proposed_to_the_secretariat(app, client, register, outbox, create_org,
                                                                create_user, helpers):
    secretariat = create_user(is_secretariat=True)
    create_user(is_focal_point=True, organisation=create_org())
    response = register(organisation="not-listed", new_organisation_name="Coalition Éducation Bénin",
                        new_organisation_country="BJ")
    assert response.status_code == 302
    proposed = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Coalition Éducation Bénin"))
    assert proposed.status == "proposed" and proposed.country == "BJ"
    assert "Coalition Éducation Bénin" not in client.get("/organisations/").get_data(as_text=True)

    client.post(helpers.link_path(outbox.last_to("amina@example.org"), "/verify/"))
    assert "Amina Diallo" in outbox.last_to(secretariat.email)["Subject"]

    desk = app.test_client()
    helpers.login(desk, secretariat.email)
    listing = desk.get("/registrations").get_data(as_text=True)
    assert "Coalition Éducation Bénin" in listing and "not yet in the directory" in listing
    assert "Coalition Éducation Bénin" in desk.get("/organisations/proposed").get_data(as_text=True)
    applicant = helpers.user("amina@example.org")
    assert desk.post(f"/registrations/{applicant.id}", data={"approve": "Approve"}).status_code == 302
    db.session.expire_all()
    assert proposed.status == "active"
    assert "Coalition Éducation Bénin" in client.get("/organisations/").get_data(as_text=True)


def test_focal_point_cannot_approve_someone_whose_organisation_is_only_proposed(app, register, outbox, client,
                                                                                create_user, helpers):
    focal = create_user(is_focal_point=True)
    register(organisation="not-listed", new_organisation_name="New Coalition", new_organisation_country="KE")
    client.post(helpers.link_path(outbox.last_to("amina@example.org"), "/verify/"))
    applicant = helpers.user("amina@example.org")
    reviewer = app.test_client()
    helpers.login(reviewer, focal.email)
    assert reviewer.post(f"/registrations/{applicant.id}", data={"approve": "Approve"}).status_code == 403


def test_unverified_registrations_wait_out_of_sight(app, register, create_org, create_user, helpers):
    org = create_org()
    focal = create_user(organisation=org, is_focal_point=True)
    register(organisation=org)
    reviewer = app.test_client()
    helpers.login(reviewer, focal.email)
    assert "Amina Diallo" not in reviewer.get("/registrations").get_data(as_text=True)


def test_registration_dates_are_shown_in_the_reviewers_time_zone(app, verified_applicant, create_user, helpers):
    from datetime import datetime, timezone
    secretariat = create_user(is_secretariat=True, timezone="Asia/Tokyo")
    applicant = verified_applicant()
    applicant.created_at = datetime(2026, 1, 5, 23, 30, tzinfo=timezone.utc)
    db.session.commit()
    desk = app.test_client()
    helpers.login(desk, secretariat.email)
    html = desk.get("/registrations").get_data(as_text=True)
    assert "Jan 6, 2026" in html and "8:30:00" in html  # 08:30 in Tokyo

    secretariat.timezone = "America/Mexico_City"
    db.session.commit()
    html = desk.get("/registrations").get_data(as_text=True)
    assert "Jan 5, 2026" in html and "5:30:00" in html  # 17:30 in Mexico City


def test_two_registrations_racing_with_the_same_email_make_one_account(app, create_org, outbox):
    org_id = create_org().id
    db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = False
    barrier = threading.Barrier(2)
    results = []

    def attempt(name):
        client = app.test_client()
        barrier.wait()
        response = client.post("/register", data={
            "name": name, "email": "twin@example.org", "password": "correct horse battery staple",
            "organisation": str(org_id)})
        results.append((response.status_code, response.get_data(as_text=True)))

    threads = [threading.Thread(target=attempt, args=(f"Twin {n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(code for code, _html in results) == [302, 302]  # the same answer to both
    assert len(outbox.to("twin@example.org")) == 2  # a confirmation link, and "you already have an account"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(
        User.email == "twin@example.org")) == 1


def test_registration_losing_the_race_at_commit_is_answered_not_given_a_500(register, create_org, monkeypatch,
                                                                            outbox):
    """The other registration commits between our check and our insert: the unique constraint answers."""
    org = create_org()
    db.session.commit()
    real_check = services.email_taken

    def check_then_lose_the_race(email, except_user=None):
        taken = real_check(email, except_user)
        with db.engine.begin() as conn:  # the other request, on its own connection
            conn.execute(sa.insert(User).values(
                email="twin@example.org", name="Other", password_hash="x", status=PENDING, session_version=1,
                timezone="UTC", languages=[], bio="", expertise="", organisation_request="",
                is_secretariat=False, is_focal_point=False, created_at=org.created_at, updated_at=org.created_at))
        return taken

    monkeypatch.setattr(services, "email_taken", check_then_lose_the_race)
    response = register(email="twin@example.org", organisation=org)
    assert response.status_code == 302 and response.location == "/check-email"
    assert "already has one" in outbox.last_to("twin@example.org").get_body(preferencelist=("plain",)).get_content()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(
        User.email == "twin@example.org")) == 1


def test_confirming_twice_asks_the_reviewers_once(client, register, outbox, create_org, create_user, helpers):
    org = create_org()
    focal = create_user(organisation=org, is_focal_point=True)
    register(organisation=org)
    path = helpers.link_path(outbox.last_to("amina@example.org"), "/verify/")
    assert client.post(path).status_code == 302
    assert client.post(path).status_code == 302
    assert len(outbox.to(focal.email)) == 1
    assert "Email confirmed" in client.get(path).get_data(as_text=True)


def test_a_focal_point_declines_with_a_reply_template_in_the_applicants_language(
        app, verified_applicant, create_org, create_user, outbox, helpers):
    from hub.audit import AuditEntry
    from hub.desk.models import ReplyTemplate
    org = create_org()
    focal = create_user(organisation=org, is_focal_point=True)
    both = ReplyTemplate(purpose="decline", name="Not a member", texts={
        "en": "Your organisation is not a member of the coalition.",
        "pt": "A sua organização não é membro da coligação."})
    english_only = ReplyTemplate(purpose="decline", name="Unknown person", texts={"en": "We do not know you."})
    hiding = ReplyTemplate(purpose="hide", name="Off topic", texts={"en": "Off topic."})
    db.session.add_all([both, english_only, hiding])
    db.session.commit()
    applicant = verified_applicant(organisation=org, headers={"Accept-Language": "pt"})
    reviewer = app.test_client()
    helpers.login(reviewer, focal.email)
    page = reviewer.get("/registrations").get_data(as_text=True)
    assert "Not a member" in page and "Off topic" not in page  # decline templates only
    assert "Unknown person (sent in English: no Português text)" in page
    retired = reviewer.post(f"/registrations/{applicant.id}", data={"decline": "Decline", "template": "999999",
                                                                      "message": "Kept as typed"})
    assert retired.status_code == 400 and "Kept as typed" in retired.get_data(as_text=True)
    assert "This template is no longer offered" in retired.get_data(as_text=True)
    assert helpers.user(applicant.email).status == PENDING
    answer = reviewer.post(f"/registrations/{applicant.id}", data={"decline": "Decline", "template": str(both.id),
                                                                     "message": "Fale connosco."})
    assert answer.status_code == 302
    assert helpers.user(applicant.email).status == DECLINED
    declined = helpers.text(outbox.last_to(applicant.email))
    assert "A sua organização não é membro da coligação." in declined and "Fale connosco." in declined
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "decline"))
    assert entry.actor_id == focal.id and entry.reason.startswith("A sua organização")


def test_the_registrations_page_costs_the_same_for_two_or_eight_applicants(
        app, verified_applicant, create_org, create_user, helpers, count_queries):
    from hub.desk.models import ReplyTemplate
    org = create_org()
    focal = create_user(organisation=org, is_focal_point=True)
    db.session.add(ReplyTemplate(purpose="decline", name="Not a member", texts={"en": "Not a member."}))
    db.session.commit()
    reviewer = app.test_client()
    helpers.login(reviewer, focal.email)

    def cost():
        with count_queries() as n:
            assert reviewer.get("/registrations").status_code == 200
        return n()
    for number in range(2):
        verified_applicant(email=f"a{number}@example.org", organisation=org)
    few = cost()
    for number in range(2, 8):
        verified_applicant(email=f"a{number}@example.org", organisation=org)
    assert cost() == few
